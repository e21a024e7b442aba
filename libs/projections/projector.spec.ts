import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import { MemoryEventStore, type EventStore } from '../event-store/index.js';
import { testEvent } from '../event-store/contract/test-events.js';
import { describePostgres, dropSchema, postgresTestUrl, randomSchemaName } from '../event-store/postgres/test-database.js';
import { MemoryReadModelStore } from '../read-models/memory/memory-read-model-store.js';
import { PostgresReadModelStore } from '../read-models/postgres/postgres-read-model-store.js';
import { SqliteReadModelStore } from '../read-models/sqlite/sqlite-read-model-store.js';
import type { CheckpointMove, DocChange, ReadModelStore } from '../read-models/port.js';
import type { Projection } from './projection.js';
import { Projector } from './projector.js';

type Counts = { seen: Record<string, number>; total: number };

/**
 * Counts how often each event reaches it: any event applied twice, or skipped, shows in the counts.
 * `failAt(position)` makes it throw on that event (after putting its documents for the events before it).
 */
function countingProjection(name: string, collection: string, failAt: () => number | undefined = () => undefined): Projection {
  return {
    name,
    collections: [collection],
    async apply(event, docs) {
      if (event.position === failAt()) throw new Error(`${name}: boom at ${event.position}`);
      const doc = (await docs.get<Counts>(collection, event.stream)) ?? { seen: {}, total: 0 };
      doc.seen[event.id] = (doc.seen[event.id] ?? 0) + 1;
      doc.total += 1;
      docs.put(collection, event.stream, doc);
    },
  };
}

const counting = countingProjection('counting', 'counts');

async function appendMany(store: EventStore, streams: number, perStream: number): Promise<void> {
  for (let s = 0; s < streams; s += 1) {
    const stream = `s-${s}`;
    const last = await store.lastRevision(stream);
    await store.append(stream, Array.from({ length: perStream }, () => testEvent()), { expectedRevision: last === -1 ? 'no-stream' : last });
  }
}

