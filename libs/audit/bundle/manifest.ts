import { createHash } from 'node:crypto';
import { canonicalJson, type StoredEvent } from '../../envelope/index.js';

/**
 * An export bundle is one JSON Lines file (`.jsonl`):
 *
 *   line 1      the manifest (below), as JSON;
 *   lines 2…    the stored events in global order, each in canonical JSON, exactly as the store keeps them
 *               (id, stream, revision, position, type, data, metadata, prevHash, hash, and signature when signed).
 *
 * One file so it can be mailed, archived and checked with no database (`u4ssc verify --bundle <file>`), and
 * plain lines so `jq`, `grep` and `sha256sum` work on it: `tail -n +2 bundle.jsonl | sha256sum` gives the
 * manifest's `eventsDigest`.
 *
 * What each part proves. The events' own hashes and chains prove each stream whole (from revision 0, or from the
 * `starts` given for a range). `eventsDigest` and `seal` catch any changed byte (including a position, which no
 * event hash covers) but not a forger who recomputes them; the ledger `anchor` of a whole-log bundle does, when
 * compared with an anchor published beforehand (`--anchor`). `keyEvents` carries the log's whole `signing-keys`
 * stream, so every signature checks offline even in a bundle of one stream; what a forger cannot recompute is a
 * signature, without the engine's key, against a key whose fingerprint the auditor pinned (docs/integrity.md).
 */
export const BUNDLE_FORMAT = 'u4ssc-bundle/1';

export type BundleScope = 'log' | 'stream' | 'range';

export interface BundleManifest {
  format: typeof BUNDLE_FORMAT;
  exportedAt: string;
  engine: { name: string; version: string };
  /** The store exported from, and its head position then: the bundle holds nothing beyond it. */
  source: { store: string; headPosition: number };
  /** `log`: every event; `stream`: one whole stream; `range`: events by time (and maybe one stream). */
  scope: BundleScope;
  selection: { stream: string | null; from: string | null; to: string | null };
  counts: { events: number; streams: number };
  firstPosition: number | null;
  lastPosition: number | null;
  /** The hash of the last event in the bundle. */
  headHash: string | null;
  /** Whole-log bundles only: the ledger hash at the last event, and the anchor it gives. */
  ledgerHash: string | null;
  anchor: string | null;
  /** The machine versions the events name, with their event counts. */
  machines: { id: string; version: number; events: number }[];
  /** Streams whose first event here is not revision 0: the revision and hash the chain continues from. */
  starts: { stream: string; revision: number; hash: string }[];
  /** What an offline check of this bundle can and cannot establish, in words. */
  checkable: { chain: string; ledger: string; machines: string };
  /**
   * The log's `signing-keys` stream up to the head exported, as stored: the keys every signature is checked against.
   * Absent from bundles exported before events were signed.
   */
  keyEvents?: StoredEvent[];
  /** SHA-256 of every event line as written, newline included. */
  eventsDigest: string;
  /** SHA-256 of this manifest's canonical JSON without `seal`. */
  seal: string;
}

/** The line an event is written as. */
export function eventLine(event: StoredEvent): string {
  const { id, stream, revision, position, type, data, metadata, prevHash, hash, signature } = event;
  return canonicalJson({ id, stream, revision, position, type, data, metadata, prevHash, hash, ...(signature && { signature }) });
}

export function sealOf(manifest: Omit<BundleManifest, 'seal'> & { seal?: string }): string {
  const { seal: _seal, ...rest } = manifest;
  return createHash('sha256').update(canonicalJson(rest)).digest('hex');
}

export function scopeOf(selection: { stream?: string; from?: Date; to?: Date }): BundleScope {
  if (selection.from || selection.to) return 'range';
  return selection.stream ? 'stream' : 'log';
}

export function checkableFor(scope: BundleScope, stream: string | null, streams: number, starts: number): BundleManifest['checkable'] {
  switch (scope) {
    case 'log':
      return {
        chain: 'every stream, from its first event',
        ledger: 'the ledger over the whole log: the anchor in this manifest, and any anchor published for an event it holds',
        machines: 'every event, replayed through its stream’s pinned machine version',
      };
    case 'stream':
      return {
        chain: `stream "${stream}" from revision 0`,
        ledger: 'not from this bundle: the other streams’ events are not in it; check the live log with `u4ssc verify --anchor`',
        machines: `stream "${stream}", replayed from its first event`,
      };
    case 'range':
      return {
        chain: `each stream from its first event here; ${starts} of ${streams} start mid-way, linked to the revision and hash in \`starts\`, a link only the live log can confirm`,
        ledger: 'not from this bundle: it is not the whole log; check the live log with `u4ssc verify --anchor`',
        machines: `the ${streams - starts} stream(s) that begin within the range; the others start in a state the bundle does not hold`,
      };
  }
}
