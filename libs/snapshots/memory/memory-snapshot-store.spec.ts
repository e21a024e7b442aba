import { describeSnapshotStoreContract } from '../contract/snapshot-store.contract.js';
import { MemorySnapshotStore } from './memory-snapshot-store.js';

describeSnapshotStoreContract('memory', async () => {
  const store = new MemorySnapshotStore();
  return { store, dispose: () => store.close() };
});
