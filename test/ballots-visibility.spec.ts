import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import request from 'supertest';
import { BALLOT_RULE_TABLE } from '../libs/ballots/rule-table.js';
import { ballotStream } from '../libs/ballots/ballot.process.js';
import { ManualClock } from '../libs/kernel/clock.js';
import { startApi, type ApiHarness } from './support/api-harness.js';
import { ANNEX_II, bearer, inDays, openBallot, registerPartners, representativeOf } from './support/ballots.js';
import { tempDir } from './support/temp-dir.js';

const ELECTORATE = ['ITU', 'UNECE', 'CBD', 'FAO'];
const byId = (id: string) => ANNEX_II.find((partner) => partner.partnerId === id)!;

type Viewer = 'secretariat' | 'partner in the electorate' | 'partner outside it' | 'participant' | 'auditor';
type State = 'open' | 'closed' | 'withdrawn';

/** What each viewer must see (README "Who sees what"): whether counts are shown, and the view's level. */
function expected(viewer: Viewer, reveal: boolean, state: State): { level: string; counts: boolean } {
  if (state === 'closed') return { level: 'full', counts: true };
  if (viewer === 'auditor') return { level: 'full', counts: true };
  if (viewer === 'secretariat') return { level: 'voters', counts: false };
  return { level: 'turnout', counts: viewer === 'partner in the electorate' && reveal && state === 'open' };
}

