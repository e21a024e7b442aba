import { eventHashMismatch, GENESIS_HASH, type EventSignature, type StoredEvent } from '../envelope/index.js';
import { IntegrityError } from '../errors/index.js';
import type { EventStore } from '../event-store/index.js';
import { RecentMap } from '../kernel/recent-map.js';
import { KeyRing, SIGNING_KEYS_STREAM, VerifyingKey, type SigningKey } from '../signing/index.js';

/** Where a stream's chain stands before the first event checked: its revision and that event's hash. */
export interface ChainStart {
  revision: number;
  hash: string;
}

export const STREAM_START: ChainStart = { revision: -1, hash: GENESIS_HASH };

export interface LogIntegrityOptions {
  /** Fingerprints or key ids trusted whatever the log says (the engine's own key): pinned in the ring. */
  trusted?: readonly string[];
  /** Streams whose last checked event is remembered, so their earlier signatures are not verified again. */
  capacity?: number;
}

const defaults = new WeakMap<EventStore, LogIntegrity>();

/**
 * What the runner checks before a decide step sees an event (docs/integrity.md): that the event is the one the
 * engine wrote. For every event read as a fact, in stream order: a position readers of the log can reach, the
 * revision after its predecessor's, the link to its predecessor's hash, its hash recomputed from its content, and
 * its signature by a key the log's `signing-keys` stream holds valid at its position (unsigned events only before
 * the log's first key publication, as `verify` accepts them). Any fault is an IntegrityError: the command is
 * refused and nothing is appended.
 *
 * Cheap on the paths that matter: hashing is microseconds, a signature about a hundred; so per stream it remembers
 * the last event whose signature it verified, and a later read of the stream verifies signatures only after it
 * (the hashes, recomputed and chained on every read, prove the earlier events are the very ones verified). The key
 * ring is read again only when the `signing-keys` stream has grown (another instance rotated or revoked a key).
 */
export class LogIntegrity {
  private ring: KeyRing = KeyRing.empty();
  /** The `signing-keys` revision the ring was built from; undefined before the first build. */
  private ringRevision: number | undefined;
  private rebuilding: Promise<void> | undefined;
  /** A ring problem that taints every check (the key stream itself fails its checks). */
  private ringFault: IntegrityError | undefined;
  private verified: RecentMap<string, ChainStart>;
  private readonly verifiers = new Map<string, VerifyingKey>();

  constructor(
    readonly store: EventStore,
    private readonly options: LogIntegrityOptions = {},
  ) {
    this.verified = new RecentMap(options.capacity ?? 2000);
  }

  /** One checker per store for callers that bring none (tests, tools): the runner never folds unchecked events. */
  static of(store: EventStore): LogIntegrity {
    let integrity = defaults.get(store);
    if (!integrity) defaults.set(store, (integrity = new LogIntegrity(store)));
    return integrity;
  }

  /** The key ring as of the log's current `signing-keys` stream. */
  async keyRing(): Promise<KeyRing> {
    await this.refresh();
    if (this.ringFault) throw this.ringFault;
    return this.ring;
  }

  /**
   * Checks `events`, read from `stream` in revision order, as following `start` (the stream's beginning, or a
   * snapshot's or cached state's event); throws an IntegrityError naming the first fault.
   */
  async checkStream(stream: string, events: readonly StoredEvent[], start: ChainStart = STREAM_START): Promise<void> {
    if (events.length === 0) return;
    let previous = start;
    for (const event of events) {
      const fault = structuralFault(stream, event, previous);
      if (fault) throw integrityFault(event, fault);
      previous = event;
    }
    // The events up to the one verified last time are the very ones verified: their hashes were just recomputed.
    const known = this.verified.get(stream);
    const verifiedThrough =
      known && (known.revision === start.revision ? known.hash === start.hash : events.find((e) => e.revision === known.revision)?.hash === known.hash)
        ? known.revision
        : start.revision;
    const unverified = events.filter((event) => event.revision > verifiedThrough);
    if (unverified.length > 0) {
      await this.checkSignatures(unverified);
      const last = events.at(-1)!;
      this.verified.set(stream, { revision: last.revision, hash: last.hash });
    }
  }

  /** Checks events one by one, with no chain to follow (events found by id): position, hash and signature. */
  async checkEach(events: readonly StoredEvent[]): Promise<void> {
    for (const event of events) {
      const fault = positionFault(event) ?? hashFault(event);
      if (fault) throw integrityFault(event, fault);
    }
    await this.checkSignatures(events);
  }

