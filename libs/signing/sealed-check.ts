import { isAnchorText, parseAnchor, type Anchor, type SignatureCheckResult, type StoredEvent } from '../envelope/index.js';
import type { KeyRing } from './key-ring.js';

export interface SealedCheck {
  /** For verifyLog's `signatures`: the ring's check, and no more unsigned events than the first key sealed. */
  signatures: (event: StoredEvent) => SignatureCheckResult;
  /** The anchor the first key sealed over the unsigned past, for verifyLog's `anchors` (none when nothing was sealed). */
  anchors: Anchor[];
}

/**
 * The signature check of one walk of the log (docs/integrity.md). The first key's publication seals the unsigned
 * events before it (`legacyAnchor`): the anchor proves the first n are those, and counting here proves there are no
 * more, so an event slipped in among them later, where positions leave room, is named although it needs no
 * signature. One per walk: it counts.
 */
export function sealedCheck(ring: KeyRing): SealedCheck {
  const text = ring.legacyAnchor;
  const anchor = text !== undefined && isAnchorText(text) ? parseAnchor(text) : undefined;
  let unsigned = 0;
  return {
    anchors: anchor ? [anchor] : [],
    signatures: (event) => {
      const check = ring.checkEvent(event);
      if (check.ok && check.legacy && anchor && (unsigned += 1) > anchor.seq) {
        return {
          ok: false,
          detail: `an unsigned event beyond the ${anchor.seq} the log's first key sealed before it (${text}): it was added after signing began`,
        };
      }
      return check;
    },
  };
}
