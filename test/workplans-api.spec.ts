import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import request from 'supertest';
import { verifyStore } from '../libs/audit/verify-store.js';
import { derivedId } from '../libs/kernel/ids.js';
import { ManualClock } from '../libs/kernel/clock.js';
import { startApi, type ApiHarness } from './support/api-harness.js';
import { ANNEX_II, bearer, eventually, inDays, openBallot, registerPartners, representativeOf } from './support/ballots.js';
import { tempDir } from './support/temp-dir.js';
import { expectRefused, getCycle, importOfficeHolder, postOn, sha256 } from './support/workplans.js';

const FIVE = ANNEX_II.slice(0, 5); // ITU, UNECE, CBD, FAO, UN-Women

/**
 * The yearly workplan cycle over HTTP on a SQLite file (ToR ¶10(a)-(d), ¶17(b), ¶20(b)): several Partners, a
 * Thematic Group Leader and the IP Leader give inputs; the Secretariat compiles; the Chair asks for changes and a
 * Vice-Chair endorses the second round; the workplan is presented and the Partners agree through a ballot, which
 * alone moves the cycle to "agreed".
 */
describe('workplan cycle over HTTP (ToR ¶10(a)-(d))', () => {
  const dir = tempDir();
  const clock = new ManualClock('2026-09-01T09:00:00.000Z');
  let api: ApiHarness;
  let secretariat: string;
  let auditor: string;
  let chair: string;
  let viceChair: string;
  let leader: string;
  let ipLeader: string;
  let bystander: string;
  const rep: Record<string, string> = {};
  /** What the API answered at each step, to compare with `?at=` afterwards. */
  const answered: { at: string; body: { state: string; inputs: unknown[]; rounds: unknown[] } }[] = [];

  beforeAll(async () => {
    api = await startApi({ dir: dir.path, clock, ballotPollMs: 3_600_000 });
    secretariat = await bearer(api, 'sec-bueti', ['secretariat']);
    auditor = await bearer(api, 'aud-1', ['auditor']);
    chair = await bearer(api, 'p-chair', ['participant']);
    viceChair = await bearer(api, 'p-vice', ['participant']);
    leader = await bearer(api, 'p-kpi', ['participant']);
    ipLeader = await bearer(api, 'p-ip', ['participant']);
    bystander = await bearer(api, 'p-expert', ['participant']);
    await registerPartners(api, secretariat, FIVE);
    for (const { partnerId } of FIVE) rep[partnerId] = await representativeOf(api, partnerId);
    // The Chair, appointed through the offices API on a decided Partners Board ballot (¶13(a), ¶15); the others are
    // office holders already serving at go-live, recorded by the offices' bootstrap import.
    await request(api.server).post('/v1/offices/chair/nominations').set('Authorization', rep.FAO!).send({ nomineeId: 'p-chair', nomineeName: 'Ms Chair' }).expect(201);
    const appointment = await openBallot(api, secretariat, {
      subject: { kind: 'appointment', reference: 'office:chair:p-chair', title: 'Chair 2026-2028' },
      question: 'Appoint Ms Chair as Chair?',
      closesAt: inDays(clock.now(), 7),
    });
    for (const { partnerId } of FIVE) {
      await request(api.server).post(`/v1/ballots/${appointment}/votes`).set('Authorization', rep[partnerId]!).send({ choice: 'yes' }).expect(201);
    }
    const appointed = await request(api.server).post('/v1/offices/chair/appointments').set('Authorization', secretariat).send({ holderId: 'p-chair', holderName: 'Ms Chair', ballotId: appointment });
    expect([appointed.status, appointed.body.detail]).toEqual([201, undefined]);
    await importOfficeHolder(api, 'vice-chair-1', 'p-vice', '2026-01-15T00:00:00.000Z');
    await importOfficeHolder(api, 'leader-kpis', 'p-kpi', '2025-11-01T00:00:00.000Z');
    await importOfficeHolder(api, 'ip-leader', 'p-ip', '2025-06-01T00:00:00.000Z');
  });
  afterAll(async () => {
    await api?.close();
    dir.remove();
  });

  const step = async (send: () => request.Test, status = 200) => {
    clock.advance(3_600_000);
    const response = await send();
    expect([response.status, response.body.detail]).toEqual([status, undefined]);
    answered.push({ at: clock.now().toISOString(), body: response.body.resource });
    return response.body;
  };

  it('lists the workplan routes in the OpenAPI document, and no route that records an agreement', async () => {
    const paths = Object.keys((await request(api.server).get('/docs-json').expect(200)).body.paths);
    expect(paths).toEqual(
      expect.arrayContaining(['/v1/workplans', '/v1/workplans/{cycle}', ...['inputs', 'reopen-inputs', 'compile', 'review', 'present', 'ballot'].map((c) => `/v1/workplans/{cycle}/${c}`)]),
    );
    expect(paths.filter((path) => /agree|outcome|decide/.test(path) && path.startsWith('/v1/workplans'))).toEqual([]);
  });

  it('runs a whole cycle: inputs, a late input refused then reopened, two review rounds, presented, agreed by ballot', async () => {
    const opened = await step(() => request(api.server).post('/v1/workplans').set('Authorization', secretariat).send({ cycle: '2027', inputDeadline: inDays(clock.now(), 30) }), 201);
    expect(opened).toMatchObject({ stream: 'workplan-2027', state: 'collectingInputs', events: [{ type: 'WorkplanOpened', clauses: ['¶10(a)', '¶23(a)'] }] });
    expect(opened.resource.allowed).toEqual(['reopen-inputs']);
    expect((await getCycle(api, '2027', rep.FAO!)).allowed).toEqual(['inputs']);
    expect((await getCycle(api, '2027', leader)).allowed).toEqual(['inputs']);
    expect((await getCycle(api, '2027', bystander)).allowed).toEqual([]);

    // Three Partners, the Thematic Group Leader and the IP Leader: each input records who and in which capacity.
    for (const partnerId of ['FAO', 'ITU', 'UNECE']) {
      await step(() => postOn(api, '2027', 'inputs', rep[partnerId]!, { title: `${partnerId} priorities`, text: `${partnerId}: city KPI evaluations` }), 201);
    }
    await step(() => postOn(api, '2027', 'inputs', leader, { title: 'KPI group deliverables', text: 'Revised KPI guide 2027' }), 201);
    const afterIp = await step(() => postOn(api, '2027', 'inputs', ipLeader, { title: 'IP projects', text: 'Three city projects' }), 201);
    const inputs = afterIp.resource.inputs as { inputId: string; submittedBy: string; capacity: Record<string, unknown>; contentHash: string }[];
    expect(inputs.map((input) => [input.submittedBy, input.capacity.kind])).toEqual([
      ['rep-FAO', 'partner'],
      ['rep-ITU', 'partner'],
      ['rep-UNECE', 'partner'],
      ['p-kpi', 'leader'],
      ['p-ip', 'ip-leader'],
    ]);
    expect(inputs[0]!.capacity).toEqual({ kind: 'partner', partnerId: 'FAO' });
    expect(inputs[3]!.capacity).toMatchObject({ kind: 'leader', seat: 'leader-kpis', termNumber: 1, termEnds: '2027-11-01T00:00:00.000Z' });
    expect(inputs[4]!.capacity).toMatchObject({ kind: 'ip-leader', seat: 'ip-leader', termEnds: '2027-06-01T00:00:00.000Z' });
    expect(inputs[3]!.contentHash).toBe(sha256('Revised KPI guide 2027'));

    // The deadline passes: CBD's late input is refused citing ¶10(a) until the Secretariat reopens inputs.
    clock.advance(31 * 86_400_000);
    await expectRefused(api, () => postOn(api, '2027', 'inputs', rep.CBD!, { title: 'late', text: 'CBD late input' }), 409, /deadline .* has passed.*collectingInputs \(ToR ¶10\(a\)\)/, {
      state: 'collectingInputs',
      clauses: ['¶10(a)'],
    });
    expect((await getCycle(api, '2027', secretariat)).allowed).toEqual(['reopen-inputs', 'compile']);
    const reopened = await step(() => postOn(api, '2027', 'reopen-inputs', secretariat, { inputDeadline: inDays(clock.now(), 7), reason: 'CBD asked for a week more' }));
    expect(reopened.resource.reopenings).toEqual([expect.objectContaining({ by: 'sec-bueti', reason: 'CBD asked for a week more' })]);
    const late = await step(() => postOn(api, '2027', 'inputs', rep.CBD!, { title: 'Biodiversity in cities', text: 'CBD: urban biodiversity index' }), 201);
    const cbdInput = (late.resource.inputs as { inputId: string }[]).at(-1)!.inputId;
    clock.advance(8 * 86_400_000);

    // Round 1 leaves CBD's input out, with a reason; the Chair asks for changes.
    const draft1 = 'U4SSC workplan 2027, draft 1';
    const compiled1 = await step(() => postOn(api, '2027', 'compile', secretariat, { text: draft1, leftOut: [{ inputId: cbdInput, reason: 'overlaps the KPI guide' }] }));
    expect(compiled1.resource.rounds[0]).toMatchObject({ round: 1, version: 'v1', contentHash: sha256(draft1), taken: inputs.map((input) => input.inputId), leftOut: [{ inputId: cbdInput, reason: 'overlaps the KPI guide' }] });
    expect((await getCycle(api, '2027', chair)).allowed).toEqual(['review']);
    expect((await getCycle(api, '2027', leader)).allowed).toEqual([]);
    const review1 = await step(() => postOn(api, '2027', 'review', chair, { decision: 'request-changes', comments: ['Take the CBD input', 'Add a timeline per deliverable (¶20(b))'] }));
    expect(review1.state).toBe('changesRequested');
    expect(review1.resource.rounds[0].review).toMatchObject({
      decision: 'request-changes',
      comments: ['Take the CBD input', 'Add a timeline per deliverable (¶20(b))'],
      reviewer: { personId: 'p-chair', office: 'chair', seat: 'chair', termNumber: 1, termEnds: '2028-09-01T09:00:00.000Z' },
    });

    // Round 2 takes everything; a Vice-Chair endorses; the Secretariat presents it at the Annual Meeting.
    const draft2 = 'U4SSC workplan 2027, draft 2, with the CBD input and timelines';
    await step(() => postOn(api, '2027', 'compile', secretariat, { text: draft2 }));
    const review2 = await step(() => postOn(api, '2027', 'review', viceChair, { decision: 'endorse', comments: ['Ready for the Annual Meeting'] }));
    expect(review2.resource.rounds[1].review.reviewer).toMatchObject({ personId: 'p-vice', office: 'vice-chair', seat: 'vice-chair-1' });
    expect(review2.resource.allowed).toEqual([]);
    expect((await getCycle(api, '2027', secretariat)).allowed).toEqual(['present']);
    const presented = await step(() => postOn(api, '2027', 'present', secretariat, { meeting: 'U4SSC Annual Meeting 2026, Geneva' }));
    expect(presented).toMatchObject({ state: 'presented', events: [{ type: 'WorkplanPresented', clauses: ['¶10(b)', '¶10(c)'] }] });

    // The agreement ballot, at the meeting, through the ballot machinery.
    const put = await step(() => postOn(api, '2027', 'ballot', secretariat, { closesAt: inDays(clock.now(), 1) }), 201);
    expect(put.state).toBe('voting');
    const link = put.resource.ballots[0];
    expect(link).toMatchObject({ channel: 'meeting', how: 'opened', round: 2 });
    const ballot = (await request(api.server).get(`/v1/ballots/${link.ballotId}`).set('Authorization', auditor).expect(200)).body;
    expect(ballot).toMatchObject({ status: 'open', channel: 'meeting', subject: { kind: 'workplan', reference: 'workplan-2027' }, electorate: FIVE.map((p) => p.partnerId).sort() });
    expect(ballot.question).toContain(sha256(draft2));
    clock.advance(60_000);

    for (const { partnerId } of FIVE) {
      await request(api.server).post(`/v1/ballots/${link.ballotId}/votes`).set('Authorization', rep[partnerId]!).send({ choice: partnerId === 'CBD' ? 'no' : 'yes' }).expect(201);
    }
    await eventually(async () => (await getCycle(api, '2027', auditor)).state === 'agreed', 10_000, 'the saga recording the agreement');
    const agreed = await getCycle(api, '2027', auditor);
    expect(agreed.decidingBallot).toMatchObject({ ballotId: link.ballotId, outcome: 'approved', channel: 'meeting' });
    expect(agreed.rounds).toHaveLength(2);
    expect(agreed.allowed).toEqual([]);

    // The agreement was written by the saga, from the ballot's BallotDecided, with a command id derived from it.
    const ballotEvents = await api.stores.events.readStream(`ballot-${link.ballotId}`);
    const decided = ballotEvents.find((event) => event.type === 'BallotDecided')!;
    const last = (await api.stores.events.readStream('workplan-2027')).at(-1)!;
    expect(last.type).toBe('WorkplanAgreed');
    expect(last.data).toMatchObject({ ballotId: link.ballotId, outcome: 'approved', ballotEventId: decided.id, round: 2, contentHash: sha256(draft2) });
    expect(last.metadata).toMatchObject({
      actor: { id: 'saga:workplan-agreement', role: 'system' },
      commandId: derivedId('saga', 'workplan-agreement', decided.id),
      causationId: decided.id,
      clauses: ['¶10(d)', '¶17(b)'],
    });
    const replayed = (await request(api.server).get('/v1/processes/workplan-2027').set('Authorization', auditor).expect(200)).body;
    expect(replayed.state).toBe('agreed');
  });

  it('answers ?at= with the cycle as it stood then: the same state, inputs and rounds the API answered at that instant', async () => {
    expect(answered.length).toBeGreaterThan(8);
    for (const { at, body } of answered) {
      const then = await getCycle(api, '2027', auditor, at);
      expect([at, then.state, then.inputs, then.rounds]).toEqual([at, body.state, body.inputs, body.rounds]);
      // The auditors' replay of the stream through its machine gives the same state at the same instant.
      const replayed = await request(api.server).get(`/v1/processes/workplan-2027?at=${encodeURIComponent(at)}`).set('Authorization', auditor).expect(200);
      expect([at, replayed.body.state]).toEqual([at, body.state]);
    }
    const before = await request(api.server).get('/v1/workplans/2027?at=2026-08-01T00:00:00Z').set('Authorization', auditor);
    expect(before.status).toBe(404);
    const listed = await request(api.server).get(`/v1/workplans?at=${encodeURIComponent(answered[0]!.at)}`).set('Authorization', auditor).expect(200);
    expect(listed.body.map((view: { cycle: string; state: string }) => [view.cycle, view.state])).toEqual([['2027', 'collectingInputs']]);
    // What a caller could do then: the Chair could review round 1 the hour it was compiled.
    const compiledAt = answered.find(({ body }) => body.state === 'underReview')!.at;
    expect((await getCycle(api, '2027', chair, compiledAt)).allowed).toEqual(['review']);
  });

  it('ends "not agreed" when the Partners reject the workplan, and goes back to compilation', async () => {
    await step(() => request(api.server).post('/v1/workplans').set('Authorization', secretariat).send({ cycle: '2028', inputDeadline: inDays(clock.now(), 10) }), 201);
    await step(() => postOn(api, '2028', 'inputs', rep.ITU!, { title: 'ITU', text: 'ITU input 2028' }), 201);
    await step(() => postOn(api, '2028', 'inputs', leader, { title: 'KPI', text: 'KPI input 2028' }), 201);
    clock.advance(11 * 86_400_000);
    await step(() => postOn(api, '2028', 'compile', secretariat, { text: 'workplan 2028 v1' }));
    await step(() => postOn(api, '2028', 'review', chair, { decision: 'endorse' }));
    await step(() => postOn(api, '2028', 'present', secretariat, { meeting: 'U4SSC Annual Meeting 2027' }));
    // Electronic, as the Secretariat chose and recorded why.
    const put = await step(
      () => postOn(api, '2028', 'ballot', secretariat, { channel: 'electronic', channelReason: 'no quorum at the meeting; decided between meetings (¶13(b))', closesAt: inDays(clock.now(), 14) }),
      201,
    );
    const link = put.resource.ballots[0];
    expect(link).toMatchObject({ channel: 'electronic', channelReason: 'no quorum at the meeting; decided between meetings (¶13(b))' });
    for (const { partnerId } of FIVE) {
      await request(api.server).post(`/v1/ballots/${link.ballotId}/votes`).set('Authorization', rep[partnerId]!).send({ choice: partnerId === 'ITU' ? 'yes' : 'no' }).expect(201);
    }
    await eventually(async () => (await getCycle(api, '2028', auditor)).state === 'notAgreed', 10_000, 'the saga recording the rejection');
    const notAgreed = await getCycle(api, '2028', secretariat);
    expect(notAgreed.decidingBallot).toMatchObject({ ballotId: link.ballotId, outcome: 'rejected' });
    expect(notAgreed.allowed).toEqual(['reopen-inputs', 'compile']);
    const last = (await api.stores.events.readStream('workplan-2028')).at(-1)!;
    expect([last.type, last.metadata.actor.id]).toEqual(['WorkplanNotAgreed', 'saga:workplan-agreement']);

    // Back to compilation: round 2, reviewed again.
    const again = await step(() => postOn(api, '2028', 'compile', secretariat, { text: 'workplan 2028 v2, revised after the vote' }));
    expect(again.state).toBe('underReview');
    expect(again.resource.rounds.map((round: { round: number }) => round.round)).toEqual([1, 2]);
  });

  it('cites the recorded facts each decision rests on, and verify finds every one in the log as cited', async () => {
    const cycle = await api.stores.events.readStream('workplan-2027');
    const byType = (type: string) => cycle.filter((event) => event.type === type);
    const fao = (await api.stores.events.readStream('partner-FAO'))[0]!;
    const faoInput = byType('WorkplanInputSubmitted').find((event) => event.metadata.actor.org === 'FAO')!;
    expect(faoInput.metadata.grounds).toEqual([{ stream: 'partner-FAO', revision: 0, hash: fao.hash, type: 'PartnerRegistered', claim: { partnerId: 'FAO' } }]);
    // A Leader's input rests on the office register, not on a Partner's registration.
    expect(byType('WorkplanInputSubmitted').filter((event) => event.metadata.grounds === undefined)).toHaveLength(2);
    const [linked] = byType('AgreementBallotLinked');
    const ballotId = (linked!.data as { ballotId: string }).ballotId;
    const ballot = await api.stores.events.readStream(`ballot-${ballotId}`);
    expect(linked!.metadata.grounds).toEqual([
      { stream: `ballot-${ballotId}`, revision: 0, hash: ballot[0]!.hash, type: 'BallotDrafted', claim: { ballotId, subject: { kind: 'workplan', reference: 'workplan-2027' }, channel: 'meeting' } },
    ]);
    const decided = ballot.find((event) => event.type === 'BallotDecided')!;
    expect(byType('WorkplanAgreed')[0]!.metadata.grounds).toEqual([
      { stream: decided.stream, revision: decided.revision, hash: decided.hash, type: 'BallotDecided', claim: { ballotId, outcome: 'approved', subject: { kind: 'workplan', reference: 'workplan-2027' } } },
    ]);
    const notAgreed = (await api.stores.events.readStream('workplan-2028')).find((event) => event.type === 'WorkplanNotAgreed')!;
    expect(notAgreed.metadata.grounds).toEqual([expect.objectContaining({ type: 'BallotDecided', claim: expect.objectContaining({ outcome: 'rejected' }) })]);

    const report = await verifyStore(api.stores.events);
    expect(report).toMatchObject({ ok: true, fault: null });
    expect(report.grounds!.checked).toBeGreaterThanOrEqual(report.grounds!.citing);
    expect(report.grounds!.unchecked).toBe(0);
  });
});
