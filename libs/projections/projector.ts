import type { EventStore, ReadAllPage } from '../event-store/index.js';
import { MAX_PAGE_SIZE } from '../event-store/append-rules.js';
import { CheckpointMovedError, type CheckpointMove, type ReadModelStore } from '../read-models/port.js';
import { BufferedDocSession } from './doc-session.js';
import { checkpointName, type Projection } from './projection.js';

export interface ProjectorOptions {
  /** Events applied per read-model transaction; default 500. */
  pageSize?: number;
  /**
   * The same during `rebuild`; default `pageSize` when that is given, else 10,000 (the most a store's readAll gives
   * at once; measured on the benchmark's log, 13% faster than 5,000). A rebuild replays the whole log
   * with nobody waiting on a commit: bigger pages read and write each document less often (a document changed by
   * several events of a page is read and serialised once), and the read-model transaction is not on a command's
   * path. Live catch-up keeps small pages: its transaction holds the file's write lock (SQLite) while appends wait.
   */
  rebuildPageSize?: number;
  /** How often to look for events appended by other processes; default 200 ms. */
  pollMs?: number;
  onError?: (error: unknown) => void;
  /**
   * When the projector is not running, `waitFor` catches up itself (a single process such as the CLI) instead of
   * watching the checkpoints move (a follower instance, whose leader projects). Default false.
   */
  onDemand?: boolean;
}

/**
 * Feeds read models from the global log. Each projection keeps its own checkpoint; a page of events is applied to
 * every projection and committed in one read-model transaction that moves all their checkpoints with the
 * documents (compare-and-set each), so a restart resumes exactly where the last commit ended, nothing is applied
 * twice, and a command's read-your-writes waits for one commit rather than one per projection. A projection that
 * fails rolls back the whole page: no projection moves past an event another could not apply.
 */
export class Projector {
  private running: Promise<void> | null = null;
  private again = false;
  private timer: NodeJS.Timeout | null = null;
  private stopped = true;
  private readonly waiters = new Set<{ position: number; resolve: () => void }>();
  private reached = 0;
  private rebuilding = false;
  private passScheduled = false;
  /** The checkpoints as of this projector's last commit (null: unknown, read them). */
  private committed: number[] | null = null;

  constructor(
    private readonly events: EventStore,
    private readonly readModels: ReadModelStore,
    readonly projections: readonly Projection[],
    private readonly options: ProjectorOptions = {},
  ) {}

  /** Applies everything visible now to every projection; concurrent calls share one pass (and queue one more). */
  catchUp(): Promise<void> {
    if (this.running) {
      this.again = true;
      return this.running;
    }
    this.running = (async () => {
      try {
        do {
          this.again = false;
          this.reached = this.projections.length > 0 ? await this.project() : await this.events.headPosition();
          this.settleWaiters();
        } while (this.again);
      } finally {
        this.running = null;
      }
    })();
    return this.running;
  }

  /** Polls the log until stopped; `notify()` wakes it at once after an in-process append. */
  start(): void {
    if (!this.stopped) return;
    this.stopped = false;
    const tick = async () => {
      this.timer = null;
      if (this.stopped) return;
      try {
        // The poll looks at the stored checkpoints, not the ones remembered from the last commit: a rebuild by
        // another process that stopped half-way (checkpoints moved back, no new event to collide with) resumes here.
        this.committed = null;
        await this.catchUp();
      } catch (error) {
        this.options.onError?.(error);
      }
      if (!this.stopped) this.timer = setTimeout(tick, this.options.pollMs ?? 200);
    };
    void tick();
  }

  notify(): void {
    if (this.stopped) return;
    void this.catchUp().catch((error) => this.options.onError?.(error));
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    await this.running?.catch(() => undefined);
    for (const waiter of this.waiters) waiter.resolve();
    this.waiters.clear();
  }

  /** Resolves once every projection has applied the log up to `position` (read-your-writes after a command). */
  async waitFor(position: number, timeoutMs = 5000): Promise<boolean> {
    if (this.reached >= position) return true;
    if (this.stopped && this.options.onDemand) {
      await this.catchUp();
      return this.reached >= position;
    }
    if (this.stopped) return this.watchCheckpoints(position, timeoutMs);
    return new Promise<boolean>((resolve) => {
      const waiter = {
        position,
        resolve: () => {
          clearTimeout(timer);
          this.waiters.delete(waiter);
          resolve(this.reached >= position);
        },
      };
      const timer = setTimeout(waiter.resolve, timeoutMs);
      this.waiters.add(waiter);
      this.notifySoon();
    });
  }

