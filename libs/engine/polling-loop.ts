import type { LeaderTask } from './leader-tasks.js';

/**
 * Runs a pass, waits, runs it again, until stopped: the one loop behind every scheduler and catch-up task.
 * A pass never overlaps the next; `stop` resolves after the pass in flight; a failing pass is reported and the
 * loop goes on (the next pass retries what failed, since passes re-read the due dates).
 */
export class PollingLoop {
  private timer: NodeJS.Timeout | null = null;
  private stopped = true;
  private inFlight: Promise<unknown> | null = null;

  constructor(
    private readonly pass: () => Promise<unknown>,
    private readonly intervalMs: number,
    private readonly onError: (error: unknown) => void,
  ) {}

  /** Starts passing; the first pass is scheduled, not run inline, so the application finishes starting first. */
  start(): void {
    if (!this.stopped) return;
    this.stopped = false;
    this.timer = setTimeout(() => void this.tick(), 0);
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    await this.inFlight;
  }

  /** This loop as background work the engine runs only in the leading process. */
  asLeaderTask(name: string): LeaderTask {
    return { name, start: () => this.start(), stop: () => this.stop() };
  }

  private async tick(): Promise<void> {
    this.timer = null;
    if (this.stopped) return;
    this.inFlight = this.pass().catch(this.onError);
    await this.inFlight;
    this.inFlight = null;
    if (!this.stopped) this.timer = setTimeout(() => void this.tick(), this.intervalMs);
  }
}
