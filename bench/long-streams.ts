import { randomBytes, randomUUID } from 'node:crypto';
import { join } from 'node:path';
import { issueLocalToken } from '../libs/auth/local-token.js';
import type { StoredEvent } from '../libs/envelope/index.js';
import { readAllEvents, SqliteEventStore } from '../libs/event-store/index.js';
import { systemClock } from '../libs/kernel/clock.js';
import { decideRegister, decideWithdraw, partnerProcess, partnersProjection, partnerStream } from '../libs/partners/index.js';
import {
  DEFAULT_SNAPSHOT_EVERY,
  foldEvents,
  loadCurrent,
  machineFor,
  runCommand,
  saveSnapshot,
  snapshotText,
  StateCache,
  type RunnerDeps,
  type RunnerSnapshots,
} from '../libs/process-runner/index.js';
import type { DocSession, Projection } from '../libs/projections/index.js';
import type { DocChange } from '../libs/read-models/port.js';
import { SqliteReadModelStore } from '../libs/read-models/sqlite/sqlite-read-model-store.js';
import { SigningKey } from '../libs/signing/index.js';
import { SqliteSnapshotStore } from '../libs/snapshots/index.js';
import { partnerEvents } from './lib/events.js';
import { HttpClient } from './lib/http-client.js';
import { serve } from './lib/server.js';
import { latency, now, ratio, round, type Latency } from './lib/stats.js';

/**
 * Section 3: the latency of one more command on a stream that already holds 10, 1,000 or 10,000 events, with the
 * engine's snapshots (issue 8): one stored every 100 events in the same SQLite file, and each process's last folded
 * state per stream in memory, both checked against the log before use. The streams are built by appending legal
 * Partner events (register, withdraw, register, ...) through the adapter, since building 10,000 events one command
 * at a time would itself take minutes, so no snapshot exists yet: the first command on each stream folds it in full
 * and writes one (reported apart, as "first"). The timed commands follow (a) through the runner (runCommand on the
 * SQLite stores, wired as EngineModule wires it) and (b) over HTTP to a `u4ssc serve` on the same file, started
 * without snapshots (adds the projection of the Partner's read model). One snapshot interval of commands (the
 * default plan) includes one snapshot write. The parts show what a command would cost without snapshots (read and
 * fold the whole stream), loading and writing the stored snapshot, and the worst case: a process with nothing
 * cached (just started) whose stream has 99 events after its stored snapshot (parse, fold 99, decide, append, and
 * write the next snapshot).
 */

export const LENGTHS = [10, 1_000, 10_000] as const;
const ACTOR = { id: 'bench-secretariat', role: 'secretariat' };

export interface LongStreamFigure {
  length: number;
  /** The timed commands through the runner, starting from the snapshot the first command wrote. */
  engine: Latency;
  /** The first command through the runner: no snapshot yet, a full fold, then the snapshot write. */
  engineFirstMs: number;
  http?: Latency;
  httpFirstMs?: number;
  /** Parts, medians in ms (worstTailMs: one command). */
  parts: {
    /** Without snapshots: read the whole stream, fold it. */
    readStreamMs: number;
    foldMs: number;
    appendMs: number;
    /** With a snapshot and no event after it: read the snapshot, check it, parse and restore it. */
    snapshotLoadMs: number;
    /** Serialise the state and write it. */
    snapshotWriteMs: number;
    snapshotBytes: number;
    /** One command with nothing cached and 99 events after the stored snapshot (so it also writes the next one). */
    worstTailMs: number;
  };
}

export interface LongStreamResult {
  /** Events between snapshots (the engine's default). */
  snapshotEvery: number;
  figures: LongStreamFigure[];
  /** Median latency at 10,000 events over median at 10 (the aim: ≤ 2). */
  engineRatio: number;
  httpRatio?: number;
}

