import { verifyLog, type Anchor, type VerifyReport } from '../envelope/index.js';
import { readAllEvents, type EventStore } from '../event-store/index.js';
import { GroundsCheck, storeLookup, withGroundsChecked, type GroundsSummary } from './grounds-check.js';
import { machineLegality } from './machine-legality.js';
import { PROCESS_REGISTRY, type ProcessRegistry } from './process-registry.js';

export interface AuditReport extends VerifyReport {
  /** The machines the checked events were replayed through, with their event counts. */
  machines: { id: string; version: number; events: number }[];
  /** The events that cite grounds, and their grounds checked against the log (grounds-check.ts). */
  grounds?: GroundsSummary;
}

/**
 * The whole check of a store's log: bytes (hash, chain, revision, position), the ledger against any published
 * anchors, every event replayed through its stream's pinned machine, and every cited ground found in the log as cited.
 */
export async function verifyStore(
  store: EventStore,
  options: { anchors?: readonly Anchor[]; registry?: ProcessRegistry } = {},
): Promise<AuditReport> {
  const legality = machineLegality(options.registry ?? PROCESS_REGISTRY);
  const grounds = new GroundsCheck();
  const report = await verifyLog(readAllEvents(store, { pageSize: 5000 }), {
    anchors: options.anchors,
    legality: (event) => legality.check(event) ?? (grounds.observe(event), null),
  });
  return { ...(await withGroundsChecked(report, grounds, storeLookup(store))), machines: legality.machines() };
}