async function counts(readModels: ReadModelStore, collection = 'counts') {
  const docs = await readModels.list<Counts>(collection);
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

  it('lets writers that wait in the same turn of the event loop share one pass: one read-model commit for all', async () => {
    const events = new MemoryEventStore();
    const readModels = new CommitLog();
    const projector = new Projector(events, readModels, [counting], { pollMs: 10_000 });
    projector.start();
    try {
      await projector.waitFor(0);
      // Each writer in its own callback, as requests arriving together are: microtasks run between them.
      const waits = await Promise.all(
        Array.from(
          { length: 8 },
          (_, index) =>
            new Promise<boolean>((resolve, reject) =>
              setImmediate(() => {
                events
                  .append(`s-${index}`, [testEvent()], { expectedRevision: 'no-stream' })
                  .then((result) => projector.waitFor(result.events[0]!.position, 2000))
                  .then(resolve, reject);
              }),
            ),
        ),
      );
      expect(waits).toEqual(Array(8).fill(true));
      expect(readModels.commits).toHaveLength(1);
      expect(await counts(readModels)).toEqual({ events: 8, maxApplied: 1, total: 8 });
    } finally {
      await projector.stop();
    }
  });

  it('notices on its next poll that another process moved the checkpoints back (a rebuild stopped half-way)', async () => {
    const events = new MemoryEventStore();
    const readModels = new MemoryReadModelStore();
    await appendMany(events, 4, 5);
    const projector = new Projector(events, readModels, [counting], { pollMs: 20 });
    await projector.catchUp();
    // What another process's `u4ssc rebuild` leaves if it dies after the reset: no documents, checkpoint 0, and
    // no new event that would make this projector's next commit collide with the stored checkpoint.
    await readModels.reset('counting', ['counts']);
    await projector.catchUp();
    expect((await counts(readModels)).events).toBe(0);
    projector.start();
    try {
      for (let waited = 0; waited < 2000 && (await counts(readModels)).events < 20; waited += 20) {
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
      expect(await counts(readModels)).toEqual({ events: 20, maxApplied: 1, total: 20 });
    } finally {
      await projector.stop();
    }
  });

  it('replays a projection whose version was raised into emptied collections, and drops the old checkpoint', async () => {
    const events = new MemoryEventStore();
    const readModels = new MemoryReadModelStore();
    await appendMany(events, 3, 4);
    await new Projector(events, readModels, [counting]).catchUp();
    // A document the new version would never write, as an earlier version's leftovers are.
    await readModels.commit('counting', 12, 12, [{ collection: 'counts', id: 'left-over', doc: { seen: {}, total: 99 } }]);

    const counting2: Projection = { ...countingProjection('counting', 'counts'), version: 2 };
    const upgraded = new Projector(events, readModels, [counting2]);
    await upgraded.catchUp();
    expect(await counts(readModels)).toEqual({ events: 12, maxApplied: 1, total: 12 });
    expect(await readModels.get('counts', 'left-over')).toBeUndefined();
    expect(await readModels.checkpoint('counting@v2')).toBe(12);
    expect(await readModels.checkpoint('counting')).toBe(0);
    // From then on it goes on from its own checkpoint, applying nothing twice.
    await appendMany(events, 1, 2);
    await upgraded.catchUp();
    expect(await counts(readModels)).toEqual({ events: 14, maxApplied: 1, total: 14 });
  });

  it('stops on a failing projection without moving its checkpoint past the failure', async () => {
    const events = new MemoryEventStore();
    const readModels = new MemoryReadModelStore();
    await appendMany(events, 1, 3);
    const failing: Projection = { name: 'failing', collections: [], apply: () => { throw new Error('boom'); } };
    await expect(new Projector(events, readModels, [failing]).catchUp()).rejects.toThrow('boom');
    expect(await readModels.checkpoint('failing')).toBe(0);
  });

  it('commits a page for every projection in one read-model transaction, each checkpoint moving in it', async () => {
    const events = new MemoryEventStore();
    const readModels = new CommitLog();
    await appendMany(events, 5, 30);
    const projections = ['a', 'b', 'c'].map((name) => countingProjection(name, `counts-${name}`));
    await new Projector(events, readModels, projections, { pageSize: 7 }).catchUp();
    expect(readModels.commits).toHaveLength(Math.ceil(150 / 7));
    for (const { moves } of readModels.commits) expect(moves.map((move) => move.projector)).toEqual(['a', 'b', 'c']);
    for (const name of ['a', 'b', 'c']) {
      expect(await counts(readModels, `counts-${name}`)).toEqual({ events: 150, maxApplied: 1, total: 150 });
      expect(await readModels.checkpoint(name)).toBe(150);
    }
  });

  it('brings a projection added later up to the others without applying anything twice to them', async () => {
    const events = new MemoryEventStore();
    const readModels = new MemoryReadModelStore();
    await appendMany(events, 4, 10);
    const early = countingProjection('early', 'counts-early');
    await new Projector(events, readModels, [early], { pageSize: 6 }).catchUp();
    await appendMany(events, 4, 5);
    const late = countingProjection('late', 'counts-late');
    const projector = new Projector(events, readModels, [early, late], { pageSize: 6 });
    await projector.catchUp();
    expect(await counts(readModels, 'counts-early')).toEqual({ events: 60, maxApplied: 1, total: 60 });
    expect(await counts(readModels, 'counts-late')).toEqual({ events: 60, maxApplied: 1, total: 60 });
    expect(await projector.waitFor(60, 100)).toBe(true);
  });

  it('two instances with several projections apply every event exactly once to each', async () => {
    const events = new MemoryEventStore();
    const readModels = new MemoryReadModelStore();
    await appendMany(events, 10, 40);
    const projections = () => [countingProjection('a', 'counts-a'), countingProjection('b', 'counts-b')];
    const a = new Projector(events, readModels, projections(), { pageSize: 13 });
    const b = new Projector(events, readModels, projections(), { pageSize: 11 });
    await Promise.all([a.catchUp(), b.catchUp(), a.catchUp(), b.catchUp()]);
    for (const name of ['a', 'b']) {
      expect(await counts(readModels, `counts-${name}`)).toEqual({ events: 400, maxApplied: 1, total: 400 });
    }
  });
  it('rebuilds in bigger pages than it catches up in, to the same documents', async () => {
    const events = new MemoryEventStore();
    await appendMany(events, 5, 30);
    const paged = new CommitLog();
    await new Projector(events, paged, [counting], { pageSize: 7, rebuildPageSize: 50 }).catchUp();
    expect(paged.commits).toHaveLength(Math.ceil(150 / 7));
    const before = await paged.list('counts');
    paged.commits.length = 0;
    await new Projector(events, paged, [counting], { pageSize: 7, rebuildPageSize: 50 }).rebuild();
    expect(paged.commits.map((commit) => commit.moves[0]!.to)).toEqual([50, 100, 150]);
    expect(await paged.list('counts')).toEqual(before);
    // By default a rebuild takes 5,000 events a page, unless the projector was given a page size.
    const defaults = new CommitLog();
    await new Projector(events, defaults, [counting]).rebuild();
    expect(defaults.commits).toHaveLength(1);
    const explicit = new CommitLog();
    await new Projector(events, explicit, [counting], { pageSize: 40 }).rebuild();
    expect(explicit.commits).toHaveLength(4);
  });
});

