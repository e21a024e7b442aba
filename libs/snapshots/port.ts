/**
 * A stream's folded state at one revision, kept outside the event log so a command need not re-fold the whole
 * history (issue 8). Snapshots are disposable: deleting any or all of them changes no answer, only how long the
 * next command on the stream takes. A snapshot is never trusted blindly: the runner uses it only while the stream
 * still holds, at `revision`, the event whose hash is `hash` (the hash chain then vouches for every earlier event),
 * and only for the machine id, machine version and snapshot format it names, and only when its signature verifies
 * with a key valid where that event stands (docs/integrity.md); otherwise it folds from the start.
 */
export interface ProcessSnapshot {
  stream: string;
  /** The machine the stream is pinned to (its first event's `metadata.machine`). */
  machineId: string;
  machineVersion: number;
  /** How `state` is written (process-runner/snapshot-state.ts); a snapshot in another format is ignored. */
  format: number;
  /** The last revision folded into `state`. */
  revision: number;
  /** The hash of the stream's event at `revision`. */
  hash: string;
  /** The folded state as JSON text: opaque to the store, checked by the runner when it is read. */
  state: string;
  /**
   * The engine's signature (purpose `snapshot`) over every other field (`snapshotSignedBody`): whoever can write
   * the table but does not hold the key cannot make a state the runner uses. Null on rows stored before snapshots
   * were signed, which the runner never uses.
   */
  signature: SnapshotSignature | null;
}

/** The key that signed a snapshot (published in the log's `signing-keys` stream) and the signature, base64url. */
export interface SnapshotSignature {
  keyId: string;
  value: string;
}

export interface SnapshotStore {
  readonly kind: 'memory' | 'sqlite' | 'postgres';

  /**
   * The stream's snapshot for this machine id and format with the highest revision (any machine version: the
   * caller checks it against the stream), or undefined.
   */
  latest(stream: string, machineId: string, format: number): Promise<ProcessSnapshot | undefined>;

  /**
   * Keeps `snapshot` as the one for its stream, machine id, machine version and format, replacing any other
   * (whatever its revision: every stored snapshot is either right for its revision and hash or detectably stale).
   */
  save(snapshot: ProcessSnapshot): Promise<void>;

  /** Deletes every snapshot (they are disposable); answers how many there were. */
  clear(): Promise<number>;

  close(): Promise<void>;
}