export async function longStreams(
  root: string,
  dir: string,
  commands: number,
  options: { http?: boolean; lengths?: readonly number[] } = {},
): Promise<LongStreamResult> {
  const file = join(dir, 'long-streams.sqlite');
  const lengths = options.lengths ?? LENGTHS;
  const store = SqliteEventStore.open(file);
  const snapshotStore = SqliteSnapshotStore.open(file);
  // As EngineModule wires them: stored snapshots every 100 events, and the last folded state per stream in memory.
  const snapshots: RunnerSnapshots = {
    store: snapshotStore,
    key: SigningKey.generate(),
    every: DEFAULT_SNAPSHOT_EVERY,
    cache: new StateCache(),
    onProblem: (message) => {
      throw new Error(`long streams: ${message}`);
    },
  };
  const deps: RunnerDeps = { store, clock: systemClock, snapshots };
  const figures: LongStreamFigure[] = [];
  try {
    // Warm-up, not timed: the first stream measured would otherwise also pay for the JIT compiling the runner.
    await store.append(partnerStream('WARMUP'), partnerEvents('WARMUP', 0, 10, 'long'), { expectedRevision: 'no-stream' });
    for (let index = 0; index < commands; index += 1) await timedCommand(deps, 'WARMUP');
    for (const length of lengths) {
      const partnerId = `L${length}`;
      const stream = partnerStream(partnerId);
      for (let from = 0; from < length; from += 500) {
        const events = partnerEvents(partnerId, from, Math.min(500, length - from), 'long');
        await store.append(stream, events, { expectedRevision: from === 0 ? 'no-stream' : from - 1 });
      }
      const parts = await partsWithoutSnapshot(store, stream, commands);
      const engineFirstMs = await timedCommand(deps, partnerId);
      const samples: number[] = [];
      for (let index = 0; index < commands; index += 1) samples.push(await timedCommand(deps, partnerId));
      figures.push({
        length,
        engine: latency(samples),
        engineFirstMs: round(engineFirstMs, 3),
        parts: { ...parts, ...(await snapshotParts(deps, snapshots, partnerId)) },
      });
    }
  } finally {
    await snapshotStore.close();
    await store.close();
  }

  if (options.http ?? true) {
    await projectForServer(file);
    // The server starts without snapshots, as the runner did: its first command per stream folds in full.
    const cleared = SqliteSnapshotStore.open(file);
    await cleared.clear();
    await cleared.close();
    await overHttp(root, file, lengths, commands, figures);
  }

  const first = figures[0]!;
  const last = figures.at(-1)!;
  return {
    snapshotEvery: DEFAULT_SNAPSHOT_EVERY,
    figures,
    engineRatio: ratio(last.engine.p50Ms, first.engine.p50Ms),
    ...(first.http && last.http && { httpRatio: ratio(last.http.p50Ms, first.http.p50Ms) }),
  };
}

/** One more command through the runner: a withdrawal after a registration (even revision), else a registration. */
async function timedCommand(deps: RunnerDeps, partnerId: string): Promise<number> {
  const revision = await deps.store.lastRevision(partnerStream(partnerId));
  const decide =
    revision % 2 === 0
      ? decideWithdraw({ partnerId, reason: 'Benchmark withdrawal' }, ACTOR)
      : decideRegister(
          { partnerId, name: `Benchmark Partner ${partnerId}`, entityType: 'specialized-agency', intentReference: 'bench' },
          ACTOR,
          systemClock.now(),
        );
  const t0 = now();
  await runCommand(deps, partnerProcess, partnerStream(partnerId), { commandId: randomUUID(), actor: ACTOR }, decide);
  return now() - t0;
}

/** Medians of what a command costs without snapshots: read the whole stream, fold it; and an append (short stream). */
async function partsWithoutSnapshot(store: SqliteEventStore, stream: string, repeats: number) {
  const definition = partnerProcess;
  const machine = machineFor(definition, definition.currentVersion);
  const reads: number[] = [];
  const folds: number[] = [];
  for (let index = 0; index < Math.max(3, Math.min(repeats, 5)); index += 1) {
    let t0 = now();
    const events = await store.readStream(stream);
    reads.push(now() - t0);
    t0 = now();
    foldEvents(machine, definition.input(stream), events, definition.currentVersion);
    folds.push(now() - t0);
  }
  const appends: number[] = [];
  const side = `partner-APPEND${randomUUID().slice(0, 8)}`;
  for (let index = 0; index < Math.max(3, Math.min(repeats, 5)); index += 1) {
    const [event] = partnerEvents(side.slice('partner-'.length), index, 1, `append-${index}`);
    const t0 = now();
    await store.append(side, [event!], { expectedRevision: index === 0 ? 'no-stream' : index - 1 });
    appends.push(now() - t0);
  }
  return { readStreamMs: latency(reads).p50Ms, foldMs: latency(folds).p50Ms, appendMs: latency(appends).p50Ms };
}

/**
 * With snapshots: load the stored one (no tail, nothing cached), write one, and the worst command: the stream is
 * taken to 99 events past its stored snapshot with adapter appends (legal: registrations stay on even revisions),
 * the cache is emptied, then one command loads the snapshot, folds those 99, decides, appends and writes the next.
 */
