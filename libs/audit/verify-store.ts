import { verifyLog, type Anchor, type VerifyReport } from '../envelope/index.js';
import { readAllEvents, type EventStore, type LogCensus } from '../event-store/index.js';
import { CensusTally } from './census-check.js';
import { GroundsCheck, storeLookup, withGroundsChecked, type GroundsSummary } from './grounds-check.js';
import { machineLegality } from './machine-legality.js';
import { PROCESS_REGISTRY, type ProcessRegistry } from './process-registry.js';
import { keySummaries, readKeyRing, sealedCheck, type KeySummary } from '../signing/index.js';

export interface AuditReport extends VerifyReport {
  /** The machines the checked events were replayed through, with their event counts. */
  machines: { id: string; version: number; events: number }[];
  /** What the database held when the check began, counted by the database itself (absent for a bundle). */
  census?: LogCensus;
  /** The events that cite grounds, and their grounds checked against the log (grounds-check.ts). */
  grounds?: GroundsSummary;
  /** The log's signing keys as verify judged them (the first is the one auditors pin). */
  keys?: KeySummary[];
}

/**
 * The whole check of a store's log: bytes (hash, chain, revision, position), the ledger against any published
 * anchors, every event replayed through its stream's pinned machine, every cited ground found in the log as cited,
 * and the table's own count of its rows against what the walk was given (so a hidden or held-back event is a fault,
 * never a shorter OK).
 */
export async function verifyStore(
  store: EventStore,
  options: { anchors?: readonly Anchor[]; registry?: ProcessRegistry; trustKeys?: readonly string[] } = {},
): Promise<AuditReport> {
  // Read before the walk, so a key revoked late still applies to what it signed earlier.
  const ring = await readKeyRing(store, options.trustKeys);
  const legality = machineLegality(options.registry ?? PROCESS_REGISTRY);
  // Taken before the walk: events appended while it runs are simply checked too, never counted as missing.
  const tally = new CensusTally(await store.census());
  const grounds = new GroundsCheck();
  const sealed = sealedCheck(ring);
  const walked = await verifyLog(tally.count(readAllEvents(store, { pageSize: 5000 })), {
    anchors: [...(options.anchors ?? []), ...sealed.anchors],
    legality: (event) => legality.check(event) ?? (grounds.observe(event), null),
    signatures: sealed.signatures,
  });
  const missing = walked.ok ? tally.fault() : null;
  const report: VerifyReport = missing ? { ...walked, ok: false, anchor: null, fault: missing } : walked;
  return {
    ...(await withGroundsChecked(report, grounds, storeLookup(store))),
    machines: legality.machines(),
    census: tally.census,
    keys: keySummaries(ring),
  };
}
