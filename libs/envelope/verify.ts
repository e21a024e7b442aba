import { GENESIS_HASH, eventHash } from './hash-chain.js';
import type { StoredEvent } from './envelope.js';

export type FaultKind = 'hash' | 'chain' | 'revision' | 'position';

export interface VerifyFault {
  kind: FaultKind;
  position: number;
  stream: string;
  revision: number;
  eventId: string;
  detail: string;
}

export interface VerifyReport {
  ok: boolean;
  events: number;
  streams: number;
  head: { position: number; hash: string } | null;
  fault: VerifyFault | null;
}

/**
 * Walks the log in global order and names the first event whose hash, chain link, revision or position is wrong.
 * Stops at the first fault: everything after it is suspect, and the auditor needs the first place to look.
 */
export async function verifyLog(events: AsyncIterable<StoredEvent> | Iterable<StoredEvent>): Promise<VerifyReport> {
  const tails = new Map<string, { revision: number; hash: string }>();
  let count = 0;
  let head: VerifyReport['head'] = null;
  const report = (fault: VerifyFault | null): VerifyReport => ({
    ok: fault === null,
    events: count,
    streams: tails.size,
    head,
    fault,
  });

  for await (const event of events) {
    const where = { position: event.position, stream: event.stream, revision: event.revision, eventId: event.id };
    if (head && event.position <= head.position) {
      return report({
        ...where,
        kind: 'position',
        detail: `position ${event.position} does not follow ${head.position}`,
      });
    }
    const tail = tails.get(event.stream) ?? { revision: -1, hash: GENESIS_HASH };
    if (event.revision !== tail.revision + 1) {
      return report({
        ...where,
        kind: 'revision',
        detail: `revision ${event.revision} of stream "${event.stream}" follows revision ${tail.revision}`,
      });
    }
    if (event.prevHash !== tail.hash) {
      return report({
        ...where,
        kind: 'chain',
        detail: `prevHash ${event.prevHash.slice(0, 12)}… does not match the previous event's hash ${tail.hash.slice(0, 12)}…`,
      });
    }
    const recomputed = eventHash(event);
    if (recomputed !== event.hash) {
      return report({
        ...where,
        kind: 'hash',
        detail: `stored hash ${event.hash.slice(0, 12)}… differs from the recomputed ${recomputed.slice(0, 12)}…: the event's content was altered`,
      });
    }
    tails.set(event.stream, { revision: event.revision, hash: event.hash });
    head = { position: event.position, hash: event.hash };
    count += 1;
  }
  return report(null);
}
