import type { AnyStateMachine } from 'xstate';
import type { StoredEvent } from '../envelope/index.js';
import type { EventStore } from '../event-store/index.js';
import { foldEvents, type ProcessState } from './fold.js';
import type { LogIntegrity } from './log-integrity.js';
import type { ProcessDefinition } from './process-definition.js';

export interface LoadedProcess {
  state: ProcessState;
  events: StoredEvent[];
}

export interface LoadOptions {
  /** Fold only the events up to this instant (inclusive, by occurredAt). */
  at?: Date;
  /** Fold only the events up to this global position (inclusive). */
  position?: number;
}

export function machineFor(definition: ProcessDefinition, version: number): AnyStateMachine {
  const machine = definition.versions[version];
  if (!machine) throw new Error(`${definition.id} machine version ${version} is not known to this engine`);
  return machine;
}

/**
 * A stream's state, optionally as it stood at an instant or a global position (time travel). With `integrity`,
 * every event of the stream is checked before any is folded (an IntegrityError when one fails): what a command
 * decides on. Without it (auditors' replays of a log they verify otherwise), the events are folded as read.
 */
export async function loadProcess(
  store: EventStore,
  definition: ProcessDefinition,
  stream: string,
  options: LoadOptions = {},
  integrity?: LogIntegrity,
): Promise<LoadedProcess> {
  const all = await store.readStream(stream);
  await integrity?.checkStream(stream, all);
  const events = all.filter(
    (event) =>
      (options.at === undefined || Date.parse(event.metadata.occurredAt) <= options.at.getTime()) &&
      (options.position === undefined || event.position <= options.position),
  );
  const pinned = events[0]?.metadata.machine;
  if (pinned && pinned.id !== definition.id) {
    throw new Error(`stream "${stream}" belongs to machine "${pinned.id}", not "${definition.id}"`);
  }
  const version = pinned?.version ?? definition.currentVersion;
  const state = foldEvents(machineFor(definition, version), definition.input(stream), events, version);
  return { state, events };
}
