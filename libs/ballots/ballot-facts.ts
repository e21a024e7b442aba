import type { StoredEvent } from '../envelope/index.js';
import type { StreamFacts } from '../process-runner/index.js';
import type { BallotContext } from '../../state-machines/ballot/ballot.machine.js';
import type { BallotDecidedData } from '../../state-machines/ballot/ballot.events.js';
import { ballotProcess, ballotStream } from './ballot.process.js';
import type { BallotStatus, BallotView } from './ballot.view.js';

/**
 * A ballot as its own stream records it: the answer commands decide on (an appointment, a workplan's agreement
 * ballot). The fields a decide step reads carry the same names as the read model's, so a step reads either;
 * `drafted` and `decided` are the events to cite as grounds.
 */
export interface BallotFacts extends Pick<BallotView, 'ballotId' | 'stream' | 'status' | 'subject' | 'channel'> {
  decision?: Pick<NonNullable<BallotView['decision']>, 'at' | 'outcome'>;
  /** The `BallotDrafted` event: subject and channel. */
  drafted?: StoredEvent;
  /** The `BallotDecided` event, once decided: outcome and tally. */
  decided?: StoredEvent;
}

/** The ballot folded from its stream; undefined when the stream records nothing. */
export async function ballotFacts(facts: StreamFacts, ballotId: string): Promise<BallotFacts | undefined> {
  const { state, events } = await facts.load(ballotProcess, ballotStream(ballotId));
  const context = state.context as BallotContext;
  const drafted = events.find((event) => event.type === 'BallotDrafted');
  if (state.value === 'none' || !drafted || !context.subject || !context.channel) return undefined;
  const decided = events.find((event) => event.type === 'BallotDecided');
  return {
    ballotId: context.ballotId,
    stream: ballotStream(ballotId),
    status: state.value as BallotStatus,
    subject: context.subject,
    channel: context.channel,
    drafted,
    ...(decided ? { decided, decision: { at: decided.metadata.occurredAt, outcome: (decided.data as BallotDecidedData).outcome } } : {}),
  };
}
