import type { CommandOutcome } from '../../libs/process-runner/index.js';

/** What every command answers: where its events landed, the process state after it, and the resource. */
export interface CommandAnswer<T> {
  stream: string;
  state: string;
  revision: number;
  /** True when this command (same command id / Idempotency-Key) had already been applied. */
  duplicate: boolean;
  /** Present when the command asked for what is already on record (the same vote again): nothing was appended, 200. */
  unchanged?: true;
  events: { id: string; type: string; revision: number; position: number; hash: string; clauses: string[] }[];
  resource: T;
}

export function commandAnswer<T>(outcome: CommandOutcome, resource: T): CommandAnswer<T> {
  return {
    stream: outcome.stream,
    state: outcome.state.value,
    revision: outcome.state.revision,
    duplicate: outcome.duplicate,
    ...(unchanged(outcome) ? { unchanged: true as const } : {}),
    events: outcome.events.map((event) => ({
      id: event.id,
      type: event.type,
      revision: event.revision,
      position: event.position,
      hash: event.hash,
      clauses: event.metadata.clauses,
    })),
    resource,
  };
}

/** A new command (not a replay) that decided nothing to append. */
export function unchanged(outcome: CommandOutcome): boolean {
  return !outcome.duplicate && outcome.events.length === 0;
}
