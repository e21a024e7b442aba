/** Timing and summary helpers: wall-clock rates and latency percentiles, nothing else. */

export interface Rate {
  /** Operations completed (appends, commands, ...). */
  ops: number;
  /** Events written or read (ops × events per op). */
  events: number;
  seconds: number;
  opsPerSecond: number;
  eventsPerSecond: number;
}

export interface Latency {
  count: number;
  meanMs: number;
  p50Ms: number;
  p95Ms: number;
  p99Ms: number;
  maxMs: number;
}

export const now = (): number => performance.now();

export function rate(ops: number, events: number, ms: number): Rate {
  const seconds = ms / 1000;
  return {
    ops,
    events,
    seconds: round(seconds, 3),
    opsPerSecond: round(ops / seconds, 1),
    eventsPerSecond: round(events / seconds, 1),
  };
}

/** Nearest-rank percentiles over latencies in milliseconds. */
export function latency(samplesMs: readonly number[]): Latency {
  const sorted = [...samplesMs].sort((a, b) => a - b);
  const at = (p: number) => (sorted.length === 0 ? 0 : sorted[Math.min(sorted.length - 1, Math.ceil(p * sorted.length) - 1)]!);
  const sum = sorted.reduce((total, value) => total + value, 0);
  return {
    count: sorted.length,
    meanMs: round(sorted.length ? sum / sorted.length : 0, 3),
    p50Ms: round(at(0.5), 3),
    p95Ms: round(at(0.95), 3),
    p99Ms: round(at(0.99), 3),
    maxMs: round(sorted.at(-1) ?? 0, 3),
  };
}

/**
 * Runs `workers` closed loops of `op` for `ms` milliseconds (after `warmupMs` not counted) and returns the rate.
 * Each op resolves to the number of events it handled. A loop starts its next op only when the last one ended.
 */
export async function runFor(
  ms: number,
  workers: number,
  op: (worker: number) => Promise<number> | number,
  warmupMs = Math.min(300, ms / 4),
): Promise<Rate & { latency: Latency }> {
  const warmEnd = now() + warmupMs;
  await Promise.all(
    Array.from({ length: workers }, async (_, worker) => {
      while (now() < warmEnd) await op(worker);
    }),
  );
  const samples: number[] = [];
  let ops = 0;
  let events = 0;
  const start = now();
  const end = start + ms;
  await Promise.all(
    Array.from({ length: workers }, async (_, worker) => {
      while (now() < end) {
        const t0 = now();
        // Not `events += await op()`: that reads `events` before the await and loses the other workers' counts.
        const handled = await op(worker);
        events += handled;
        samples.push(now() - t0);
        ops += 1;
      }
    }),
  );
  return { ...rate(ops, events, now() - start), latency: latency(samples) };
}

export function round(value: number, digits = 1): number {
  const factor = 10 ** digits;
  return Math.round(value * factor) / factor;
}

export function ratio(engine: number, raw: number): number {
  return raw === 0 ? 0 : round(engine / raw, 3);
}
