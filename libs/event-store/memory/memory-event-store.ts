import { chainEvents, GENESIS_HASH, type EventSigner, type NewEvent, type StoredEvent } from '../../envelope/index.js';
import { namesWithPrefix } from '../stream-prefix.js';
import {
  checkExpectedRevision,
  isRetry,
  normaliseEvent,
  pageSize,
  refuseRepeatedIds,
  type StoredPlace,
} from '../append-rules.js';
import type {
  AppendOptions,
  AppendResult,
  EventHandler,
  EventStore,
  LogCensus,
  ReadAllOptions,
  ReadAllPage,
  ReadStreamOptions,
  SubscribeOptions,
  Subscription,
} from '../port.js';
import { LocalSubscriptions } from '../subscription.js';

export interface MemoryEventStoreOptions {
  /** Signs every event appended (docs/integrity.md); unsigned without one. */
  signer?: EventSigner;
}

/**
 * The event store in a process's memory: for tests and throw-away runs.
 * Each append runs without an `await` between its check and its write, so it is atomic on the event loop
 * exactly as a database transaction would be.
 */
export class MemoryEventStore implements EventStore {
  readonly kind = 'memory' as const;

  private readonly log: StoredEvent[] = [];
  private readonly streams = new Map<string, StoredEvent[]>();
  private readonly byId = new Map<string, StoredEvent>();
  private readonly subscriptions = new LocalSubscriptions();
  private closed = false;
  private readonly signer: EventSigner | undefined;

  constructor(options: MemoryEventStoreOptions = {}) {
    this.signer = options.signer;
  }

  async append(stream: string, events: readonly NewEvent[], options: AppendOptions): Promise<AppendResult> {
    this.assertOpen();
    // Copied in as the SQL adapters keep it (JSON text), so a test on memory sees what production would read back.
    const incoming = events.map(normaliseEvent);
    refuseRepeatedIds(stream, incoming);

    const stored = new Map<string, StoredPlace>();
    for (const { id } of incoming) {
      const found = this.byId.get(id);
      if (found) stored.set(id, found);
    }
    const current = this.streams.get(stream) ?? [];
    const tail = current.at(-1);
    if (isRetry(stream, incoming, stored)) {
      return {
        lastRevision: tail!.revision,
        events: incoming.map(({ id }) => structuredClone(this.byId.get(id)!)),
        duplicate: true,
      };
    }
    checkExpectedRevision(stream, options.expectedRevision, tail?.revision ?? -1);
    if (incoming.length === 0) return { lastRevision: tail?.revision ?? -1, events: [], duplicate: false };

    const base = this.log.length;
    const placed = chainEvents(stream, tail?.revision ?? -1, tail?.hash ?? GENESIS_HASH, incoming, this.signer).map(
      (event, index): StoredEvent => ({ ...event, position: base + index + 1 }),
    );
    for (const event of placed) {
      this.log.push(event);
      current.push(event);
      this.byId.set(event.id, event);
    }
    this.streams.set(stream, current);
    this.subscriptions.notify();
    return { lastRevision: placed.at(-1)!.revision, events: structuredClone(placed), duplicate: false };
  }

  async readStream(stream: string, options: ReadStreamOptions = {}): Promise<StoredEvent[]> {
    this.assertOpen();
    const from = options.fromRevision ?? 0;
    const to = options.toRevision ?? Number.POSITIVE_INFINITY;
    const events = (this.streams.get(stream) ?? []).filter((event) => event.revision >= from && event.revision <= to);
    return structuredClone(events);
  }

  async lastRevision(stream: string): Promise<number> {
    this.assertOpen();
    return this.streams.get(stream)?.at(-1)?.revision ?? -1;
  }

  async streamNames(prefix: string): Promise<string[]> {
    this.assertOpen();
    return namesWithPrefix(this.streams.keys(), prefix);
  }

  async findEvent(stream: string, id: string): Promise<StoredEvent | undefined> {
    this.assertOpen();
    const event = this.byId.get(id);
    return event?.stream === stream ? structuredClone(event) : undefined;
  }

  async readAll(options: ReadAllOptions = {}): Promise<ReadAllPage> {
    this.assertOpen();
    const after = options.after ?? 0;
    const limit = pageSize(options.limit);
    // Positions are 1..n with no gaps here, so position p sits at index p - 1.
    const events = structuredClone(this.log.slice(Math.max(0, after), Math.max(0, after) + limit));
    return { events, next: events.at(-1)?.position ?? after, end: events.length < limit };
  }

  async headPosition(): Promise<number> {
    this.assertOpen();
    return this.log.length;
  }

  async census(): Promise<LogCensus> {
    this.assertOpen();
    return { rows: this.log.length, highestPosition: this.log.length, unreachable: 0, heldBack: 0 };
  }

  subscribe(handler: EventHandler, options: SubscribeOptions = {}): Subscription {
    this.assertOpen();
    return this.subscriptions.start((page) => this.readAll(page), handler, options);
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await this.subscriptions.stopAll();
  }

  private assertOpen(): void {
    if (this.closed) throw new Error('MemoryEventStore is closed');
  }
}
