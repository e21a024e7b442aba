import { canonicalJson } from '../envelope/canonical-json.js';
import type { FaultKind } from '../envelope/index.js';
import { CheckpointMovedError, type ReadModelStore } from '../read-models/port.js';
import { VerifyingKey, type KeyRing, type SigningKey } from '../signing/index.js';

/**
 * What one verification of the store's log found, kept beside the read models (docs/integrity.md, "Verified
 * checkpoints"): where it stopped (position, sequence number, head hash, ledger hash), so the next verification
 * need check only the events after it. Per-stream tails are not kept: the incremental walk reads each touched
 * stream's earlier events from the store anyway (to fold them through its machine), and the last of them gives
 * the chain link; the record stays one small document however many streams the log holds.
 */
export interface VerifyRecord {
  kind: 'full' | 'incremental';
  ok: boolean;
  /** When the verification ended (ISO 8601). */
  at: string;
  engine: { name: string; version: string };
  /** The last event that checked out: position, sequence number (from 1), hash, ledger hash; all zero on an empty log. */
  position: number;
  seq: number;
  hash: string;
  ledgerHash: string;
  /** The events this run checked. */
  events: number;
  /** For an incremental run: the checkpoint it started from. */
  from: { seq: number; at: string; kind: 'full' | 'incremental' } | null;
  /** What a run that did not pass found first. */
  fault: { kind: FaultKind; position: number; stream: string; detail: string } | null;
  /** The engine's signature (purpose `verify-checkpoint`) over every other field: an edited record is ignored. */
  signature: { keyId: string; value: string } | null;
}

/** The read-model collection, and its documents: the latest passing record, and the last full run whatever it found. */
const COLLECTION = 'audit-verify';
const LATEST = 'checkpoint';
const LAST_FULL = 'last-full';
/** The read-model store writes documents under a projector's compare-and-set; this one counts the writes. */
const WRITER = 'audit-verify';

/** The text a record's signature covers: every other field, as canonical JSON (one definition to sign and to check). */
export function verifyRecordBody(record: Omit<VerifyRecord, 'signature'>): string {
  const { signature: _, ...body } = record as VerifyRecord;
  return canonicalJson(body);
}

export function signVerifyRecord(record: Omit<VerifyRecord, 'signature'>, key: SigningKey): VerifyRecord {
  return { ...record, signature: { keyId: key.keyId, value: key.sign('verify-checkpoint', verifyRecordBody(record)) } };
}

/**
 * Why this record may not be trusted, or null: it must be signed by a key the log published and that is valid
 * where the record stops, and the signature must cover exactly what it says. Whoever can write the table but does
 * not hold the key gains nothing: an edited record is ignored, and the next verification is a full one.
 */
export function verifyRecordProblem(record: VerifyRecord, ring: KeyRing): string | null {
  const signature = record.signature;
  if (!signature || typeof signature.keyId !== 'string' || typeof signature.value !== 'string') return 'it carries no signature';
  const published = ring.key(signature.keyId);
  if (!published) return `it is signed by key ${signature.keyId}, which the log never published`;
  if (!ring.validAt(signature.keyId, record.position)) return `it is signed by key ${signature.keyId}, which may not sign at position ${record.position}`;
  if (!VerifyingKey.fromRaw(published.publicKey).verify('verify-checkpoint', verifyRecordBody(record), signature.value)) {
    return `its signature by key ${signature.keyId} does not match its content: it was altered, or not written by the engine`;
  }
  return null;
}

/** The records the store keeps: the latest passing checkpoint and the last full run, each as stored (unchecked). */
export async function readVerifyRecords(readModels: ReadModelStore): Promise<{ latest?: VerifyRecord; lastFull?: VerifyRecord }> {
  const [latest, lastFull] = await Promise.all([readModels.get<VerifyRecord>(COLLECTION, LATEST), readModels.get<VerifyRecord>(COLLECTION, LAST_FULL)]);
  return { ...(latest && { latest }), ...(lastFull && { lastFull }) };
}

/**
 * Keeps a run's record: a full run always as the last full one; a passing run also as the checkpoint when it
 * reaches further than the trusted one there (or as far, when full). An incremental run that found nothing new
 * writes nothing, so a page visit on a quiet log costs no write. Two runs writing at once: the later write is
 * dropped (the other's record is as good), never mixed with it.
 */
export async function saveVerifyRecord(readModels: ReadModelStore, record: VerifyRecord, current: VerifyRecord | undefined): Promise<void> {
  const changes = [
    ...(record.kind === 'full' ? [{ collection: COLLECTION, id: LAST_FULL, doc: record }] : []),
    ...(record.ok && record.signature && (!current || record.seq > current.seq || (record.seq === current.seq && record.kind === 'full'))
      ? [{ collection: COLLECTION, id: LATEST, doc: record }]
      : []),
  ];
  if (changes.length === 0) return;
  const writes = await readModels.checkpoint(WRITER);
  try {
    await readModels.commit(WRITER, writes, writes + 1, changes);
  } catch (error) {
    if (!(error instanceof CheckpointMovedError)) throw error;
  }
}
