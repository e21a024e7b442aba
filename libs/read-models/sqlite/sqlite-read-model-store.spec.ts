import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import { SqliteEventStore } from '../../event-store/sqlite/sqlite-event-store.js';
import { testEvents } from '../../event-store/contract/test-events.js';
import { describeReadModelStoreContract } from '../contract/read-model-store.contract.js';
import { CheckpointMovedError } from '../port.js';
import { SqliteReadModelStore } from './sqlite-read-model-store.js';

describeReadModelStoreContract('sqlite', async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'u4ssc-'));
  const store = SqliteReadModelStore.open(path.join(dir, 'read-models.db'));
  return {
    store,
    async dispose() {
      await store.close();
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
});

describe('SqliteReadModelStore', () => {
  let dir: string;
  let file: string;
  const opened: { close(): Promise<void> }[] = [];

  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'u4ssc-'));
    file = path.join(dir, 'u4ssc.db');
  });

  afterEach(async () => {
    for (const store of opened.splice(0)) await store.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  const open = () => {
    const store = SqliteReadModelStore.open(file);
    opened.push(store);
    return store;
  };

  it('opens the file in WAL mode with synchronous=NORMAL (read models are disposable) and a busy timeout', () => {
    const store = open();
    expect(store.db.pragma('journal_mode', { simple: true })).toBe('wal');
    expect(store.db.pragma('synchronous', { simple: true })).toBe(1);
    expect(store.db.pragma('busy_timeout', { simple: true })).toBe(5000);
  });

  it('shares one file with the event log, each on its own connection', async () => {
    const events = SqliteEventStore.open(file);
    opened.push(events);
    const readModels = open();
    const appended = await events.append('s', testEvents(2), { expectedRevision: 'no-stream' });
    await readModels.commit('p', 0, appended.events[1]!.position, [{ collection: 'c', id: 'x', doc: { n: 2 } }]);
    expect(await events.readStream('s')).toEqual(appended.events);
    expect(await readModels.checkpoint('p')).toBe(2);
  });

  it('keeps documents, checkpoints and idempotency records across close and reopen', async () => {
    const first = SqliteReadModelStore.open(file);
    await first.commit('p', 0, 4, [{ collection: 'c', id: 'x', doc: { n: 1 } }]);
    await first.putIdempotency({ key: 'k', requestHash: 'h', status: 201, body: { ok: true }, createdAt: 't' });
    await first.close();

    const again = open();
    expect(await again.checkpoint('p')).toBe(4);
    expect(await again.get('c', 'x')).toEqual({ n: 1 });
    expect(await again.getIdempotency('k')).toMatchObject({ status: 201, body: { ok: true } });
  });

  it('refuses a second instance whose checkpoint is stale, across connections', async () => {
    const one = open();
    const two = open();
    await one.commit('p', 0, 3, [{ collection: 'c', id: 'x', doc: { by: 'one' } }]);
    await expect(two.commit('p', 0, 3, [{ collection: 'c', id: 'x', doc: { by: 'two' } }])).rejects.toBeInstanceOf(
      CheckpointMovedError,
    );
    expect(await two.get('c', 'x')).toEqual({ by: 'one' });
    const record = { key: 'k', requestHash: 'h', status: 200, body: null, createdAt: 't' };
    expect(await two.putIdempotency(record)).toBe(true);
    expect(await one.putIdempotency({ ...record, requestHash: 'h2', status: 500 })).toBe(false);
  });
});
