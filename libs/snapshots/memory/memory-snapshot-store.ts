import type { ProcessSnapshot, SnapshotStore } from '../port.js';

/** Snapshots in a process's memory: for the memory event store and tests. */
export class MemorySnapshotStore implements SnapshotStore {
  readonly kind = 'memory' as const;

  /** Per stream, its snapshots (one per machine id, machine version and format). */
  private readonly streams = new Map<string, ProcessSnapshot[]>();
  private closed = false;

  async latest(stream: string, machineId: string, format: number): Promise<ProcessSnapshot | undefined> {
    this.assertOpen();
    let newest: ProcessSnapshot | undefined;
    for (const snapshot of this.streams.get(stream) ?? []) {
      if (snapshot.machineId !== machineId || snapshot.format !== format) continue;
      if (!newest || snapshot.revision > newest.revision) newest = snapshot;
    }
    return newest && { ...newest, signature: newest.signature && { ...newest.signature } };
  }

  async save(snapshot: ProcessSnapshot): Promise<void> {
    this.assertOpen();
    const { stream, machineId, machineVersion, format, revision, hash, state, signature } = snapshot;
    const others = (this.streams.get(stream) ?? []).filter(
      (kept) => !(kept.machineId === machineId && kept.machineVersion === machineVersion && kept.format === format),
    );
    this.streams.set(stream, [...others, { stream, machineId, machineVersion, format, revision, hash, state, signature: signature && { ...signature } }]);
  }

  async clear(): Promise<number> {
    this.assertOpen();
    let count = 0;
    for (const snapshots of this.streams.values()) count += snapshots.length;
    this.streams.clear();
    return count;
  }

  async close(): Promise<void> {
    this.closed = true;
  }

  private assertOpen(): void {
    if (this.closed) throw new Error('MemorySnapshotStore is closed');
  }
}
