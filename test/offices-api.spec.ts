import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { CommandBus } from '@nestjs/cqrs';
import request from 'supertest';
import { PROJECTIONS } from '../apps/api/app.module.js';
import { checkRebuild } from '../libs/audit/rebuild-check.js';
import { LeaderTasks } from '../libs/engine/index.js';
import { ManualClock } from '../libs/kernel/clock.js';
import { EndTermCommand, OFFICE_SCHEDULER_ACTOR, officeDueCommandId, OfficeScheduler, officeStream } from '../libs/offices/index.js';
import type { ApiHarness } from './support/api-harness.js';
import { ANNEX_II, bearer, inDays, openBallot, registerPartners, representativeOf } from './support/ballots.js';
import { decidedAppointmentBallot, expectRefused, startOfficesApi } from './support/offices.js';
import { tempDir } from './support/temp-dir.js';

const THREE = ANNEX_II.slice(0, 3); // ITU, UNECE, CBD
const ALL_YES = { ITU: 'yes', UNECE: 'yes', CBD: 'yes' } as const;
const DAY = 86_400_000;

/**
 * A Chair's whole term over HTTP on a SQLite file, with a ManualClock (ToR ¶13(a), ¶15, ¶19, ¶28): nominated by a
 * Partner, appointed on a real decided ballot, appointing a Leader as Chair, the renewal falling due and the term
 * expiring by the scheduler, then the former Chair refused; the register at past instants equals what it said then.
 */