/** Records every commit the projector makes (the memory store's own commits do the work). */
class CommitLog extends MemoryReadModelStore {
  readonly commits: { moves: CheckpointMove[]; changes: number }[] = [];
  override async commitAll(moves: readonly CheckpointMove[], changes: readonly DocChange[]): Promise<void> {
    this.commits.push({ moves: [...moves], changes: changes.length });
    return super.commitAll(moves, changes);
  }
}

/**
 * A projection failing in the middle of a page, on every read-model store: the page is rolled back for every
 * projection (no checkpoint moves, no document of the page is written), and once the failure is gone a new
 * projector resumes exactly where the last commit ended.
 */
function describeFailureMidPage(name: string, open: () => Promise<{ store: ReadModelStore; dispose(): Promise<void> }>) {
  describe(`Projector on ${name} read models: a failure mid-page`, () => {
    let fixture: { store: ReadModelStore; dispose(): Promise<void> };
    beforeEach(async () => {
      fixture = await open();
    });
    afterEach(async () => {
      await fixture.dispose();
    });

    it('rolls back the whole page for every projection, and a restart resumes exactly', async () => {
      const events = new MemoryEventStore();
      const readModels = fixture.store;
      await appendMany(events, 3, 10); // positions 1..30, pages of 10
      let failAt: number | undefined = 15;
      // The healthy projection comes first: it has applied the failing page's events when the second one throws.
      const healthy = countingProjection('healthy', 'counts-healthy');
      const flaky = countingProjection('flaky', 'counts-flaky', () => failAt);
      const first = new Projector(events, readModels, [healthy, flaky], { pageSize: 10 });
      await expect(first.catchUp()).rejects.toThrow('flaky: boom at 15');
      expect(await readModels.checkpoint('healthy')).toBe(10);
      expect(await readModels.checkpoint('flaky')).toBe(10);
      expect(await counts(readModels, 'counts-healthy')).toEqual({ events: 10, maxApplied: 1, total: 10 });
      expect(await counts(readModels, 'counts-flaky')).toEqual({ events: 10, maxApplied: 1, total: 10 });
      expect(await first.waitFor(11, 50)).toBe(false);
      await first.stop();

      failAt = undefined;
      await appendMany(events, 2, 5);
      const second = new Projector(events, readModels, [healthy, flaky], { pageSize: 10 });
      await second.catchUp();
      for (const collection of ['counts-healthy', 'counts-flaky']) {
        expect(await counts(readModels, collection)).toEqual({ events: 40, maxApplied: 1, total: 40 });
      }
      expect(await readModels.checkpoint('healthy')).toBe(40);
      expect(await readModels.checkpoint('flaky')).toBe(40);
    });
  });
}

describeFailureMidPage('memory', async () => {
  const store = new MemoryReadModelStore();
  return { store, dispose: () => store.close() };
});

describeFailureMidPage('sqlite', async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'u4ssc-projector-'));
  const store = SqliteReadModelStore.open(path.join(dir, 'read-models.sqlite'));
  return {
    store,
    async dispose() {
      await store.close();
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
});

describePostgres('Projector on PostgreSQL', () => {
  describeFailureMidPage('postgres', async () => {
    const schema = randomSchemaName('projector');
    const store = await PostgresReadModelStore.open({ connectionString: postgresTestUrl(), schema });
    return {
      store,
      async dispose() {
        await store.close();
        await dropSchema(schema);
      },
    };
  });
});