  /**
   * A pass for the waiters, after the I/O callbacks now due have run: commands that appended in the same turn of
   * the event loop then share one read of the log and one read-model commit instead of a pass each.
   */
  private notifySoon(): void {
    if (this.passScheduled) return;
    this.passScheduled = true;
    setImmediate(() => {
      this.passScheduled = false;
      this.notify();
    });
  }

  /** Deletes every read model and its checkpoint, then replays the log from position 0. */
  async rebuild(): Promise<void> {
    await this.running?.catch(() => undefined);
    this.committed = null;
    for (const projection of this.projections) await this.readModels.reset(checkpointName(projection), projection.collections);
    this.reached = 0;
    this.rebuilding = true;
    try {
      await this.catchUp();
    } finally {
      this.rebuilding = false;
    }
  }

  /** A follower's wait: another process projects, so read the stored checkpoints until they pass `position`. */
  private async watchCheckpoints(position: number, timeoutMs: number): Promise<boolean> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const checkpoints = await Promise.all(this.projections.map((p) => this.readModels.checkpoint(checkpointName(p))));
      if (Math.min(position, ...checkpoints) >= position) return true;
      if (Date.now() >= deadline) return false;
      await new Promise((resolve) => setTimeout(resolve, 25));
    }
  }

  private settleWaiters(): void {
    for (const waiter of this.waiters) if (this.reached >= waiter.position) waiter.resolve();
  }

  /**
   * Applies every projection up to the visible head, one page and one commit at a time; returns the lowest
   * checkpoint. Checkpoints may differ (a projection added later, another instance's commit): a page starts after
   * the lowest, and each projection applies only the events past its own checkpoint.
   */
  private async project(): Promise<number> {
    const { pageSize = 500, rebuildPageSize = this.options.pageSize ?? MAX_PAGE_SIZE } = this.options;
    const limit = this.rebuilding ? rebuildPageSize : pageSize;
    const read = (after: number) => this.events.readAll({ after, limit });
    // The checkpoints this projector committed last are what the store holds unless another process moved them,
    // and then the compare-and-set in commitAll says so: they are read again only at start and after that.
    let checkpoints = this.committed ?? (await this.checkpoints());
    let prefetched: { after: number; page: Promise<ReadAllPage> } | null = null;
    for (;;) {
      const lowest = Math.min(...checkpoints);
      const page: ReadAllPage = await (prefetched?.after === lowest ? prefetched.page : read(lowest));
      prefetched = null;
      if (page.events.length === 0) return lowest;
      // A full page means there is more: the next one is read while this one is applied and committed (a store
      // that answers over the network, PostgreSQL, works meanwhile). Used only if the commit moves every
      // checkpoint to this page's end; otherwise dropped.
      if (!page.end) {
        prefetched = { after: page.next, page: read(page.next) };
        prefetched.page.catch(() => undefined);
      }
      const session = new BufferedDocSession(this.readModels);
      const moves: CheckpointMove[] = [];
      for (let index = 0; index < this.projections.length; index += 1) {
        const projection = this.projections[index]!;
        const from = checkpoints[index]!;
        if (from >= page.next) continue;
        if (from === 0) await this.clearForFirstPage(projection);
        for (const event of page.events) if (event.position > from) await projection.apply(event, session);
        moves.push({ projector: checkpointName(projection), from, to: page.next });
      }
      try {
        this.committed = null;
        await this.readModels.commitAll(moves, session.changes());
        checkpoints = checkpoints.map((checkpoint) => Math.max(checkpoint, page.next));
      } catch (error) {
        if (!(error instanceof CheckpointMovedError)) throw error;
        checkpoints = await this.checkpoints();
      }
      this.committed = checkpoints;
      if (page.end) return Math.min(...checkpoints);
    }
  }

  /**
   * Before a projection applies its first event, whatever its collections hold is left over from something else:
   * an earlier version of it (see Projection.version), or a rebuild another process began. Deleted, with the
   * checkpoints of its earlier versions, so the page starts from nothing. A crash after this and before the commit
   * leaves the checkpoint at 0, and the next pass clears again.
   */
  private async clearForFirstPage(projection: Projection): Promise<void> {
    await this.readModels.reset(checkpointName(projection), projection.collections);
    for (let version = 1; version < (projection.version ?? 1); version += 1) {
      await this.readModels.reset(checkpointName(projection, version), []);
    }
  }

  private checkpoints(): Promise<number[]> {
    return Promise.all(this.projections.map((projection) => this.readModels.checkpoint(checkpointName(projection))));
  }
}
