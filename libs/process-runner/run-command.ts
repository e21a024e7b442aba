import type { Actor, NewEvent, StoredEvent } from '../envelope/index.js';
import { ConflictError, CommandRejectedError, StoreUnavailableError } from '../errors/index.js';
import { ConcurrencyError, DuplicateEventIdError, StoreBusyError, type EventStore } from '../event-store/index.js';
import type { Clock } from '../kernel/clock.js';
import { derivedId } from '../kernel/ids.js';
import { clausesFor } from '../../state-machines/tools/clauses.js';
import { foldOnto, machineEventOf, stateValueString, stepMachine, type ProcessState } from './fold.js';
import type { Decision, ProcessDefinition } from './process-definition.js';
import { machineFor } from './load-process.js';
import { LogIntegrity } from './log-integrity.js';
import { afterAppend, loadCurrent, type CurrentProcess, type RunnerSnapshots } from './resume.js';

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
   * Attempts when a concurrent writer moves the stream between read and append, or holds the store's lock past its
   * busy timeout; default 20. Within one API process commands on a stream queue (ProcessCommands), so the races
   * left come from other processes.
   */
  maxAttempts?: number;
  /** Start from the stream's latest snapshot and write new ones (resume.ts); without it, every command folds the
   * whole stream. */
  snapshots?: RunnerSnapshots;
  /** Checks every event a command reads before it decides (log-integrity.ts); default: one checker per store. */
  integrity?: LogIntegrity;
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
 * instant the events will carry as `occurredAt`: a decision that records a time (a term's start), checks one (a
 * deadline) or reads other streams as facts at an instant (the Partner register) uses this one, so that a command
 * has one instant. Reading facts makes it async; it runs again, facts and all, when a concurrent append is retried.
 */
export type Decide = (state: ProcessState, now: Date) => Decision[] | Promise<Decision[]>;

/**
 * A decide made at the command's own instant: `build` gets the runner's `now`, reads whatever facts it needs as of
 * it, and returns the decide. Handlers use it rather than reading a clock of their own, which would give the facts
 * one instant and the events a later one.
 */
export function decidedAt(build: (now: Date) => Decide | Promise<Decide>): Decide {
  return async (state, now) => (await build(now))(state, now);
}

/**
 * The one path from a command to stored events: read the stream, fold it through its pinned machine (from its
 * latest snapshot when there is a sound one), decide, check every candidate event is a legal transition (else a 409
 * naming the state and the clause), append with the expected revision, and on a concurrent append re-read and decide
 * again (bounded). After the append, a snapshot when the stream has grown enough since the last one.
 */
export async function runCommand(
  deps: RunnerDeps,
  definition: ProcessDefinition,
  stream: string,
  command: CommandContext,
  decide: Decide,
): Promise<CommandOutcome> {
  const maxAttempts = deps.maxAttempts ?? 20;
  const integrity = deps.integrity ?? LogIntegrity.of(deps.store);
  for (let attempt = 1; ; attempt += 1) {
    const current = await loadCurrent(deps.store, definition, stream, deps.snapshots, integrity);
    const { state } = current;
    const already = await appliedEvents(deps.store, stream, command.commandId, current, integrity);
    if (already.length > 0) return { stream, events: already, state, duplicate: true };

    const now = deps.clock.now();
    const candidates = placeDecisions(definition, stream, state, command, await decide(state, now), now);
    if (candidates.length === 0) return { stream, events: [], state, duplicate: false };
    try {
      const result = await deps.store.append(stream, candidates, {
        expectedRevision: state.revision === -1 ? 'no-stream' : state.revision,
      });
      const machine = machineFor(definition, state.machineVersion);
      const next = foldOnto(machine, state, result.events);
      // Only a fresh append is known to follow `state` directly; a duplicate's events may sit further back.
      if (deps.snapshots && !result.duplicate) {
        await afterAppend(deps.snapshots, definition, stream, current, next, result.events.at(-1)!.hash);
      }
      return { stream, events: result.events, state: next, duplicate: result.duplicate };
    } catch (error) {
      // A busy store wrote nothing: like a lost race, it is decided and appended again.
      const busy = error instanceof StoreBusyError;
      const raced = busy || error instanceof ConcurrencyError || error instanceof DuplicateEventIdError;
      if (!raced) throw error;
      if (attempt >= maxAttempts && busy) {
        throw new StoreUnavailableError(
          `the store stayed busy with other writers through ${attempt} attempts and took nothing from this command; retry`,
          { stream },
        );
      }
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

/** The id of a command's `index`th event in a stream: retrying the command yields the same ids. */
export function commandEventId(stream: string, commandId: string, index: number): string {
  return derivedId('event', stream, commandId, index);
}

/**
 * The events this command already appended to the stream (none when it is new). A fold from the start has read
 * them all; after a snapshot, the events before it are found by the id of the command's first event.
 */
async function appliedEvents(
  store: EventStore,
  stream: string,
  commandId: string,
  current: CurrentProcess,
  integrity: LogIntegrity,
): Promise<StoredEvent[]> {
  const read = current.events.filter((event) => event.metadata.commandId === commandId);
  if (read.length > 0 || current.base === -1) return read;
  const first = await store.findEvent(stream, commandEventId(stream, commandId, 0));
  if (!first || first.metadata.commandId !== commandId) return [];
  const applied: StoredEvent[] = [];
  // One append holds all of a command's events, at consecutive revisions.
  for (const event of await store.readStream(stream, { fromRevision: first.revision, toRevision: current.state.revision })) {
    if (event.metadata.commandId !== commandId) break;
    applied.push(event);
  }
  // Read outside the checked fold, and handed back as the command's answer: checked on their own.
  await integrity.checkEach(applied);
  return applied;
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
      ...(decision.grounds?.length ? { grounds: decision.grounds } : {}),
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
    return { id: commandEventId(stream, command.commandId, index), type: decision.type, data: decision.data, metadata };
  });
  return events;
}
