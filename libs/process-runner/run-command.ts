import type { Actor, NewEvent, StoredEvent } from '../envelope/index.js';
import { ConflictError, CommandRejectedError } from '../errors/index.js';
import { ConcurrencyError, DuplicateEventIdError, type EventStore } from '../event-store/index.js';
import type { Clock } from '../kernel/clock.js';
import { derivedId } from '../kernel/ids.js';
import { clausesFor } from '../../state-machines/tools/clauses.js';
import { foldOnto, machineEventOf, stateValueString, stepMachine, type ProcessState } from './fold.js';
import type { Decision, ProcessDefinition } from './process-definition.js';
import { loadProcess, machineFor } from './load-process.js';

export interface CommandContext {
  /** Event ids derive from it: the same command id never appends twice. */
  commandId: string;
  actor: Actor;
  correlationId?: string;
  causationId?: string;
  /** Recording a decision taken before the system went live (a bootstrap import): marks the events `imported`. */
  imported?: boolean;
}

export interface RunnerDeps {
  store: EventStore;
  clock: Clock;
  /**
   * Attempts when a concurrent writer moves the stream between read and append; default 20. Within one API
   * process commands on a stream queue (ProcessCommands), so the races left come from other processes.
   */
  maxAttempts?: number;
}

export interface CommandOutcome {
  stream: string;
  events: StoredEvent[];
  state: ProcessState;
  /** True when this command id had already been applied: nothing new was appended. */
  duplicate: boolean;
}

/**
 * Decides from the current state; throws a DomainError to refuse. Returns the events to append. `now` is the
 * instant the events will carry as `occurredAt`, so a decision that records a time (a term's start) can match it.
 */
export type Decide = (state: ProcessState, now: Date) => Decision[];

/**
 * The one path from a command to stored events: read the stream, fold it through its pinned machine, decide,
 * check every candidate event is a legal transition (else a 409 naming the state and the clause), append with
 * the expected revision, and on a concurrent append re-read and decide again (bounded).
 */
export async function runCommand(
  deps: RunnerDeps,
  definition: ProcessDefinition,
  stream: string,
  command: CommandContext,
  decide: Decide,
): Promise<CommandOutcome> {
  const maxAttempts = deps.maxAttempts ?? 20;
  for (let attempt = 1; ; attempt += 1) {
    const { state, events: history } = await loadProcess(deps.store, definition, stream);
    const already = history.filter((event) => event.metadata.commandId === command.commandId);
    if (already.length > 0) return { stream, events: already, state, duplicate: true };

    const now = deps.clock.now();
    const candidates = placeDecisions(definition, stream, state, command, decide(state, now), now);
    if (candidates.length === 0) return { stream, events: [], state, duplicate: false };
    try {
      const result = await deps.store.append(stream, candidates, {
        expectedRevision: state.revision === -1 ? 'no-stream' : state.revision,
      });
      const machine = machineFor(definition, state.machineVersion);
      const next = foldOnto(machine, state, result.events);
      return { stream, events: result.events, state: next, duplicate: result.duplicate };
    } catch (error) {
      const raced = error instanceof ConcurrencyError || error instanceof DuplicateEventIdError;
      if (!raced) throw error;
      if (attempt >= maxAttempts) {
        throw new ConflictError(
          `stream "${stream}" kept changing while the command was decided (${attempt} attempts); try again`,
          { stream },
        );
      }
      // A short random pause before re-deciding spreads out writers from other processes that lost the same race.
      await new Promise((resolve) => setTimeout(resolve, Math.random() * Math.min(50, 2 ** attempt)));
    }
  }
}

function placeDecisions(
  definition: ProcessDefinition,
  stream: string,
  state: ProcessState,
  command: CommandContext,
  decisions: readonly Decision[],
  now: Date,
): NewEvent[] {
  const machine = machineFor(definition, state.machineVersion);
  const occurredAt = now.toISOString();
  let snapshot = state.snapshot;
  const events = decisions.map((decision, index): NewEvent => {
    const clauses = clausesFor(machine, decision.type);
    const metadata: NewEvent['metadata'] = {
      actor: command.actor,
      commandId: command.commandId,
      correlationId: command.correlationId ?? command.commandId,
      causationId: command.causationId ?? command.commandId,
      occurredAt,
      machine: { id: definition.id, version: state.machineVersion },
      torVersion: definition.torVersion,
      clauses,
      ...(command.imported ? { imported: true } : {}),
    };
    const machineEvent = machineEventOf({ type: decision.type, data: decision.data, metadata });
    const next = stepMachine(machine, snapshot, machineEvent);
    if (!next) {
      const current = stateValueString(snapshot);
      const cited = clauses.length ? ` (ToR ${clauses.join(', ')})` : '';
      throw new CommandRejectedError(
        `${decision.type} is not allowed while ${definition.id} "${stream}" is ${current}${cited}`,
        current,
        clauses,
        { stream, event: decision.type },
      );
    }
    snapshot = next;
    return { id: derivedId('event', stream, command.commandId, index), type: decision.type, data: decision.data, metadata };
  });
  return events;
}
