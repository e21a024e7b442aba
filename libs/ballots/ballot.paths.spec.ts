import { describe, expect, it } from '@jest/globals';
import { getShortestPaths, getSimplePaths } from 'xstate/graph';
import type { SnapshotFrom } from 'xstate';
import { CommandRejectedError } from '../errors/index.js';
import { MemoryEventStore } from '../event-store/index.js';
import { ManualClock } from '../kernel/clock.js';
import { newId } from '../kernel/ids.js';
import { loadProcess, runCommand } from '../process-runner/index.js';
import { ballotMachine, type BallotMachineEvent } from '../../state-machines/ballot/ballot.machine.js';
import * as the from '../../state-machines/ballot/ballot.test-events.js';
import { clausesFor } from '../../state-machines/tools/clauses.js';
import { ballotProcess, ballotStream } from './ballot.process.js';

type Snapshot = SnapshotFrom<typeof ballotMachine>;

/**
 * The model's events: each guard's true and false sides are here (a non-member, a late vote, a change the rules
 * forbid, an opening without electorate or deadline, a forged tally, ...). A closed ballot gets its true recount
 * and a forged one, built from its context.
 */
function candidates(snapshot: Snapshot): BallotMachineEvent[] {
  const events = [
    the.drafted(),
    the.opened(the.FLEXIBLE),
    the.opened(the.STRICT),
    the.opened(the.FLEXIBLE, []),
    the.opened(the.FLEXIBLE, ['FAO', 'ITU'], the.T_OPEN),
    the.opened({ ...the.FLEXIBLE, quorum: { numerator: 3, denominator: 2 } }),
    the.cast('ITU', 'yes'),
    the.cast('FAO', 'no'),
    the.cast('UNDP', 'yes'),
    the.cast('FAO', 'yes', the.T_LATE),
    the.changed('ITU', 'yes', 'no'),
    the.changed('ITU', 'yes', 'no', the.T_LATE),
    the.closed('deadline', the.T_CLOSES),
    the.closed('deadline', the.T_VOTE),
    the.closed('all-voted', the.T_VOTE),
    the.closed('secretariat', the.T_VOTE, 'settled at the Annual Meeting'),
    the.closed('secretariat', the.T_VOTE, ' '),
    the.withdrawn(),
  ];
  if (snapshot.value === 'closed') events.push(the.decided(snapshot.context), the.decided(snapshot.context, true));
  return events;
}

/** The machine with every guard wrapped to record the answers it gave while the graph was explored. */
const guardAnswers = new Map<string, Set<boolean>>();
const guards = ballotMachine.implementations.guards as Record<string, (...args: unknown[]) => boolean>;
const instrumented = ballotMachine.provide({
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
  input: { ballotId: the.BALLOT_ID },
  events: candidates,
  // States differ by what is decided so far, not by the order the votes came in.
  serializeState: (snapshot: Snapshot) =>
    JSON.stringify([snapshot.value, snapshot.context.current, snapshot.context.rules, snapshot.context.closedBy]),
};
const shortest = getShortestPaths(instrumented, options as never) as unknown as { state: Snapshot; steps: { event: BallotMachineEvent }[] }[];
const simple = getSimplePaths(instrumented, options as never) as unknown as typeof shortest;

const label = (path: (typeof simple)[number]) =>
  path.steps
    .slice(1)
    .map(({ event }) =>
      event.type === 'VoteCast' || event.type === 'VoteChanged'
        ? `${event.type}(${event.data.partnerId}:${event.data.choice})`
        : event.type === 'BallotClosed'
          ? `BallotClosed(${event.data.cause})`
          : event.type === 'BallotOpened'
            ? `BallotOpened(${event.data.rules.allowVoteChange ? 'flexible' : 'strict'})`
            : event.type,
    )
    .join(' → ') || '(start)';

/** Appends exactly the model's event through the real runner, at the event's instant and by its actor. */
async function append(deps: { store: MemoryEventStore; clock: ManualClock }, event: BallotMachineEvent) {
  deps.clock.set(event.meta.occurredAt);
  return runCommand(deps, ballotProcess, ballotStream(the.BALLOT_ID), { commandId: newId(), actor: event.meta.actor }, () => [
    { type: event.type, data: event.data },
  ]);
}

describe('ballot process: paths generated from the machine, through the runner', () => {
  it('the shortest paths reach every state of the machine', () => {
    const states = Object.keys(ballotMachine.config.states ?? {});
    expect(new Set(shortest.map((path) => path.state.value))).toEqual(new Set(states));
  });

  it('every guard answered both true and false while the model was explored', () => {
    const named = Object.keys(guards);
    expect(named.length).toBeGreaterThanOrEqual(9);
    for (const name of named) expect([name, [...(guardAnswers.get(name) ?? [])].sort()]).toEqual([name, [false, true]]);
  });

  it('every outcome is reached by more than one simple path', () => {
    for (const outcome of ['approved', 'rejected', 'failedQuorum', 'withdrawn']) {
      expect(simple.filter((path) => path.state.value === outcome).length).toBeGreaterThan(1);
    }
  });

  it.each(simple.map((path) => [label(path), path] as const))('%s', async (_label, path) => {
    const deps = { store: new MemoryEventStore(), clock: new ManualClock(the.T_OPEN) };
    const stream = ballotStream(the.BALLOT_ID);
    for (const { event } of path.steps.slice(1)) {
      const outcome = await append(deps, event);
      expect(outcome.events.map((stored) => stored.type)).toEqual([event.type]);
    }
    const { state } = await loadProcess(deps.store, ballotProcess, stream);
    expect(state.value).toBe(path.state.value);
    // The model keys states by what is decided, so compare that (not the order the votes came in).
    const decided = ({ current, electorate, rules, closedBy, outcome }: Snapshot['context']) => ({ current, electorate, rules, closedBy, outcome });
    expect(decided(state.context as Snapshot['context'])).toEqual(decided(path.state.context));

    // Whatever the model refuses here, the runner refuses too: a 409 naming the state and the clauses, nothing appended.
    const head = await deps.store.headPosition();
    for (const event of candidates(path.state).filter((candidate) => !path.state.can(candidate))) {
      const refusal = append(deps, event);
      await expect(refusal).rejects.toBeInstanceOf(CommandRejectedError);
      await expect(refusal).rejects.toMatchObject({ state: path.state.value, clauses: clausesFor(ballotMachine, event.type) });
    }
    expect(await deps.store.headPosition()).toBe(head);
  });
});
