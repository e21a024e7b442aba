import { canonicalJson, rememberText, type NewEvent } from '../envelope/index.js';
import { ConcurrencyError, DuplicateEventIdError } from './errors.js';
import type { ExpectedRevision } from './port.js';

/**
 * The decisions every adapter makes the same way inside its append transaction, kept here so the adapters
 * differ only in how they read and write, never in what they accept.
 */

export const DEFAULT_PAGE_SIZE = 500;
export const MAX_PAGE_SIZE = 10_000;

export function pageSize(limit: number | undefined): number {
  if (limit === undefined) return DEFAULT_PAGE_SIZE;
  if (!Number.isInteger(limit) || limit < 1) {
    throw new RangeError(`readAll limit must be a positive integer, got ${limit}`);
  }
  return Math.min(limit, MAX_PAGE_SIZE);
}

/**
 * The event exactly as a durable store will give it back: only the envelope's writer fields, as JSON.
 * Hashing this form (not the caller's objects) is what keeps a stored hash verifiable after a round trip:
 * `data: undefined` would hash as a missing member but come back as null, a Date would come back as a string.
 * Read back from its canonical text, so every object has its keys in canonical order: the stores write data and
 * metadata with JSON.stringify, so the text they keep is the canonical text the hash covers, and verify hashes
 * what it reads without sorting anything again (eventHashMismatch). A number with no JSON form (NaN, Infinity)
 * is refused here rather than stored as null.
 */
export function normaliseEvent(event: NewEvent): NewEvent {
  const { id, type, data, metadata } = event;
  const text = { data: canonicalJson(data === undefined ? null : data), metadata: canonicalJson(metadata) };
  const envelope = JSON.parse(canonicalJson({ id, type })) as Pick<NewEvent, 'id' | 'type'>;
  // The members in canonical order, as the whole event read back from its canonical text had them.
  const normalised: NewEvent = {
    data: JSON.parse(text.data) as unknown,
    id: envelope.id,
    metadata: JSON.parse(text.metadata) as NewEvent['metadata'],
    type: envelope.type,
  };
  if (event.signature) normalised.signature = { keyId: String(event.signature.keyId), value: String(event.signature.value) };
  // The hash (chainEvents) and the stored row are built from this text: serialised once per append.
  rememberText(normalised, text);
  return normalised;
}

export function checkExpectedRevision(stream: string, expected: ExpectedRevision, actual: number): void {
  if (expected === 'any') return;
  const wanted = expected === 'no-stream' ? -1 : expected;
  if (actual !== wanted) throw new ConcurrencyError(stream, expected, actual);
}

/** An append naming one id twice could never be retried as "the same append", so it is refused outright. */
export function refuseRepeatedIds(stream: string, events: readonly NewEvent[]): void {
  const seen = new Set<string>();
  const repeated = new Set<string>();
  for (const { id } of events) {
    if (seen.has(id)) repeated.add(id);
    seen.add(id);
  }
  if (repeated.size > 0) throw new DuplicateEventIdError(stream, [...repeated]);
}

export interface StoredPlace {
  stream: string;
  revision: number;
}

/**
 * Decides what the already-stored ids of an append mean.
 * Returns false when none is stored (a new append) and true when the append is a retry of one already stored:
 * every id in this stream, at consecutive revisions, in the same order. Anything else is refused.
 * Content is not compared: a retried command may be re-decided at a later clock time, so its occurredAt differs,
 * and ids derive from the command id, which is what makes two appends "the same".
 * This runs before the expected-revision check, because a retry's expected revision no longer holds.
 */
export function isRetry(
  stream: string,
  events: readonly NewEvent[],
  stored: ReadonlyMap<string, StoredPlace>,
): boolean {
  if (stored.size === 0) return false;
  const places = events.map(({ id }) => stored.get(id));
  const exact =
    places.every((place) => place !== undefined && place.stream === stream) &&
    places.every((place, index) => index === 0 || place!.revision === places[index - 1]!.revision + 1);
  if (!exact) throw new DuplicateEventIdError(stream, [...stored.keys()]);
  return true;
}
