import type { CommandOutcome } from '../../libs/process-runner/index.js';

/** What every command answers: where its events landed, the process state after it, and the resource. */
export interface CommandAnswer<T> {
  stream: string;
  state: string;
  revision: number;
  /** True when this command (same command id / Idempotency-Key) had already been applied. */
  duplicate: boolean;
  events: { id: string; type: string; revision: number; position: number; hash: string; clauses: string[] }[];
  resource: T;
}

export function commandAnswer<T>(outcome: CommandOutcome, resource: T): CommandAnswer<T> {
  return {
    stream: outcome.stream,
    state: outcome.state.value,
    revision: outcome.state.revision,
    duplicate: outcome.duplicate,
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
