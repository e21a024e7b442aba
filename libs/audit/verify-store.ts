import { verifyLog, type Anchor, type StoredEvent, type StreamStart, type VerifyReport } from '../envelope/index.js';
import { readAllEvents, type EventStore, type LogCensus } from '../event-store/index.js';
import { CensusTally } from './census-check.js';
import { GroundsCheck, storeLookup, withGroundsChecked, type GroundsSummary } from './grounds-check.js';
import { machineLegality, type MachineLegality } from './machine-legality.js';
import { PROCESS_REGISTRY, type ProcessRegistry } from './process-registry.js';
import { keySummaries, readKeyRing, sealedCheck, type KeyRing, type KeySummary } from '../signing/index.js';

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

/** Where an incremental run starts: a verified checkpoint's head (verify-checkpoint.ts). */
export interface ResumePoint {
  position: number;
  seq: number;
  hash: string;
  ledgerHash: string;
}

/**
 * The whole check of a store's log: bytes (hash, chain, revision, position), the ledger against any published
 * anchors, every event replayed through its stream's pinned machine, every cited ground found in the log as cited,
 * and the table's own count of its rows against what the walk was given (so a hidden or held-back event is a fault,
 * never a shorter OK).
 *
 * With `resumeFrom` (a verified checkpoint), the same checks of the events after it only: each touched stream's
 * earlier events are read from the store to give the chain link and the machine state before its first new event,
 * the ledger continues from the checkpoint's, and the census counts the checkpoint's events as delivered. What
 * lies before the checkpoint is taken as verified: only a full run finds a change made there since.
 */
export async function verifyStore(
  store: EventStore,
  options: {
    anchors?: readonly Anchor[];
    registry?: ProcessRegistry;
    trustKeys?: readonly string[];
    /** The key ring, when the caller has read it already (with the same trusted keys). */
    ring?: KeyRing;
    resumeFrom?: ResumePoint;
  } = {},
): Promise<AuditReport> {
  // Read before the walk, so a key revoked late still applies to what it signed earlier.
  const ring = options.ring ?? (await readKeyRing(store, options.trustKeys));
  const legality = machineLegality(options.registry ?? PROCESS_REGISTRY);
  const from = options.resumeFrom;
  // Taken before the walk: events appended while it runs are simply checked too, never counted as missing.
  const tally = new CensusTally(await store.census(), from?.seq ?? 0);
  const grounds = new GroundsCheck();
  const sealed = sealedCheck(ring);
  const starts = new Map<string, StreamStart>();
  const unreplayable = new Map<string, string>();
  const events = yieldingEvery(1000, readAllEvents(store, { pageSize: 5000, ...(from && { after: from.position }) }));
  const walked = await verifyLog(tally.count(from ? resumedStreams(store, events, starts, legality, unreplayable) : events), {
    // Anchors at or before the checkpoint are not walked: the checkpoint's own ledger stands for them.
    anchors: [...(options.anchors ?? []), ...sealed.anchors].filter((anchor) => !from || anchor.seq > from.seq),
    legality: (event) => unreplayable.get(event.stream) ?? legality.check(event) ?? (grounds.observe(event), null),
    signatures: sealed.signatures,
    starts,
    ...(from && { resumeFrom: from }),
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

/**
 * Passes the events after a checkpoint through; before the first event of each stream, reads that stream's
 * earlier events from the store: the last gives the chain's start, and all are folded through the stream's
 * machine (a history that no longer folds is that event's fault).
 */
async function* resumedStreams(
  store: EventStore,
  events: AsyncIterable<StoredEvent>,
  starts: Map<string, StreamStart>,
  legality: MachineLegality,
  unreplayable: Map<string, string>,
): AsyncGenerator<StoredEvent> {
  const seen = new Set<string>();
  for await (const event of events) {
    if (!seen.has(event.stream)) {
      seen.add(event.stream);
      if (event.revision > 0) {
        const prior = await store.readStream(event.stream, { toRevision: event.revision - 1 });
        const last = prior.at(-1);
        if (last) starts.set(event.stream, { revision: last.revision, hash: last.hash });
        const problem = legality.resume(prior);
        if (problem) unreplayable.set(event.stream, `the stream's events before the checkpoint no longer replay: ${problem}`);
      }
    }
    yield event;
  }
}

/**
 * Passes the events through, letting the process serve other work every `n` events: the walk hashes and checks
 * signatures synchronously, and a full one (scheduled in the leading API process) would otherwise hold every
 * request for as long as it runs.
 */
async function* yieldingEvery(n: number, events: AsyncIterable<StoredEvent>): AsyncGenerator<StoredEvent> {
  let count = 0;
  for await (const event of events) {
    if ((count += 1) % n === 0) await new Promise((resolve) => setImmediate(resolve));
    yield event;
  }
}
