import { GENESIS_HASH, eventHash, plainEventHash } from './hash-chain.js';
import type { StoredEvent } from './envelope.js';
import { anchorText, formatAnchor, LedgerWalk, type Anchor } from './ledger.js';

/**
 * `hidden`: the table holds events the walk was never given (a position no reader reaches); `visibility`: events
 * committed before the check began are still held back from readers by another transaction (PostgreSQL);
 * `grounds`: an event cites a fact (metadata.grounds) the log does not hold as cited (libs/audit/grounds-check.ts).
 */
export type FaultKind = 'hash' | 'chain' | 'revision' | 'position' | 'signature' | 'machine' | 'anchor' | 'hidden' | 'visibility' | 'grounds';

/** One event's signature checked against the log's published keys (libs/signing's KeyRing gives these). */
export type SignatureCheckResult = { ok: true; legacy: boolean } | { ok: false; detail: string };

/** What checks each event's signature: a KeyRing, or any object or function that does the same. */
export type SignatureChecker = { checkEvent(event: StoredEvent): SignatureCheckResult } | ((event: StoredEvent) => SignatureCheckResult);

export interface VerifyFault {
  kind: FaultKind;
  position: number;
  stream: string;
  revision: number;
  eventId: string;
  detail: string;
}

export interface AnchorCheck {
  anchor: string;
  /** `unchecked`: an earlier fault stopped the walk before the anchored event. */
  status: 'matched' | 'mismatch' | 'beyond-head' | 'unchecked';
}

export interface VerifyReport {
  ok: boolean;
  /** Events that checked out (all of them when ok; those before the fault otherwise). */
  events: number;
  streams: number;
  /** The last event that checked out: its position, its sequence number in the log (from 1), the ledger hash up to it. */
  head: { position: number; seq: number; hash: string; ledgerHash: string } | null;
  /** The head as an anchor fit for minutes (`u4ssc-anchor:<seq>:<32 hex>`, ledger.ts); null unless ok. */
  anchor: string | null;
  /** Each anchor given to check, in position order. */
  anchors: AnchorCheck[];
  fault: VerifyFault | null;
  /**
   * When signatures were checked: the events that checked out unsigned because they came before the log's first
   * key publication (a log written before signing began), and those signed by a valid key.
   */
  signatures?: { legacyUnsigned: number; signed: number };
}

/** Where a stream's chain stands before the first event given (a bundle that starts mid-stream). */
export interface StreamStart {
  revision: number;
  hash: string;
}

export interface VerifyOptions {
  /** Published anchors the log must still contain: the ledger at each anchored event must match. */
  anchors?: readonly Anchor[];
  /**
   * A check of each event's meaning, run once its bytes check out: e.g. that it is a legal transition of its
   * stream's pinned machine (libs/audit). Returns why the event is illegal, or null.
   */
  legality?: (event: StoredEvent) => string | null;
  /** Per stream, the revision and hash before its first event here; default: revision -1, genesis hash. */
  starts?: ReadonlyMap<string, StreamStart>;
  /**
   * Checks every event's signature once its hash checks out (docs/integrity.md): a missing signature after signing
   * began, an unknown, untrusted or revoked key, or a signature that does not verify is a `signature` fault.
   */
  signatures?: SignatureChecker;
  /**
   * Where an earlier verification stopped (a verified checkpoint, libs/audit): the walk is given only the events
   * after it, counts their sequence numbers on from its `seq` and continues the ledger from its `ledgerHash`, so
   * the head and anchor it reports are those a walk of the whole log would. Anchors at or before it are left
   * `unchecked`: their events are not walked.
   */
  resumeFrom?: { position: number; seq: number; hash: string; ledgerHash: string };
}

/**
 * Walks the log in global order and names the first event whose hash, chain link, revision, position, signature,
 * machine legality or anchored ledger is wrong, computing the ledger (ledger.ts) as it goes.
 * Stops at the first fault: everything after it is suspect, and the auditor needs the first place to look.
 */
