import { hash } from 'node:crypto';
import { canonicalJson } from './canonical-json.js';
import type { EventSigner, NewEvent, StoredEvent } from './envelope.js';
import { rememberedText, rememberText, type EventText } from './event-text.js';

/**
 * Why the chain links each event to the previous event *of its stream* (not of the global log):
 * the link is computed right where the expected-revision check already serialises writers of one stream,
 * so appends to different streams never wait for each other (PostgreSQL keeps its parallel writers).
 * Removal of a whole stream's tail, or of a whole stream, is caught by the ledger sealed in global order.
 * The global position is left out of the hash because the database assigns it at commit; `verify` checks
 * positions separately (strictly increasing in read order).
 */
export const GENESIS_HASH = '0'.repeat(64);

type Hashed = Pick<StoredEvent, 'id' | 'stream' | 'revision' | 'type' | 'data' | 'metadata' | 'prevHash'>;

/** SHA-256 as hex, one shot (no Hash object per call: it runs for every event appended and verified). */
export function sha256Hex(text: string): string {
  return hash('sha256', text, 'hex');
}

export function eventHash(event: Hashed): string {
  const body = canonicalJson({
    id: event.id,
    stream: event.stream,
    revision: event.revision,
    type: event.type,
    data: event.data,
    metadata: event.metadata,
    prevHash: event.prevHash,
  });
  return sha256Hex(body);
}

/**
 * The hash of the event's content as its members serialise with plain JSON.stringify, in the order they come,
 * inside the envelope's members in canonical order: equal to `eventHash` exactly when every object in data and
 * metadata already has its keys in canonical order, as they have when parsed from the text a store keeps
 * (normaliseEvent sorts the keys before anything is stored). It skips the sorting that costs most of a
 * verification.
 *
 * Why a match with the stored hash proves the event honest: the text hashed here is derived from the very data
 * and metadata being checked, nothing else. If its SHA-256 equals the stored hash, it *is* the canonical text
 * that was hashed at append (collision resistance), and each member's JSON value, delimited by the fixed member
 * names around it, is the value that was appended. Any change to a row (content, or only its key order) gives
 * another text: no match, and `eventHash` decides. Anything in the event that is not plain JSON (undefined, NaN,
 * a toJSON) can only make this text differ, never make it match something else.
 */
export function plainEventHash(event: Hashed): string {
  return sha256Hex(
    '{"data":' + JSON.stringify(event.data) +
      ',"id":' + JSON.stringify(event.id) +
      ',"metadata":' + JSON.stringify(event.metadata) +
      ',"prevHash":' + JSON.stringify(event.prevHash) +
      ',"revision":' + JSON.stringify(event.revision) +
      ',"stream":' + JSON.stringify(event.stream) +
      ',"type":' + JSON.stringify(event.type) +
      '}',
  );
}

/**
 * Null when `event.hash` is the hash of the event's content, else the hash its content has (to name in a fault):
 * the plain serialisation first (plainEventHash), the canonical one when that does not match (rows stored before
 * keys were sorted, or altered ones).
 */
export function eventHashMismatch(event: Hashed & { hash: string }): string | null {
  if (plainEventHash(event) === event.hash) return null;
  const recomputed = eventHash(event);
  return recomputed === event.hash ? null : recomputed;
}

/**
 * `eventHash` from the canonical texts of data and metadata: the envelope's members in canonical order around
 * them, as canonicalJson writes them (strings and integers serialise as JSON.stringify does).
 */
function hashOfText(event: Omit<Hashed, 'data' | 'metadata'>, text: EventText): string {
  return sha256Hex(
    '{"data":' + text.data +
      ',"id":' + JSON.stringify(event.id) +
      ',"metadata":' + text.metadata +
      ',"prevHash":' + JSON.stringify(event.prevHash) +
      ',"revision":' + JSON.stringify(event.revision) +
      ',"stream":' + JSON.stringify(event.stream) +
      ',"type":' + JSON.stringify(event.type) +
      '}',
  );
}

/**
 * Places new events after a stream's last revision and hash; positions are left for the store to assign. An
 * event whose canonical text `normaliseEvent` remembered is hashed from that text (and the chained copy keeps it,
 * for the store to write) instead of being serialised again. With a signer, each event is signed over its hash.
 */
export function chainEvents(
  stream: string,
  lastRevision: number,
  lastHash: string,
  events: readonly NewEvent[],
  signer?: EventSigner,
): Omit<StoredEvent, 'position'>[] {
  let prevHash = lastHash;
  return events.map((event, index) => {
    // Built member by member rather than spread: this runs for every event appended.
    const placed = { id: event.id, type: event.type, data: event.data, metadata: event.metadata, stream, revision: lastRevision + 1 + index, prevHash };
    const text = rememberedText(event);
    const hash = text ? hashOfText(placed, text) : eventHash(placed);
    const chained: Omit<StoredEvent, 'position'> = { id: placed.id, type: placed.type, data: placed.data, metadata: placed.metadata, stream, revision: placed.revision, prevHash, hash };
    if (event.signature) chained.signature = { keyId: event.signature.keyId, value: event.signature.value };
    else if (signer) chained.signature = { keyId: signer.keyId, value: signer.sign('event', hash) };
    prevHash = hash;
    if (text) rememberText(chained, text);
    return chained;
  });
}
