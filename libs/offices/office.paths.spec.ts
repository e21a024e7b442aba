import { describe, expect, it } from '@jest/globals';
import { getShortestPaths } from 'xstate/graph';
import type { SnapshotFrom } from 'xstate';
import { CommandRejectedError } from '../errors/index.js';
import { MemoryEventStore } from '../event-store/index.js';
import { ManualClock } from '../kernel/clock.js';
import { newId } from '../kernel/ids.js';
import { loadProcess, runCommand } from '../process-runner/index.js';
import { lastTerm, officeMachine, type OfficeMachineEvent } from '../../state-machines/office/office.machine.js';
import { appointed, at, ended, groundsFor, imported, nominated, renewalDue, renewed, T0 } from '../../state-machines/office/office.test-events.js';
import { clausesFor } from '../../state-machines/tools/clauses.js';
import { officeProcess, officeStream } from './office.process.js';

type Snapshot = SnapshotFrom<typeof officeMachine>;

/**
 * The model's events for a snapshot, each guard's true and false sides among them, at instants that never go back
 * in time along a path: while the seat is empty, after its last term; while held, after the term's start (serving)
 * or its renewal date (renewal due).
 */
function candidates(snapshot: Snapshot): OfficeMachineEvent[] {
  const { seat, holder, decisionsUsed, nominations, terms } = snapshot.context;
  const last = lastTerm(snapshot.context);
  const next = terms.length + 1;
  // Bounded so that the model is finite: two terms at most, two candidates at most.
  if (terms.length >= 2 && !holder) return [];
  if (!holder || !last) {
    const base = at(last ? (last.endedAt ?? last.end) : T0, 1);
    const when = at(base, 1);
    const events = [
      ...(nominations.length < 2 ? [nominated(seat, 'p-a', base), nominated(seat, 'p-c', base, null)] : [nominated(seat, 'p-a', base)]),
      appointed(seat, 'p-a', next, when, groundsFor(seat, 'p-a', `ballot-${next}-a`, when)),
      appointed(seat, 'p-z', next, when, groundsFor(seat, 'p-z', `ballot-${next}-z`, when)),
      appointed(seat, 'p-a', next + 1, when), // misnumbered
      appointed(seat, 'p-a', next, when, groundsFor(seat === 'chair' ? 'leader-x' : 'chair', 'p-a', 'b', when)), // the wrong body
      imported(seat, 'p-i', next, at(base, 0, 1), when),
      imported(seat, 'p-i', next, at(base, -800), when), // already over at go-live
    ];
    if (decisionsUsed[0]) events.push(appointed(seat, 'p-a', next, when, groundsFor(seat, 'p-a', decisionsUsed[0], when)));
    return events;
  }
  const from = snapshot.value === 'renewalDue' ? last.renewalDueAt : last.start;
  const [n, r, x] = [at(from, 1), at(from, 2), at(from, 3)];
  const person = holder.personId;
  const events = [
    nominated(seat, 'p-next', n),
    renewalDue(seat, person, last, last.renewalDueAt),
    renewalDue(seat, person, last, at(last.renewalDueAt, 0, -1)),
    ...(terms.length < 2
      ? [
          renewed(seat, person, next, last.end, r, 'No other candidate stood', groundsFor(seat, person, `ballot-${next}-r`, r)),
          renewed(seat, person, next, last.end, r, undefined, groundsFor(seat, person, `ballot-${next}-r`, r)), // no justification
          renewed(seat, 'p-someone-else', next, last.end, r),
        ]
      : []),
    ended(seat, person, last.number, 'resigned', x, x, 'personal reasons'),
    ended(seat, person, last.number, 'resigned', x, x), // no reason
    ended(seat, person, last.number, 'replaced', x, x),
    ended(seat, person, last.number, 'expired', last.end, last.end),
    ended(seat, person, last.number, 'expired', last.end, at(last.end, 0, -1)),
  ];
  if (decisionsUsed[0]) events.push(renewed(seat, person, next, last.end, r, 'again', groundsFor(seat, person, decisionsUsed[0], r)));
  return events;
}

