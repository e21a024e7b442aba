import { beforeEach, describe, expect, it } from '@jest/globals';
import { ForbiddenCommandError } from '../errors/index.js';
import { officeHolding, requireHolding } from './office-authority.js';
import { registerEntry } from './office-register.js';
import { decideAppoint, decideImport, decideRenew } from './office.appoint.decide.js';
import { decideResign } from './office.end.decide.js';
import { decideNominate } from './office.nominate.decide.js';
import { ballot, DAY, partner, rep, SECRETARIAT, Seats } from './office.spec-helper.js';

const NOTICE = 90;
const T = (iso: string) => new Date(iso);

describe('the office register (pure fold) and tenure-aware authority', () => {
  let seats: Seats;
  beforeEach(() => {
    seats = new Seats('2026-02-02T09:00:00.000Z');
  });

  async function appointChair(personId: string, ballotId: string, replace = false) {
    await seats.run('chair', rep('ITU'), decideNominate({ seat: 'chair', nomineeId: personId, nomineeName: `Dr ${personId}` }, rep('ITU'), { now: seats.now, ...partner('ITU') }));
    await seats.run('chair', SECRETARIAT, decideAppoint({ seat: 'chair', holderId: personId, holderName: `Dr ${personId}`, ballotId, replace }, SECRETARIAT, { now: seats.now, noticeDays: NOTICE, ballot: ballot(ballotId, 'chair', personId) }));
  }

  it('answers who held the seat at any instant: half-open terms, the renewal due, the next term once renewed', async () => {
    await appointChair('p-okafor', 'b-1');
    const before = await seats.view('chair');
    expect(registerEntry(before!, T('2026-02-02T08:59:59.999Z')).holder).toBeNull();
    expect(registerEntry(before!, T('2026-02-02T09:00:00.000Z'))).toMatchObject({ holder: { personId: 'p-okafor' }, term: { number: 1 }, renewalDue: false, nextTerm: null });
    expect(registerEntry(before!, T('2027-11-04T09:00:00.000Z'))).toMatchObject({ renewalDue: true });
    expect(registerEntry(before!, T('2028-02-02T09:00:00.000Z')).holder).toBeNull(); // the end itself is outside the term

    seats.clock.set('2027-11-10T09:00:00.000Z');
    await seats.run('chair', SECRETARIAT, decideRenew({ seat: 'chair', ballotId: 'b-2' }, SECRETARIAT, { now: seats.now, noticeDays: NOTICE, ballot: ballot('b-2', 'chair', 'p-okafor') }));
    const renewed = await seats.view('chair');
    expect(registerEntry(renewed!, T('2027-12-01T00:00:00.000Z'))).toMatchObject({ term: { number: 1 }, renewalDue: false, nextTerm: { number: 2, start: '2028-02-02T09:00:00.000Z' } });
    expect(registerEntry(renewed!, T('2028-02-02T09:00:00.000Z'))).toMatchObject({ holder: { personId: 'p-okafor' }, term: { number: 2, kind: 'renewal', grounds: { ballotId: 'b-2' } } });
  });

  it('a resignation ends the term then and cancels a renewed term not begun; the register keeps both', async () => {
    await appointChair('p-okafor', 'b-1');
    seats.clock.set('2027-12-01T00:00:00.000Z');
    await seats.run('chair', SECRETARIAT, decideRenew({ seat: 'chair', ballotId: 'b-2' }, SECRETARIAT, { now: seats.now, noticeDays: NOTICE, ballot: ballot('b-2', 'chair', 'p-okafor') }));
    seats.clock.set('2028-01-10T00:00:00.000Z');
    const holder = { id: 'p-okafor', role: 'participant' };
    await seats.run('chair', holder, decideResign({ seat: 'chair', reason: 'Letter of 2028-01-09' }, holder, seats.now));
    const view = (await seats.view('chair'))!;
    expect(view.status).toBe('vacant');
    expect(view.terms.map(({ number, ended, cancelled }) => ({ number, ended: ended?.cause, cancelled: cancelled !== undefined }))).toEqual([
      { number: 1, ended: 'resigned', cancelled: false },
      { number: 2, ended: undefined, cancelled: true },
    ]);
    expect(registerEntry(view, T('2028-01-09T23:59:59.999Z')).holder).toMatchObject({ personId: 'p-okafor' });
    expect(registerEntry(view, T('2028-01-10T00:00:00.000Z')).holder).toBeNull();
    expect(registerEntry(view, T('2028-03-01T00:00:00.000Z')).holder).toBeNull(); // the cancelled term never counts
  });

  it('requireHolding: the term in force, else a 403 naming the office and when the last term ended', async () => {
    await appointChair('p-okafor', 'b-1');
    const views = await seats.views('chair');
    expect(requireHolding(officeHolding(views, 'p-okafor', ['chair'], T('2028-02-02T08:59:59.999Z')))).toMatchObject({ seat: 'chair', office: 'chair', termNumber: 1, end: '2028-02-02T09:00:00.000Z' });
    expect(requireHolding(officeHolding(views, 'p-okafor', ['chair', 'vice-chair'], T('2027-01-01T00:00:00.000Z')))).toMatchObject({ seat: 'chair' });
    expect(() => requireHolding(officeHolding(views, 'p-okafor', ['chair'], T('2028-02-03T09:00:00.000Z')))).toThrow(
      new ForbiddenCommandError("p-okafor's term as Chair ended on 2028-02-02T09:00:00.000Z; at 2028-02-03T09:00:00.000Z they do not hold the office of Chair per the office register (ToR ¶15, ¶28)"),
    );
    expect(() => requireHolding(officeHolding(views, 'p-okafor', ['vice-chair'], T('2027-01-01T00:00:00.000Z')))).toThrow(/p-okafor does not hold the office of Vice-Chair at 2027-01-01T00:00:00.000Z per the office register; offices come from the register, not from the token/);
    expect(() => requireHolding(officeHolding(views, 'p-okafor', ['chair'], T('2026-02-01T00:00:00.000Z')))).toThrow(/does not hold the office of Chair/);
  });

  it('names a replaced or resigned holder’s end with its cause', async () => {
    await appointChair('p-okafor', 'b-1');
    seats.clock.advance(100 * DAY);
    await appointChair('p-lind', 'b-2', true);
    const views = await seats.views('chair');
    expect(() => requireHolding(officeHolding(views, 'p-okafor', ['chair'], seats.now))).toThrow(/p-okafor's term as Chair ended \(replaced\) on 2026-05-13T09:00:00.000Z/);
    expect(requireHolding(officeHolding(views, 'p-lind', ['chair'], seats.now))).toMatchObject({ termNumber: 2 });
  });

  it('an imported holder is in the register from the term’s start for what is known now, and absent from what was recorded before the import', async () => {
    seats.clock.set('2026-03-01T00:00:00.000Z');
    await seats.run(
      'leader-kpis',
      SECRETARIAT,
      decideImport({ seat: 'leader-kpis', holderId: 'p-k', holderName: 'Dr K', termStart: '2025-09-01T00:00:00.000Z', reference: 'Chair’s letter of 2025-08-28' }, SECRETARIAT, { now: seats.now, noticeDays: NOTICE }),
      { imported: true },
    );
    const view = (await seats.view('leader-kpis'))!;
    expect(registerEntry(view, T('2025-10-01T00:00:00.000Z'))).toMatchObject({ holder: { personId: 'p-k' }, term: { imported: true, grounds: { kind: 'imported', authority: 'chair' } } });
    expect(requireHolding(officeHolding([view], 'p-k', ['leader'], T('2026-03-01T00:00:00.000Z')))).toMatchObject({ seat: 'leader-kpis', office: 'leader' });
    // As recorded on 2026-02-15 (before the import): the seat had no event yet.
    const recorded = (await seats.store.readStream('office-leader-kpis')).filter((event) => event.metadata.occurredAt <= '2026-02-15T00:00:00.000Z');
    expect(recorded).toEqual([]);
  });
});
