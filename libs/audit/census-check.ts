import type { StoredEvent, VerifyFault } from '../envelope/index.js';
import type { LogCensus } from '../event-store/index.js';

/**
 * Counts what a walk of the log was given against what the database held when the walk began (docs/integrity.md):
 * an event no reader can reach (a position at or below 0) or one held back behind the visibility horizon must not
 * leave `verify` answering OK for a shorter log than the table holds.
 */
export class CensusTally {
  private delivered = 0;

  constructor(readonly census: LogCensus) {}

  /** Passes the events through, counting those that existed when the census was taken. */
  async *count(events: AsyncIterable<StoredEvent>): AsyncGenerator<StoredEvent> {
    const highest = this.census.highestPosition;
    for await (const event of events) {
      if (event.position <= highest) this.delivered += 1;
      yield event;
    }
  }

  /** The fault when rows the census counted were never delivered; null when every one was. */
  fault(): VerifyFault | null {
    const { rows, unreachable, heldBack, highestPosition, firstUnreachable, horizonHeldBy } = this.census;
    const missing = rows - this.delivered;
    if (missing <= 0) return null;
    if (unreachable > 0) {
      const at = firstUnreachable ?? { position: 0, stream: '', revision: -1, id: '' };
      return {
        kind: 'hidden',
        position: at.position,
        stream: at.stream,
        revision: at.revision,
        eventId: at.id,
        detail:
          `the table holds ${unreachable} event(s) at a position at or below 0, which no reader of the log is given ` +
          `(the first: stream "${at.stream}", revision ${at.revision}); the engine never writes such a position: they were inserted behind its back`,
      };
    }
    if (heldBack > 0) {
      return {
        kind: 'visibility',
        position: highestPosition,
        stream: '',
        revision: -1,
        eventId: '',
        detail:
          `${missing} of the ${rows} events committed when verify began are not yet visible to readers: an older transaction ` +
          `still running in the cluster holds the visibility horizon back${horizonHeldBy ? ` (${horizonHeldBy})` : ''}; ` +
          `verify checked only the ${this.delivered} it could see. End that transaction and verify again`,
      };
    }
    return {
      kind: 'hidden',
      position: highestPosition,
      stream: '',
      revision: -1,
      eventId: '',
      detail: `the table held ${rows} events up to position ${highestPosition} when verify began, but reading the log gave only ${this.delivered} of them`,
    };
  }
}
