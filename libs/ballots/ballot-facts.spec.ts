import { describe, expect, it } from '@jest/globals';
import { MemoryEventStore } from '../event-store/index.js';
import { ManualClock } from '../kernel/clock.js';
import { loadProcess, runCommand, type Decision, type StreamFacts } from '../process-runner/index.js';
import { recount, type BallotContext } from '../../state-machines/ballot/ballot.machine.js';
import { BALLOT_ID, drafted, opened, STRICT, T_CLOSES, T_OPEN, T_VOTE } from '../../state-machines/ballot/ballot.test-events.js';
import { ballotFacts } from './ballot-facts.js';
import { ballotProcess, ballotStream } from './ballot.process.js';

function ballots() {
  const store = new MemoryEventStore();
  const clock = new ManualClock(T_OPEN);
  const facts: StreamFacts = { load: (definition, stream, options) => loadProcess(store, definition, stream, options), streamNames: (prefix) => store.streamNames(prefix) };
  let n = 0;
  const run = (decisions: (context: BallotContext) => Decision[], actor = { id: 'sec-1', role: 'secretariat' }) =>
    runCommand({ store, clock }, ballotProcess, ballotStream(BALLOT_ID), { commandId: `c-${(n += 1)}`, actor }, (state) => decisions(state.context as BallotContext));
  return { store, clock, facts, run };
}

describe('ballot facts, from the ballot stream', () => {
  it('answers a decided ballot’s status, subject, channel and outcome, with the drafted and decided events to cite', async () => {
    const { store, clock, facts, run } = ballots();
    await run(() => [drafted(), opened(STRICT, ['FAO', 'ITU'])].map(({ type, data }) => ({ type, data })));
    expect(await ballotFacts(facts, BALLOT_ID)).toMatchObject({ ballotId: BALLOT_ID, status: 'open', channel: 'electronic', subject: { kind: 'workplan' } });
    clock.set(T_VOTE);
    for (const [partnerId, choice] of [['FAO', 'yes'], ['ITU', 'no']] as const) {
      await run(() => [{ type: 'VoteCast', data: { ballotId: BALLOT_ID, partnerId, choice } }], { id: `rep-${partnerId}`, role: 'partner' });
    }
    clock.set(T_CLOSES);
    await run((context) => [
      { type: 'BallotClosed', data: { ballotId: BALLOT_ID, cause: 'deadline' } },
      { type: 'BallotDecided', data: { ballotId: BALLOT_ID, subject: context.subject, outcome: recount(context).outcome, tally: recount(context) } },
    ]);
    const events = await store.readStream(ballotStream(BALLOT_ID));
    const found = await ballotFacts(facts, BALLOT_ID);
    const outcome = (events.at(-1)!.data as { outcome: string }).outcome;
    expect(found).toEqual({
      ballotId: BALLOT_ID,
      stream: ballotStream(BALLOT_ID),
      status: outcome,
      subject: { kind: 'workplan', reference: 'workplan-2026', title: 'Workplan 2026' },
      channel: 'electronic',
      drafted: events[0],
      decided: events.at(-1),
      decision: { at: T_CLOSES, outcome },
    });
  });

  it('answers nothing for a ballot the log does not hold', async () => {
    const { facts } = ballots();
    expect(await ballotFacts(facts, 'never-opened')).toBeUndefined();
  });
});