describe('who sees the running tally of a ballot, by role, whatever its rules (ToR ¶13(b))', () => {
  const dir = tempDir();
  const clock = new ManualClock('2026-05-04T08:00:00.000Z');
  let api: ApiHarness;
  const tokens = {} as Record<Viewer, string>;
  const ballots = new Map<string, string>();
  const key = (reveal: boolean, state: State) => `${reveal}/${state}`;

  beforeAll(async () => {
    api = await startApi({ dir: dir.path, clock, ballotPollMs: 3_600_000 });
    tokens.secretariat = await bearer(api, 'sec-bueti', ['secretariat']);
    tokens.auditor = await bearer(api, 'aud-1', ['auditor']);
    tokens.participant = await bearer(api, 'obs-1', ['participant'], 'ACME');
    tokens['partner in the electorate'] = await representativeOf(api, 'CBD');
    tokens['partner outside it'] = await representativeOf(api, 'UN-Women');
    await registerPartners(api, tokens.secretariat, ELECTORATE.map(byId));
    const itu = await representativeOf(api, 'ITU');
    const unece = await representativeOf(api, 'UNECE');
    for (const reveal of [false, true]) {
      for (const state of ['open', 'closed', 'withdrawn'] as const) {
        const rules = { ...BALLOT_RULE_TABLE.defaults.other.rules, revealTallyWhileOpen: reveal };
        const id = await openBallot(api, tokens.secretariat, {
          subject: { kind: 'other', title: `Logo use (${key(reveal, state)})` },
          closesAt: inDays(clock.now(), 7),
          ...(reveal ? { rules, rulesReason: 'an open consultation' } : {}),
        });
        for (const [auth, choice] of [[itu, 'yes'], [unece, 'no']] as const) {
          await request(api.server).post(`/v1/ballots/${id}/votes`).set('Authorization', auth).send({ choice }).expect(201);
        }
        if (state !== 'open') {
          await request(api.server).post(`/v1/ballots/${id}/${state === 'closed' ? 'close' : 'withdraw'}`).set('Authorization', tokens.secretariat).send({ reason: 'Settled at the Annual Meeting' }).expect(200);
        }
        ballots.set(key(reveal, state), id);
      }
    }
    // Registered after every opening: a Partner, but outside each ballot's frozen electorate.
    clock.advance(60_000);
    await registerPartners(api, tokens.secretariat, [byId('UN-Women')]);
  });
  afterAll(async () => {
    await api?.close();
    dir.remove();
  });

  const viewers: Viewer[] = ['secretariat', 'partner in the electorate', 'partner outside it', 'participant', 'auditor'];
  const cases = viewers.flatMap((viewer) => [false, true].flatMap((reveal) => (['open', 'closed', 'withdrawn'] as const).map((state) => [viewer, reveal, state] as const)));

  it.each(cases)('%s, rules revealing the tally: %s, ballot %s', async (viewer, reveal, state) => {
    const id = ballots.get(key(reveal, state))!;
    const seen = (await request(api.server).get(`/v1/ballots/${id}`).set('Authorization', tokens[viewer]).expect(200)).body;
    const { level, counts } = expected(viewer, reveal, state);
    expect(seen.status).toBe(state === 'closed' ? 'rejected' : state); // one yes, one no: no simple majority
    expect(seen.visibility).toMatchObject({ level, counts });
    expect(seen.turnout).toEqual({ voted: 2, eligible: 4 });
    if (counts) expect(seen.counts).toEqual({ yes: 1, no: 1, abstain: 0 });
    else expect(seen).not.toHaveProperty('counts');
    if (level === 'full') expect(seen.votes).toEqual({ ITU: 'yes', UNECE: 'no' });
    else for (const hidden of ['votes', 'voteHistory', 'decision']) expect(seen).not.toHaveProperty(hidden);
    if (level === 'voters') expect(seen.voted).toEqual(['ITU', 'UNECE']);

    // The list presents each ballot the same way.
    const list = (await request(api.server).get('/v1/ballots').set('Authorization', tokens[viewer]).expect(200)).body;
    expect(list.find((ballot: { ballotId: string }) => ballot.ballotId === id)).toEqual(seen);
  });

  it.each(['open', 'withdrawn', 'closed'] as const)(
    'the replay of a %s ballot’s events is for auditors while its votes are secret, whenever it is asked about',
    async (state) => {
      const stream = ballotStream(ballots.get(key(true, state))!);
      // The state and the steps allowed next stay the Secretariat's to see (its forms ask them); the votes do not.
      const now = await request(api.server).get(`/v1/processes/${stream}`).set('Authorization', tokens.secretariat).expect(200);
      expect(now.body.state).toBe(state === 'closed' ? 'rejected' : state);
      if (state !== 'closed') {
        expect(now.body.context).toEqual({ redacted: expect.stringMatching(/secret until the ballot is closed/) });
        expect(JSON.stringify(now.body)).not.toMatch(/UNECE/);
      }
      const audited = await request(api.server).get(`/v1/processes/${stream}`).set('Authorization', tokens.auditor).expect(200);
      expect(JSON.stringify(audited.body.context)).toMatch(/UNECE/);
      for (const path of [`/v1/processes/${stream}/history`, `/v1/processes/${stream}/history?position=1`]) {
        const secretariat = await request(api.server).get(path).set('Authorization', tokens.secretariat);
        if (state === 'closed') {
          expect(secretariat.status).toBe(200);
        } else {
          expect(secretariat.status).toBe(403);
          expect(secretariat.headers['content-type']).toMatch(/application\/problem\+json/);
          expect(secretariat.body.detail).toContain(`${stream} (${state})`);
          expect(secretariat.body.detail).toMatch(/stay secret until the close/);
          expect(JSON.stringify(secretariat.body)).not.toMatch(/"choice"/);
        }
        await request(api.server).get(path).set('Authorization', tokens.auditor).expect(200);
      }
    },
  );

  it('exports for the Secretariat only what holds no secret vote: the whole log and an open ballot are refused, a closed one given', async () => {
    const whole = await request(api.server).get('/v1/audit/export').set('Authorization', tokens.secretariat).expect(403);
    expect(whole.headers['content-type']).toMatch(/application\/problem\+json/);
    expect(whole.body.detail).toContain(`${ballotStream(ballots.get(key(true, 'open'))!)} (open)`);
    const open = ballotStream(ballots.get(key(false, 'open'))!);
    await request(api.server).get('/v1/audit/export').query({ stream: open }).set('Authorization', tokens.secretariat).expect(403);
    const closed = ballotStream(ballots.get(key(false, 'closed'))!);
    await request(api.server).get('/v1/audit/export').query({ stream: closed }).set('Authorization', tokens.secretariat).expect(200);
    await request(api.server).get('/v1/audit/export').set('Authorization', tokens.auditor).expect(200);
  });

  it('says in its note what the viewer sees: the Secretariat is told it never sees a running tally, whatever the rules', async () => {
    const seen = (await request(api.server).get(`/v1/ballots/${ballots.get(key(true, 'open'))}`).set('Authorization', tokens.secretariat).expect(200)).body;
    expect(seen.visibility.note).toMatch(/must not see the running tally, whatever the ballot’s rules/);
    const partner = (await request(api.server).get(`/v1/ballots/${ballots.get(key(true, 'open'))}`).set('Authorization', tokens['partner in the electorate']).expect(200)).body;
    expect(partner.visibility.note).toMatch(/running counts, as this ballot’s rules reveal them/);
  });
});
