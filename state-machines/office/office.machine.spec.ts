import { describe, expect, it } from '@jest/globals';
import { initialTransition, transition, type SnapshotFrom } from 'xstate';
import { officeMachine, termAt, type OfficeMachineEvent } from './office.machine.js';
import { parseSeat } from './office.seat.js';
import { renewalDueFor, termEndFor } from './office.term.js';
import { appointed, at, ended, groundsFor, imported, nominated, renewalDue, renewed, T0, termFrom } from './office.test-events.js';

type Snapshot = SnapshotFrom<typeof officeMachine>;

function run(seat: string, ...events: OfficeMachineEvent[]): Snapshot {
  let [snapshot] = initialTransition(officeMachine, { seat });
  for (const event of events) {
    expect([event.type, snapshot.can(event)]).toEqual([event.type, true]);
    [snapshot] = transition(officeMachine, snapshot, event);
  }
  return snapshot;
}

describe('term arithmetic (ToR ¶28: a two-year tenure)', () => {
  it('ends exactly two calendar years after the start, to the millisecond', () => {
    expect(termEndFor('2026-01-05T09:00:00.000Z')).toBe('2028-01-05T09:00:00.000Z');
    expect(termEndFor('2027-03-31T23:59:59.999Z')).toBe('2029-03-31T23:59:59.999Z');
  });
  it('ends a term begun on 29 February on 28 February two years later', () => {
    expect(termEndFor('2028-02-29T12:00:00.000Z')).toBe('2030-02-28T12:00:00.000Z');
  });
  it('falls due for renewal the notice period before the end', () => {
    expect(renewalDueFor('2028-01-05T09:00:00.000Z', 90)).toBe('2027-10-07T09:00:00.000Z');
  });
});

describe('seats', () => {
  it('names the Chair, numbered Vice-Chair seats, one Leader per Thematic Group and the IP Leader', () => {
    expect(parseSeat('chair')).toEqual({ id: 'chair', office: 'chair' });
    expect(parseSeat('vice-chair-2')).toEqual({ id: 'vice-chair-2', office: 'vice-chair', index: 2 });
    expect(parseSeat('leader-kpis')).toEqual({ id: 'leader-kpis', office: 'leader', thematicGroup: 'kpis' });
    expect(parseSeat('ip-leader')).toEqual({ id: 'ip-leader', office: 'ip-leader' });
    for (const bad of ['', 'vice-chair', 'vice-chair-0', 'leader-', 'leader-Kpis', 'leader--x-', 'president', 'chair-1']) expect(parseSeat(bad)).toBeUndefined();
  });
});