  /**
   * Why a signature over `body` (a snapshot's, at the log position of the event it stands for) is not one to trust,
   * or null: it must verify with a key the ring holds valid at that position, or with `own`, the engine's own key,
   * when the log has not published it (a log signed by no key yet).
   */
  async signatureProblem(
    purpose: 'snapshot',
    body: string,
    signature: EventSignature | null | undefined,
    position: number,
    own?: SigningKey,
  ): Promise<string | null> {
    if (!signature) return 'it carries no signature';
    const ring = await this.keyRing();
    const record = ring.key(signature.keyId);
    let verifier: VerifyingKey | undefined;
    if (record) {
      if (!ring.validAt(signature.keyId, position)) return `it is signed by key ${signature.keyId}, which may not sign at position ${position}`;
      verifier = this.verifierOf(signature.keyId, record.publicKey);
    } else if (own && own.keyId === signature.keyId) {
      verifier = own.verifying;
    } else {
      return `it is signed by key ${signature.keyId}, which the log never published`;
    }
    if (!verifier.verify(purpose, body, signature.value)) {
      return `its signature by key ${signature.keyId} does not match its content: it was altered, or not written by the engine`;
    }
    return null;
  }

  private async checkSignatures(events: readonly StoredEvent[]): Promise<void> {
    let ring = await this.keyRing();
    for (const event of events) {
      let check = ring.checkEvent(event);
      if (!check.ok && event.signature && !ring.key(event.signature.keyId)) {
        // A key published since the ring was built (another instance's rotation): read the key stream again.
        await this.refresh(true);
        ring = await this.keyRing();
        check = ring.checkEvent(event);
      }
      if (!check.ok) throw integrityFault(event, check.detail);
    }
  }

  private verifierOf(keyId: string, publicKey: string): VerifyingKey {
    let verifier = this.verifiers.get(keyId);
    if (!verifier) this.verifiers.set(keyId, (verifier = VerifyingKey.fromRaw(publicKey)));
    return verifier;
  }

  /** Rebuilds the ring when the `signing-keys` stream has another revision than the ring was built from. */
  private async refresh(force = false): Promise<void> {
    while (this.rebuilding) await this.rebuilding;
    const revision = await this.store.lastRevision(SIGNING_KEYS_STREAM);
    if (!force && revision === this.ringRevision) return;
    this.rebuilding = this.rebuild().finally(() => (this.rebuilding = undefined));
    await this.rebuilding;
  }

  private async rebuild(): Promise<void> {
    const events = await this.store.readStream(SIGNING_KEYS_STREAM);
    let previous = STREAM_START;
    let fault: IntegrityError | undefined;
    // The key stream is checked like any other: an edited publication would otherwise bring its own key along.
    for (const event of events) {
      const problem = structuralFault(SIGNING_KEYS_STREAM, event, previous);
      if (problem) {
        fault = integrityFault(event, `${problem}; no signature can be trusted until the key stream is restored`);
        break;
      }
      previous = event;
    }
    this.ring = KeyRing.build(fault ? [] : events, { trusted: this.options.trusted });
    this.ringFault = fault;
    this.ringRevision = events.at(-1)?.revision ?? -1;
    // A revocation may fall on events verified before: verify them again under the new ring.
    this.verified = new RecentMap(this.verified.capacity);
    this.verifiers.clear();
  }
}

function structuralFault(stream: string, event: StoredEvent, previous: ChainStart): string | null {
  if (event.stream !== stream) return `it belongs to stream "${event.stream}", not "${stream}"`;
  if (event.revision !== previous.revision + 1) return `its revision follows revision ${previous.revision}`;
  return (
    positionFault(event) ??
    (event.prevHash !== previous.hash
      ? `its link ${event.prevHash.slice(0, 12)}… is not the previous event's hash ${previous.hash.slice(0, 12)}…`
      : hashFault(event))
  );
}

/** Readers of the whole log start after position 0: a row at 0 or below is hidden from `verify` and the projections. */
function positionFault(event: StoredEvent): string | null {
  return Number.isSafeInteger(event.position) && event.position > 0
    ? null
    : `it sits at position ${event.position}, where no reader of the whole log (verify, the projections) sees it`;
}

function hashFault(event: StoredEvent): string | null {
  const recomputed = eventHashMismatch(event);
  return recomputed === null
    ? null
    : `its stored hash ${event.hash.slice(0, 12)}… differs from the recomputed ${recomputed.slice(0, 12)}…: its content was altered`;
}

function integrityFault(event: StoredEvent, what: string): IntegrityError {
  return new IntegrityError(
    `the event at revision ${event.revision} of stream "${event.stream}" (position ${event.position}) fails its integrity check: ${what}. ` +
      'Nothing was decided or recorded; the operator should run `u4ssc verify` and restore the log from a verified copy',
    { stream: event.stream, revision: event.revision, position: event.position, eventId: event.id },
  );
}