async function snapshotParts(deps: RunnerDeps, snapshots: RunnerSnapshots, partnerId: string) {
  const stream = partnerStream(partnerId);
  const definition = partnerProcess;
  const loads: number[] = [];
  const writes: number[] = [];
  let bytes = 0;
  for (let index = 0; index < 5; index += 1) {
    let t0 = now();
    // The stored snapshot, as a process that has not folded the stream yet reads it (no cache).
    const current = await loadCurrent(deps.store, definition, stream, { ...snapshots, cache: undefined });
    loads.push(now() - t0);
    const last = (await deps.store.readStream(stream, { fromRevision: current.state.revision }))[0]!;
    t0 = now();
    await saveSnapshot({ ...snapshots, every: 1 }, definition, stream, current.state, -1, last.hash);
    writes.push(now() - t0);
    bytes = Buffer.byteLength(snapshotText(machineFor(definition, current.state.machineVersion), current.state) ?? '');
  }
  const base = (await loadCurrent(deps.store, definition, stream, { ...snapshots, cache: undefined })).base;
  const head = await deps.store.lastRevision(stream);
  const missing = base + (snapshots.every ?? DEFAULT_SNAPSHOT_EVERY) - 1 - head;
  if (missing > 0) {
    await deps.store.append(stream, partnerEvents(partnerId, head + 1, missing, `tail-${randomUUID()}`), { expectedRevision: head });
  }
  snapshots.cache?.delete(stream);
  const worstTailMs = await timedCommand(deps, partnerId);
  return {
    snapshotLoadMs: latency(loads).p50Ms,
    snapshotWriteMs: latency(writes).p50Ms,
    snapshotBytes: bytes,
    worstTailMs: round(worstTailMs, 3),
  };
}

/**
 * Writes the Partner read model of the prefilled log before the server starts, with the engine's own
 * projection function in one pass over the log and one commit, so the server does not spend its start catching up
 * with the prefilled streams (when a Partner's document still held every period, that catch-up was quadratic and
 * took minutes). The timed commands afterwards go through the server's projector as usual.
 */
async function projectForServer(file: string): Promise<void> {
  const events = SqliteEventStore.open(file);
  const readModels = SqliteReadModelStore.open(file);
  try {
    const projection: Projection = partnersProjection;
    const docs = new Map<string, DocChange>();
    const key = (collection: string, id: string) => `${collection}\u0000${id}`;
    const session: DocSession = {
      get: async <T>(collection: string, id: string) =>
        docs.has(key(collection, id)) ? (docs.get(key(collection, id))!.doc as T) : readModels.get<T>(collection, id),
      put: (collection, id, doc) => void docs.set(key(collection, id), { collection, id, doc }),
      delete: (collection, id) => void docs.set(key(collection, id), { collection, id, doc: null }),
    };
    let last: StoredEvent | undefined;
    for await (const event of readAllEvents(events)) {
      await projection.apply(event, session);
      last = event;
    }
    const from = await readModels.checkpoint(projection.name);
    await readModels.commit(projection.name, from, last?.position ?? from, [...docs.values()]);
  } finally {
    await readModels.close();
    await events.close();
  }
}

/** The same streams over HTTP: the server starts with the read model in place, then answers timed commands. */
async function overHttp(
  root: string,
  file: string,
  lengths: readonly number[],
  commands: number,
  figures: LongStreamFigure[],
): Promise<void> {
  const secret = randomBytes(24).toString('hex');
  const server = await serve({ root, env: { U4SSC_STORE: 'sqlite', U4SSC_SQLITE_FILE: file, U4SSC_TOKEN_SECRET: secret } });
  const token = await issueLocalToken(secret, { sub: 'bench-secretariat', roles: ['secretariat'] });
  const client = new HttpClient(server.url, token, 1);
  try {
    for (const figure of figures) {
      const partnerId = `L${figure.length}`;
      // Wait for the projector to have caught up with the prefilled stream (it runs in the background).
      let view: { status: string } | undefined;
      for (let waited = 0; waited < 120_000; waited += 100) {
        const answer = await client.request('GET', `/v1/partners/${partnerId}`);
        if (answer.status === 200) {
          view = JSON.parse(answer.body) as { status: string };
          break;
        }
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
      if (!view) throw new Error(`the server never projected Partner ${partnerId}`);
      let registered = view.status === 'registered';
      const samples: number[] = [];
      // The first command folds the whole stream (the server has no snapshot of it yet) and writes one.
      for (let index = 0; index <= commands; index += 1) {
        const t0 = now();
        const answer = registered
          ? await client.request('POST', `/v1/partners/${partnerId}/withdraw`, { reason: 'Benchmark withdrawal' })
          : await client.request('POST', '/v1/partners', {
              partnerId,
              name: `Benchmark Partner ${partnerId}`,
              entityType: 'specialized-agency',
              intentReference: 'bench',
            });
        if (index === 0) figure.httpFirstMs = round(now() - t0, 3);
        else samples.push(now() - t0);
        if (answer.status >= 300) throw new Error(`long stream ${partnerId}: ${answer.status} ${answer.body.slice(0, 300)}`);
        registered = !registered;
      }
      figure.http = latency(samples);
    }
  } finally {
    client.close();
    await server.stop();
  }
}
