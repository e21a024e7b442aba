import { createHash } from 'node:crypto';
import { canonicalJson } from './canonical-json.js';
import type { NewEvent, StoredEvent } from './envelope.js';

/**
 * Why the chain links each event to the previous event *of its stream* (not of the global log):
 * the link is computed right where the expected-revision check already serialises writers of one stream,
 * so appends to different streams never wait for each other (PostgreSQL keeps its parallel writers).
 * Removal of a whole stream's tail, or of a whole stream, is caught by the ledger sealed in global order.
 * The global position is left out of the hash because the database assigns it at commit; `verify` checks
 * positions separately (strictly increasing in read order).
 */
export const GENESIS_HASH = '0'.repeat(64);

export function eventHash(
  event: Pick<StoredEvent, 'id' | 'stream' | 'revision' | 'type' | 'data' | 'metadata' | 'prevHash'>,
): string {
  const body = canonicalJson({
    id: event.id,
    stream: event.stream,
    revision: event.revision,
    type: event.type,
    data: event.data,
    metadata: event.metadata,
    prevHash: event.prevHash,
  });
  return createHash('sha256').update(body).digest('hex');
}

/** Places new events after a stream's last revision and hash; positions are left for the store to assign. */
export function chainEvents(
  stream: string,
  lastRevision: number,
  lastHash: string,
  events: readonly NewEvent[],
): Omit<StoredEvent, 'position'>[] {
  let prevHash = lastHash;
  return events.map((event, index) => {
    const placed = { ...event, stream, revision: lastRevision + 1 + index, prevHash };
    const hash = eventHash(placed);
    prevHash = hash;
    return { ...placed, hash };
  });
}
