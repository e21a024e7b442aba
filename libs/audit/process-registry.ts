import { ballotProcess } from '../ballots/ballot.process.js';
import { officeProcess } from '../offices/office.process.js';
import { partnerProcess } from '../partners/partner.process.js';
import type { ProcessDefinition } from '../process-runner/index.js';
import { workplanProcess } from '../workplans/workplan.process.js';
import { signingKeysProcess } from '../signing/signing-keys.process.js';

/**
 * Every process the engine runs, found by the machine id its streams pin in their first event
 * (`metadata.machine.id`): replay, verify, export and the golden logs read history through this list.
 *
 * Adding a process? Add its definition here, one line. A spec fails while a machine registered in
 * `state-machines/index.ts` has no definition here, and `u4ssc verify` reports any stored stream whose machine id
 * is missing as a fault.
 */
export const PROCESS_DEFINITIONS: readonly ProcessDefinition[] = [
  partnerProcess,
  ballotProcess,
  officeProcess,
  workplanProcess,
  signingKeysProcess,
];

export type ProcessRegistry = ReadonlyMap<string, ProcessDefinition>;

export function processRegistry(definitions: readonly ProcessDefinition[] = PROCESS_DEFINITIONS): ProcessRegistry {
  const registry = new Map<string, ProcessDefinition>();
  for (const definition of definitions) {
    if (registry.has(definition.id)) throw new Error(`two process definitions claim machine id "${definition.id}"`);
    registry.set(definition.id, definition);
  }
  return registry;
}

export const PROCESS_REGISTRY: ProcessRegistry = processRegistry();
