import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import { verifyLog, type StoredEvent } from '../../envelope/index.js';
import { describeEventStoreContract } from '../contract/event-store.contract.js';
import { testEvents } from '../contract/test-events.js';
import { SqliteEventStore } from './sqlite-event-store.js';

describeEventStoreContract('sqlite', async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'u4ssc-'));
  const store = SqliteEventStore.open(path.join(dir, 'events.db'));
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