export async function verifyLog(
  events: AsyncIterable<StoredEvent> | Iterable<StoredEvent>,
  options: VerifyOptions = {},
): Promise<VerifyReport> {
  // Per stream, its last checked revision and hash: one object per stream, updated in place (no allocation per event).
  const tails = new Map<string, { revision: number; hash: string }>();
  const anchors = [...(options.anchors ?? [])].sort((a, b) => a.seq - b.seq);
  const statuses: AnchorCheck['status'][] = anchors.map(() => 'unchecked');
  const legality = options.legality;
  const signatures = options.signatures;
  const checkSignature = typeof signatures === 'function' ? signatures : signatures && ((event: StoredEvent) => signatures.checkEvent(event));
  let legacyUnsigned = 0;
  const base = options.resumeFrom?.seq ?? 0;
  let next = anchors.findIndex((anchor) => anchor.seq > base);
  if (next < 0) next = anchors.length;
  let nextSeq = anchors[next]?.seq ?? 0;
  let lastMatched: Anchor | null = null;
  let count = 0;
  // The last event that checked out; the report's head is built from it once, at the end.
  let last: StoredEvent | null = null;
  const ledger = new LedgerWalk(options.resumeFrom?.ledgerHash);
  // Rows stored before normaliseEvent sorted keys never match their plain serialisation (plainEventHash): after a
  // miss, it is tried again only on every 64th event, so an old log pays for the attempt on 1 event in 64.
  let plainSkips = 0;
  const report = (fault: VerifyFault | null): VerifyReport => {
    const head = last
      ? { position: last.position, seq: base + count, hash: last.hash, ledgerHash: ledger.hex() }
      : options.resumeFrom && base > 0
        ? { position: options.resumeFrom.position, seq: base, hash: options.resumeFrom.hash, ledgerHash: options.resumeFrom.ledgerHash }
        : null;
    return {
      ok: fault === null,
      events: count,
      streams: tails.size,
      head,
      anchor: fault === null && head ? formatAnchor(head.seq, head.ledgerHash) : null,
      anchors: anchors.map((anchor, index) => ({ anchor: anchorText(anchor), status: statuses[index]! })),
      fault,
      ...(checkSignature && { signatures: { legacyUnsigned, signed: count - legacyUnsigned } }),
    };
  };
  const since = () => (lastMatched ? `; the anchor at event ${lastMatched.seq} still matches, so the change lies after it` : '');

  const faultAt = (event: StoredEvent, kind: FaultKind, detail: string) =>
    report({ position: event.position, stream: event.stream, revision: event.revision, eventId: event.id, kind, detail });

  for await (const event of events) {
    const previousPosition = last?.position ?? options.resumeFrom?.position;
    if (previousPosition !== undefined && event.position <= previousPosition) {
      return faultAt(event, 'position', `position ${event.position} does not follow ${previousPosition}`);
    }
    let tail = tails.get(event.stream);
    const before = tail ?? options.starts?.get(event.stream) ?? { revision: -1, hash: GENESIS_HASH };
    if (event.revision !== before.revision + 1) {
      return faultAt(event, 'revision', `revision ${event.revision} of stream "${event.stream}" follows revision ${before.revision}`);
    }
    if (event.prevHash !== before.hash) {
      return faultAt(
        event,
        'chain',
        `prevHash ${event.prevHash.slice(0, 12)}… does not match the previous event's hash ${before.hash.slice(0, 12)}…`,
      );
    }
    let plainMatch = false;
    if (plainSkips > 0) plainSkips -= 1;
    else if (plainEventHash(event) === event.hash) plainMatch = true;
    else plainSkips = 63;
    const recomputed = plainMatch ? event.hash : eventHash(event);
    if (recomputed !== event.hash) {
      return faultAt(
        event,
        'hash',
        `stored hash ${event.hash.slice(0, 12)}… differs from the recomputed ${recomputed.slice(0, 12)}…: the event's content was altered`,
      );
    }
    if (checkSignature) {
      const signed = checkSignature(event);
      if (!signed.ok) return faultAt(event, 'signature', signed.detail);
      if (signed.legacy) legacyUnsigned += 1;
    }
    const illegal = legality?.(event);
    if (illegal) return faultAt(event, 'machine', illegal);
    // The hash now equals a SHA-256 this process computed (hex, lower case): fit for the ledger's bytes.
    ledger.add(event.hash);
    const seq = base + count + 1;
    for (; next < anchors.length && nextSeq === seq; next += 1, nextSeq = anchors[next]?.seq ?? 0) {
      const anchor = anchors[next]!;
      if (!ledger.startsWith(anchor.ledgerPrefix)) {
        statuses[next] = 'mismatch';
        const at = ledger.hex().slice(0, anchor.ledgerPrefix.length);
        // The report's head is the last event that checked out, with the ledger as of it.
        ledger.undo();
        return faultAt(
          event,
          'anchor',
          `the ledger at event ${seq} of the log (position ${event.position}) is ${at}, not the anchored ${anchor.ledgerPrefix} (${anchorText(anchor)}): ` +
            `the first ${seq} events are not those anchored; one of them was altered, removed, inserted or reordered and the hashes recomputed${since()}`,
        );
      }
      statuses[next] = 'matched';
      lastMatched = anchor;
    }
    if (tail) {
      tail.revision = event.revision;
      tail.hash = event.hash;
    } else {
      tails.set(event.stream, (tail = { revision: event.revision, hash: event.hash }));
    }
    last = event;
    count += 1;
  }
  if (next < anchors.length) {
    statuses[next] = 'beyond-head';
    const anchor = anchors[next]!;
    return report({
      ...(last ? { position: last.position, stream: last.stream, revision: last.revision, eventId: last.id } : { position: 0, stream: '', revision: -1, eventId: '' }),
      kind: 'anchor',
      detail: `the log holds ${base + count} events, fewer than the ${anchor.seq} anchored (${anchorText(anchor)}): events were removed, or the anchor is another log's${since()}`,
    });
  }
  return report(null);
}
