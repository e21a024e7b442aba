import { createHash } from 'node:crypto';
import { formatAnchor, LEDGER_GENESIS, nextLedgerHash, type StoredEvent } from '../../envelope/index.js';
import { readAllEvents, type EventStore } from '../../event-store/index.js';
import { completeHead } from '../census-check.js';
import { BUNDLE_FORMAT, checkableFor, eventLine, scopeOf, sealOf, type BundleManifest } from './manifest.js';
import { SIGNING_KEYS_STREAM } from '../../signing/key-events.js';

export interface BundleSelection {
  /** One stream only. */
  stream?: string;
  /** Events that occurred at or after this instant. */
  from?: Date;
  /** Events that occurred at or before this instant. */
  to?: Date;
}

export interface ExportOptions extends BundleSelection {
  engine: { name: string; version: string };
  /** The export's time (from the caller's clock). */
  now: Date;
  /** The head position to stop at, from `completeHead` (taken here when absent). */
  upTo?: number;
}

/**
 * The bundle's lines (manifest.ts), newline included, manifest first. Reads the log twice (three times for a
 * time range) instead of holding it: once to write the manifest, once to write the events. Both passes stop at
 * the head position seen at the start, below which the log is immutable, so they see the same events.
 */
export async function* bundleLines(store: EventStore, options: ExportOptions): AsyncGenerator<string> {
  // Refused when readers are given less than the table holds (census-check.ts): a bundle must not silently cover less.
  const upTo = options.upTo ?? (await completeHead(store, 'export'));
  const source = async function* (): AsyncGenerator<StoredEvent> {
    if (options.stream) {
      // Revision order is position order within a stream.
      for (const event of await store.readStream(options.stream)) if (event.position <= upTo) yield event;
      return;
    }
    for await (const event of readAllEvents(store, { pageSize: 5000 })) {
      if (event.position > upTo) return;
      yield event;
    }
  };
  const wanted = await selector(source, options);
  const keyEvents = (await store.readStream(SIGNING_KEYS_STREAM)).filter((event) => event.position <= upTo);
  const manifest = await manifestOf(source, wanted, options, store.kind, upTo, keyEvents);
  // Plain JSON in the manifest's own member order (format first), for people reading it; the seal is computed
  // over its canonical form, so the order does not matter to the check.
  yield `${JSON.stringify(manifest)}\n`;
  for await (const event of source()) if (wanted(event)) yield `${eventLine(event)}\n`;
}

type Source = () => AsyncGenerator<StoredEvent>;

/**
 * Which events go in. A time range selects by `occurredAt`, then widens each stream to the contiguous revisions
 * between its first and last selected event: clocks of several API instances may disagree a little, and a stream
 * exported with a hole in it could not have its chain checked.
 */
async function selector(source: Source, selection: BundleSelection): Promise<(event: StoredEvent) => boolean> {
  const inStream = (event: StoredEvent) => !selection.stream || event.stream === selection.stream;
  if (!selection.from && !selection.to) return inStream;
  const from = selection.from?.getTime() ?? -Infinity;
  const to = selection.to?.getTime() ?? Infinity;
  const spans = new Map<string, { first: number; last: number }>();
  for await (const event of source()) {
    const at = Date.parse(event.metadata.occurredAt);
    if (!inStream(event) || at < from || at > to) continue;
    const span = spans.get(event.stream);
    if (!span) spans.set(event.stream, { first: event.revision, last: event.revision });
    else span.last = event.revision;
  }
  return (event) => {
    const span = spans.get(event.stream);
    return span !== undefined && event.revision >= span.first && event.revision <= span.last;
  };
}

async function manifestOf(
  source: Source,
  wanted: (event: StoredEvent) => boolean,
  options: ExportOptions,
  store: string,
  upTo: number,
  keyEvents: StoredEvent[],
): Promise<BundleManifest> {
  const scope = scopeOf(options);
  const digest = createHash('sha256');
  const streams = new Set<string>();
  const machines = new Map<string, BundleManifest['machines'][number]>();
  const starts: BundleManifest['starts'] = [];
  let ledger = LEDGER_GENESIS;
  let events = 0;
  let first: StoredEvent | undefined;
  let last: StoredEvent | undefined;
  for await (const event of source()) {
    if (!wanted(event)) continue;
    digest.update(`${eventLine(event)}\n`);
    if (!streams.has(event.stream)) {
      streams.add(event.stream);
      if (event.revision > 0) starts.push({ stream: event.stream, revision: event.revision - 1, hash: event.prevHash });
    }
    const { id, version } = event.metadata.machine;
    const key = `${id}\u0000${version}`;
    const machine = machines.get(key) ?? { id, version, events: 0 };
    machine.events += 1;
    machines.set(key, machine);
    ledger = nextLedgerHash(ledger, event.hash);
    first ??= event;
    last = event;
    events += 1;
  }
  const whole = scope === 'log';
  const manifest: Omit<BundleManifest, 'seal'> = {
    format: BUNDLE_FORMAT,
    exportedAt: options.now.toISOString(),
    engine: options.engine,
    source: { store, headPosition: upTo },
    scope,
    selection: {
      stream: options.stream ?? null,
      from: options.from?.toISOString() ?? null,
      to: options.to?.toISOString() ?? null,
    },
    counts: { events, streams: streams.size },
    firstPosition: first?.position ?? null,
    lastPosition: last?.position ?? null,
    headHash: last?.hash ?? null,
    ledgerHash: whole && last ? ledger : null,
    anchor: whole && last ? formatAnchor(events, ledger) : null,
    machines: [...machines.values()].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : a.version - b.version)),
    starts,
    checkable: checkableFor(scope, options.stream ?? null, streams.size, starts.length),
    // As the event lines write them (canonical members), so the manifest holds what the store holds.
    keyEvents: keyEvents.map((event) => JSON.parse(eventLine(event)) as StoredEvent),
    eventsDigest: digest.digest('hex'),
  };
  return { ...manifest, seal: sealOf(manifest) };
}
