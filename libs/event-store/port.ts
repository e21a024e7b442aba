import type { NewEvent, StoredEvent } from '../envelope/index.js';

/**
 * What a writer expects the stream to be before its append:
 * - 'no-stream': the stream has no event yet;
 * - 'any': no check (still chained and revisioned);
 * - a number: the stream's last revision is exactly this (0-based).
 */
export type ExpectedRevision = 'any' | 'no-stream' | number;

export interface AppendOptions {
  expectedRevision: ExpectedRevision;
}

export interface AppendResult {
  /** The stream's last revision after the append. */
  lastRevision: number;
  /** The events as stored (with revision, position and hashes). */
  events: StoredEvent[];
  /** True when every event id was already stored in this stream: a retried append that stored nothing new. */
  duplicate: boolean;
}

export interface ReadStreamOptions {
  /** First revision to return (inclusive); default 0. */
  fromRevision?: number;
  /** Return events up to this revision (inclusive). */
  toRevision?: number;
}

export interface ReadAllOptions {
  /** Return events with a position strictly greater than this; default 0 (the whole log). */
  after?: number;
  /** Page size; default 500, at most 10,000. */
  limit?: number;
}

export interface ReadAllPage {
  events: StoredEvent[];
  /** The position to pass as `after` for the next page (the last event's position, or `after` when empty). */
  next: number;
  /** True when the page was shorter than the limit: the reader has caught up with what is visible. */
  end: boolean;
}

/**
 * What the log's table holds, counted by the database rather than delivered by `readAll`: `verify` compares the two,
 * so an event no reader can see (a position at or below 0, a row hidden behind the visibility horizon) is a named
 * fault instead of an OK for a shorter log (docs/integrity.md).
 */
export interface LogCensus {
  /** Every row of the log, whatever its position. */
  rows: number;
  /** The highest position of any row (0 when empty). */
  highestPosition: number;
  /** Rows `readAll` can never deliver: position at or below 0. */
  unreachable: number;
  /**
   * PostgreSQL: committed rows readers cannot see yet, because a transaction somewhere in the cluster that began
   * before them is still running (the visibility horizon); 0 on the other stores.
   */
  heldBack: number;
  /** When `heldBack` > 0: which transaction holds the horizon (pid, database, since when), for the operator. */
  horizonHeldBy?: string;
  /** The first row `readAll` can never deliver (lowest position), to name in a fault. */
  firstUnreachable?: { position: number; stream: string; revision: number; id: string };
}

export type EventHandler = (event: StoredEvent) => void | Promise<void>;

export interface SubscribeOptions {
  /** Deliver events with a position strictly greater than this; default 0. */
  after?: number;
  /** How often to look for new events written by other processes; default 100 ms. */
  pollMs?: number;
  /** Called when the handler throws or reading fails; the subscription then stops. */
  onError?: (error: unknown) => void;
}

export interface Subscription {
  /** Resolves once every event visible at subscription time has been delivered. */
  readonly caughtUp: Promise<void>;
  /** The position of the last delivered event. */
  readonly position: number;
  stop(): Promise<void>;
}

/**
 * The event store port: the only way anything in the engine touches the log.
 * There is no update and no delete: events are immutable (docs/architecture.md §3).
 */
export interface EventStore {
  readonly kind: 'memory' | 'sqlite' | 'postgres' | 'eventstoredb';

  /**
   * Appends events to one stream atomically, after checking the expected revision.
   * Idempotent on event ids: when every id is already stored in this stream, nothing is appended and the stored
   * events come back with `duplicate: true`. Throws ConcurrencyError when the expected revision does not hold,
   * and DuplicateEventIdError when only some ids, or ids of another stream, are already stored.
   */
  append(stream: string, events: readonly NewEvent[], options: AppendOptions): Promise<AppendResult>;

  /** The stream's events in revision order (empty when the stream does not exist). */
  readStream(stream: string, options?: ReadStreamOptions): Promise<StoredEvent[]>;

  /**
   * Every stream whose name starts with `prefix`, sorted by code point: how a command enumerates the Partners, the
   * seats or the ballots from the log itself rather than from a read model (docs/integrity.md).
   */
  streamNames(prefix: string): Promise<string[]>;

  /** The stream's last revision, or -1 when it has no event. */
  lastRevision(stream: string): Promise<number>;

  /**
   * The event with this id if `stream` holds it; undefined when no event has the id or another stream holds it.
   * Event ids derive from command ids, so this is how the runner knows a command was applied without reading the
   * whole stream.
   */
  findEvent(stream: string, id: string): Promise<StoredEvent | undefined>;

  /**
   * One page of the global log, in position order. Never skips an event: an event whose transaction was still in
   * flight when a later one became visible is delivered before the reader moves past it.
   */
  readAll(options?: ReadAllOptions): Promise<ReadAllPage>;

  /** The position of the last visible event, or 0 when the log is empty. */
  headPosition(): Promise<number>;

  /** Counts the log's rows as the database holds them (see LogCensus). */
  census(): Promise<LogCensus>;

  /** Catch-up then live delivery, in position order, one event at a time (the handler is awaited). */
  subscribe(handler: EventHandler, options?: SubscribeOptions): Subscription;

  close(): Promise<void>;
}
