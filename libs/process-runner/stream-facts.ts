import type { Ground, StoredEvent } from '../envelope/index.js';
import type { LoadedProcess, LoadOptions } from './load-process.js';
import type { ProcessDefinition } from './process-definition.js';

/**
 * Where command handlers read the facts a decision rests on: the streams that record them, folded through their
 * machines (ProcessCommands implements it), never a read model, which may trail the log or have been written to
 * by hand (docs/integrity.md).
 */
export interface StreamFacts {
  load(definition: ProcessDefinition, stream: string, options?: LoadOptions): Promise<LoadedProcess>;
  streamNames(prefix: string): Promise<string[]>;
}

/** A ground citing a stored event, with what the decision relies on its data saying. */
export function cite(event: StoredEvent, claim?: Record<string, unknown>): Ground {
  return { stream: event.stream, revision: event.revision, hash: event.hash, type: event.type, ...(claim ? { claim } : {}) };
}
