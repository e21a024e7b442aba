import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { EventBus } from '@nestjs/cqrs';
import request from 'supertest';
import { ballotsDecided, type BallotDecided } from '../libs/ballots/index.js';
import { BALLOT_RULE_TABLE } from '../libs/ballots/rule-table.js';
import { ManualClock } from '../libs/kernel/clock.js';
import { startApi, type ApiHarness } from './support/api-harness.js';
import { ANNEX_II, bearer, eventually, inDays, openBallot, registerPartners, representativeOf } from './support/ballots.js';
import { tempDir } from './support/temp-dir.js';

const FIVE = ANNEX_II.slice(0, 5); // ITU, UNECE, CBD, FAO, UN-Women

describe('Partners Board ballots over HTTP (ToR ¶13(b), ¶19) on a SQLite file', () => {
  const dir = tempDir();
  const clock = new ManualClock('2026-05-04T08:00:00.000Z');
  let api: ApiHarness;
  let secretariat: string;
  let auditor: string;
  const decisions: BallotDecided[] = [];
  const hubDecisions: BallotDecided[] = [];

  beforeAll(async () => {
    api = await startApi({ dir: dir.path, clock, ballotPollMs: 3_600_000 });
    secretariat = await bearer(api, 'sec-bueti', ['secretariat']);
    auditor = await bearer(api, 'aud-1', ['auditor']);
    await registerPartners(api, secretariat, FIVE);
    // A saga's view of the hook: decided ballots by subject kind.
    const bus = api.app.get(EventBus);
    bus.pipe(ballotsDecided('workplan')).subscribe((decided) => decisions.push(decided));
    bus.pipe(ballotsDecided('hub')).subscribe((decided) => hubDecisions.push(decided));
  });
  afterAll(async () => {
    await api?.close();
    dir.remove();
  });

  const get = (id: string, auth: string) => request(api.server).get(`/v1/ballots/${id}`).set('Authorization', auth).expect(200);
  const vote = (id: string, auth: string, choice: string) =>
    request(api.server).post(`/v1/ballots/${id}/votes`).set('Authorization', auth).send({ choice });

  it('lists the ballot routes in the OpenAPI document', async () => {
    const docs = await request(api.server).get('/docs-json').expect(200);
    expect(Object.keys(docs.body.paths)).toEqual(
      expect.arrayContaining(['/v1/ballots', '/v1/ballots/{ballotId}', '/v1/ballots/{ballotId}/votes', '/v1/ballots/{ballotId}/close', '/v1/ballots/{ballotId}/withdraw']),
    );
  });

  it('opens a ballot in one step, freezing the electorate, the default rules with their table version, and the ToR version', async () => {
    const response = await request(api.server)
      .post('/v1/ballots')
      .set('Authorization', secretariat)
      .send({ subject: { kind: 'workplan', reference: 'workplan-2026', title: 'Workplan 2026' }, question: 'Agree?', closesAt: inDays(clock.now(), 14) })
      .expect(201);
    expect(response.body).toMatchObject({
      state: 'open',
      events: [
        { type: 'BallotDrafted', clauses: ['¶13(b)'] },
        { type: 'BallotOpened', clauses: ['¶13', '¶13(b)'] },
      ],
      resource: {
        status: 'open',
        channel: 'electronic',
        electorate: FIVE.map((partner) => partner.partnerId).sort(),
        electorateAsOf: '2026-05-04T08:00:00.000Z',
        rules: BALLOT_RULE_TABLE.defaults.workplan.rules,
        rulesSource: { table: 'U4SSC-ballot-rules', tableVersion: 1, chosenBy: 'rule-table', subjectKind: 'workplan' },
        torVersion: 'U4SSC-ToR-2023',
        turnout: { voted: 0, eligible: 5 },
      },
    });
    const opened = (await api.stores.events.readStream(response.body.stream))[1]!;
    expect(opened.metadata).toMatchObject({ actor: { id: 'sec-bueti', role: 'secretariat' }, machine: { id: 'ballot', version: 1 }, torVersion: 'U4SSC-ToR-2023' });
  });

  it('opens one ballot for one Idempotency-Key: a retry answers the same ballot and appends nothing', async () => {
    const send = () =>
      request(api.server)
        .post('/v1/ballots')
        .set('Authorization', secretariat)
        .set('Idempotency-Key', 'open-hub-valencia')
        .send({ subject: { kind: 'hub', title: 'Hub request: Valencia' }, question: 'Approve the Hub?', closesAt: inDays(clock.now(), 10) });
    const first = await send().expect(201);
    const head = await api.stores.events.headPosition();
    const again = await send().expect(201);
    expect(again.body.resource.ballotId).toBe(first.body.resource.ballotId);
    expect(await api.stores.events.headPosition()).toBe(head);
    expect(first.body.resource.rulesSource).toMatchObject({ subjectKind: 'hub', clauses: ['¶30'] });
  });

  it('keeps the running tally secret while open: turnout for Partners, who voted for the Secretariat, everything for auditors', async () => {
    const id = await openBallot(api, secretariat, { closesAt: inDays(clock.now(), 14) });
    const itu = await representativeOf(api, 'ITU');
    const fao = await representativeOf(api, 'FAO');
    await vote(id, itu, 'yes').expect(201);
    await vote(id, fao, 'no').expect(201);

    const asItu = (await get(id, itu)).body;
    expect(asItu).toMatchObject({ visibility: { level: 'turnout' }, turnout: { voted: 2, eligible: 5 }, yourOrganisation: { partnerId: 'ITU', eligible: true, voted: true, choice: 'yes' } });
    for (const hidden of ['counts', 'votes', 'voteHistory', 'voted', 'decision']) expect(asItu).not.toHaveProperty(hidden);
    const asCbd = (await get(id, await representativeOf(api, 'CBD'))).body;
    expect(asCbd.yourOrganisation).toEqual({ partnerId: 'CBD', eligible: true, voted: false });

    const asSecretariat = (await get(id, secretariat)).body;
    expect(asSecretariat).toMatchObject({ visibility: { level: 'voters' }, voted: ['FAO', 'ITU'] });
    expect(asSecretariat).not.toHaveProperty('counts');
    expect(asSecretariat).not.toHaveProperty('votes');

    const asAuditor = (await get(id, auditor)).body;
    expect(asAuditor).toMatchObject({ visibility: { level: 'full' }, counts: { yes: 1, no: 1, abstain: 0 }, votes: { ITU: 'yes', FAO: 'no' } });

    const list = await request(api.server).get('/v1/ballots?status=open').set('Authorization', itu).expect(200);
    expect(list.body.find((ballot: { ballotId: string }) => ballot.ballotId === id)).not.toHaveProperty('counts');
  });

  it('shows Partners the running counts when the chosen rules reveal them, and records that choice with its reason', async () => {
    const rules = { ...BALLOT_RULE_TABLE.defaults.other.rules, revealTallyWhileOpen: true };
    const id = await openBallot(api, secretariat, { subject: { kind: 'other', title: 'Logo use' }, closesAt: inDays(clock.now(), 3), rules, rulesReason: 'an open consultation' });
    const ecaRep = await representativeOf(api, 'UNECE');
    await vote(id, ecaRep, 'abstain').expect(201);
    const seen = (await get(id, ecaRep)).body;
    expect(seen).toMatchObject({ counts: { yes: 0, no: 0, abstain: 1 }, rulesSource: { chosenBy: 'secretariat', reason: 'an open consultation' } });
    expect(seen).not.toHaveProperty('votes');
  });

  it('records a change of vote as a new event and keeps the first in the history', async () => {
    const id = await openBallot(api, secretariat, { closesAt: inDays(clock.now(), 14) });
    const fao = await representativeOf(api, 'FAO');
    await vote(id, fao, 'no').expect(201);
    clock.advance(60_000);
    const changed = await vote(id, fao, 'yes').expect(201);
    expect(changed.body.events).toEqual([expect.objectContaining({ type: 'VoteChanged' })]);
    const history = (await get(id, auditor)).body.voteHistory;
    expect(history).toEqual([
      expect.objectContaining({ type: 'VoteCast', partnerId: 'FAO', choice: 'no', by: 'rep-FAO' }),
      expect.objectContaining({ type: 'VoteChanged', partnerId: 'FAO', choice: 'yes', previousChoice: 'no' }),
    ]);
  });

  it('answers the same vote again with 200 and `unchanged`, appending nothing; a changed vote is still 201; a keyed retry replays as before', async () => {
    const id = await openBallot(api, secretariat, { closesAt: inDays(clock.now(), 14) });
    const fao = await representativeOf(api, 'FAO');
    const keyed = () => vote(id, fao, 'yes').set('Idempotency-Key', `vote-${id}`);
    const first = await keyed().expect(201);
    expect(first.body.events).toEqual([expect.objectContaining({ type: 'VoteCast' })]);
    expect(first.body).not.toHaveProperty('unchanged');
    const head = await api.stores.events.headPosition();

    const replay = await keyed().expect(201);
    expect(replay.headers['idempotency-replayed']).toBe('true');
    expect(replay.body).toEqual(first.body);

    const again = await vote(id, fao, 'yes').expect(200);
    expect(again.body).toMatchObject({ unchanged: true, duplicate: false, events: [], state: 'open', resource: { yourOrganisation: { partnerId: 'FAO', voted: true, choice: 'yes' } } });
    expect(await api.stores.events.headPosition()).toBe(head);

    const changed = await vote(id, fao, 'no').expect(201);
    expect(changed.body.events).toEqual([expect.objectContaining({ type: 'VoteChanged' })]);
    expect(changed.body).not.toHaveProperty('unchanged');
  });

  it('answers the same vote again with 200 where the rules allow one vote, and still refuses a different one (409)', async () => {
    const id = await openBallot(api, secretariat, { subject: { kind: 'appointment', title: 'Chair' }, closesAt: inDays(clock.now(), 14) });
    const cbd = await representativeOf(api, 'CBD');
    await vote(id, cbd, 'abstain').expect(201);
    const head = await api.stores.events.headPosition();
    expect((await vote(id, cbd, 'abstain').expect(200)).body).toMatchObject({ unchanged: true, events: [] });
    const refused = await vote(id, cbd, 'yes').expect(409);
    expect(refused.body.detail).toMatch(/CBD has already voted \(abstain\)/);
    expect(await api.stores.events.headPosition()).toBe(head);
  });

  it('closes by the Secretariat with a reason, records the full tally, shows everything, and notifies the subject’s sagas', async () => {
    const id = await openBallot(api, secretariat, { closesAt: inDays(clock.now(), 14) });
    for (const [org, choice] of [['ITU', 'yes'], ['UNECE', 'yes'], ['CBD', 'no']] as const) await vote(id, await representativeOf(api, org), choice).expect(201);
    const closed = await request(api.server).post(`/v1/ballots/${id}/close`).set('Authorization', secretariat).send({ reason: 'The workplan must be published before the Annual Meeting' }).expect(200);
    expect(closed.body.state).toBe('approved');
    expect(closed.body.events.map((event: { type: string }) => event.type)).toEqual(['BallotClosed', 'BallotDecided']);
    const asPartner = (await get(id, await representativeOf(api, 'FAO'))).body;
    expect(asPartner).toMatchObject({
      status: 'approved',
      visibility: { level: 'full' },
      closed: { by: 'sec-bueti', cause: 'secretariat', reason: 'The workplan must be published before the Annual Meeting' },
      decision: {
        outcome: 'approved',
        tally: {
          eligible: ['CBD', 'FAO', 'ITU', 'UN-Women', 'UNECE'],
          votes: [{ partnerId: 'CBD', choice: 'no' }, { partnerId: 'ITU', choice: 'yes' }, { partnerId: 'UNECE', choice: 'yes' }],
          notVoted: ['FAO', 'UN-Women'],
          yes: 2, no: 1, abstain: 0, participating: 3, quorumRequired: 3, quorumMet: true, thresholdMet: true,
        },
      },
    });
    await eventually(() => decisions.some((decided) => decided.ballotId === id), 5000, 'the BallotDecided notification');
    const notice = decisions.find((decided) => decided.ballotId === id);
    expect(notice).toMatchObject({ outcome: 'approved', subject: { kind: 'workplan', reference: 'workplan-2026' } });
    expect(notice!.event.type).toBe('BallotDecided');
    expect(hubDecisions).toEqual([]);
  });

  it('withdraws an open ballot; its votes stay secret to Partners and visible to auditors', async () => {
    const id = await openBallot(api, secretariat, { closesAt: inDays(clock.now(), 14) });
    const itu = await representativeOf(api, 'ITU');
    await vote(id, itu, 'no').expect(201);
    const withdrawn = await request(api.server).post(`/v1/ballots/${id}/withdraw`).set('Authorization', secretariat).send({ reason: 'To be decided at the Annual Meeting' }).expect(200);
    expect(withdrawn.body.resource).toMatchObject({ status: 'withdrawn', withdrawn: { by: 'sec-bueti', reason: 'To be decided at the Annual Meeting' } });
    expect((await get(id, itu)).body).not.toHaveProperty('votes');
    expect((await get(id, auditor)).body.votes).toEqual({ ITU: 'no' });
  });

  it('lists ballots newest first, filtered by status', async () => {
    const all = await request(api.server).get('/v1/ballots').set('Authorization', auditor).expect(200);
    expect(all.body.length).toBeGreaterThanOrEqual(5);
    const approved = await request(api.server).get('/v1/ballots?status=approved').set('Authorization', auditor).expect(200);
    expect(approved.body.map((ballot: { status: string }) => ballot.status)).toEqual(['approved']);
    await request(api.server).get('/v1/ballots?status=lost').set('Authorization', auditor).expect(400);
  });
});
