/**
 * The envelope every stored event carries (docs/architecture.md §3 "Envelope").
 * Types only: the event store, the process runner and the auditors' tools all speak this shape.
 */

/** Who did it: the person, the role they acted in, and the Partner they spoke for. */
export interface Actor {
  id: string;
  role: string;
  org?: string;
  name?: string;
}

export interface MachineRef {
  id: string;
  version: number;
}

export interface EventMetadata {
  actor: Actor;
  commandId: string;
  correlationId: string;
  causationId: string;
  /** ISO-8601 instant from the injected clock, never from the store. */
  occurredAt: string;
  machine: MachineRef;
  torVersion: string;
  /** ToR paragraphs this transition applied, e.g. ["¶12"]. */
  clauses: string[];
  /** Set on events recorded from before the system went live (imported history). */
  imported?: boolean;
  /**
   * The recorded facts the decision rested on (docs/integrity.md): each an event of the log, named by stream,
   * revision and hash, with what its data had to say. `verify` checks every one.
   */
  grounds?: Ground[];
}

/**
 * A cited event: `verify` requires the log to hold, in `stream` at `revision`, an event with this hash and type,
 * placed before the citing event, whose data contains `claim` (every key given, recursively; arrays whole).
 */
export interface Ground {
  stream: string;
  revision: number;
  hash: string;
  type: string;
  claim?: Record<string, unknown>;
}

/** An event as a writer hands it to the store. */
export interface NewEvent<D = unknown> {
  id: string;
  type: string;
  data: D;
  metadata: EventMetadata;
  /**
   * Only when copying a log (migrate): the signature the event already carries. Its hash is derived again from the
   * same content, so the signature still covers it, and is kept instead of signing the copy with another key.
   */
  signature?: EventSignature;
}

/** An event as the store keeps it: placed in its stream and the global log, and chained. */
export interface StoredEvent<D = unknown> extends NewEvent<D> {
  stream: string;
  /** 0-based, gap-free within the stream. */
  revision: number;
  /** Global, strictly increasing in read order, gap-tolerant. */
  position: number;
  prevHash: string;
  hash: string;
  /**
   * The engine's Ed25519 signature over `hash` (docs/integrity.md). Absent only on events stored before the log's
   * first signing key was published (legacy logs); `verify` faults any later event without a valid one.
   */
  signature?: EventSignature;
}

/** Who signed an event (a key published in the log's `signing-keys` stream) and the signature, base64url. */
export interface EventSignature {
  keyId: string;
  value: string;
}

/**
 * What signs events as they are chained (libs/signing's SigningKey is one): the signature covers the event's hash,
 * so signing changes no hash and logs written before signing began still verify.
 */
export interface EventSigner {
  readonly keyId: string;
  sign(purpose: 'event', hash: string): string;
}