describe('office machine (ToR ¶13(a), ¶15, ¶19, ¶28, Annex I)', () => {
  const A = at(T0, 1);

  it('appoints a Chair only from a Partner’s nomination and an approved ballot about this seat and this person (¶13(a), ¶15)', () => {
    const start = run('chair');
    expect(start.value).toBe('vacant');
    expect(start.can(appointed('chair', 'p-okafor', 1, A))).toBe(false); // nobody nominated
    const candidates = run('chair', nominated('chair', 'p-okafor', T0), nominated('chair', 'p-lind', T0, 'FAO'));
    expect(candidates.value).toBe('nominated');
    expect(candidates.can(nominated('chair', 'p-okafor', T0))).toBe(false); // the same Partner twice
    expect(candidates.can(nominated('chair', 'p-x', T0, null))).toBe(false); // no Partner named
    expect(candidates.can(appointed('chair', 'p-other', 1, A))).toBe(false); // not nominated
    const aboutSomeoneElse = { ...groundsFor('chair', 'p-lind', 'b-1', A) };
    expect(candidates.can(appointed('chair', 'p-okafor', 1, A, aboutSomeoneElse))).toBe(false);
    const wrongKind = groundsFor('leader-kpis', 'p-okafor', 'b-1', A);
    expect(candidates.can(appointed('chair', 'p-okafor', 1, A, wrongKind))).toBe(false);
    const serving = run('chair', nominated('chair', 'p-okafor', T0), appointed('chair', 'p-okafor', 1, A));
    expect(serving.value).toBe('serving');
    expect(serving.context.holder).toEqual({ personId: 'p-okafor', name: 'Name of p-okafor' });
    expect(serving.context.nominations).toEqual([]);
    expect(serving.context.terms[0]).toMatchObject({ number: 1, start: A, end: termEndFor(A), endedAt: null });
  });

  it('refuses a term that is not exactly two years, starts at another instant than its recording, or is misnumbered', () => {
    const candidates = run('chair', nominated('chair', 'p-okafor', T0));
    const good = appointed('chair', 'p-okafor', 1, A);
    const withTerm = (term: object) => ({ ...good, data: { ...(good.data as object), term } }) as OfficeMachineEvent;
    const term = termFrom(1, A);
    expect(candidates.can(withTerm({ ...term, end: at(term.end, 1) }))).toBe(false);
    expect(candidates.can(withTerm({ ...term, number: 2 }))).toBe(false);
    expect(candidates.can(withTerm(termFrom(1, at(A, -1))))).toBe(false);
    expect(candidates.can(withTerm({ ...term, renewalDueAt: term.end }))).toBe(false);
    expect(candidates.can(good)).toBe(true);
  });

  it('appoints a Thematic Group Leader without nomination, on the Chair’s appointment (¶19); nobody nominates a Leader', () => {
    const start = run('leader-kpis');
    expect(start.can(nominated('leader-kpis', 'p-x', T0))).toBe(false);
    expect(start.can(appointed('leader-kpis', 'p-x', 1, A, groundsFor('chair', 'p-x', 'b', A)))).toBe(false);
    expect(run('leader-kpis', appointed('leader-kpis', 'p-x', 1, A)).value).toBe('serving');
  });

  it('elects the IP Leader at an Annual Meeting only (a `meeting` ballot, Annex I)', () => {
    const electronic = { ...(groundsFor('ip-leader', 'p-ip', 'b-1', A) as object), channel: 'electronic' } as never;
    expect(run('ip-leader').can(appointed('ip-leader', 'p-ip', 1, A, electronic))).toBe(false);
    expect(run('ip-leader', appointed('ip-leader', 'p-ip', 1, A)).value).toBe('serving');
  });

  it('marks the renewal due at the notice date, not a millisecond before, and expires the term at its end (¶28)', () => {
    const term = termFrom(1, A);
    const serving = run('vice-chair-1', nominated('vice-chair-1', 'p-v', T0), appointed('vice-chair-1', 'p-v', 1, A));
    expect(serving.can(renewalDue('vice-chair-1', 'p-v', term, at(term.renewalDueAt, 0, -1)))).toBe(false);
    expect(serving.can(ended('vice-chair-1', 'p-v', 1, 'expired', term.end, at(term.end, 0, -1)))).toBe(false);
    const due = run('vice-chair-1', nominated('vice-chair-1', 'p-v', T0), appointed('vice-chair-1', 'p-v', 1, A), renewalDue('vice-chair-1', 'p-v', term, term.renewalDueAt));
    expect(due.value).toBe('renewalDue');
    expect(due.can(renewalDue('vice-chair-1', 'p-v', term, term.renewalDueAt))).toBe(false);
    const over = transition(officeMachine, due, ended('vice-chair-1', 'p-v', 1, 'expired', term.end, term.end))[0];
    expect(over.value).toBe('vacant');
    expect(over.context.terms[0]!.endedAt).toBe(term.end);
    expect(termAt(over.context, at(term.end, 0, -1))?.holderId).toBe('p-v');
    expect(termAt(over.context, term.end)).toBeUndefined();
  });

  it('renews with a new term from the current end, on a new decision; one decision never grounds two terms', () => {
    const term = termFrom(1, A);
    const due = run('chair', nominated('chair', 'p-o', T0), appointed('chair', 'p-o', 1, A), renewalDue('chair', 'p-o', term, term.renewalDueAt));
    const when = at(term.renewalDueAt, 10);
    expect(due.can(renewed('chair', 'p-o', 2, term.end, when, undefined, groundsFor('chair', 'p-o', 'ballot-1', when)))).toBe(false); // reused
    expect(due.can(renewed('chair', 'p-o', 2, at(term.end, 1), when))).toBe(false); // gap
    expect(due.can(renewed('chair', 'p-someone', 2, term.end, when))).toBe(false); // not the holder
    const again = transition(officeMachine, due, renewed('chair', 'p-o', 2, term.end, when))[0];
    expect(again.value).toBe('serving');
    // The renewed term has not begun: no second renewal stacked on it.
    expect(again.can(renewed('chair', 'p-o', 3, termEndFor(term.end), at(when, 1)))).toBe(false);
    expect(termAt(again.context, at(term.end, 1))).toMatchObject({ number: 2, holderId: 'p-o' });
  });

  it('renews an IP Leader only with a recorded justification (Annex I: expected to change at least biennially)', () => {
    const term = termFrom(1, A);
    const serving = run('ip-leader', appointed('ip-leader', 'p-ip', 1, A));
    const when = at(term.renewalDueAt, 1);
    expect(serving.can(renewed('ip-leader', 'p-ip', 2, term.end, when))).toBe(false);
    expect(serving.can(renewed('ip-leader', 'p-ip', 2, term.end, when, '  '))).toBe(false);
    expect(serving.can(renewed('ip-leader', 'p-ip', 2, term.end, when, 'No other candidate stood at the Annual Meeting 2027'))).toBe(true);
  });

  it('ends a term on resignation (with a reason), cancelling a renewed term not yet begun', () => {
    const term = termFrom(1, A);
    const renewedAt = at(term.renewalDueAt, 1);
    const withRenewal = run('leader-kpis', appointed('leader-kpis', 'p-l', 1, A), renewed('leader-kpis', 'p-l', 2, term.end, renewedAt));
    const when = at(renewedAt, 3);
    expect(withRenewal.can(ended('leader-kpis', 'p-l', 1, 'resigned', when, when))).toBe(false); // no reason
    expect(withRenewal.can(ended('leader-kpis', 'p-l', 2, 'resigned', when, when, 'health'))).toBe(false); // term 2 has not begun
    const gone = transition(officeMachine, withRenewal, ended('leader-kpis', 'p-l', 1, 'resigned', when, when, 'health'))[0];
    expect(gone.value).toBe('vacant');
    expect(gone.context.terms.map(({ number, endedAt, cancelled }) => ({ number, endedAt, cancelled }))).toEqual([
      { number: 1, endedAt: when, cancelled: false },
      { number: 2, endedAt: null, cancelled: true },
    ]);
  });

  it('replaces a holder: the term ends `replaced` and the waiting candidate is appointed at the same instant', () => {
    const when = at(A, 100);
    const serving = run('chair', nominated('chair', 'p-o', T0), appointed('chair', 'p-o', 1, A), nominated('chair', 'p-new', at(A, 50), 'FAO'));
    const [after] = transition(officeMachine, serving, ended('chair', 'p-o', 1, 'replaced', when, when));
    expect(after.value).toBe('nominated');
    const [next] = transition(officeMachine, after, appointed('chair', 'p-new', 2, when));
    expect(next.value).toBe('serving');
    expect(termAt(next.context, when)).toMatchObject({ number: 2, holderId: 'p-new' });
  });

  it('records a holder serving at go-live from an imported decision, started before the recording, still running', () => {
    const goLive = at(T0, 30);
    const start = '2025-05-20T00:00:00.000Z';
    const seat = run('vice-chair-1', imported('vice-chair-1', 'p-v', 1, start, goLive));
    expect(seat.value).toBe('serving');
    expect(termAt(seat.context, at(start, 1))?.holderId).toBe('p-v');
    expect(run('chair').can(imported('chair', 'p-c', 1, '2023-05-20T00:00:00.000Z', goLive))).toBe(false); // already over
    expect(run('chair').can(imported('chair', 'p-c', 1, at(goLive, 1), goLive))).toBe(false); // in the future
  });
});
