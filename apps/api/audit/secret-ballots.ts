import { replayStream } from '../../../libs/audit/index.js';
import type { Principal } from '../../../libs/auth/index.js';
import { seesEveryVote } from '../../../libs/ballots/ballot-visibility.js';
import { ForbiddenCommandError } from '../../../libs/errors/index.js';
import type { EventStore } from '../../../libs/event-store/index.js';

const BALLOT_PREFIX = 'ballot-';

/**
 * Refuses to hand raw ballot events to someone from whom their votes are secret as the ballots stand now
 * (`seesEveryVote`: the Secretariat, which may close a ballot early, until the close): the replay and export
 * endpoints call it with the ballot streams they would give out (all of them when `streams` is undefined).
 */
export async function refuseSecretBallots(store: EventStore, principal: Principal, streams?: readonly string[]): Promise<void> {
  const secret = await secretBallots(store, principal, streams);
  if (secret.length > 0) throw secretBallotsRefused(secret);
}

/** The refusal for ballots (`stream (state)` each) whose votes are secret from the caller. */
export function secretBallotsRefused(secret: readonly string[]): ForbiddenCommandError {
  return new ForbiddenCommandError(
    `the votes of ${secret.length === 1 ? 'ballot' : 'ballots'} ${secret.slice(0, 5).join(', ')}${secret.length > 5 ? ', …' : ''} stay secret until ` +
      'the close (ToR ¶13(b)): the Secretariat, who may close a ballot early, sees who has voted through GET /v1/ballots/{id}, not how. ' +
      'An auditor can replay or export them now; the Secretariat once they are closed (or export another stream or time range)',
    { clauses: ['¶13(b)'], streams: [...secret] },
  );
}

/** The ballot streams (with their state now) among `streams` (all when undefined) whose votes are secret from this person. */
async function secretBallots(store: EventStore, principal: Principal, streams?: readonly string[]): Promise<string[]> {
  if (seesEveryVote('open', principal)) return [];
  const ballots = streams ? streams.filter((stream) => stream.startsWith(BALLOT_PREFIX)) : await store.streamNames(BALLOT_PREFIX);
  const secret: string[] = [];
  for (const stream of ballots) {
    const { replay } = await replayStream(store, stream).catch(() => ({ replay: undefined }));
    if (replay && replay.machine.id === 'ballot' && !seesEveryVote(replay.state, principal)) secret.push(`${stream} (${replay.state})`);
  }
  return secret;
}
