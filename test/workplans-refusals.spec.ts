import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { CommandBus } from '@nestjs/cqrs';
import request from 'supertest';
import { CommandRejectedError, ForbiddenCommandError } from '../libs/errors/index.js';
import { ManualClock } from '../libs/kernel/clock.js';
import { newId } from '../libs/kernel/ids.js';
import { runCommand } from '../libs/process-runner/index.js';
import { RecordWorkplanOutcomeCommand, workplanProcess, workplanStream } from '../libs/workplans/index.js';
import { startApi, type ApiHarness } from './support/api-harness.js';
import { ANNEX_II, bearer, inDays, openBallot, registerPartners, representativeOf } from './support/ballots.js';
import { tempDir } from './support/temp-dir.js';
import { cycleToPresented, expectRefused, importOfficeHolder, postOn, type Cast } from './support/workplans.js';

/** Every refusal of the workplan API names the state and the clause where one applies, and appends nothing. */
describe('workplan refusals append nothing (ToR ¶10(a)-(d))', () => {
  const dir = tempDir();
  const clock = new ManualClock('2026-09-01T09:00:00.000Z');
  let api: ApiHarness;
  let cast: Cast;
  let auditor: string;
  let bystander: string;
  let formerChair: string;
  let viceChair: string;
  let ballotId: string;

  beforeAll(async () => {
    api = await startApi({ dir: dir.path, clock, ballotPollMs: 3_600_000 });
    const secretariat = await bearer(api, 'sec-1', ['secretariat']);
    await registerPartners(api, secretariat, ANNEX_II.slice(0, 4));
    const rep: Record<string, string> = {};
    for (const { partnerId } of ANNEX_II) rep[partnerId] = await representativeOf(api, partnerId);
    cast = { secretariat, chair: await bearer(api, 'p-chair', ['participant']), leader: await bearer(api, 'p-kpi', ['participant']), rep };
    auditor = await bearer(api, 'aud-1', ['auditor']);
    bystander = await bearer(api, 'p-expert', ['participant']);
    formerChair = await bearer(api, 'p-former', ['participant']);
    viceChair = await bearer(api, 'p-vice', ['participant']);
    await importOfficeHolder(api, 'chair', 'p-chair', '2026-01-15T00:00:00.000Z');
    // A Vice-Chair whose two-year term ends on 2026-09-05, before the review (¶28).
    await importOfficeHolder(api, 'vice-chair-1', 'p-vice', '2024-09-05T00:00:00.000Z');
    await importOfficeHolder(api, 'leader-kpis', 'p-kpi', '2025-11-01T00:00:00.000Z');
  });
  afterAll(async () => {
    await api?.close();
    dir.remove();
  });

  const open = (auth: string, body: object) => () => request(api.server).post('/v1/workplans').set('Authorization', auth).send(body);

  describe('opening and inputs', () => {
    it('opening by a Partner → 403', () => expectRefused(api, open(cast.rep.ITU!, { cycle: '2027', inputDeadline: inDays(clock.now(), 7) }), 403, /secretariat/));
    it('a deadline in the past → 422 citing ¶10(a)', () =>
      expectRefused(api, open(cast.secretariat, { cycle: '2027', inputDeadline: '2026-08-01T00:00:00Z' }), 422, /not after now.*¶10\(a\)/));
    it('a cycle that is not a year → 400 naming the field', () =>
      expectRefused(api, open(cast.secretariat, { cycle: 'next', inputDeadline: inDays(clock.now(), 7) }), 400, undefined, { errors: [expect.objectContaining({ field: 'cycle' })] }));
    it('an input to an unknown cycle → 404', () => expectRefused(api, () => postOn(api, '2031', 'inputs', cast.rep.ITU!, { title: 't', text: 'x' }), 404, /no workplan cycle "2031"/));

    it('sets up cycle 2027, collecting inputs', async () => {
      await open(cast.secretariat, { cycle: '2027', inputDeadline: inDays(clock.now(), 7) })().expect(201);
      await postOn(api, '2027', 'inputs', cast.rep.ITU!, { title: 'ITU', text: 'ITU input' }).expect(201);
    });

    it('opening the same cycle again → 409', () => expectRefused(api, open(cast.secretariat, { cycle: '2027', inputDeadline: inDays(clock.now(), 7) }), 409, /already open/, { state: 'collectingInputs' }));
    it('an input by an auditor → 403', () => expectRefused(api, () => postOn(api, '2027', 'inputs', auditor, { title: 't', text: 'x' }), 403));
    it('an input by a participant holding no office → 403 citing ¶10(a)', () =>
      expectRefused(api, () => postOn(api, '2027', 'inputs', bystander, { title: 't', text: 'x' }), 403, /Partners, the Leaders of the Thematic Groups and the IP Leader.*¶10\(a\)/));
    it('an input for a Partner not in the register → 403', () =>
      expectRefused(api, () => postOn(api, '2027', 'inputs', cast.rep.UNDP!, { title: 't', text: 'x' }), 403, /UNDP is not a registered Partner/));
    it('a Leader claiming the IP Leader’s capacity → 403', () =>
      expectRefused(api, () => postOn(api, '2027', 'inputs', cast.leader, { title: 't', text: 'x', capacity: 'ip-leader' }), 403, /as ip-leader/));
    it('compiling before the input deadline → 409 citing ¶10(a)', () =>
      expectRefused(api, () => postOn(api, '2027', 'compile', cast.secretariat, { text: 'early' }), 409, /collected until .*collectingInputs \(ToR ¶10\(a\)\)/, { state: 'collectingInputs' }));
    it('compiling by a Partner → 403', () => expectRefused(api, () => postOn(api, '2027', 'compile', cast.rep.ITU!, { text: 'x' }), 403));
    it('a late input after the deadline → 409 citing ¶10(a)', async () => {
      clock.advance(8 * 86_400_000);
      await expectRefused(api, () => postOn(api, '2027', 'inputs', cast.rep.FAO!, { title: 't', text: 'late' }), 409, /input deadline .* has passed.*\(ToR ¶10\(a\)\)/, { state: 'collectingInputs', clauses: ['¶10(a)'] });
    });
    it('reopening inputs without a reason → 400', () =>
      expectRefused(api, () => postOn(api, '2027', 'reopen-inputs', cast.secretariat, { inputDeadline: inDays(clock.now(), 3) }), 400, undefined, { errors: [expect.objectContaining({ field: 'reason' })] }));
    it('a compilation that leaves an input unaccounted for or names an unknown one → 422 citing ¶10(a)', () =>
      expectRefused(api, () => postOn(api, '2027', 'compile', cast.secretariat, { text: 'v1', taken: ['nope'] }), 422, /unknown inputs: nope; inputs neither taken nor left out.*¶10\(a\)/));
  });

  describe('review and presentation', () => {
    it('sets up: compiled, under review', async () => {
      await postOn(api, '2027', 'compile', cast.secretariat, { text: 'workplan 2027 v1' }).expect(200);
    });
    it('presenting before the Management Team endorsed → 409 citing ¶10(b)-(c)', () =>
      expectRefused(api, () => postOn(api, '2027', 'present', cast.secretariat, { meeting: 'AM 2026' }), 409, /only once the Management Team has endorsed.*underReview \(ToR ¶10\(b\), ¶10\(c\)\)/, {
        state: 'underReview',
        clauses: ['¶10(b)', '¶10(c)'],
      }));
    it('a review by a Thematic Group Leader, not of the Management Team → 403 citing ¶15', () =>
      expectRefused(api, () => postOn(api, '2027', 'review', cast.leader, { decision: 'endorse' }), 403, /p-kpi does not hold the office of Chair or Vice-Chair .* per the office register.*¶15/));
    it('a review by a Vice-Chair whose term has ended → 403 naming the office and the end date', () =>
      expectRefused(api, () => postOn(api, '2027', 'review', viceChair, { decision: 'endorse' }), 403, /term as Vice-Chair \(seat 1\) ended on 2026-09-05T00:00:00.000Z/, { office: 'vice-chair', endedAt: '2026-09-05T00:00:00.000Z' }));
    it('a review by someone who never held office → 403', () => expectRefused(api, () => postOn(api, '2027', 'review', formerChair, { decision: 'endorse' }), 403, /office register/));
    it('a review by a Partner’s representative → 403', () => expectRefused(api, () => postOn(api, '2027', 'review', cast.rep.ITU!, { decision: 'endorse' }), 403));
    it('a review by an auditor → 403', () => expectRefused(api, () => postOn(api, '2027', 'review', auditor, { decision: 'endorse' }), 403));
    it('requesting changes without a comment → 422 citing ¶10(b)', () =>
      expectRefused(api, () => postOn(api, '2027', 'review', cast.chair, { decision: 'request-changes', comments: [] }), 422, /at least one comment.*¶10\(b\)/));
    it('an input while under review → 409 citing ¶10(a)', () =>
      expectRefused(api, () => postOn(api, '2027', 'inputs', cast.rep.ITU!, { title: 't', text: 'x' }), 409, /underReview \(ToR ¶10\(a\)\)/, { state: 'underReview' }));
    it('putting it to the Partners before it was presented → 409', () =>
      expectRefused(api, () => postOn(api, '2027', 'ballot', cast.secretariat, { closesAt: inDays(clock.now(), 3) }), 409, /presented at the Annual Meeting; workplan "2027" is underReview/, { state: 'underReview' }));
  });

  describe('the agreement ballot and the agreement', () => {
    it('sets up: cycle 2028 presented', async () => {
      await cycleToPresented(api, clock, '2028', cast, ['ITU', 'FAO']);
    });
    it('an electronic ballot without the Secretariat’s reason → 422 citing ¶10(d)', () =>
      expectRefused(api, () => postOn(api, '2028', 'ballot', cast.secretariat, { channel: 'electronic', closesAt: inDays(clock.now(), 3) }), 422, /Annual Meeting \(ToR ¶10\(d\)\).*channelReason/));
    it('linking a ballot about another subject → 422', async () => {
      const other = await openBallot(api, cast.secretariat, { subject: { kind: 'workplan', reference: 'workplan-2030', title: 'another year' }, closesAt: inDays(clock.now(), 3) });
      await expectRefused(api, () => postOn(api, '2028', 'ballot', cast.secretariat, { ballotId: other, channel: 'electronic', channelReason: 'x' }), 422, /not the workplan 2028/);
    });
    it('puts the workplan to the Partners; a second ballot while it runs → 409', async () => {
      const put = await postOn(api, '2028', 'ballot', cast.secretariat, { closesAt: inDays(clock.now(), 3) }).expect(201);
      ballotId = put.body.resource.ballots[0].ballotId;
      await expectRefused(api, () => postOn(api, '2028', 'ballot', cast.secretariat, { closesAt: inDays(clock.now(), 3) }), 409, /only once it was withdrawn/, { state: 'voting' });
    });

    it('no route records an agreement by hand', async () => {
      for (const path of ['agree', 'agreed', 'outcome', 'decide']) {
        await expectRefused(api, () => postOn(api, '2028', path, cast.secretariat, { ballotId, outcome: 'approved' }), 404);
      }
    });

    it('the agreement command from a person is refused 403, even from the Secretariat; appends nothing', async () => {
      const head = await api.stores.events.headPosition();
      const attempt = api.app.get(CommandBus).execute(new RecordWorkplanOutcomeCommand({ ballotId }, { commandId: newId(), actor: { id: 'sec-1', role: 'secretariat' } }));
      await expect(attempt).rejects.toBeInstanceOf(ForbiddenCommandError);
      await expect(attempt).rejects.toThrow(/only from the deciding ballot's outcome.*¶10\(d\)/);
      expect(await api.stores.events.headPosition()).toBe(head);
    });

    it('a forged saga actor cannot record an agreement the ballot has not decided: 409, the outcome is read from the ballot', async () => {
      const head = await api.stores.events.headPosition();
      const attempt = api.app.get(CommandBus).execute(new RecordWorkplanOutcomeCommand({ ballotId }, { commandId: newId(), actor: { id: 'saga:forged', role: 'system' } }));
      await expect(attempt).rejects.toBeInstanceOf(CommandRejectedError);
      await expect(attempt).rejects.toThrow(/has not been decided \(it is open\).*voting/);
      expect(await api.stores.events.headPosition()).toBe(head);
    });

    it('an "agreed" event written straight to the runner, not from the linked ballot, is refused by the machine', async () => {
      const head = await api.stores.events.headPosition();
      const forged = runCommand({ store: api.stores.events, clock }, workplanProcess, workplanStream('2028'), { commandId: newId(), actor: { id: 'sec-1', role: 'secretariat' } }, () => [
        { type: 'WorkplanAgreed', data: { cycle: '2028', ballotId: 'some-other-ballot', outcome: 'approved', ballotEventId: 'x', decidedAt: clock.now().toISOString(), round: 1, contentHash: 'x' } },
      ]);
      await expect(forged).rejects.toMatchObject({ state: 'voting', clauses: ['¶10(d)', '¶17(b)'] });
      expect(await api.stores.events.headPosition()).toBe(head);
      const response = await request(api.server).get('/v1/workplans/2028').set('Authorization', auditor).expect(200);
      expect(response.body.state).toBe('voting');
    });
  });
});
