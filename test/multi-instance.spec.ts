import { afterAll, beforeAll, expect, it } from '@jest/globals';
import { PostgresEventStore } from '../libs/event-store/postgres/index.js';
import { describePostgres, freshSchema, type FreshSchema } from '../libs/event-store/postgres/test-database.js';
import { issueLocalToken } from '../libs/auth/index.js';
import { partnersProjection, type PartnerView } from '../libs/partners/index.js';
import { Projector } from '../libs/projections/index.js';
import { MemoryReadModelStore } from '../libs/read-models/memory/memory-read-model-store.js';
import { PostgresReadModelStore } from '../libs/read-models/postgres/postgres-read-model-store.js';
import { checkRebuild } from '../libs/audit/rebuild-check.js';
import { PROJECTIONS } from '../apps/api/app.module.js';
import { assertBuilt, serve, type Served } from './support/cli.js';
import { SigningKey } from '../libs/signing/index.js';

const SECRET = 'multi-instance-secret-of-at-least-32-chars';

/** Issue 7: several API processes on one PostgreSQL database, one of them running the background work. */
describePostgres('two API processes on one PostgreSQL database', () => {
  let schema: FreshSchema;
  let env: Record<string, string>;
  let token: string;
  const servers: Served[] = [];

  beforeAll(async () => {
    assertBuilt();
    schema = await freshSchema('multi');
    env = {
      U4SSC_STORE: 'postgres',
      U4SSC_DATABASE_URL: schema.url,
      U4SSC_DATABASE_SCHEMA: schema.schema,
      U4SSC_TOKEN_SECRET: SECRET,
      // Both instances sign with the one key: the first to start publishes it, the other finds it published.
      U4SSC_SIGNING_KEY: SigningKey.generate().toPem(),
    };
    token = await issueLocalToken(SECRET, { sub: 'sec-1', roles: ['secretariat'] });
    servers.push(await serve(env), await serve(env));
  }, 60_000);

  afterAll(async () => {
    await Promise.all(servers.map((server) => server.stop()));
    await schema?.drop();
  });

  const health = async (server: Served) => (await (await fetch(`${server.url}/health`)).json()) as { background: string };

  async function leaderAndFollower(): Promise<{ leader: Served; follower: Served }> {
    for (let attempt = 0; attempt < 100; attempt += 1) {
      const roles = await Promise.all(servers.map(async (server) => (server.process.exitCode === null ? (await health(server)).background : 'dead')));
      const leaders = servers.filter((_, index) => roles[index] === 'leader');
      const followers = servers.filter((_, index) => roles[index] === 'follower');
      if (leaders.length === 1 && followers.length >= 1) return { leader: leaders[0]!, follower: followers[0]! };
      expect(leaders.length).toBeLessThanOrEqual(1);
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    throw new Error('no single leader emerged in 10 s');
  }

  const register = (server: Served, partnerId: string) =>
    fetch(`${server.url}/v1/partners`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' },
      body: JSON.stringify({ partnerId, name: `Entity ${partnerId}`, entityType: 'other-un-entity', intentReference: 'test' }),
    });

  async function registerAll(ids: string[], pick: (index: number) => Served): Promise<number[]> {
    const responses = await Promise.all(ids.map((id, index) => register(pick(index), id)));
    return responses.map((response) => response.status);
  }

  async function listed(server: Served): Promise<PartnerView[]> {
    const response = await fetch(`${server.url}/v1/partners?includeWithdrawn=true`, { headers: { Authorization: `Bearer ${token}` } });
    return (await response.json()) as PartnerView[];
  }

  async function rebuiltFromZero(): Promise<PartnerView[]> {
    const events = await PostgresEventStore.open({ connectionString: schema.url, schema: schema.schema });
    const scratch = new MemoryReadModelStore();
    try {
      await new Projector(events, scratch, [partnersProjection]).catchUp();
      return scratch.list<PartnerView>('partners');
    } finally {
      await events.close();
    }
  }

  async function eventually(check: () => Promise<boolean>, ms: number): Promise<void> {
    const deadline = Date.now() + ms;
    while (!(await check())) {
      if (Date.now() > deadline) throw new Error(`condition not met within ${ms} ms`);
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }

  it('elects exactly one leader', async () => {
    await leaderAndFollower();
  });

  it('accepts commands on either instance: nothing lost, one winner per contested registration, read models equal a rebuild', async () => {
    const distinct = Array.from({ length: 30 }, (_, index) => `P-${index}`);
    const statuses = await registerAll(distinct, (index) => servers[index % 2]!);
    expect(statuses).toEqual(distinct.map(() => 201));

    const contested = Array.from({ length: 10 }, (_, index) => `C-${index}`);
    const both = await Promise.all(contested.map(async (id) => (await Promise.all(servers.map((server) => register(server, id)))).map((r) => r.status).sort()));
    for (const pair of both) expect(pair).toEqual([201, 409]);

    await eventually(async () => (await listed(servers[1]!)).length === 40, 10_000);
    const views = await listed(servers[0]!);
    expect(views).toHaveLength(40);
    expect(views.every((view) => view.periodCount === 1)).toBe(true);
    expect(await listed(servers[1]!)).toEqual(views);
    expect(views).toEqual(await rebuiltFromZero());
  }, 60_000);

  it('records concurrent votes and workplan inputs sent to both instances: each once, none lost', async () => {
    const partners = (await listed(servers[0]!)).map((view) => view.partnerId);
    const reps = Object.fromEntries(
      await Promise.all(partners.map(async (id) => [id, await issueLocalToken(SECRET, { sub: `rep-${id}`, roles: ['partner'], org: id })] as const)),
    );
    const post = (server: Served, path: string, auth: string, body: object) =>
      fetch(`${server.url}${path}`, { method: 'POST', headers: { Authorization: `Bearer ${auth}`, 'Content-Type': 'application/json' }, body: JSON.stringify(body) });
    const inAWeek = new Date(Date.now() + 7 * 86_400_000).toISOString();

    const opened = await post(servers[0]!, '/v1/ballots', token, { subject: { kind: 'other', title: 'Two instances' }, question: 'Agree?', closesAt: inAWeek });
    expect(opened.status).toBe(201);
    const ballotId = ((await opened.json()) as { resource: { ballotId: string } }).resource.ballotId;
    const votes = await Promise.all(partners.map((id, index) => post(servers[index % 2]!, `/v1/ballots/${ballotId}/votes`, reps[id]!, { choice: index % 3 === 0 ? 'no' : 'yes' })));
    const refused = votes.find((vote) => vote.status !== 201);
    expect(refused ? `${refused.status} ${await refused.text()}` : 'all 201').toBe('all 201');

    expect((await post(servers[1]!, '/v1/workplans', token, { cycle: '2031', inputDeadline: inAWeek })).status).toBe(201);
    const inputs = await Promise.all(partners.map((id, index) => post(servers[index % 2]!, '/v1/workplans/2031/inputs', reps[id]!, { title: `${id} input`, text: `${id} proposes` })));
    const refusedInput = inputs.find((input) => input.status !== 201);
    expect(refusedInput ? `${refusedInput.status} ${await refusedInput.text()}` : 'all 201').toBe('all 201');

    const events = await PostgresEventStore.open({ connectionString: schema.url, schema: schema.schema });
    try {
      const ballot = await events.readStream(`ballot-${ballotId}`);
      const cast = ballot.filter((event) => event.type === 'VoteCast');
      expect(new Set(cast.map((event) => (event.data as { partnerId: string }).partnerId)).size).toBe(partners.length);
      expect(cast).toHaveLength(partners.length);
      expect(ballot.map((event) => event.revision)).toEqual(ballot.map((_, index) => index));
      const cycle = await events.readStream('workplan-2031');
      expect(cycle.filter((event) => event.type === 'WorkplanInputSubmitted')).toHaveLength(partners.length);
    } finally {
      await events.close();
    }
    const auditor = await issueLocalToken(SECRET, { sub: 'aud-1', roles: ['auditor'] });
    await eventually(async () => {
      const views = await Promise.all(
        servers.map(async (server) => (await (await fetch(`${server.url}/v1/ballots/${ballotId}`, { headers: { Authorization: `Bearer ${auditor}` } })).json()) as { turnout: { voted: number } }),
      );
      return views.every((view) => view.turnout.voted === partners.length);
    }, 10_000);

    // Every read model the leader projected equals a rebuild from position 0 of the same log.
    const live = await PostgresReadModelStore.open({ connectionString: schema.url, schema: schema.schema });
    const log = await PostgresEventStore.open({ connectionString: schema.url, schema: schema.schema });
    try {
      await eventually(async () => (await live.checkpoint('workplans')) >= (await log.headPosition()), 10_000);
      const report = await checkRebuild(log, live, PROJECTIONS);
      expect(report.differences).toEqual([]);
      expect(report.projections.find((check) => check.projection === 'ballots')?.documents).toBeGreaterThan(0);
    } finally {
      await Promise.all([live.close(), log.close()]);
    }
  }, 60_000);

  it('a SIGKILLed leader is replaced within seconds, and no event is projected twice or skipped', async () => {
    const { leader, follower } = await leaderAndFollower();
    const ids = Array.from({ length: 40 }, (_, index) => `K-${index}`);
    const load = registerAll(ids, () => follower);
    setTimeout(() => leader.process.kill('SIGKILL'), 50);
    const statuses = await load;
    expect(statuses).toEqual(ids.map(() => 201));

    const killedAt = Date.now();
    await eventually(async () => (await health(follower)).background === 'leader', 10_000);
    const takeOverMs = Date.now() - killedAt;
    expect(takeOverMs).toBeLessThan(10_000);

    await eventually(async () => (await listed(follower)).length === 80, 10_000);
    const views = await listed(follower);
    expect(views.every((view) => view.periodCount === 1)).toBe(true);
    expect(views).toEqual(await rebuiltFromZero());
  }, 60_000);
});
