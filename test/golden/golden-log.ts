import { initialTransition, transition, type AnyMachineSnapshot } from 'xstate';
import { canonicalJson, type StoredEvent } from '../../libs/envelope/index.js';
import { PROCESS_REGISTRY, type ProcessRegistry } from '../../libs/audit/index.js';
import { machineEventOf, stateValueString } from '../../libs/process-runner/index.js';

/**
 * A golden log (test/golden/*.jsonl): a header line, then one line per stored event with the state of its
 * stream right after it, as the engine answered during a real run:
 *
 *   {"golden":"u4ssc-golden/1","name":…,"description":…,"recordedWith":{…}}
 *   {"event":{…stored event…},"state":{"value":"registered","context":{…}}}
 *
 * Old logs are never re-recorded: they are the history the engine must go on reading the same way.
 */
export const GOLDEN_FORMAT = 'u4ssc-golden/1';

export interface GoldenHeader {
  golden: typeof GOLDEN_FORMAT;
  name: string;
  description: string;
  recordedWith: { name: string; version: string };
}

export interface GoldenEntry {
  event: StoredEvent;
  state: { value: string; context: unknown };
}

export interface GoldenLog {
  header: GoldenHeader;
  entries: GoldenEntry[];
}

export function parseGolden(text: string): GoldenLog {
  const [first, ...rest] = text.split('\n').filter((line) => line.trim() !== '');
  const header = JSON.parse(first!) as GoldenHeader;
  if (header.golden !== GOLDEN_FORMAT) throw new Error(`not a ${GOLDEN_FORMAT} log`);
  return { header, entries: rest.map((line) => JSON.parse(line) as GoldenEntry) };
}

export function goldenText(header: GoldenHeader, entries: readonly GoldenEntry[]): string {
  return [header, ...entries.map(({ event, state }) => ({ event, state }))].map((line) => `${canonicalJson(line)}\n`).join('');
}

export interface GoldenMismatch {
  eventId: string;
  stream: string;
  revision: number;
  why: string;
}

/**
 * Replays a golden log through the machines this engine has now (each stream with the version it pinned) and
 * lists every event after which the state differs from the recorded one, or which is no longer legal.
 */
export function replayGolden(log: GoldenLog, registry: ProcessRegistry = PROCESS_REGISTRY): GoldenMismatch[] {
  const snapshots = new Map<string, AnyMachineSnapshot>();
  const mismatches: GoldenMismatch[] = [];
  for (const { event, state } of log.entries) {
    const where = { eventId: event.id, stream: event.stream, revision: event.revision };
    const { id, version } = event.metadata.machine;
    const definition = registry.get(id);
    const machine = definition?.versions[version];
    if (!definition || !machine) {
      mismatches.push({ ...where, why: `machine ${id} v${version} is gone: old streams pinned to it can no longer be read` });
      continue;
    }
    const before = snapshots.get(event.stream) ?? initialTransition(machine, definition.input(event.stream))[0];
    const machineEvent = machineEventOf(event);
    if (!before.can(machineEvent)) {
      mismatches.push({ ...where, why: `${event.type} is no longer a legal transition from "${stateValueString(before)}"` });
      continue;
    }
    const [after] = transition(machine, before, machineEvent);
    snapshots.set(event.stream, after);
    const value = stateValueString(after);
    if (value !== state.value) mismatches.push({ ...where, why: `state is now "${value}", was recorded as "${state.value}"` });
    else if (canonicalJson(after.context) !== canonicalJson(state.context)) {
      mismatches.push({ ...where, why: `context is now ${canonicalJson(after.context)}, was recorded as ${canonicalJson(state.context)}` });
    }
  }
  return mismatches;
}