/** The machine with every guard wrapped to record the answers it gave while the graph was explored. */
const guardAnswers = new Map<string, Set<boolean>>();
const guards = officeMachine.implementations.guards as Record<string, (...args: unknown[]) => boolean>;
const instrumented = officeMachine.provide({
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

type Path = { state: Snapshot; steps: { event: OfficeMachineEvent }[] };

// Each kind of seat: the Partners Board's (Chair), the Chair's (a Leader), the Annual Meeting's (IP Leader).
const SEATS = ['chair', 'leader-kpis', 'ip-leader'] as const;
const explored = SEATS.map((seat) => {
  const options = {
    input: { seat },
    events: candidates,
    // Exact: the candidates depend on the whole context (the terms' dates), so no two states may be merged.
    serializeState: (snapshot: Snapshot) => JSON.stringify([snapshot.value, snapshot.context]),
  };
  return {
    seat,
    shortest: getShortestPaths(instrumented, options as never) as unknown as Path[],
  };
});

const label = (path: Path) =>
  path.steps
    .slice(1)
    .map(({ event }) =>
      event.type === 'TermEnded' ? `TermEnded(${event.data.cause})` : event.type === 'HolderAppointed' && event.data.grounds.kind === 'imported' ? 'HolderAppointed(imported)' : event.type,
    )
    .join(' → ') || '(start)';

/** Appends exactly the model's event through the real runner, at the event's instant and by its actor. */
async function append(deps: { store: MemoryEventStore; clock: ManualClock }, seat: string, event: OfficeMachineEvent) {
  deps.clock.set(event.meta.occurredAt);
  return runCommand(deps, officeProcess, officeStream(seat), { commandId: newId(), actor: event.meta.actor }, () => [{ type: event.type, data: event.data }]);
}

describe('office process: paths generated from the machine, through the runner', () => {
  it('the shortest paths reach every state of the machine, for every kind of seat', () => {
    const states = Object.keys(officeMachine.config.states ?? {});
    for (const { seat, shortest } of explored) {
      const reached = new Set(shortest.map((path) => path.state.value as string));
      // Leaders are never nominated (¶19): their seats never wait with candidates.
      expect([seat, reached]).toEqual([seat, new Set(seat.startsWith('leader-') ? states.filter((state) => state !== 'nominated') : states)]);
    }
  });

  it('every guard answered both true and false while the model was explored', () => {
    const named = Object.keys(guards);
    expect(named.length).toBeGreaterThanOrEqual(11);
    for (const name of named) expect([name, [...(guardAnswers.get(name) ?? [])].sort()]).toEqual([name, [false, true]]);
  });

  it('reaches a second term by renewal and by a new appointment, and takes a replacement mid-term', () => {
    const all = explored.flatMap(({ shortest }) => shortest);
    expect(all.some((path) => path.steps.some((step) => step.event.type === 'TermRenewed'))).toBe(true);
    expect(all.some((path) => path.steps.filter((step) => step.event.type === 'HolderAppointed').length === 2)).toBe(true);
    // A replacement leads to the same state as a resignation at that instant, so the shortest paths show one of them.
    const replaced = (event: OfficeMachineEvent) => event.type === 'TermEnded' && event.data.cause === 'replaced';
    expect(all.some((path) => candidates(path.state).some((event) => replaced(event) && path.state.can(event)))).toBe(true);
  });

  // One path to each reachable state (states are exact: every context, so every date, counts): ~1,000 in all.
  describe.each(explored.map(({ seat, shortest }) => [seat, shortest] as const))('%s', (seat, shortest) => {
    it.each(shortest.map((path) => [label(path), path] as const))('%s', async (_label, path) => {
      const deps = { store: new MemoryEventStore(), clock: new ManualClock(T0) };
      for (const { event } of path.steps.slice(1)) {
        const outcome = await append(deps, seat, event);
        expect(outcome.events.map((stored) => stored.type)).toEqual([event.type]);
      }
      const { state } = await loadProcess(deps.store, officeProcess, officeStream(seat));
      expect(state.value).toBe(path.state.value);
      expect(state.context).toEqual(path.state.context);

      // Whatever the model refuses here, the runner refuses too: a 409 naming the state and the clauses, nothing appended.
      const head = await deps.store.headPosition();
      for (const event of candidates(path.state).filter((candidate) => !path.state.can(candidate))) {
        const refusal = append(deps, seat, event);
        await expect(refusal).rejects.toBeInstanceOf(CommandRejectedError);
        await expect(refusal).rejects.toMatchObject({ state: path.state.value, clauses: clausesFor(officeMachine, event.type) });
      }
      expect(await deps.store.headPosition()).toBe(head);
    });
  });
});
