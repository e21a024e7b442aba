import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { verifyLog } from '../envelope/index.js';
import { SqliteEventStore } from '../event-store/index.js';
import { testEvents } from '../event-store/contract/test-events.js';
import { SIGNING_KEYS_STREAM } from './key-events.js';
import { adoptKey, ENGINE_ACTOR, ensureKeyPublished, rotateKey } from './key-publication.js';
import { KeyRing } from './key-ring.js';
import { SigningKey } from './signing-key.js';

const at = '2026-01-01T00:00:00.000Z';
const context = { actor: ENGINE_ACTOR, occurredAt: at };

describe('key publication at start', () => {
  let dir: string;
  let file: string;
  const opened: SqliteEventStore[] = [];
  const open = (key: SigningKey) => {
    const store = SqliteEventStore.open(file, { signer: key });
    opened.push(store);
    return store;
  };

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'u4ssc-keys-'));
    file = join(dir, 'events.db');
  });
  afterEach(async () => {
    for (const store of opened.splice(0)) await store.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('publishes the first key once, however many instances start on it at once', async () => {
    const key = SigningKey.generate();
    const results = await Promise.all([open(key), open(key), open(key)].map((store) => ensureKeyPublished(store, key, at)));
    expect(results.filter((result) => result.published)).toHaveLength(1);
    const events = await open(key).readStream(SIGNING_KEYS_STREAM);
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({ type: 'SigningKeyPublished', data: { keyId: key.keyId, endorsedBy: null, reason: 'first start' }, signature: { keyId: key.keyId } });
    expect(KeyRing.build(events).key(key.keyId)!.trust).toBe('genesis');
    expect(events[0]!.data).not.toHaveProperty('legacyAnchor');
  });

  it('publishes the first key after a legacy, unsigned history, which stays legacy', async () => {
    const legacy = SqliteEventStore.open(file);
    opened.push(legacy);
    await legacy.append('s', testEvents(2), { expectedRevision: 'no-stream' });
    const key = SigningKey.generate();
    await ensureKeyPublished(open(key), key, at);
    const ring = KeyRing.build(await legacy.readStream(SIGNING_KEYS_STREAM));
    expect(ring.signedFrom).toBe(3);
    // The unsigned past is sealed under the key: the anchor of its two events.
    const before = await verifyLog(await legacy.readStream('s'));
    expect(ring.legacyAnchor).toBe(before.anchor);
    expect(ring.legacyAnchor).toMatch(/^u4ssc-anchor:2:/);
    expect((await legacy.readStream('s')).map((event) => ring.checkEvent(event))).toEqual([{ ok: true, legacy: true }, { ok: true, legacy: true }]);
  });

  it('refuses a key the log does not hold, saying how to publish it; accepts it once rotated in', async () => {
    const [first, second] = [SigningKey.generate(), SigningKey.generate()];
    await ensureKeyPublished(open(first), first, at);
    await expect(ensureKeyPublished(open(second), second, at)).rejects.toThrow(/is not published in this log.*keys rotate.*keys adopt/);
    expect(await open(first).readStream(SIGNING_KEYS_STREAM)).toHaveLength(1);
    await rotateKey(open(first), first, second, 'rotation', context);
    expect(await ensureKeyPublished(open(second), second, at)).toEqual({ published: false });
  });

  it('refuses to rotate to a key already published, or from a key the log does not hold', async () => {
    const [first, second, stranger] = [SigningKey.generate(), SigningKey.generate(), SigningKey.generate()];
    await ensureKeyPublished(open(first), first, at);
    await rotateKey(open(first), first, second, 'rotation', context);
    await expect(rotateKey(open(first), first, second, 'again', context)).rejects.toMatchObject({ name: 'ConflictError', message: expect.stringMatching(/already published/) });
    await expect(rotateKey(open(stranger), stranger, SigningKey.generate(), 'x', context)).rejects.toThrow(/is not published in this log/);
    await expect(adoptKey(open(second), second, 'x', context)).rejects.toThrow(/already published: nothing to adopt/);
    expect(await open(first).readStream(SIGNING_KEYS_STREAM)).toHaveLength(2);
  });
});
