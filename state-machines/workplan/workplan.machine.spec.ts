import { describe, expect, it } from '@jest/globals';
import { initialTransition, transition, type SnapshotFrom } from 'xstate';
import { workplanMachine, type WorkplanMachineEvent } from './workplan.machine.js';
import * as the from './workplan.test-events.js';

type Snapshot = SnapshotFrom<typeof workplanMachine>;

function fold(events: WorkplanMachineEvent[]): Snapshot {
  let [snapshot] = initialTransition(workplanMachine, { cycle: the.CYCLE });
  for (const event of events) {
    expect([event.type, snapshot.can(event)]).toEqual([event.type, true]);
    [snapshot] = transition(workplanMachine, snapshot, event);
  }
  return snapshot;
}

describe('workplan machine (ToR ¶10(a)-(d))', () => {
  it('runs a cycle with two review rounds to agreed', () => {
    const end = fold([
      the.opened(),
      the.input('a'),
      the.input('b', the.T_INPUT, the.LEADER),
      the.compiled(1, ['a'], [{ inputId: 'b', reason: 'out of scope' }]),
      the.reviewed(1, 'request-changes', ['take the KPI input']),
      the.compiled(2, ['a', 'b']),
      the.reviewed(2, 'endorse'),
      the.presented(2),
      the.linked('ballot-1'),
      the.decided('ballot-1', 'approved', 2),
    ]);
    expect(end.value).toBe('agreed');
    expect(end.context.rounds.map((round) => round.review)).toEqual(['request-changes', 'endorse']);
  });

  it('refuses a late input until the Secretariat reopens inputs with a reason', () => {
    const open = fold([the.opened(), the.input('a')]);
    expect(open.can(the.input('late', the.T_LATE))).toBe(false);
    expect(open.can(the.reopened(the.T_LATE, the.T_REOPENED_UNTIL, ' '))).toBe(false);
    const [reopened] = transition(workplanMachine, open, the.reopened());
    expect(reopened.can(the.input('late', the.T_LATE))).toBe(true);
  });

  it('refuses a compilation before the deadline or one that does not account for every input', () => {
    const open = fold([the.opened(), the.input('a'), the.input('b')]);
    expect(open.can(the.compiled(1, ['a', 'b'], [], the.T_INPUT))).toBe(false);
    expect(open.can(the.compiled(1, ['a']))).toBe(false);
    expect(open.can(the.compiled(1, ['a'], [{ inputId: 'b', reason: ' ' }]))).toBe(false);
    expect(open.can(the.compiled(1, ['a', 'a', 'b']))).toBe(false);
    expect(open.can(the.compiled(2, ['a', 'b']))).toBe(false);
    expect(open.can(the.compiled(1, ['a'], [{ inputId: 'b', reason: 'duplicate of a' }]))).toBe(true);
  });

  it('does not present before the Management Team endorsed, and needs comments to request changes', () => {
    const compiled = fold([the.opened(), the.input('a'), the.compiled(1, ['a'])]);
    expect(compiled.can(the.presented(1))).toBe(false);
    expect(compiled.can(the.reviewed(1, 'request-changes', []))).toBe(false);
    expect(compiled.can(the.reviewed(2, 'endorse'))).toBe(false);
  });

  it('moves on only on the linked ballot’s outcome; not agreed goes back to compilation', () => {
    const voting = fold([the.opened(), the.input('a'), the.compiled(1, ['a']), the.reviewed(1, 'endorse'), the.presented(1), the.linked('b-1')]);
    expect(voting.can(the.decided('b-other', 'approved'))).toBe(false);
    expect(voting.can(the.decided('b-1', 'approved'))).toBe(true);
    const [notAgreed] = transition(workplanMachine, voting, the.decided('b-1', 'rejected'));
    expect(notAgreed.value).toBe('notAgreed');
    expect(notAgreed.can(the.compiled(2, ['a']))).toBe(true);
    expect(notAgreed.can(the.decided('b-1', 'approved'))).toBe(false);
  });

  it('asks a reason for an electronic agreement ballot (¶10(d): at the Annual Meeting)', () => {
    const presented = fold([the.opened(), the.input('a'), the.compiled(1, ['a']), the.reviewed(1, 'endorse'), the.presented(1)]);
    expect(presented.can(the.linked('b-1', 'electronic'))).toBe(false);
    expect(presented.can(the.linked('b-1', 'electronic', 'no quorum at the meeting; decided between meetings (¶13(b))'))).toBe(true);
  });
});
