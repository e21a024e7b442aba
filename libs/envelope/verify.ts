import { GENESIS_HASH, eventHash } from './hash-chain.js';
import type { StoredEvent } from './envelope.js';
import { anchorText, formatAnchor, LEDGER_GENESIS, nextLedgerHash, type Anchor } from './ledger.js';

export type FaultKind = 'hash' | 'chain' | 'revision' | 'position' | 'machine' | 'anchor';

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
}

type Where = Pick<VerifyFault, 'position' | 'stream' | 'revision' | 'eventId'>;

/**
 * Walks the log in global order and names the first event whose hash, chain link, revision, position, machine
 * legality or anchored ledger is wrong, computing the ledger (ledger.ts) as it goes.
 * Stops at the first fault: everything after it is suspect, and the auditor needs the first place to look.
 */
export async function verifyLog(
  events: AsyncIterable<StoredEvent> | Iterable<StoredEvent>,
  options: VerifyOptions = {},
): Promise<VerifyReport> {
  const tails = new Map<string, { revision: number; hash: string }>();
  const anchors = [...(options.anchors ?? [])].sort((a, b) => a.seq - b.seq);
  const statuses: AnchorCheck['status'][] = anchors.map(() => 'unchecked');
  let next = 0;
  let lastMatched: Anchor | null = null;
  let count = 0;
  let head: VerifyReport['head'] = null;
  let last: Where | null = null;
  let ledger = LEDGER_GENESIS;
  const report = (fault: VerifyFault | null): VerifyReport => ({
    ok: fault === null,
    events: count,
    streams: tails.size,
    head,
    anchor: fault === null && head ? formatAnchor(head.seq, head.ledgerHash) : null,
    anchors: anchors.map((anchor, index) => ({ anchor: anchorText(anchor), status: statuses[index]! })),
    fault,
  });
  const since = () => (lastMatched ? `; the anchor at event ${lastMatched.seq} still matches, so the change lies after it` : '');

  for await (const event of events) {
    const where: Where = { position: event.position, stream: event.stream, revision: event.revision, eventId: event.id };
    const fault = (kind: FaultKind, detail: string) => report({ ...where, kind, detail });
    if (head && event.position <= head.position) {
      return fault('position', `position ${event.position} does not follow ${head.position}`);
    }
    const tail = tails.get(event.stream) ?? options.starts?.get(event.stream) ?? { revision: -1, hash: GENESIS_HASH };
    if (event.revision !== tail.revision + 1) {
      return fault('revision', `revision ${event.revision} of stream "${event.stream}" follows revision ${tail.revision}`);
    }
    if (event.prevHash !== tail.hash) {
      return fault(
        'chain',
        `prevHash ${event.prevHash.slice(0, 12)}… does not match the previous event's hash ${tail.hash.slice(0, 12)}…`,
      );
    }
    const recomputed = eventHash(event);
    if (recomputed !== event.hash) {
      return fault(
        'hash',
        `stored hash ${event.hash.slice(0, 12)}… differs from the recomputed ${recomputed.slice(0, 12)}…: the event's content was altered`,
      );
    }
    const illegal = options.legality?.(event);
    if (illegal) return fault('machine', illegal);
    ledger = nextLedgerHash(ledger, event.hash);
    const seq = count + 1;
    for (; next < anchors.length && anchors[next]!.seq === seq; next += 1) {
      const anchor = anchors[next]!;
      if (!ledger.startsWith(anchor.ledgerPrefix)) {
        statuses[next] = 'mismatch';
        return fault(
          'anchor',
          `the ledger at event ${seq} of the log (position ${event.position}) is ${ledger.slice(0, anchor.ledgerPrefix.length)}, not the anchored ${anchor.ledgerPrefix} (${anchorText(anchor)}): ` +
            `the first ${seq} events are not those anchored; one of them was altered, removed, inserted or reordered and the hashes recomputed${since()}`,
        );
      }
      statuses[next] = 'matched';
      lastMatched = anchor;
    }
    tails.set(event.stream, { revision: event.revision, hash: event.hash });
    head = { position: event.position, seq, hash: event.hash, ledgerHash: ledger };
    last = where;
    count += 1;
  }
  if (next < anchors.length) {
    statuses[next] = 'beyond-head';
    const anchor = anchors[next]!;
    return report({
      ...(last ?? { position: 0, stream: '', revision: -1, eventId: '' }),
      kind: 'anchor',
      detail: `the log holds ${count} events, fewer than the ${anchor.seq} anchored (${anchorText(anchor)}): events were removed, or the anchor is another log's${since()}`,
    });
  }
  return report(null);
}
