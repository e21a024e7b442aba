import { createHash, hash } from 'node:crypto';

/**
 * The ledger: one running hash over the whole log in global order, L_n = SHA-256(L_{n-1} ‖ hash_n), L_0 = 64 zeros,
 * where ‖ joins the 32 raw bytes of each (both are hex SHA-256 digests).
 *
 * Why, next to the per-stream chain (hash-chain.ts): the chain links each event to the previous event *of its
 * stream*, so it proves every stream whole but says nothing about the streams taken together. Someone who deletes
 * a stream's last event, a whole stream, or who rewrites a stream and recomputes its hashes, leaves a log that is
 * consistent on its own. L_n depends on every one of the first n events, in order: once "event n, ledger
 * L_n" is published (in meeting minutes, an email), any later change to the first n events, however consistently
 * rehashed, gives another L_n. It is recomputed by every verification rather than stored, so writers stay parallel.
 *
 * An anchor names the ledger by its sequence number n (the n-th event of the log in global order, counted from 1),
 * not by the event's position: positions are store-assigned and gap-tolerant (PostgreSQL derives them from
 * transaction ids, `u4ssc migrate` gives the same events new positions), while n and L_n are properties of the
 * events alone. An anchor published while the log lived in SQLite still checks after a move to PostgreSQL, and
 * a removed event cannot hide behind a position gap: every later n shifts.
 */
export const LEDGER_GENESIS = '0'.repeat(64);

export function nextLedgerHash(previous: string, eventHash: string): string {
  return createHash('sha256').update(Buffer.from(previous, 'hex')).update(Buffer.from(eventHash, 'hex')).digest('hex');
}

/**
 * The ledger as a running value, for walks over the whole log (verify): L_n kept as bytes in a 64-byte buffer
 * (L_{n-1} ‖ hash_n), one one-shot SHA-256 per event and no hex until asked. `add` takes event hashes that were
 * already checked to be 64 lower-case hex digits (verify checks each event's hash before its ledger step).
 */
export class LedgerWalk {
  private readonly pair = Buffer.alloc(64);
  private readonly previous = Buffer.alloc(32);

  constructor(start: string = LEDGER_GENESIS) {
    this.pair.write(start, 0, 32, 'hex');
  }

  add(eventHash: string): void {
    this.pair.copy(this.previous, 0, 0, 32);
    this.pair.write(eventHash, 32, 32, 'hex');
    hash('sha256', this.pair, 'buffer').copy(this.pair, 0);
  }

  /** Takes back the last `add` (one step only): the ledger as of the event before. */
  undo(): void {
    this.previous.copy(this.pair, 0);
  }

  /** L_n as hex. */
  hex(): string {
    return this.pair.toString('hex', 0, 32);
  }

  startsWith(prefix: string): boolean {
    return this.hex().startsWith(prefix);
  }
}

/** How an anchor is written: `u4ssc-anchor:<sequence number>:<first 32 hex of the ledger hash>`. */
export const ANCHOR_PREFIX = 'u4ssc-anchor';
/** 32 hex digits (128 bits): short enough for minutes, far beyond any search for a colliding rewrite. */
export const ANCHOR_HEX_LENGTH = 32;
/** Accepted when checking: at least 64 bits, for anchors copied short by hand. */
export const MIN_ANCHOR_HEX_LENGTH = 16;

export interface Anchor {
  /** The ledger's sequence number: the anchored event is the seq-th of the log, counted from 1. */
  seq: number;
  /** A prefix (lower case) of the ledger hash L_seq. */
  ledgerPrefix: string;
}

export function formatAnchor(seq: number, ledgerHash: string): string {
  return `${ANCHOR_PREFIX}:${seq}:${ledgerHash.slice(0, ANCHOR_HEX_LENGTH)}`;
}

export function anchorText(anchor: Anchor): string {
  return `${ANCHOR_PREFIX}:${anchor.seq}:${anchor.ledgerPrefix}`;
}

const ANCHOR_PATTERN = new RegExp(`^(?:${ANCHOR_PREFIX}:)?(\\d{1,16}):([0-9a-fA-F]{${MIN_ANCHOR_HEX_LENGTH},64})$`);

/** Parses `u4ssc-anchor:N:HEX` or `N:HEX`; throws a TypeError saying what is expected. */
export function parseAnchor(text: string): Anchor {
  const match = ANCHOR_PATTERN.exec(text.trim());
  const seq = match ? Number(match[1]) : NaN;
  if (!match || !Number.isSafeInteger(seq) || seq < 1) {
    throw new TypeError(
      `"${text}" is not an anchor: write ${ANCHOR_PREFIX}:<n>:<hex>, with at least ${MIN_ANCHOR_HEX_LENGTH} hex digits of the ledger hash (as \`u4ssc anchor\` prints it)`,
    );
  }
  return { seq, ledgerPrefix: match[2]!.toLowerCase() };
}

export function isAnchorText(text: string): boolean {
  try {
    parseAnchor(text);
    return true;
  } catch {
    return false;
  }
}
