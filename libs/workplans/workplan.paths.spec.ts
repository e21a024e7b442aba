import { describe, expect, it } from '@jest/globals';
import { getShortestPaths, getSimplePaths } from 'xstate/graph';
import type { SnapshotFrom } from 'xstate';
import { CommandRejectedError } from '../errors/index.js';
import { MemoryEventStore } from '../event-store/index.js';
import { ManualClock } from '../kernel/clock.js';
import { newId } from '../kernel/ids.js';
import { loadProcess, runCommand } from '../process-runner/index.js';
import { workplanMachine, type WorkplanMachineEvent } from '../../state-machines/workplan/workplan.machine.js';
import * as the from '../../state-machines/workplan/workplan.test-events.js';
import { clausesFor } from '../../state-machines/tools/clauses.js';
import { workplanProcess, workplanStream } from './workplan.process.js';
import { applyWorkplanEvent, type WorkplanView } from './workplan.view.js';

type Snapshot = SnapshotFrom<typeof workplanMachine>;

/**
 * The model's events, each guard's true and false sides among them: inputs before and after the deadline, a
 * reopening with and without a reason, compilations that do and do not account for every input or come too early,
 * reviews with and without comments, a presentation of the wrong round, ballots with and without a channel reason,
 * outcomes of the linked ballot and of another.
 */
const EVENTS: WorkplanMachineEvent[] = [
  the.opened(),
  the.opened(the.T_OPEN, the.T_INPUT),
  the.input('a'),
  the.input('late', the.T_LATE),
  the.reopened(),
  the.reopened(the.T_LATE, the.T_REOPENED_UNTIL, ' '),
  the.compiled(1, ['a']),
  the.compiled(1, ['a'], [], the.T_INPUT),
  the.compiled(1, [], [{ inputId: 'a', reason: 'out of scope' }]),
  the.compiled(1, [], [{ inputId: 'a', reason: '' }]),
  the.compiled(2, ['a']),
  the.reviewed(1, 'endorse'),
  the.reviewed(1, 'request-changes', ['add timelines']),
  the.reviewed(1, 'request-changes', []),
  the.reviewed(2, 'endorse'),
  the.reviewed(2, 'request-changes', ['again']),
  the.presented(1),
  the.presented(2),
  the.linked('b-1'),
  the.linked('b-1', 'electronic'),
  the.linked('b-2', 'electronic', 'between meetings (¶13(b))', 'b-1'),
  the.decided('b-1', 'approved'),
  the.decided('b-1', 'rejected'),
  the.decided('b-2', 'approved'),
  the.decided('b-2', 'failedQuorum'),
];

const guardAnswers = new Map<string, Set<boolean>>();
const guards = workplanMachine.implementations.guards as Record<string, (...args: unknown[]) => boolean>;
const instrumented = workplanMachine.provide({
  guards: Object.fromEntries(
    Object.entries(guards).map(([name, guard]) => [
      name,
      (...args: unknown[]) => {
        const answer = guard(...args);
        guardAnswers.set(name, (guardAnswers.get(name) ?? new Set()).add(answer));
        return answer;
      },
    ]),
  ),
});

const options = {
  input: { cycle: the.CYCLE },
  events: EVENTS,
  serializeState: (snapshot: Snapshot) => JSON.stringify([snapshot.value, snapshot.context]),
};
type Path = { state: Snapshot; steps: { event: WorkplanMachineEvent }[] };
const shortest = getShortestPaths(instrumented, options as never) as unknown as Path[];
const simple = getSimplePaths(instrumented, options as never) as unknown as Path[];

const label = (path: Path) =>
  path.steps
    .slice(1)
    .map(({ event }) =>
      event.type === 'WorkplanCompiled'
        ? `Compiled(${event.data.round})`
        : event.type === 'WorkplanReviewed'
          ? `Reviewed(${event.data.round}:${event.data.decision})`
          : event.type === 'AgreementBallotLinked'
            ? `Linked(${event.data.ballotId}:${event.data.channel})`
            : event.type === 'WorkplanInputSubmitted'
              ? `Input(${event.data.inputId})`
              : event.type,
    )
    .join(' → ') || '(start)';

/** Appends exactly the model's event through the real runner, at the event's instant and by its actor. */
async function append(deps: { store: MemoryEventStore; clock: ManualClock }, event: WorkplanMachineEvent) {
  deps.clock.set(event.meta.occurredAt);
  return runCommand(deps, workplanProcess, workplanStream(the.CYCLE), { commandId: newId(), actor: event.meta.actor }, () => [{ type: event.type, data: event.data }]);
}

describe('workplan process: paths generated from the machine, through the runner', () => {
  it('the shortest paths reach every state of the machine', () => {
    expect(new Set(shortest.map((path) => path.state.value))).toEqual(new Set(Object.keys(workplanMachine.config.states ?? {})));
  });

  it('every guard answered both true and false while the model was explored', () => {
    const named = Object.keys(guards);
    expect(named.length).toBeGreaterThanOrEqual(11);
    for (const name of named) expect([name, [...(guardAnswers.get(name) ?? [])].sort()]).toEqual([name, [false, true]]);
  });

  it('reaches "agreed" after two review rounds, and "not agreed" back to compilation, among the simple paths', () => {
    const labels = simple.map(label);
    expect(labels).toContain(
      'WorkplanOpened → Input(a) → Compiled(1) → Reviewed(1:request-changes) → Compiled(2) → Reviewed(2:endorse) → WorkplanPresented → Linked(b-1:meeting) → WorkplanAgreed',
    );
    expect(labels.some((name) => /WorkplanNotAgreed → Compiled\(2\)/.test(name))).toBe(true);
  });

  it.each(simple.map((path) => [label(path), path] as const))('%s', async (_label, path) => {
    const deps = { store: new MemoryEventStore(), clock: new ManualClock(the.T_OPEN) };
    const stream = workplanStream(the.CYCLE);
    for (const { event } of path.steps.slice(1)) {
      const outcome = await append(deps, event);
      expect(outcome.events.map((stored) => stored.type)).toEqual([event.type]);
    }
    const { state, events } = await loadProcess(deps.store, workplanProcess, stream);
    expect(state.value).toBe(path.state.value);
    expect(state.context).toEqual(path.state.context);
    // The read model's fold names the same state as the machine.
    const view = events.reduce<WorkplanView | undefined>((folded, event) => applyWorkplanEvent(folded, event), undefined);
    expect(view?.state ?? 'none').toBe(path.state.value);

    // Whatever the model refuses here, the runner refuses too: a 409 naming the state and the clauses, nothing appended.
    const head = await deps.store.headPosition();
    for (const event of EVENTS.filter((candidate) => !path.state.can(candidate))) {
      const refusal = append(deps, event);
      await expect(refusal).rejects.toBeInstanceOf(CommandRejectedError);
      await expect(refusal).rejects.toMatchObject({ state: path.state.value, clauses: clausesFor(workplanMachine, event.type) });
    }
    expect(await deps.store.headPosition()).toBe(head);
  });
});
