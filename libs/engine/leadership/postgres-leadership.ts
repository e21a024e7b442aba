import pg from 'pg';
import type { Leadership, LeadershipCallbacks } from './leadership.js';

export interface PostgresLeadershipOptions {
  connectionString: string;
  /** Instances on the same schema compete; other schemas (other deployments, tests) do not. */
  schema: string;
  /** How often a follower tries the lock and a leader checks its session; default 1000 ms. */
  intervalMs?: number;
  onError?: (error: unknown) => void;
}

/** Namespace of the two-key advisory lock: "U4" in ASCII, so the lock is recognisable in pg_locks. */
const LOCK_CLASS = 0x5534;

/**
 * Leadership by a session-level advisory lock held on a dedicated connection. When the leader process dies, even
 * by SIGKILL, its connection closes and PostgreSQL releases the lock; a follower takes it at its next try, so
 * take-over is bounded by `intervalMs` (plus the time the server needs to see the connection gone).
 */
export class PostgresLeadership implements Leadership {
  private client: pg.Client | null = null;
  private leading = false;
  private timer: NodeJS.Timeout | null = null;
  private stopped = true;
  private callbacks: LeadershipCallbacks | null = null;
  private ticking: Promise<void> | null = null;

  constructor(private readonly options: PostgresLeadershipOptions) {}

  get isLeader(): boolean {
    return this.leading;
  }

  start(callbacks: LeadershipCallbacks): void {
    if (!this.stopped) return;
    this.stopped = false;
    this.callbacks = callbacks;
    this.schedule(0);
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    await this.ticking;
    if (this.leading) {
      this.leading = false;
      await this.callbacks?.deposed();
    }
    const client = this.client;
    this.client = null;
    // Ending the session releases the lock; an explicit unlock first makes the hand-over immediate.
    await client?.query('SELECT pg_advisory_unlock_all()').catch(() => undefined);
    await client?.end().catch(() => undefined);
  }

  private schedule(delayMs: number): void {
    if (this.stopped) return;
    this.timer = setTimeout(() => {
      this.timer = null;
      this.ticking = this.tick().finally(() => {
        this.ticking = null;
        this.schedule(this.options.intervalMs ?? 1000);
      });
    }, delayMs);
  }

  private async tick(): Promise<void> {
    try {
      const client = await this.connection();
      if (this.leading) {
        await client.query('SELECT 1');
        return;
      }
      const result = await client.query<{ locked: boolean }>('SELECT pg_try_advisory_lock($1, hashtext($2)) AS locked', [
        LOCK_CLASS,
        `u4ssc-leader:${this.options.schema}`,
      ]);
      if (result.rows[0]?.locked && !this.stopped) {
        this.leading = true;
        await this.callbacks?.elected();
      }
    } catch (error) {
      this.options.onError?.(error);
      await this.lostSession();
    }
  }

  private async connection(): Promise<pg.Client> {
    if (this.client) return this.client;
    const client = new pg.Client({ connectionString: this.options.connectionString });
    // A broken session means the lock is gone: step down at once rather than at the next check.
    client.on('error', (error) => {
      this.options.onError?.(error);
      void this.lostSession();
    });
    await client.connect();
    this.client = client;
    return client;
  }

  private async lostSession(): Promise<void> {
    const client = this.client;
    this.client = null;
    await client?.end().catch(() => undefined);
    if (this.leading) {
      this.leading = false;
      await this.callbacks?.deposed();
    }
  }
}
