import { describe, expect, it } from '@jest/globals';
import { MemoryEventStore, type EventStore } from '../event-store/index.js';
import { testEvent } from '../event-store/contract/test-events.js';
import { MemoryReadModelStore } from '../read-models/memory/memory-read-model-store.js';
import type { Projection } from './projection.js';
import { Projector } from './projector.js';

/** Counts how often each event reaches it: any event applied twice, or skipped, shows in the counts. */
const counting: Projection = {
  name: 'counting',
  collections: ['counts'],
  async apply(event, docs) {
    const doc = (await docs.get<{ seen: Record<string, number>; total: number }>('counts', event.stream)) ?? { seen: {}, total: 0 };
    doc.seen[event.id] = (doc.seen[event.id] ?? 0) + 1;
    doc.total += 1;
    docs.put('counts', event.stream, doc);
  },
};

async function appendMany(store: EventStore, streams: number, perStream: number): Promise<void> {
  for (let s = 0; s < streams; s += 1) {
    const stream = `s-${s}`;
    const last = await store.lastRevision(stream);
    await store.append(stream, Array.from({ length: perStream }, () => testEvent()), { expectedRevision: last === -1 ? 'no-stream' : last });
  }
}

async function counts(readModels: MemoryReadModelStore) {
  const docs = await readModels.list<{ seen: Record<string, number>; total: number }>('counts');
  const applications = docs.flatMap((doc) => Object.values(doc.seen));
  return { events: applications.length, maxApplied: Math.max(0, ...applications), total: docs.reduce((sum, doc) => sum + doc.total, 0) };
}

describe('Projector', () => {
  it('applies the log in pages, moving the checkpoint with the documents', async () => {
    const events = new MemoryEventStore();
    const readModels = new MemoryReadModelStore();
    await appendMany(events, 5, 30);
    const projector = new Projector(events, readModels, [counting], { pageSize: 7 });
    await projector.catchUp();
    expect(await counts(readModels)).toEqual({ events: 150, maxApplied: 1, total: 150 });
    expect(await readModels.checkpoint('counting')).toBe(await events.headPosition());
  });

  it('resumes from its checkpoint after a restart: nothing applied twice, nothing skipped', async () => {
    const events = new MemoryEventStore();
    const readModels = new MemoryReadModelStore();
    await appendMany(events, 3, 10);
    const first = new Projector(events, readModels, [counting]);
    await first.catchUp();
    await first.stop();
    await appendMany(events, 4, 5);
    const second = new Projector(events, readModels, [counting]);
    await second.catchUp();
    expect(await counts(readModels)).toEqual({ events: 50, maxApplied: 1, total: 50 });
  });

  it('two instances projecting at once apply every event exactly once (checkpoint compare-and-set)', async () => {
    const events = new MemoryEventStore();
    const readModels = new MemoryReadModelStore();
    await appendMany(events, 10, 40);
    const a = new Projector(events, readModels, [counting], { pageSize: 13 });
    const b = new Projector(events, readModels, [counting], { pageSize: 11 });
    await Promise.all([a.catchUp(), b.catchUp(), a.catchUp(), b.catchUp()]);
    expect(await counts(readModels)).toEqual({ events: 400, maxApplied: 1, total: 400 });
  });

  it('rebuilds from position 0 to the same documents', async () => {
    const events = new MemoryEventStore();
    const readModels = new MemoryReadModelStore();
    await appendMany(events, 6, 8);
    const projector = new Projector(events, readModels, [counting]);
    await projector.catchUp();
    const before = await readModels.list('counts');
    await projector.rebuild();
    expect(await readModels.list('counts')).toEqual(before);
    expect(await counts(readModels)).toEqual({ events: 48, maxApplied: 1, total: 48 });
  });

  it('runs in the background and lets a writer wait for its own events', async () => {
    const events = new MemoryEventStore();
    const readModels = new MemoryReadModelStore();
    const projector = new Projector(events, readModels, [counting], { pollMs: 10_000 });
    projector.start();
    try {
      const result = await events.append('s-0', [testEvent()], { expectedRevision: 'no-stream' });
      expect(await projector.waitFor(result.events[0]!.position, 2000)).toBe(true);
      expect((await counts(readModels)).events).toBe(1);
    } finally {
      await projector.stop();
    }
  });

  it('stops on a failing projection without moving its checkpoint past the failure', async () => {
    const events = new MemoryEventStore();
    const readModels = new MemoryReadModelStore();
    await appendMany(events, 1, 3);
    const failing: Projection = { name: 'failing', collections: [], apply: () => { throw new Error('boom'); } };
    await expect(new Projector(events, readModels, [failing]).catchUp()).rejects.toThrow('boom');
    expect(await readModels.checkpoint('failing')).toBe(0);
  });
});
