/**
 * Who runs the background work (the projector, the scheduler): exactly one process at a time. The embedded
 * SQLite store serves one process, so it is always the leader; on PostgreSQL several API processes share one
 * database and elect one with an advisory lock (see postgres-leadership.ts).
 */
export interface LeadershipCallbacks {
  elected(): void | Promise<void>;
  deposed(): void | Promise<void>;
}

export interface Leadership {
  readonly isLeader: boolean;
  /** Starts campaigning; the callbacks follow every change of leadership until `stop`. */
  start(callbacks: LeadershipCallbacks): void;
  /** Steps down (calling `deposed` when leading) and stops campaigning. */
  stop(): Promise<void>;
}

/** The only process there is: leader from the start. */
export class SoleLeadership implements Leadership {
  private leading = false;
  private callbacks: LeadershipCallbacks | null = null;

  get isLeader(): boolean {
    return this.leading;
  }

  start(callbacks: LeadershipCallbacks): void {
    this.callbacks = callbacks;
    this.leading = true;
    void callbacks.elected();
  }

  async stop(): Promise<void> {
    if (this.leading) await this.callbacks?.deposed();
    this.leading = false;
  }
}
