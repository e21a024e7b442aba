import { LEDGER_GENESIS, type Anchor } from '../envelope/index.js';
import type { EventStore } from '../event-store/index.js';
import type { ReadModelStore } from '../read-models/port.js';
import { readKeyRing, type SigningKey } from '../signing/index.js';
import { engineVersion } from './engine-version.js';
import type { ProcessRegistry } from './process-registry.js';
import { readVerifyRecords, saveVerifyRecord, signVerifyRecord, verifyRecordProblem, type VerifyRecord } from './verify-checkpoint.js';
import { verifyStore, type AuditReport } from './verify-store.js';

/** A record as a report names it: when, what kind, where it stopped, and what it found. */
export interface VerifyRecordSummary {
  kind: 'full' | 'incremental';
  ok: boolean;
  at: string;
  seq: number;
  position: number;
  fault: VerifyRecord['fault'];
}

export interface VerificationInfo {
  /** `incremental`: only the events after `from` were checked. */
  kind: 'full' | 'incremental';
  from: VerifyRecordSummary | null;
  /** Why an incremental verification was asked for but a full one ran. */
  fullBecause?: string;
  /** The last full verification, this one when it was full; null when none was ever recorded (or its record is not trusted). */
  lastFull: VerifyRecordSummary | null;
  /** Whether this run's record was kept (it needs the engine's key, published in the log); if not, why. */
  recorded: boolean;
  notRecorded?: string;
}

export type CheckedAuditReport = AuditReport & { verification: VerificationInfo };

export interface CheckpointedVerifyOptions {
  incremental: boolean;
  /** Signs the record this run leaves; without it (or when the log has not published it) nothing is recorded. */
  signingKey?: SigningKey;
  now: () => Date;
  anchors?: readonly Anchor[];
  trustKeys?: readonly string[];
  registry?: ProcessRegistry;
}

/** The records kept, as stored, and those of them whose signature holds (verify-checkpoint.ts); with the key ring read. */
export async function trustedVerifyRecords(store: EventStore, readModels: ReadModelStore, trustKeys?: readonly string[]) {
  const ring = await readKeyRing(store, trustKeys);
  const stored = await readVerifyRecords(readModels);
  const trusted = (record: VerifyRecord | undefined) => (record && verifyRecordProblem(record, ring) === null ? record : undefined);
  return { ring, stored, latest: trusted(stored.latest), lastFull: trusted(stored.lastFull) };
}

/**
 * A verification that leaves a signed record of what it found (verify-checkpoint.ts), and, when incremental,
 * starts from the latest trusted record that passed: it then costs what the events since cost. A full one runs
 * instead when there is no trusted checkpoint, or when an anchor given lies at or before it (the anchor's events
 * would not be walked).
 */
export async function verifyWithCheckpoints(store: EventStore, readModels: ReadModelStore, options: CheckpointedVerifyOptions): Promise<CheckedAuditReport> {
  const { ring, stored, latest, lastFull } = await trustedVerifyRecords(store, readModels, options.trustKeys);
  const start = [latest, lastFull?.ok ? lastFull : undefined].reduce<VerifyRecord | undefined>(
    (best, record) => (record && (!best || record.seq > best.seq) ? record : best),
    undefined,
  );
  let fullBecause: string | undefined;
  if (options.incremental) {
    const problem = stored.latest && verifyRecordProblem(stored.latest, ring);
    if (!start) fullBecause = problem ? `the recorded checkpoint is ignored: ${problem}` : 'no verified checkpoint is recorded yet';
    else if (options.anchors?.some((anchor) => anchor.seq <= start.seq)) fullBecause = `an anchor given lies at or before the checkpoint (event ${start.seq})`;
  }
  const from = options.incremental && !fullBecause ? start : undefined;
  const report = await verifyStore(store, {
    ring,
    ...(options.anchors && { anchors: options.anchors }),
    ...(options.registry && { registry: options.registry }),
    ...(from && { resumeFrom: from }),
  });
  const record: Omit<VerifyRecord, 'signature'> = {
    kind: from ? 'incremental' : 'full',
    ok: report.ok,
    at: options.now().toISOString(),
    engine: engineVersion(),
    position: report.head?.position ?? 0,
    seq: report.head?.seq ?? 0,
    hash: report.head?.hash ?? '',
    ledgerHash: report.head?.ledgerHash ?? LEDGER_GENESIS,
    events: report.events,
    from: from ? { seq: from.seq, at: from.at, kind: from.kind } : null,
    fault: report.fault ? { kind: report.fault.kind, position: report.fault.position, stream: report.fault.stream, detail: report.fault.detail } : null,
  };
  const key = options.signingKey && ring.key(options.signingKey.keyId) ? options.signingKey : undefined;
  // An anchor typed in with the request may be mistyped: a mismatch there says nothing of the log to record.
  const askedAnchor = report.fault?.kind === 'anchor' && (options.anchors?.length ?? 0) > 0;
  const signed = key && !askedAnchor ? signVerifyRecord(record, key) : undefined;
  // Keeping the record only saves the next run work: a store that refuses it (a read-only role) fails no verification.
  let notRecorded: string | undefined = signed
    ? undefined
    : askedAnchor
      ? 'its fault is against an anchor given with this request'
      : 'the engine’s signing key is not configured, or not published in this log';
  if (signed) await saveVerifyRecord(readModels, signed, latest).catch((error: unknown) => (notRecorded = `the store refused it: ${error instanceof Error ? error.message : String(error)}`));
  return {
    ...report,
    verification: {
      kind: record.kind,
      from: from ? summary(from) : null,
      ...(fullBecause && { fullBecause }),
      lastFull: record.kind === 'full' && !askedAnchor ? summary(record) : lastFull ? summary(lastFull) : null,
      recorded: notRecorded === undefined,
      ...(notRecorded && { notRecorded }),
    },
  };
}

function summary(record: Omit<VerifyRecord, 'signature'>): VerifyRecordSummary {
  return { kind: record.kind, ok: record.ok, at: record.at, seq: record.seq, position: record.position, fault: record.fault };
}
