import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import request from 'supertest';
import { verifyStore } from '../libs/audit/verify-store.js';
import { ManualClock } from '../libs/kernel/clock.js';
import type { ApiHarness } from './support/api-harness.js';
import { ANNEX_II, bearer, inDays, registerPartners, representativeOf } from './support/ballots.js';
import { decidedAppointmentBallot, expectRefused, startOfficesApi } from './support/offices.js';
import { tempDir } from './support/temp-dir.js';

const THREE = ANNEX_II.slice(0, 3); // ITU, UNECE, CBD
const ALL_YES = { ITU: 'yes', UNECE: 'yes', CBD: 'yes' } as const;

/** Every refusal of the office API: a problem+json naming the rule and the clause where one applies; nothing appended. */
describe('office refusals append nothing', () => {
  const dir = tempDir();
  const clock = new ManualClock('2026-06-01T08:00:00.000Z');
  let api: ApiHarness;
  let secretariat: string;
  let auditor: string;
  let itu: string;
  let chair: string; // p-chair's own token

  const post = (path: string, auth: string, body: object, key?: string) => {
    const test = request(api.server).post(path).set('Authorization', auth);
    return (key ? test.set('Idempotency-Key', key) : test).send(body);
  };
  const refused = (send: () => PromiseLike<request.Response>, status: number, detail?: RegExp, fields: object = {}) => expectRefused(api, send, status, detail, fields);
  const closesAt = () => inDays(clock.now(), 7);

  beforeAll(async () => {
    api = await startOfficesApi({ dir: dir.path, clock });
    secretariat = await bearer(api, 'sec-1', ['secretariat']);
    auditor = await bearer(api, 'aud-1', ['auditor']);
    chair = await bearer(api, 'p-chair', ['participant']);
    await registerPartners(api, secretariat, THREE);
    itu = await representativeOf(api, 'ITU');
    // A Chair in office: nominated by UNECE (recorded by the Secretariat), appointed on an approved ballot.
    await post('/v1/offices/chair/nominations', secretariat, { nomineeId: 'p-chair', nomineeName: 'Dr Chair', partnerId: 'UNECE' }).expect(201);
    const ballotId = await decidedAppointmentBallot(api, secretariat, 'chair', 'p-chair', ALL_YES, { closesAt: closesAt() });
    await post('/v1/offices/chair/appointments', secretariat, { holderId: 'p-chair', holderName: 'Dr Chair', ballotId }).expect(201);
  });
  afterAll(async () => {
    await api?.close();
    dir.remove();
  });

  describe('nominations', () => {
    const nominate = (auth: string, body: object, seat = 'chair') => () => post(`/v1/offices/${seat}/nominations`, auth, { nomineeId: 'p-x', nomineeName: 'Dr X', ...body });
    it('by an auditor → 403 naming the roles', () => refused(nominate(auditor, {}), 403, /needs one of the roles partner, secretariat/));
    it('by a participant → 403', () => refused(async () => nominate(await bearer(api, 'p-1', ['participant']), {})(), 403));
    it('for another organisation → 403 citing ¶13(a), ¶15', () => refused(nominate(itu, { partnerId: 'CBD' }), 403, /you represent ITU: you may nominate for ITU, not for CBD \(ToR ¶13\(a\), ¶15\)/));
    it('by the Secretariat without naming the Partner → 422', () => refused(nominate(secretariat, {}), 422, /name the Partner whose nomination/, { field: 'partnerId' }));
    it('by an organisation not on the Partner register → 422 citing ¶12', async () =>
      refused(nominate(await representativeOf(api, 'WHO'), {}), 422, /WHO is not a Partner at .*ToR ¶12, ¶13\(a\), ¶15/));
    it('for a Thematic Group Leader → 422 citing ¶19', () => refused(nominate(secretariat, { partnerId: 'ITU' }, 'leader-kpis'), 422, /nobody nominates them \(ToR ¶19\)/));
    it('for a seat that does not exist → 404', () => refused(nominate(secretariat, { partnerId: 'ITU' }, 'president'), 404, /no office seat "president"/));
    it('with a malformed person id → 400 naming the field', () =>
      refused(nominate(secretariat, { partnerId: 'ITU', nomineeId: 'p x' }), 400, undefined, { errors: [expect.objectContaining({ field: 'nomineeId' })] }));
    it('the same candidate twice by the same Partner → 409', async () => {
      await nominate(itu, {}, 'vice-chair-1')().expect(201);
      await refused(nominate(itu, {}, 'vice-chair-1'), 409, /p-x is already a candidate for seat "vice-chair-1", nominated by ITU/);
    });
  });

  describe('appointments', () => {
    it('of a Chair by a Partner’s representative → 403: the Secretariat records the Board’s decision', () =>
      refused(() => post('/v1/offices/vice-chair-1/appointments', itu, { holderId: 'p-x', holderName: 'X', ballotId: 'b' }), 403, /only the Secretariat may record the Partners Board's appointment/));
    it('of someone no Partner nominated → 409 citing ¶15', async () => {
      const ballotId = await decidedAppointmentBallot(api, secretariat, 'vice-chair-2', 'p-y', ALL_YES, { closesAt: closesAt() });
      await refused(() => post('/v1/offices/vice-chair-2/appointments', secretariat, { holderId: 'p-y', holderName: 'Y', ballotId }), 409, /p-y has not been nominated by a Partner/, { clauses: ['¶13(a)', '¶15'] });
    });
    it('of a Vice-Chair naming a Chair instead of a ballot → 422', () =>
      refused(() => post('/v1/offices/vice-chair-1/appointments', secretariat, { holderId: 'p-x', holderName: 'X', appointedBy: 'p-chair' }), 422, /appointed by the Partners Board, not by a Chair/));
    it('of the IP Leader on an electronic ballot → 422 citing Annex I', async () => {
      const ballotId = await decidedAppointmentBallot(api, secretariat, 'ip-leader', 'p-ip', ALL_YES, { closesAt: closesAt() });
      await refused(() => post('/v1/offices/ip-leader/appointments', secretariat, { holderId: 'p-ip', holderName: 'IP', ballotId }), 422, /elected at an Annual Meeting: ballot ".*" was taken electronically.*Annex I/);
    });
    it('of a Leader by the Secretariat without naming the Chair → 422; naming someone not Chair → 403', async () => {
      await refused(() => post('/v1/offices/leader-kpis/appointments', secretariat, { holderId: 'p-l', holderName: 'L' }), 422, /name the Chair who appointed/);
      await refused(() => post('/v1/offices/leader-kpis/appointments', secretariat, { holderId: 'p-l', holderName: 'L', appointedBy: 'p-x' }), 403, /p-x does not hold the office of Chair at .* per the office register/);
    });
    it('of a Leader by the Chair without saying how the Secretariat was consulted → 422 citing ¶19', () =>
      refused(() => post('/v1/offices/leader-kpis/appointments', chair, { holderId: 'p-l', holderName: 'L' }), 422, /how the Secretariat was consulted .*¶19/));
    it('to a seat held, without replace → 409; with replace, the term ends replaced and the new holder is appointed', async () => {
      await post('/v1/offices/chair/nominations', itu, { nomineeId: 'p-next', nomineeName: 'Dr Next' }).expect(201);
      const ballotId = await decidedAppointmentBallot(api, secretariat, 'chair', 'p-next', ALL_YES, { closesAt: closesAt() });
      await refused(() => post('/v1/offices/chair/appointments', secretariat, { holderId: 'p-next', holderName: 'Dr Next', ballotId }), 409, /p-chair holds this seat .* send replace: true/);
      const done = await post('/v1/offices/chair/appointments', secretariat, { holderId: 'p-next', holderName: 'Dr Next', ballotId, replace: true }, 'replace-chair').expect(201);
      expect(done.body.events.map((event: { type: string }) => event.type)).toEqual(['TermEnded', 'HolderAppointed']);
      expect(done.body.resource.terms).toMatchObject([{ holderId: 'p-chair', ended: { cause: 'replaced', reason: 'replaced by p-next' } }, { holderId: 'p-next', number: 2 }]);
      // The same request again (same Idempotency-Key): the stored answer, nothing appended.
      const head = await api.stores.events.headPosition();
      await post('/v1/offices/chair/appointments', secretariat, { holderId: 'p-next', holderName: 'Dr Next', ballotId, replace: true }, 'replace-chair').expect(201);
      expect(await api.stores.events.headPosition()).toBe(head);
      // The replaced Chair no longer appoints Leaders.
      await refused(() => post('/v1/offices/leader-kpis/appointments', chair, { holderId: 'p-l', holderName: 'L', consultation: 'x' }), 403, /p-chair's term as Chair ended \(replaced\) on/);
    });
  });

  describe('renewals, resignations, ends', () => {
    it('renewing a seat nobody holds → 409', () => refused(() => post('/v1/offices/vice-chair-2/renewals', secretariat, { ballotId: 'b' }), 409, /nobody holds the seat: there is no term to renew/));
    it('renewing the IP Leader without a justification → 422 citing Annex I; with one, flagged in the register', async () => {
      const elected = await decidedAppointmentBallot(api, secretariat, 'ip-leader', 'p-ip', ALL_YES, { closesAt: closesAt(), channel: 'meeting' });
      await post('/v1/offices/ip-leader/appointments', secretariat, { holderId: 'p-ip', holderName: 'Ms IP', ballotId: elected }).expect(201);
      const again = await decidedAppointmentBallot(api, secretariat, 'ip-leader', 'p-ip', ALL_YES, { closesAt: closesAt(), channel: 'meeting' });
      await refused(() => post('/v1/offices/ip-leader/renewals', secretariat, { ballotId: again }), 422, /needs a recorded justification.*\(ToR Annex I\)/, { field: 'justification' });
      await post('/v1/offices/ip-leader/renewals', secretariat, { ballotId: again, justification: 'No other candidate stood at the Annual Meeting' }).expect(201);
      // The renewal cites the election's outcome and its channel (a meeting), each from the ballot's stream; verify checks both.
      const renewed = (await api.stores.events.readStream('office-ip-leader')).find((event) => event.type === 'TermRenewed')!;
      const [drafted] = await api.stores.events.readStream(`ballot-${again}`);
      expect(renewed.metadata.grounds?.map((ground) => [ground.stream, ground.type, ground.claim])).toEqual([
        [`ballot-${again}`, 'BallotDecided', { ballotId: again, outcome: 'approved', subject: { kind: 'appointment', reference: 'office:ip-leader:p-ip' } }],
        [`ballot-${again}`, 'BallotDrafted', { ballotId: again, channel: 'meeting', subject: { kind: 'appointment', reference: 'office:ip-leader:p-ip' } }],
      ]);
      expect(renewed.metadata.grounds![1]).toMatchObject({ revision: 0, hash: drafted!.hash });
      expect(await verifyStore(api.stores.events)).toMatchObject({ ok: true, fault: null, grounds: { unchecked: 0 } });
      const register = await request(api.server).get(`/v1/offices?at=${encodeURIComponent(inDays(clock.now(), 800))}&basis=latest`).set('Authorization', auditor).expect(200);
      expect(register.body.offices.find((entry: { seat: string }) => entry.seat === 'ip-leader')).toMatchObject({ term: { number: 2, kind: 'renewal', flags: ['annex-i-renewal'], justification: 'No other candidate stood at the Annual Meeting' } });
    });
    it('a resignation by someone else than the holder → 403; the holder’s own → recorded; again → 409', async () => {
      await refused(() => post('/v1/offices/ip-leader/resignation', itu, { reason: 'x' }), 403, /only p-ip, who holds the seat, or the Secretariat/);
      await refused(() => post('/v1/offices/ip-leader/resignation', secretariat, {}), 400, undefined, { errors: [expect.objectContaining({ field: 'reason' })] });
      const holder = await bearer(api, 'p-ip', ['participant']);
      const done = await post('/v1/offices/ip-leader/resignation', holder, { reason: 'Letter of 2026-06-01' }).expect(201);
      expect(done.body.resource.terms.map((term: { ended?: { cause: string }; cancelled?: object }) => [term.ended?.cause, term.cancelled !== undefined])).toEqual([
        ['resigned', false],
        [undefined, true],
      ]);
      await refused(() => post('/v1/offices/ip-leader/resignation', holder, { reason: 'again' }), 409, /nobody holds the seat/);
    });
    it('recording an expiry before the term’s end → 409; by a Partner → 403; another cause → 400', async () => {
      await refused(() => post('/v1/offices/chair/end', secretariat, { cause: 'expired' }), 409, /term 2 runs until/);
      await refused(() => post('/v1/offices/chair/end', itu, { cause: 'expired' }), 403, /needs the role secretariat/);
      await refused(() => post('/v1/offices/chair/end', secretariat, { cause: 'removed' }), 400, undefined, { errors: [expect.objectContaining({ field: 'cause' })] });
    });
  });

  describe('reads', () => {
    const read = (path: string) => request(api.server).get(path).set('Authorization', auditor);
    it('answer auditors; refuse malformed instants, bases and windows with 400; unknown seats with 404', async () => {
      await read('/v1/offices').expect(200);
      expect((await read('/v1/offices?at=yesterday')).status).toBe(400);
      expect((await read('/v1/offices?basis=maybe')).status).toBe(400);
      expect((await read('/v1/offices/expiries?within=3')).status).toBe(400);
      expect((await read('/v1/offices/president')).status).toBe(404);
      expect((await read('/v1/offices/vice-chair-9')).body.detail).toMatch(/no event is recorded for seat "vice-chair-9"/i);
    });
  });
});
