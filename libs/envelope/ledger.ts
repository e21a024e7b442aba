import { createHash } from 'node:crypto';

/**
 * The ledger: one running hash over the whole log in global order, L_n = SHA-256(L_{n-1} ‖ hash_n), L_0 = 64 zeros,
 * where ‖ joins the 32 raw bytes of each (both are hex SHA-256 digests).
 *
 * Why, next to the per-stream chain (hash-chain.ts): the chain links each event to the previous event *of its
 * stream*, so it proves every stream whole but says nothing about the streams taken together. Someone who deletes
 * a stream's last event, a whole stream, or who rewrites a stream and recomputes its hashes, leaves a log that is
 * consistent on its own. L_n at a position n depends on every event up to n, in order: once "position n, ledger
 * L_n" is published (in meeting minutes, an email), any later change to the first n events, however consistently
 * rehashed, gives another L_n. It is recomputed by every verification rather than stored, so writers stay parallel.
 */
export const LEDGER_GENESIS = '0'.repeat(64);

export function nextLedgerHash(previous: string, eventHash: string): string {
  return createHash('sha256').update(Buffer.from(previous, 'hex')).update(Buffer.from(eventHash, 'hex')).digest('hex');
}

/** How an anchor is written: `u4ssc-anchor:<position>:<first 32 hex of the ledger hash>`. */
export const ANCHOR_PREFIX = 'u4ssc-anchor';
/** 32 hex digits (128 bits): short enough for minutes, far beyond any search for a colliding rewrite. */
export const ANCHOR_HEX_LENGTH = 32;
/** Accepted when checking: at least 64 bits, for anchors copied short by hand. */
export const MIN_ANCHOR_HEX_LENGTH = 16;

export interface Anchor {
  position: number;
  /** A prefix (lower case) of the ledger hash at `position`. */
  ledgerPrefix: string;
}

export function formatAnchor(position: number, ledgerHash: string): string {
  return `${ANCHOR_PREFIX}:${position}:${ledgerHash.slice(0, ANCHOR_HEX_LENGTH)}`;
}

export function anchorText(anchor: Anchor): string {
  return `${ANCHOR_PREFIX}:${anchor.position}:${anchor.ledgerPrefix}`;
}

const ANCHOR_PATTERN = new RegExp(`^(?:${ANCHOR_PREFIX}:)?(\\d{1,16}):([0-9a-fA-F]{${MIN_ANCHOR_HEX_LENGTH},64})$`);

/** Parses `u4ssc-anchor:P:HEX` or `P:HEX`; throws a TypeError saying what is expected. */
export function parseAnchor(text: string): Anchor {
  const match = ANCHOR_PATTERN.exec(text.trim());
  const position = match ? Number(match[1]) : NaN;
  if (!match || !Number.isSafeInteger(position) || position < 1) {
    throw new TypeError(
      `"${text}" is not an anchor: write ${ANCHOR_PREFIX}:<position>:<hex>, with at least ${MIN_ANCHOR_HEX_LENGTH} hex digits of the ledger hash (as \`u4ssc anchor\` prints it)`,
    );
  }
  return { position, ledgerPrefix: match[2]!.toLowerCase() };
}

export function isAnchorText(text: string): boolean {
  try {
    parseAnchor(text);
    return true;
  } catch {
    return false;
  }
}
