import { describe, expect, it } from '@jest/globals';
import { describeReadModelStoreContract } from '../contract/read-model-store.contract.js';
import { MemoryReadModelStore } from './memory-read-model-store.js';

describeReadModelStoreContract('memory', async () => {
  const store = new MemoryReadModelStore();
  return { store, dispose: () => store.close() };
});

describe('MemoryReadModelStore', () => {
  it('keeps documents as JSON and refuses one without a JSON form, applying nothing', async () => {
    const store = new MemoryReadModelStore();
    const doc = { at: new Date('2026-02-03T00:00:00.000Z'), gone: undefined };
    await store.commit('p', 0, 1, [{ collection: 'c', id: 'd', doc }]);
    expect(await store.get('c', 'd')).toEqual({ at: '2026-02-03T00:00:00.000Z' });

    await expect(
      store.commit('p', 1, 2, [
        { collection: 'c', id: 'e', doc: { ok: true } },
        { collection: 'c', id: 'f', doc: { n: 10n } },
      ]),
    ).rejects.toThrow(TypeError);
    expect(await store.checkpoint('p')).toBe(1);
    expect(await store.get('c', 'e')).toBeUndefined();
  });
});
