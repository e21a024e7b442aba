import { verifyLog, type Anchor, type VerifyReport } from '../envelope/index.js';
import { readAllEvents, type EventStore } from '../event-store/index.js';
import { machineLegality } from './machine-legality.js';
import { PROCESS_REGISTRY, type ProcessRegistry } from './process-registry.js';
import { keySummaries, readKeyRing, type KeySummary } from '../signing/index.js';

export interface AuditReport extends VerifyReport {
  /** The machines the checked events were replayed through, with their event counts. */
  machines: { id: string; version: number; events: number }[];
  /** The log's signing keys as verify judged them (the first is the one auditors pin). */
  keys?: KeySummary[];
}

/**
 * The whole check of a store's log: bytes (hash, chain, revision, position), the ledger against any published
 * anchors, and every event replayed through its stream's pinned machine.
 */
export async function verifyStore(
  store: EventStore,
  options: { anchors?: readonly Anchor[]; registry?: ProcessRegistry; trustKeys?: readonly string[] } = {},
): Promise<AuditReport> {
  // Read before the walk, so a key revoked late still applies to what it signed earlier.
  const ring = await readKeyRing(store, options.trustKeys);
  const legality = machineLegality(options.registry ?? PROCESS_REGISTRY);
  const report = await verifyLog(readAllEvents(store, { pageSize: 5000 }), {
    anchors: options.anchors,
    legality: legality.check,
    signatures: ring,
  });
  return { ...report, machines: legality.machines(), keys: keySummaries(ring) };
}
