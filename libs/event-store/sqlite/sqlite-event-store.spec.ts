import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import Database from 'better-sqlite3';
import { chainEvents, GENESIS_HASH, verifyLog, type StoredEvent } from '../../envelope/index.js';
import { SigningKey } from '../../signing/index.js';
import { normaliseEvent } from '../append-rules.js';
import { describeEventStoreContract } from '../contract/event-store.contract.js';
import { testEvents } from '../contract/test-events.js';
import { SqliteEventStore } from './sqlite-event-store.js';

describeEventStoreContract('sqlite', async (options) => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'u4ssc-'));
  const store = SqliteEventStore.open(path.join(dir, 'events.db'), options);
  return {
    store,
    async dispose() {
      await store.close();
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
});

describe('SqliteEventStore', () => {
  let dir: string;
  let file: string;
  const opened: SqliteEventStore[] = [];
  const open = () => {
    const store = SqliteEventStore.open(file);
    opened.push(store);
    return store;
  };

  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'u4ssc-'));
    file = path.join(dir, 'events.db');
  });

  afterEach(async () => {
    for (const store of opened.splice(0)) await store.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('opens the file in WAL mode with synchronous=FULL and a busy timeout', () => {
    const store = open();
    expect(store.db.pragma('journal_mode', { simple: true })).toBe('wal');
    expect(store.db.pragma('synchronous', { simple: true })).toBe(2);
    expect(store.db.pragma('busy_timeout', { simple: true })).toBe(5000);
  });

  it('keeps the log across close and reopen, and the chain still verifies', async () => {
    const first = open();
    const written = await first.append('s', testEvents(3), { expectedRevision: 'no-stream' });
    await first.close();

    const again = open();
    expect(await again.readStream('s')).toEqual(written.events);
    const next = await again.append('s', testEvents(1), { expectedRevision: 2 });
    expect(next.events[0]!.position).toBe(4);
    expect(await verifyLog((await again.readAll()).events)).toMatchObject({ ok: true, events: 4 });
  });

  it('upgrades a file written before events were signed: its events read back unsigned, new ones signed', async () => {
    const legacy = new Database(file);
    legacy.exec(`CREATE TABLE events (
      position INTEGER PRIMARY KEY AUTOINCREMENT, id TEXT NOT NULL UNIQUE, stream TEXT NOT NULL, revision INTEGER NOT NULL,
      type TEXT NOT NULL, data TEXT NOT NULL, metadata TEXT NOT NULL, prev_hash TEXT NOT NULL, hash TEXT NOT NULL,
      UNIQUE (stream, revision))`);
    const [old] = chainEvents('s', -1, GENESIS_HASH, testEvents(1).map(normaliseEvent));
    legacy
      .prepare('INSERT INTO events (id, stream, revision, type, data, metadata, prev_hash, hash) VALUES (?, ?, ?, ?, ?, ?, ?, ?)')
      .run(old!.id, 's', 0, old!.type, JSON.stringify(old!.data), JSON.stringify(old!.metadata), old!.prevHash, old!.hash);
    legacy.close();

    const key = SigningKey.generate();
    const store = SqliteEventStore.open(file, { signer: key });
    opened.push(store);
    const columns = store.db.prepare<[], { name: string }>("SELECT name FROM pragma_table_info('events')").all();
    expect(columns.map((column) => column.name)).toEqual(expect.arrayContaining(['signature_key', 'signature']));
    await store.append('s', testEvents(1), { expectedRevision: 0 });
    const [first, second] = await store.readStream('s');
    expect(first).not.toHaveProperty('signature');
    expect(key.verifying.verify('event', second!.hash, second!.signature!.value)).toBe(true);
    expect(await verifyLog(await store.readStream('s'))).toMatchObject({ ok: true, events: 2 });
    // Opening the upgraded file again adds nothing.
    opened.push(SqliteEventStore.open(file));
  });

  it('shares the file between connections: revision checks hold across them', async () => {
    const api = open();
    const cli = open();
    await api.append('s', testEvents(1), { expectedRevision: 'no-stream' });
    await expect(cli.append('s', testEvents(1), { expectedRevision: 'no-stream' })).rejects.toMatchObject({
      name: 'ConcurrencyError',
      actual: 0,
    });
    await cli.append('s', testEvents(1), { expectedRevision: 0 });
    expect(await api.lastRevision('s')).toBe(1);
  });

  it("delivers another connection's appends to a subscription by polling", async () => {
    const reader = open();
    const writer = open();
    const seen: StoredEvent[] = [];
    const subscription = reader.subscribe((event) => void seen.push(event), { pollMs: 20 });
    try {
      await subscription.caughtUp;
      const written = await writer.append('s', testEvents(2), { expectedRevision: 'no-stream' });
      const deadline = Date.now() + 10_000;
      while (seen.length < 2 && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 5));
      expect(seen).toEqual(written.events);
    } finally {
      await subscription.stop();
    }
  });

  it('wakes local subscriptions on append instead of waiting for the next poll', async () => {
    const store = open();
    const seen: StoredEvent[] = [];
    // A poll this slow would outlast the test's deadline: only the wake can deliver in time.
    const subscription = store.subscribe((event) => void seen.push(event), { pollMs: 600_000 });
    try {
      await subscription.caughtUp;
      await store.append('s', testEvents(1), { expectedRevision: 'no-stream' });
      const deadline = Date.now() + 5_000;
      while (seen.length < 1 && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 5));
      expect(seen).toHaveLength(1);
    } finally {
      await subscription.stop();
    }
  });

  it('stops its subscriptions when closed', async () => {
    const store = open();
    const errors: unknown[] = [];
    const subscription = store.subscribe(() => undefined, { pollMs: 10, onError: (error) => errors.push(error) });
    await subscription.caughtUp;
    await store.close();
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(errors).toEqual([]);
    await subscription.stop();
  });
});
