import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import request from 'supertest';
import { BALLOT_RULE_TABLE } from '../libs/ballots/rule-table.js';
import { ManualClock } from '../libs/kernel/clock.js';
import { startApi, type ApiHarness } from './support/api-harness.js';
import { ANNEX_II, bearer, inDays, openBallot, registerPartners, representativeOf } from './support/ballots.js';
import { tempDir } from './support/temp-dir.js';

/** Every refusal of the ballot API: a problem+json naming the state and the clause where one applies; nothing appended. */
describe('ballot refusals append nothing', () => {
  const dir = tempDir();
  const clock = new ManualClock('2026-06-01T08:00:00.000Z');
  let api: ApiHarness;
  let secretariat: string;
  let open: string; // open, appointment rules: one vote each
  let decided: string;
  /** A representative's token per Partner; `none`: a partner token naming no organisation. */
  const rep: Record<string, string> = {};

  beforeAll(async () => {
    api = await startApi({ dir: dir.path, clock, ballotPollMs: 3_600_000 });
    secretariat = await bearer(api, 'sec-1', ['secretariat']);
    for (const { partnerId } of ANNEX_II) rep[partnerId] = await representativeOf(api, partnerId);
    rep.none = await bearer(api, 'rep-x', ['partner']);
  });
  afterAll(async () => {
    await api?.close();
    dir.remove();
  });

  async function expectRefused(send: () => request.Test, status: number, detail?: RegExp, fields: object = {}) {
    const before = await api.stores.events.headPosition();
    const response = await send();
    expect(response.status).toBe(status);
    expect(response.headers['content-type']).toMatch(/^application\/problem\+json/);
    // The problem's detail is a sentence: its first letter is capitalised.
    if (detail) expect(response.body.detail).toMatch(new RegExp(detail.source, 'i'));
    expect(response.body).toMatchObject(fields);
    expect(await api.stores.events.headPosition()).toBe(before);
  }

  const post = (path: string, auth: string, body: object) => request(api.server).post(path).set('Authorization', auth).send(body);
  const body = (overrides: object = {}) => ({ subject: { kind: 'appointment', title: 'Chair 2026-2028' }, question: 'Appoint Ms X as Chair?', closesAt: inDays(clock.now(), 7), ...overrides });

  it('opening with no Partner registered → 422 citing ¶13', () =>
    expectRefused(() => post('/v1/ballots', secretariat, body()), 422, /no Partner is registered .*ToR ¶13\)/, { clauses: ['¶13'] }));

  it('sets up: the Annex II Partners but UNOP, an open ballot and a decided one', async () => {
    await registerPartners(api, secretariat, ANNEX_II.filter((partner) => partner.partnerId !== 'UNOP'));
    open = await openBallot(api, secretariat, body());
    decided = await openBallot(api, secretariat, { closesAt: inDays(clock.now(), 7) });
    await post(`/v1/ballots/${decided}/close`, secretariat, { reason: 'settled' }).expect(200);
    // UNOP joins after both opened; WMO withdraws after they opened (it stays in their frozen electorate).
    await registerPartners(api, secretariat, ANNEX_II.filter((partner) => partner.partnerId === 'UNOP'));
  });

  describe('opening', () => {
    it('by a Partner → 403', () => expectRefused(() => post('/v1/ballots', rep.ITU!, body()), 403, /secretariat/));
    it('with the deadline in the past → 422 citing ¶13(b)', () =>
      expectRefused(() => post('/v1/ballots', secretariat, body({ closesAt: '2026-05-01T00:00:00Z' })), 422, /not after the opening instant.*¶13\(b\)/));
    it('an unknown subject kind → 400 naming the field', () =>
      expectRefused(() => post('/v1/ballots', secretariat, body({ subject: { kind: 'budget', title: 'x' } })), 400, undefined, { errors: [expect.objectContaining({ field: 'subject.kind' })] }));
    it('other rules without a reason → 400', () =>
      expectRefused(() => post('/v1/ballots', secretariat, body({ rules: BALLOT_RULE_TABLE.defaults.other.rules })), 400, undefined, { errors: [expect.objectContaining({ field: 'rulesReason' })] }));
    it('a quorum above the whole electorate → 422', () =>
      expectRefused(() => post('/v1/ballots', secretariat, body({ rules: { ...BALLOT_RULE_TABLE.defaults.other.rules, quorum: { numerator: 4, denominator: 3 } }, rulesReason: 'x' })), 422, /quorum.numerator/));
    it('an incomplete rule set → 400 naming the missing rules', () =>
      expectRefused(() => post('/v1/ballots', secretariat, body({ rules: { threshold: 'unanimity' }, rulesReason: 'x' })), 400, undefined, {
        errors: expect.arrayContaining([expect.objectContaining({ field: 'rules.quorum' }), expect.objectContaining({ field: 'rules.allowVoteChange' })]),
      }));
  });

  describe('voting', () => {
    const vote = (id: string, who: string, payload: object = { choice: 'yes' }) => () => post(`/v1/ballots/${id}/votes`, rep[who]!, payload);

    it('for another organisation → 403 citing ¶13', () =>
      expectRefused(vote(open, 'ITU', { choice: 'yes', partnerId: 'FAO' }), 403, /you represent ITU.*not for FAO \(ToR ¶13\)/, { clauses: ['¶13'] }));
    it('with a token naming no organisation → 403', () => expectRefused(vote(open, 'none'), 403, /names no organisation/));
    it('by the Secretariat → 403 naming the role', () => expectRefused(() => post(`/v1/ballots/${open}/votes`, secretariat, { choice: 'yes' }), 403, /partner/));
    it('by a Partner registered after the opening → 403: not in the frozen electorate', () =>
      expectRefused(vote(open, 'UNOP'), 403, /UNOP is not in this ballot's electorate, frozen when it opened .*¶13, ¶13\(b\).* is open/, {
        clauses: ['¶13', '¶13(b)'],
        state: 'open',
      }));
    it('a bad choice → 400', () => expectRefused(vote(open, 'ITU', { choice: 'maybe' }), 400, undefined, { errors: [expect.objectContaining({ field: 'choice' })] }));
    it('on an unknown ballot → 404', () => expectRefused(vote('no-such-ballot', 'ITU'), 404, /no ballot "no-such-ballot"/));
    it('twice where the rules allow one vote → 409 naming the state and the clause', async () => {
      await vote(open, 'FAO')().expect(201);
      await expectRefused(vote(open, 'FAO', { choice: 'no' }), 409, /FAO has already voted \(yes\).*is open \(ToR ¶13\(b\)\)/, { state: 'open', clauses: ['¶13(b)'] });
    });
    it('on a decided ballot → 409 naming its state', () =>
      expectRefused(vote(decided, 'ITU'), 409, /only while a ballot is open; ballot ".*" is failedQuorum \(ToR ¶13\(b\)\)/, { state: 'failedQuorum' }));
    it('after the deadline, before the scheduler closed it → 409', async () => {
      clock.advance(7 * 86_400_000);
      try {
        await expectRefused(vote(open, 'ITU'), 409, /voting ended at the deadline .* is open \(ToR ¶13\(b\)\)/, { state: 'open' });
      } finally {
        clock.advance(-7 * 86_400_000);
      }
    });
    it('a Partner withdrawn after the opening stays in the frozen electorate and may vote', async () => {
      await post('/v1/partners/WMO/withdraw', secretariat, { reason: 'letter' }).expect(200);
      await vote(open, 'WMO', { choice: 'abstain' })().expect(201);
    });
    it('a Partner withdrawn before the opening is not in the electorate → 403', async () => {
      const later = await openBallot(api, secretariat, body());
      await expectRefused(vote(later, 'WMO'), 403, /WMO is not in this ballot's electorate/);
    });
  });

  describe('closing and withdrawing', () => {
    it('closing with a bad token → 401', () => expectRefused(() => post(`/v1/ballots/${open}/close`, 'Bearer x', { reason: 'x' }), 401));
    it('closing by a Partner representative → 403', () => expectRefused(() => post(`/v1/ballots/${open}/close`, rep.ITU!, { reason: 'x' }), 403));
    it('closing without a reason → 400', () => expectRefused(() => post(`/v1/ballots/${open}/close`, secretariat, {}), 400));
    it('closing a decided ballot → 409 naming its state', () =>
      expectRefused(() => post(`/v1/ballots/${decided}/close`, secretariat, { reason: 'again' }), 409, /only an open ballot can be closed; .* is failedQuorum/, { state: 'failedQuorum' }));
    it('withdrawing a decided ballot → 409 citing ¶13(b), ¶23(a)', () =>
      expectRefused(() => post(`/v1/ballots/${decided}/withdraw`, secretariat, { reason: 'late' }), 409, /withdrawn only before its close; .* is failedQuorum \(ToR ¶13\(b\), ¶23\(a\)\)/, { state: 'failedQuorum' }));
    it('withdrawing by a Partner representative → 403', () => expectRefused(() => post(`/v1/ballots/${open}/withdraw`, rep.ITU!, { reason: 'x' }), 403));
    it('withdrawing an unknown ballot → 404', () => expectRefused(() => post('/v1/ballots/nope/withdraw', secretariat, { reason: 'x' }), 404));
    it('reading an unknown ballot → 404', async () => {
      const response = await request(api.server).get('/v1/ballots/nope').set('Authorization', secretariat).expect(404);
      expect(response.body.detail).toMatch(/no ballot "nope" is on record/i);
    });
  });
});
