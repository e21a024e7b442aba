import type { EventHandler, ReadAllOptions, ReadAllPage, SubscribeOptions, Subscription } from './port.js';

/** Reads one page of the global log: an adapter's `readAll`. */
export type ReadAllFn = (options: ReadAllOptions) => Promise<ReadAllPage>;

/**
 * Lets a store wake a subscription as soon as it commits an append in this process.
 * Receives the callback to call and returns the function that unregisters it.
 */
export type WakeSource = (notify: () => void) => () => void;

export const DEFAULT_POLL_MS = 100;
const PAGE_SIZE = 500;

/** `caughtUp` rejects with this when the subscription was stopped before it had delivered the backlog. */
export class SubscriptionStoppedError extends Error {
  override readonly name = 'SubscriptionStoppedError';
  constructor() {
    super('the subscription was stopped before it caught up');
  }
}

/**
 * The one catch-up-then-live loop every adapter uses, so delivery order, stop and error semantics are the same
 * whatever the backend. Reading the log by position (rather than pushing events from `append`) is what lets a
 * subscriber see other processes' appends and resume from a checkpoint with the same code path.
 */
export function startPollingSubscription(
  readAll: ReadAllFn,
  handler: EventHandler,
  options: SubscribeOptions = {},
  wake?: WakeSource,
): Subscription {
  const pollMs = options.pollMs ?? DEFAULT_POLL_MS;
  // Without an onError the failure would otherwise vanish and leave read models silently stale.
  const onError = options.onError ?? ((error: unknown) => console.error('event subscription stopped:', error));

  let position = options.after ?? 0;
  let stopped = false;
  let isCaughtUp = false;
  // Set by any wake that arrives while a page is being read or handled, so that append is not missed by the sleep.
  let woken = false;
  let timer: NodeJS.Timeout | undefined;
  let endSleep: (() => void) | undefined;

  let resolveCaughtUp!: () => void;
  let rejectCaughtUp!: (error: unknown) => void;
  const caughtUp = new Promise<void>((resolve, reject) => {
    resolveCaughtUp = resolve;
    rejectCaughtUp = reject;
  });
  // Callers that never await `caughtUp` must not get an unhandled rejection when it fails.
  caughtUp.catch(() => undefined);

  const wakeUp = (): void => {
    woken = true;
    endSleep?.();
  };
  const unregisterWake = wake?.(wakeUp);

  const sleep = (): Promise<void> => {
    if (woken || stopped) return Promise.resolve();
    return new Promise<void>((resolve) => {
      endSleep = () => {
        clearTimeout(timer);
        timer = undefined;
        endSleep = undefined;
        resolve();
      };
      timer = setTimeout(endSleep, pollMs);
    });
  };

  const finish = (): void => {
    if (stopped) return;
    stopped = true;
    unregisterWake?.();
    endSleep?.();
    if (!isCaughtUp) rejectCaughtUp(new SubscriptionStoppedError());
  };

  const run = async (): Promise<void> => {
    try {
      while (!stopped) {
        woken = false;
        const page = await readAll({ after: position, limit: PAGE_SIZE });
        for (const event of page.events) {
          if (stopped) return;
          await handler(event);
          position = event.position;
        }
        if (page.end) {
          if (!isCaughtUp) {
            isCaughtUp = true;
            resolveCaughtUp();
          }
          await sleep();
        }
      }
    } catch (error) {
      // A read that fails because stop() (or the store's close) got there first is not an error.
      if (stopped) return;
      if (!isCaughtUp) rejectCaughtUp(error);
      finish();
      onError(error);
    } finally {
      finish();
    }
  };

  const loop = run();

  return {
    caughtUp,
    get position() {
      return position;
    },
    async stop() {
      finish();
      await loop;
    },
  };
}

/**
 * The subscriptions one store instance has started: woken at once by that instance's appends (other processes'
 * appends are found by polling), and stopped together when the store closes, so no poll outlives its connection.
 */
export class LocalSubscriptions {
  private readonly wakers = new Set<() => void>();
  private readonly live = new Set<Subscription>();

  start(readAll: ReadAllFn, handler: EventHandler, options: SubscribeOptions = {}): Subscription {
    const inner = startPollingSubscription(readAll, handler, options, (notify) => {
      this.wakers.add(notify);
      return () => this.wakers.delete(notify);
    });
    this.live.add(inner);
    const live = this.live;
    return {
      caughtUp: inner.caughtUp,
      get position() {
        return inner.position;
      },
      async stop() {
        live.delete(inner);
        await inner.stop();
      },
    };
  }

  /** Call after an append has committed. */
  notify(): void {
    for (const wake of this.wakers) wake();
  }

  async stopAll(): Promise<void> {
    const stopping = [...this.live].map((subscription) => subscription.stop());
    this.live.clear();
    await Promise.all(stopping);
  }
}