describe('offices and two-year tenures over HTTP (ManualClock, SQLite file)', () => {
  const dir = tempDir();
  const clock = new ManualClock('2026-03-02T09:00:00.000Z');
  let api: ApiHarness;
  let secretariat: string;
  let okafor: string; // the Chair-to-be: an expert, not a Partner representative
  /** What the live register answered, and when: `?at=` must give the same later. */
  const said: { at: string; body: { at: string; offices: unknown[] } }[] = [];
  let chairTerm: { start: string; end: string; renewalDueAt: string };
  let approved: string;

  const post = (path: string, auth: string, body: object) => request(api.server).post(path).set('Authorization', auth).send(body);
  const get = (path: string, auth = secretariat) => request(api.server).get(path).set('Authorization', auth).expect(200);
  async function remember() {
    const response = await get('/v1/offices');
    expect(response.body.at).toBe(clock.now().toISOString());
    said.push({ at: response.body.at, body: response.body });
  }

  beforeAll(async () => {
    api = await startOfficesApi({ dir: dir.path, clock, offices: { renewalNoticeDays: 90 } });
    secretariat = await bearer(api, 'sec-bueti', ['secretariat']);
    okafor = await bearer(api, 'p-okafor', ['participant']);
    await registerPartners(api, secretariat, THREE);
    await remember(); // nothing yet
  });
  afterAll(async () => {
    await api?.close();
    dir.remove();
  });

  it('serves the office routes and runs the term scheduler as a leader task', async () => {
    const docs = await get('/docs-json');
    expect(Object.keys(docs.body.paths)).toEqual(
      expect.arrayContaining([
        '/v1/offices',
        '/v1/offices/expiries',
        '/v1/offices/{office}',
        '/v1/offices/{office}/nominations',
        '/v1/offices/{office}/appointments',
        '/v1/offices/{office}/renewals',
        '/v1/offices/{office}/resignation',
        '/v1/offices/{office}/end',
      ]),
    );
    expect(api.app.get(LeaderTasks).names).toContain('office-terms');
  });

  it('a Partner’s representative nominates a candidate for Chair (ToR ¶13(a), ¶15)', async () => {
    clock.advance(DAY);
    const response = await post('/v1/offices/chair/nominations', await representativeOf(api, 'ITU'), { nomineeId: 'p-okafor', nomineeName: 'Dr Ada Okafor' }).expect(201);
    expect(response.body).toMatchObject({
      stream: 'office-chair',
      state: 'nominated',
      events: [{ type: 'OfficeNominated', clauses: expect.arrayContaining(['¶13(a)', '¶15']) }],
      resource: { seat: 'chair', status: 'nominated', nominations: [{ nomineeId: 'p-okafor', partnerId: 'ITU', by: 'rep-ITU', byRole: 'partner' }] },
    });
    await remember();
  });

  it('refuses to appoint the Chair without a decided, approved ballot about this appointment; appends nothing', async () => {
    clock.advance(DAY);
    const appoint = (ballotId?: string) => () => post('/v1/offices/chair/appointments', secretariat, { holderId: 'p-okafor', holderName: 'Dr Ada Okafor', ...(ballotId ? { ballotId } : {}) });
    await expectRefused(api, appoint(), 422, /name the ballot by which the Partners Board decided it .*ToR ¶13\(a\), ¶15/);
    const open = await openBallot(api, secretariat, {
      subject: { kind: 'appointment', reference: 'office:chair:p-okafor', title: 'Chair 2026-2028' },
      closesAt: inDays(clock.now(), 14),
    });
    await expectRefused(api, appoint(open), 409, /ballot ".*" is open: it is not decided yet \(ToR ¶13\(a\), ¶15\)/, { state: 'open', clauses: ['¶13(a)', '¶15'] });
    const rejected = await decidedAppointmentBallot(api, secretariat, 'chair', 'p-okafor', { ITU: 'no', UNECE: 'no', CBD: 'yes' }, { closesAt: inDays(clock.now(), 14) });
    await expectRefused(api, appoint(rejected), 409, /is rejected: the Partners Board did not approve it/);
    const workplan = await openBallot(api, secretariat, { closesAt: inDays(clock.now(), 14) });
    await expectRefused(api, appoint(workplan), 422, /decides a workplan, not an appointment/);
    const someoneElse = await decidedAppointmentBallot(api, secretariat, 'chair', 'p-lind', ALL_YES, { closesAt: inDays(clock.now(), 14) });
    await expectRefused(api, appoint(someoneElse), 422, /is about "office:chair:p-lind", not "office:chair:p-okafor"/);
    expect(await api.stores.events.readStream(officeStream('chair'))).toHaveLength(1); // the nomination only
  });

  it('appoints the Chair on the approved ballot, citing it, for exactly two years (¶28)', async () => {
    clock.advance(DAY);
    approved = await decidedAppointmentBallot(api, secretariat, 'chair', 'p-okafor', ALL_YES, { closesAt: inDays(clock.now(), 14) });
    expect((await get(`/v1/ballots/${approved}`)).body).toMatchObject({ status: 'approved' });
    clock.advance(3_600_000);
    const start = clock.now().toISOString();
    const response = await post('/v1/offices/chair/appointments', secretariat, { holderId: 'p-okafor', holderName: 'Dr Ada Okafor', ballotId: approved }).expect(201);
    expect(response.body).toMatchObject({ state: 'serving', events: [{ type: 'HolderAppointed', clauses: expect.arrayContaining(['¶13(a)', '¶15', '¶28']) }] });
    const [term] = response.body.resource.terms;
    expect(term).toMatchObject({
      number: 1,
      holderId: 'p-okafor',
      start,
      end: '2028-03-05T10:00:00.000Z',
      renewalDueAt: '2027-12-06T10:00:00.000Z',
      kind: 'appointment',
      imported: false,
      grounds: { kind: 'partners-board-ballot', ballotId: approved, subjectReference: 'office:chair:p-okafor' },
    });
    chairTerm = term;
    const [stored] = await api.stores.events.readStream(officeStream('chair'), { fromRevision: 1 });
    expect(stored!.metadata.imported).toBeUndefined();
    // The same ballot cannot ground a second appointment.
    await post('/v1/offices/chair/nominations', await representativeOf(api, 'CBD'), { nomineeId: 'p-lind', nomineeName: 'Dr Lind' }).expect(201);
    await expectRefused(api, () => post('/v1/offices/chair/appointments', secretariat, { holderId: 'p-okafor', holderName: 'x', ballotId: approved }), 409, /already holds this seat/);
    await remember();
  });

  it('the Secretariat records the Chair’s appointment of a Thematic Group Leader, checked against the register (¶19)', async () => {
    clock.advance(DAY);
    const response = await post('/v1/offices/leader-kpis/appointments', secretariat, { holderId: 'p-kim', holderName: 'Dr Kim', appointedBy: 'p-okafor' }).expect(201);
    expect(response.body.resource.terms[0]).toMatchObject({
      grounds: { kind: 'chair-appointment', chairId: 'p-okafor', chairTerm: 1, chairTermEnds: chairTerm.end, consultation: 'recorded by the Secretariat (sec-bueti)' },
    });
    await expectRefused(api, () => post('/v1/offices/leader-water/appointments', secretariat, { holderId: 'p-w', holderName: 'W', appointedBy: 'p-lind' }), 403, /p-lind does not hold the office of Chair/);
    const register = await get('/v1/offices');
    expect(register.body.offices).toMatchObject([
      { seat: 'chair', holder: { personId: 'p-okafor' }, term: { number: 1 }, renewalDue: false, candidates: [{ nomineeId: 'p-lind', partnerId: 'CBD' }] },
      { seat: 'leader-kpis', holder: { personId: 'p-kim' }, term: { grounds: { chairId: 'p-okafor' } } },
    ]);
    await remember();
  });

  it('marks the renewal due at the notice date, not a millisecond before (the scheduler, ¶28)', async () => {
    const scheduler = api.app.get(OfficeScheduler);
    clock.set(new Date(Date.parse(chairTerm.renewalDueAt) - 1));
    expect(await scheduler.runOnce()).toEqual([]);
    clock.set(chairTerm.renewalDueAt);
    expect(await scheduler.runOnce()).toEqual([{ seat: 'chair', termNumber: 1, kind: 'renewal-due', result: 'recorded' }]);
    const last = (await api.stores.events.readStream(officeStream('chair'))).at(-1)!;
    expect(last).toMatchObject({
      type: 'RenewalDue',
      data: { termNumber: 1, renewalDueAt: chairTerm.renewalDueAt, termEnds: chairTerm.end },
      metadata: { actor: OFFICE_SCHEDULER_ACTOR, commandId: officeDueCommandId('chair', 1, 'renewal-due'), occurredAt: chairTerm.renewalDueAt, clauses: ['¶28'] },
    });
    expect(await scheduler.runOnce()).toEqual([]);
    const expiries = await get('/v1/offices/expiries?within=90d');
    expect(expiries.body).toMatchObject({ withinDays: 90, expiries: [{ seat: 'chair', holder: { personId: 'p-okafor' }, end: chairTerm.end, renewalDue: true, renewed: false, daysLeft: 90 }] });
    expect((await get('/v1/offices/expiries?within=92d')).body.expiries.map((e: { seat: string }) => e.seat)).toEqual(['chair', 'leader-kpis']);
    await remember();
  });

  it('the Chair, still in office, renews the Leader for a new term from the current end (¶19, ¶28)', async () => {
    clock.advance(10 * DAY);
    const leaderEnd = (await get('/v1/offices/leader-kpis')).body.terms[0].end;
    const response = await post('/v1/offices/leader-kpis/renewals', okafor, { consultation: 'Secretariat e-meeting of 2027-12-15' }).expect(201);
    expect(response.body.events).toMatchObject([{ type: 'TermRenewed' }]);
    expect(response.body.resource.terms[1]).toMatchObject({ number: 2, kind: 'renewal', start: leaderEnd, grounds: { kind: 'chair-appointment', chairId: 'p-okafor', consultation: 'Secretariat e-meeting of 2027-12-15' } });
    await remember();
  });

  it('expires the Chair’s term at its end, not before, once, whichever pass or instance issues it', async () => {
    const scheduler = api.app.get(OfficeScheduler);
    clock.set(new Date(Date.parse(chairTerm.end) - 1));
    expect(await scheduler.runOnce()).toEqual([]);
    await remember(); // the last instant of the term
    clock.set(chairTerm.end);
    expect(await scheduler.runOnce()).toEqual([{ seat: 'chair', termNumber: 1, kind: 'expiry', result: 'recorded' }]);
    const last = (await api.stores.events.readStream(officeStream('chair'))).at(-1)!;
    expect(last).toMatchObject({
      type: 'TermEnded',
      data: { holderId: 'p-okafor', termNumber: 1, cause: 'expired', endedAt: chairTerm.end },
      metadata: { actor: OFFICE_SCHEDULER_ACTOR, commandId: officeDueCommandId('chair', 1, 'expiry'), occurredAt: chairTerm.end },
    });
    const head = await api.stores.events.headPosition();
    expect(await scheduler.runOnce()).toEqual([]);
    const twin = await api.app.get(CommandBus).execute(
      new EndTermCommand({ seat: 'chair', cause: 'expired', termNumber: 1 }, { commandId: officeDueCommandId('chair', 1, 'expiry'), actor: OFFICE_SCHEDULER_ACTOR }),
    );
    expect(twin.duplicate).toBe(true);
    expect(await api.stores.events.headPosition()).toBe(head);
    const seat = await get('/v1/offices/chair');
    expect(seat.body).toMatchObject({ status: 'nominated', holder: null });
    await remember();
  });

  it('refuses the former Chair’s next command the day after: 403 naming the office and the end date; nothing appended', async () => {
    clock.set(new Date(Date.parse(chairTerm.end) + DAY));
    const now = clock.now().toISOString();
    const problem = await expectRefused(
      api,
      () => post('/v1/offices/leader-water/appointments', okafor, { holderId: 'p-w', holderName: 'Dr W', consultation: 'call with the Secretariat' }),
      403,
      new RegExp(`p-okafor's term as Chair ended on ${chairTerm.end.replace(/\./g, '\\.')}; at ${now.replace(/\./g, '\\.')} they do not hold the office of Chair per the office register`),
      { office: 'chair', seat: 'chair', endedAt: chairTerm.end, clauses: ['¶15', '¶28'] },
    );
    expect(problem.status).toBe(403);
    await expectRefused(api, () => post('/v1/offices/leader-kpis/renewals', okafor, { consultation: 'x' }), 403, /term as Chair ended on/);
    await expectRefused(api, () => post('/v1/offices/leader-water/appointments', secretariat, { holderId: 'p-w', holderName: 'Dr W', appointedBy: 'p-okafor' }), 403, /term as Chair ended on/);
    expect(await api.stores.events.readStream(officeStream('leader-water'))).toEqual([]);
  });

  it('answers ?at= for every instant the live register was asked, exactly as it answered then (rebuilt from the events)', async () => {
    expect(said.length).toBeGreaterThanOrEqual(7);
    for (const { at, body } of said) {
      const then = await get(`/v1/offices?at=${encodeURIComponent(at)}`);
      expect({ at, offices: then.body.offices }).toEqual({ at, offices: body.offices });
      expect(then.body).toMatchObject({ at, basis: 'recorded' });
    }
    // And at instants nobody asked about: before anything, mid-term, on the last millisecond of the term.
    expect((await get('/v1/offices?at=2026-01-01T00:00:00Z')).body.offices).toEqual([]);
    const mid = await get('/v1/offices?at=2027-01-01T00:00:00Z');
    expect(mid.body.offices).toMatchObject([{ seat: 'chair', holder: { personId: 'p-okafor' } }, { seat: 'leader-kpis', holder: { personId: 'p-kim' } }]);
    const lastMs = new Date(Date.parse(chairTerm.end) - 1).toISOString();
    expect((await get(`/v1/offices?at=${lastMs}`)).body.offices[0]).toMatchObject({ holder: { personId: 'p-okafor' }, renewalDue: true });
    expect((await get(`/v1/offices?at=${chairTerm.end}`)).body.offices[0]).toMatchObject({ holder: null });
  });

  it('shows a seat’s history: every term with its dates and grounding decision, the nominations, and the seat as recorded at an instant', async () => {
    const seat = (await get('/v1/offices/chair')).body;
    expect(seat.terms).toMatchObject([
      { number: 1, holderId: 'p-okafor', grounds: { ballotId: approved }, renewalDueMarkedAt: chairTerm.renewalDueAt, ended: { at: chairTerm.end, cause: 'expired', recordedBy: 'u4ssc-scheduler' } },
    ]);
    expect(seat.nominations).toMatchObject([
      { nomineeId: 'p-okafor', outcome: { appointed: true } },
      { nomineeId: 'p-lind', partnerId: 'CBD' },
    ]);
    const before = (await get(`/v1/offices/chair?at=${said[2]!.at}`)).body;
    expect(before).toMatchObject({ status: 'serving', terms: [{ number: 1 }] });
    expect(before.terms[0].renewalDueMarkedAt).toBeUndefined();
    await request(api.server).get('/v1/offices/chair?at=2026-01-01T00:00:00Z').set('Authorization', secretariat).expect(404);
  });

  it('replays a seat like any process: its state then, the steps the machine allows, its history with clauses', async () => {
    const then = (await get(`/v1/processes/office-chair?at=${encodeURIComponent(said[3]!.at)}`)).body;
    expect(then).toMatchObject({ stream: 'office-chair', machine: { id: 'office', version: 1 }, state: 'serving', done: false });
    expect(then.next.map((step: { event: string }) => step.event)).toEqual(expect.arrayContaining(['RenewalDue', 'TermRenewed', 'TermEnded', 'OfficeNominated']));
    const history = (await get('/v1/processes/office-chair/history')).body;
    const entries = history.events;
    expect(entries.map((entry: { type: string; stateAfter: string }) => [entry.type, entry.stateAfter])).toEqual([
      ['OfficeNominated', 'nominated'],
      ['HolderAppointed', 'serving'],
      ['OfficeNominated', 'serving'],
      ['RenewalDue', 'renewalDue'],
      ['TermEnded', 'nominated'],
    ]);
    expect(entries.at(-1)).toMatchObject({ clauses: ['¶28'], actor: { id: 'u4ssc-scheduler' } });
  });

  it('the office read models are disposable: a rebuild from position 0 gives the same documents', async () => {
    const report = await checkRebuild(api.stores.events, api.stores.readModels, PROJECTIONS.filter((p) => p.name.startsWith('office')));
    expect(report.differences).toEqual([]);
    expect(report.projections.map((p) => p.projection)).toEqual(['offices', 'office-due-dates']);
  });
});
