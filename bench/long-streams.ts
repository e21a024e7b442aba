import { randomBytes, randomUUID } from 'node:crypto';
import { join } from 'node:path';
import { issueLocalToken } from '../libs/auth/local-token.js';
import type { StoredEvent } from '../libs/envelope/index.js';
import { readAllEvents, SqliteEventStore } from '../libs/event-store/index.js';
import { systemClock } from '../libs/kernel/clock.js';
import { decideRegister, decideWithdraw, partnerProcess, partnersProjection, partnerStream } from '../libs/partners/index.js';
import { foldEvents, machineFor, runCommand } from '../libs/process-runner/index.js';
import type { DocSession, Projection } from '../libs/projections/index.js';
import type { DocChange } from '../libs/read-models/port.js';
import { SqliteReadModelStore } from '../libs/read-models/sqlite/sqlite-read-model-store.js';
import { partnerEvents } from './lib/events.js';
import { HttpClient } from './lib/http-client.js';
import { serve } from './lib/server.js';
import { latency, now, ratio, type Latency } from './lib/stats.js';

/**
 * Section 3: the latency of one more command on a stream that already holds 10, 1,000 or 10,000 events.
 * The streams are built by appending legal Partner events (register, withdraw, register, ...) through the
 * adapter, since building 10,000 events one command at a time would itself take minutes; then further commands
 * are timed (a) through the engine directly (runCommand on the SQLite store: read, fold, decide, append, fold)
 * and (b) over HTTP to a `u4ssc serve` on the same file (adds the projection of the Partner's read model).
 * Each timed step is also split into its parts, to show what a snapshot would save.
 */

export const LENGTHS = [10, 1_000, 10_000] as const;
const ACTOR = { id: 'bench-secretariat', role: 'secretariat' };

export interface LongStreamFigure {
  length: number;
  engine: Latency;
  http?: Latency;
  /** Parts of one command at this length, medians in ms: what grows with history. */
  parts: { readStreamMs: number; foldMs: number; appendMs: number; snapshotLoadEstimateMs: number };
}

export interface LongStreamResult {
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
  const figures: LongStreamFigure[] = [];
  try {
    for (const length of lengths) {
      const partnerId = `L${length}`;
      const stream = partnerStream(partnerId);
      for (let from = 0; from < length; from += 500) {
        const events = partnerEvents(partnerId, from, Math.min(500, length - from), 'long');
        await store.append(stream, events, { expectedRevision: from === 0 ? 'no-stream' : from - 1 });
      }
      const deps = { store, clock: systemClock };
      const samples: number[] = [];
      for (let index = 0; index < commands; index += 1) {
        const revision = await store.lastRevision(stream);
        // Even revisions are registrations: the Partner is registered after one, so the next command withdraws.
        const decide =
          revision % 2 === 0
            ? decideWithdraw({ partnerId, reason: 'Benchmark withdrawal' }, ACTOR)
            : decideRegister(
                { partnerId, name: `Benchmark Partner ${partnerId}`, entityType: 'specialized-agency', intentReference: 'bench' },
                ACTOR,
                systemClock.now(),
              );
        const t0 = now();
        await runCommand(deps, partnerProcess, stream, { commandId: randomUUID(), actor: ACTOR }, decide);
        samples.push(now() - t0);
      }
      figures.push({ length, engine: latency(samples), parts: await parts(store, stream, commands) });
    }
  } finally {
    await store.close();
  }

  if (options.http ?? true) {
    await projectForServer(file);
    await overHttp(root, file, lengths, commands, figures);
  }

  const first = figures[0]!;
  const last = figures.at(-1)!;
  return {
    figures,
    engineRatio: ratio(last.engine.p50Ms, first.engine.p50Ms),
    ...(first.http && last.http && { httpRatio: ratio(last.http.p50Ms, first.http.p50Ms) }),
  };
}

/** Medians of the parts of a command: read the whole stream, fold it, append one event (on a short stream). */
async function parts(store: SqliteEventStore, stream: string, repeats: number): Promise<LongStreamFigure['parts']> {
  const definition = partnerProcess;
  const machine = machineFor(definition, definition.currentVersion);
  const reads: number[] = [];
  const folds: number[] = [];
  const snapshotLoads: number[] = [];
  for (let index = 0; index < Math.max(3, Math.min(repeats, 5)); index += 1) {
    let t0 = now();
    const events = await store.readStream(stream);
    reads.push(now() - t0);
    t0 = now();
    const state = foldEvents(machine, definition.input(stream), events, definition.currentVersion);
    folds.push(now() - t0);
    // What loading a stored snapshot would cost instead: parse the folded context back from JSON and read the
    // events after it (here: the last one). An estimate, not an implementation.
    const text = JSON.stringify({ value: state.value, context: state.context, revision: state.revision });
    t0 = now();
    JSON.parse(text);
    await store.readStream(stream, { fromRevision: state.revision });
    snapshotLoads.push(now() - t0);
  }
  const appends: number[] = [];
  const side = `partner-APPEND${randomUUID().slice(0, 8)}`;
  for (let index = 0; index < Math.max(3, Math.min(repeats, 5)); index += 1) {
    const [event] = partnerEvents(side.slice('partner-'.length), index, 1, `append-${index}`);
    const t0 = now();
    await store.append(side, [event!], { expectedRevision: index === 0 ? 'no-stream' : index - 1 });
    appends.push(now() - t0);
  }
  return {
    readStreamMs: latency(reads).p50Ms,
    foldMs: latency(folds).p50Ms,
    appendMs: latency(appends).p50Ms,
    snapshotLoadEstimateMs: latency(snapshotLoads).p50Ms,
  };
}

/**
 * Writes the Partner read model of the prefilled log before the server starts, with the engine's own
 * projection function but a session that keeps documents by reference. The server's projector would compute the
 * same documents, but it clones each document on every get and put (BufferedDocSession), and a Partner document
 * holds every membership period: on a 10,000-event stream that catch-up is quadratic and takes minutes
 * (see the README's Benchmark section). The timed commands afterwards go through the server's projector as usual.
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
      for (let index = 0; index < commands; index += 1) {
        const t0 = now();
        const answer = registered
          ? await client.request('POST', `/v1/partners/${partnerId}/withdraw`, { reason: 'Benchmark withdrawal' })
          : await client.request('POST', '/v1/partners', {
              partnerId,
              name: `Benchmark Partner ${partnerId}`,
              entityType: 'specialized-agency',
              intentReference: 'bench',
            });
        samples.push(now() - t0);
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
