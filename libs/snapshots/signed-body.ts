import { canonicalJson } from '../envelope/canonical-json.js';
import type { ProcessSnapshot } from './port.js';

/**
 * The text a snapshot's signature covers: every other field, as canonical JSON. The one definition used both to
 * sign a snapshot and to check it, so a change to any field (the state above all) breaks the signature.
 */
export function snapshotSignedBody(snapshot: Omit<ProcessSnapshot, 'signature'>): string {
  return canonicalJson({
    stream: snapshot.stream,
    machineId: snapshot.machineId,
    machineVersion: snapshot.machineVersion,
    format: snapshot.format,
    revision: snapshot.revision,
    hash: snapshot.hash,
    state: snapshot.state,
  });
}
