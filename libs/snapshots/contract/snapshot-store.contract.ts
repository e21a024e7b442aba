import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import type { ProcessSnapshot, SnapshotStore } from '../port.js';

export interface SnapshotStoreFixture {
  store: SnapshotStore;
  dispose(): Promise<void>;
}

const snapshot = (overrides: Partial<ProcessSnapshot> = {}): ProcessSnapshot => ({
  stream: 'partner-ITU',
  machineId: 'partner',
  machineVersion: 1,
  format: 1,
  revision: 99,
  hash: 'a'.repeat(64),
  state: '{"value":"registered","context":{"partnerId":"ITU"}}',
  signature: { keyId: 'ed25519:0123456789abcdef', value: 's'.repeat(86) },
  ...overrides,
});

/** Every snapshot store runs this suite unchanged; `open` must return an empty store. */
export function describeSnapshotStoreContract(name: string, open: () => Promise<SnapshotStoreFixture>): void {
  describe(`SnapshotStore contract: ${name}`, () => {
    let fixture: SnapshotStoreFixture;
    let store: SnapshotStore;

    beforeEach(async () => {
      fixture = await open();
      store = fixture.store;
    });
    afterEach(async () => {
      await fixture.dispose();
    });

    it('has no snapshot of a stream it was never given', async () => {
      expect(await store.latest('partner-ITU', 'partner', 1)).toBeUndefined();
    });

    it('gives back what it kept, field for field, the state as the very same text', async () => {
      const kept = snapshot({ state: '{"context":{"note":"é \\u0000 ✓","n":1.5e300},"value":{"a":"b"}}', revision: 2 ** 40 });
      await store.save(kept);
      expect(await store.latest('partner-ITU', 'partner', 1)).toEqual(kept);
    });

    it('keeps the signature with the snapshot, and gives back an unsigned one as unsigned', async () => {
      await store.save(snapshot({ signature: { keyId: 'ed25519:fedcba9876543210', value: 'sig-1' } }));
      expect((await store.latest('partner-ITU', 'partner', 1))!.signature).toEqual({ keyId: 'ed25519:fedcba9876543210', value: 'sig-1' });
      await store.save(snapshot({ revision: 100, signature: { keyId: 'ed25519:0000000000000000', value: 'sig-2' } }));
      expect(await store.latest('partner-ITU', 'partner', 1)).toMatchObject({ revision: 100, signature: { keyId: 'ed25519:0000000000000000', value: 'sig-2' } });
      await store.save(snapshot({ revision: 101, signature: null }));
      expect(await store.latest('partner-ITU', 'partner', 1)).toMatchObject({ revision: 101, signature: null });
    });

    it('keeps one snapshot per stream, machine id, machine version and format: the last one saved', async () => {
      await store.save(snapshot({ revision: 199, hash: 'b'.repeat(64) }));
      await store.save(snapshot({ revision: 99, hash: 'c'.repeat(64) }));
      expect(await store.latest('partner-ITU', 'partner', 1)).toMatchObject({ revision: 99, hash: 'c'.repeat(64) });
    });

    it('answers only for the stream, machine id and format asked; the newest revision across machine versions', async () => {
      await store.save(snapshot({ machineVersion: 1, revision: 10 }));
      await store.save(snapshot({ machineVersion: 2, revision: 20 }));
      await store.save(snapshot({ stream: 'partner-FAO', revision: 30 }));
      await store.save(snapshot({ format: 2, revision: 40 }));
      await store.save(snapshot({ machineId: 'ballot', revision: 50 }));
      expect(await store.latest('partner-ITU', 'partner', 1)).toMatchObject({ machineVersion: 2, revision: 20 });
      expect(await store.latest('partner-FAO', 'partner', 1)).toMatchObject({ revision: 30 });
      expect(await store.latest('partner-ITU', 'partner', 2)).toMatchObject({ revision: 40 });
      expect(await store.latest('partner-ITU', 'ballot', 1)).toMatchObject({ revision: 50 });
      expect(await store.latest('partner-UNEP', 'partner', 1)).toBeUndefined();
    });

    it('forgets everything on clear, answering how many it held', async () => {
      await store.save(snapshot());
      await store.save(snapshot({ stream: 'partner-FAO' }));
      expect(await store.clear()).toBe(2);
      expect(await store.latest('partner-ITU', 'partner', 1)).toBeUndefined();
      expect(await store.clear()).toBe(0);
    });

    it('hands out copies: changing an answer changes nothing stored', async () => {
      await store.save(snapshot());
      const first = (await store.latest('partner-ITU', 'partner', 1))!;
      first.revision = 5;
      first.state = 'garbage';
      first.signature!.value = 'forged';
      expect(await store.latest('partner-ITU', 'partner', 1)).toEqual(snapshot());
    });
  });
}
