import type { StoredEvent, VerifyFault } from '../envelope/index.js';
import { ConflictError } from '../errors/index.js';
import type { EventStore, LogCensus } from '../event-store/index.js';

/**
 * Counts what a walk of the log was given against what the database held when the walk began (docs/integrity.md):
 * an event no reader can reach (a position at or below 0) or one held back behind the visibility horizon must not
 * leave `verify` answering OK for a shorter log than the table holds.
 */
export class CensusTally {
  private delivered = 0;

  /** `accounted`: the events a verified checkpoint vouches for, which an incremental walk is not given again. */
  constructor(
    readonly census: LogCensus,
    private readonly accounted = 0,
  ) {}

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
    const { rows, heldBack, highestPosition } = this.census;
    const missing = rows - this.accounted - this.delivered;
    if (missing < 0 && this.accounted > 0) {
      // The log only grows: fewer rows than the checkpoint vouched for plus those read means rows were deleted.
      return {
        kind: 'chain',
        position: highestPosition,
        stream: '',
        revision: -1,
        eventId: '',
        detail: `the table holds ${rows} events, but the verified checkpoint's ${this.accounted} and the ${this.delivered} read after it make ${this.accounted + this.delivered}: ${-missing} event(s) at or before the checkpoint were deleted; run a full verification to find where`,
      };
    }
    if (missing <= 0) return null;
    const hidden = hiddenFault(this.census);
    if (hidden) return hidden;
    if (heldBack > 0) {
      return visibilityFault(
        this.census,
        `${missing} of the ${rows} events committed when verify began are not yet visible to readers`,
        `verify checked only the ${this.delivered} it could see`,
      );
    }
    return {
      kind: 'hidden',
      position: highestPosition,
      stream: '',
      revision: -1,
      eventId: '',
      detail:
        this.accounted > 0
          ? `the table held ${rows} events up to position ${highestPosition} when verify began, but the verified checkpoint's ${this.accounted} and the ${this.delivered} read after it make only ${this.accounted + this.delivered}: an event was inserted at or before the checkpoint; run a full verification`
          : `the table held ${rows} events up to position ${highestPosition} when verify began, but reading the log gave only ${this.delivered} of them`,
    };
  }
}

/**
 * The head position an export may stop at, refused (a ConflictError carrying the fault) when the log readers are
 * given is shorter than the table: a row no reader reaches, or committed rows behind the visibility horizon that
 * the head would leave out. A bundle or anchor of the shorter log would certify less than was decided.
 */
export async function completeHead(store: EventStore, what: string): Promise<number> {
  const census = await store.census();
  const head = await store.headPosition();
  const fault =
    hiddenFault(census) ??
    (census.heldBack > 0 && head < census.highestPosition
      ? visibilityFault(
          census,
          `${census.heldBack} of the ${census.rows} events committed when the ${what} began are not yet visible to readers`,
          `the ${what} would cover the log only up to position ${head}`,
        )
      : null);
  if (fault) throw new ConflictError(`${what} refused: ${fault.detail}`, { fault });
  return head;
}

/** Rows at a position at or below 0 (no reader reaches them), named by the first; null when there are none. */
function hiddenFault(census: LogCensus): VerifyFault | null {
  if (census.unreachable <= 0) return null;
  const at = census.firstUnreachable ?? { position: 0, stream: '', revision: -1, id: '' };
  return {
    kind: 'hidden',
    position: at.position,
    stream: at.stream,
    revision: at.revision,
    eventId: at.id,
    detail:
      `the table holds ${census.unreachable} event(s) at a position at or below 0, which no reader of the log is given ` +
      `(the first: stream "${at.stream}", revision ${at.revision}); the engine never writes such a position: they were inserted behind its back`,
  };
}

function visibilityFault(census: LogCensus, what: string, consequence: string): VerifyFault {
  return {
    kind: 'visibility',
    position: census.highestPosition,
    stream: '',
    revision: -1,
    eventId: '',
    detail:
      `${what}: an older transaction still running in the cluster holds the visibility horizon back` +
      `${census.horizonHeldBy ? ` (${census.horizonHeldBy})` : ''}; ${consequence}. End that transaction and try again`,
  };
}
