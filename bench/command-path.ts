import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { issueLocalToken } from '../libs/auth/local-token.js';
import { ballotIdOf } from '../libs/ballots/ballot.process.js';
import { HttpClient } from './lib/http-client.js';
import { serve, type Served } from './lib/server.js';
import { latency, rate, round, type Latency, type Rate } from './lib/stats.js';

/**
 * Section 2: the full command path over real HTTP (HTTP → guard → validation → handler → fold → append →
 * projector catch-up for read-your-writes → response) against a real `u4ssc serve` child on a fresh SQLite
 * file, with 1, 16 and 64 closed-loop clients.
 *
 * - vote: Partners Board ballots with an electorate of 17 Partners (Annex II's size). Ballots are opened before
 *   each run (not timed); the clients take (ballot, Partner) pairs from one queue in ballot order, each voting
 *   with that Partner's representative's token, so up to 17 votes race on a ballot at once — the hot case of
 *   everyone answering a ballot together. A ballot's stream ends with 1 + 17 votes (+ the early close).
 * - register: a new Partner per command (one-event streams).
 * - register-withdraw: each client registers a new Partner, then withdraws it (two-event streams).
 * - workplan-input: workplan cycles opened before each run (not timed), then inputs from the 17 Partners'
 *   representatives, taken from one queue of (cycle, Partner) pairs in cycle order as votes are: up to 17 inputs
 *   race on a cycle's stream, which ends with 1 + 17 events. Each input is checked against the office register
 *   and the Partner register as of its time (who may contribute, ToR ¶10(a)).
 */

export const CONCURRENCY = [1, 16, 64] as const;
export const WORKLOADS = ['vote', 'register', 'register-withdraw', 'workplan-input'] as const;
export type Workload = (typeof WORKLOADS)[number];
const ELECTORATE = 17;

export interface CommandFigure extends Rate {
  workload: Workload;
  clients: number;
  /** 'disk': a temp dir on the machine's disk (the real figure); 'tmpfs': /dev/shm, where fsync costs nothing. */
  storage: 'disk' | 'tmpfs';
  latency: Latency;
  errors: number;
  firstError?: string;
  /** Server CPU time per command (user + system), from /proc. */
  serverCpuMsPerCommand: number;
  /** Server peak RSS (VmHWM) after this run. */
  serverPeakRssMiB: number;
  /** vote: ballots opened for this run, and whether the clients used up every (ballot, Partner) pair early. */
  ballots?: { opened: number; exhausted: boolean };
  /** workplan-input: the same for the cycles opened and their (cycle, Partner) pairs. */
  cycles?: { opened: number; exhausted: boolean };
}

export interface CommandPathResult {
  store: 'sqlite';
  figures: CommandFigure[];
  serverPeakRssMiB: number;
}

export interface CommandPathOptions {
  nodeArgs?: string[];
  /** Also run each workload at 16 clients with the SQLite file on /dev/shm: the path's CPU ceiling. */
  tmpfs?: boolean;
  /** Only these workloads (default all, in WORKLOADS order) and client counts (default CONCURRENCY): for profiles. */
  workloads?: readonly Workload[];
  clients?: readonly number[];
  log?: (line: string) => void;
}

export async function commandPath(root: string, dir: string, ms: number, options: CommandPathOptions = {}): Promise<CommandPathResult> {
  const figures: CommandFigure[] = [];
  const disk = await onServer(root, dir, 'disk', ms, options.clients ?? CONCURRENCY, options, figures);
  if (options.tmpfs) {
    const shm = mkdtempSync('/dev/shm/u4ssc-bench-');
    try {
      await onServer(root, shm, 'tmpfs', ms, options.clients ?? [16], options, figures);
    } finally {
      rmSync(shm, { recursive: true, force: true });
    }
  }
  return { store: 'sqlite', figures, serverPeakRssMiB: disk };
}

/** One server on a fresh SQLite file in `dir`; returns its peak RSS. */
async function onServer(
  root: string,
  dir: string,
  storage: CommandFigure['storage'],
  ms: number,
  levels: readonly number[],
  options: CommandPathOptions,
  figures: CommandFigure[],
): Promise<number> {
  const secret = randomBytes(24).toString('hex');
  const server = await serve({
    root,
    nodeArgs: options.nodeArgs,
    env: { U4SSC_STORE: 'sqlite', U4SSC_SQLITE_FILE: join(dir, `command-path-${storage}.sqlite`), U4SSC_TOKEN_SECRET: secret },
  });
  try {
    const secretariat = await issueLocalToken(secret, { sub: 'bench-secretariat', roles: ['secretariat'], name: 'Bench' });
    const setup = new HttpClient(server.url, secretariat, 8);
    // The electorate first: a ballot freezes the Partners registered when it opens, so they must be the only ones.
    const electorate: { partnerId: string; token: string }[] = [];
    for (let index = 1; index <= ELECTORATE; index += 1) {
      const partnerId = `V${String(index).padStart(2, '0')}`;
      await expectOk(setup.request('POST', '/v1/partners', registration(partnerId)), `register ${partnerId}`);
      electorate.push({ partnerId, token: await issueLocalToken(secret, { sub: `rep-${partnerId}`, roles: ['partner'], org: partnerId }) });
    }
    setup.close();
    const context: RunContext = { server, secretariat, electorate, ms, storage };
    // Votes first: the other workloads register Partners, who would join later ballots' electorates. Workplan
    // inputs last, so that the three workloads before them run on the same log as before they were measured.
    let expected = 1000;
    for (const workload of options.workloads ?? WORKLOADS) {
      for (const clients of levels) {
        const figure = await run(context, workload, clients, expected);
        if (workload === 'vote') expected = Math.max(1000, figure.opsPerSecond * 2);
        options.log?.(`  ${storage} ${workload} × ${clients}: ${Math.round(figure.opsPerSecond)}/s, p99 ${figure.latency.p99Ms} ms`);
        figures.push(figure);
      }
    }
    return round(server.peakRssMiB(), 1);
  } finally {
    await server.stop();
  }
}

interface RunContext {
  server: Served;
  secretariat: string;
  electorate: { partnerId: string; token: string }[];
  ms: number;
  storage: CommandFigure['storage'];
}

const registration = (partnerId: string) => ({
  partnerId,
  name: `Benchmark Partner ${partnerId}`,
  entityType: 'specialized-agency',
  intentReference: `Letter to the Secretariat, reference ${partnerId}`,
});

async function expectOk(answer: Promise<{ status: number; body: string }>, what: string): Promise<string> {
  const { status, body } = await answer;
  if (status >= 300) throw new Error(`bench setup: ${what}: ${status} ${body.slice(0, 300)}`);
  return body;
}

/**
 * A Secretariat client for one run's setup, on fresh connections: a connection left idle since the last run may
 * be closed by the server (keep-alive timeout, 5 s) just as it is reused, and a POST cannot be retried blindly.
 */
async function withSetup<T>(context: RunContext, work: (setup: HttpClient) => Promise<T>): Promise<T> {
  const setup = new HttpClient(context.server.url, context.secretariat, 8);
  try {
    return await work(setup);
  } finally {
    setup.close();
  }
}

/** Opens `count` ballots (8 at a time) and returns their ids in order. */
async function openBallots(context: RunContext, count: number, tag: string): Promise<string[]> {
  return withSetup(context, (setup) => openBallotsWith(setup, count, tag));
}

async function openBallotsWith(setup: HttpClient, count: number, tag: string): Promise<string[]> {
  const ids: string[] = new Array(count);
  let next = 0;
  const closesAt = new Date(Date.now() + 86_400_000).toISOString();
  await Promise.all(
    Array.from({ length: 8 }, async () => {
      for (let index = next++; index < count; index = next++) {
        const body = await expectOk(
          setup.request('POST', '/v1/ballots', {
            subject: { kind: 'workplan', title: `Benchmark workplan ${tag}-${index}` },
            question: `Do the Partners agree to benchmark workplan ${tag}-${index}?`,
            closesAt,
          }),
          'open a ballot',
        );
        ids[index] = ballotIdOf((JSON.parse(body) as { stream: string }).stream);
      }
    }),
  );
  return ids;
}

/** Opens `count` workplan cycles (8 at a time), named by year from `first`, and returns them in order. */
async function openCycles(context: RunContext, count: number, first: number): Promise<string[]> {
  const cycles = Array.from({ length: count }, (_, index) => String(first + index));
  let next = 0;
  const inputDeadline = new Date(Date.now() + 86_400_000).toISOString();
  await withSetup(context, (setup) =>
    Promise.all(
      Array.from({ length: 8 }, async () => {
        for (let index = next++; index < count; index = next++) {
          await expectOk(setup.request('POST', '/v1/workplans', { cycle: cycles[index], inputDeadline }), `open workplan ${cycles[index]}`);
        }
      }),
    ),
  );
  return cycles;
}

let runCounter = 0;
/** Cycles are years (`2027`): each server's runs take the next ones from 1000 on (its SQLite file is fresh). */
const nextCycle = new Map<Served, number>();

async function run(context: RunContext, workload: Workload, clients: number, expectedVotesPerSecond: number): Promise<CommandFigure> {
  runCounter += 1;
  const tag = `${context.storage === 'disk' ? 'D' : 'T'}${runCounter}`;
  const { server, ms } = context;
  const client = new HttpClient(server.url, context.secretariat, clients);
  let errors = 0;
  let firstError: string | undefined;

  // vote: (ballot, Partner) pairs in ballot order, enough for twice the expected rate over warm-up and run.
  // workplan-input: (cycle, Partner) pairs in cycle order, as many, at the votes' rate.
  let pairs: { ballotId?: string; cycle?: string; partnerId: string; token: string }[] = [];
  let nextPair = 0;
  let ballots: CommandFigure['ballots'];
  let cycles: CommandFigure['cycles'];
  const wanted = Math.ceil((expectedVotesPerSecond * 2 * (ms + 500)) / 1000);
  const streams = Math.max(clients, Math.ceil(wanted / ELECTORATE));
  if (workload === 'vote') {
    const ids = await openBallots(context, streams, tag);
    pairs = ids.flatMap((ballotId) => context.electorate.map((voter) => ({ ballotId, ...voter })));
    ballots = { opened: ids.length, exhausted: false };
  } else if (workload === 'workplan-input') {
    const first = nextCycle.get(server) ?? 1000;
    const count = Math.min(streams, 10_000 - first);
    nextCycle.set(server, first + count);
    const opened = await openCycles(context, count, first);
    pairs = opened.flatMap((cycle) => context.electorate.map((contributor) => ({ cycle, ...contributor })));
    cycles = { opened: opened.length, exhausted: false };
  }
  // register-withdraw: per client, its current Partner and whether it is registered.
  const cycle = Array.from({ length: clients }, () => ({ serial: 0, registered: false }));
  let counter = 0;

  /** One command; undefined when the vote queue is used up. */
  const op = async (worker: number): Promise<boolean | undefined> => {
    let answer: { status: number; body: string };
    if (workload === 'vote' || workload === 'workplan-input') {
      const pair = pairs[nextPair++];
      if (!pair) {
        (ballots ?? cycles)!.exhausted = true;
        return undefined;
      }
      answer =
        workload === 'vote'
          ? await client.request('POST', `/v1/ballots/${pair.ballotId}/votes`, { choice: 'yes' }, pair.token)
          : await client.request(
              'POST',
              `/v1/workplans/${pair.cycle}/inputs`,
              { title: `Input of ${pair.partnerId} to ${pair.cycle}`, text: `What ${pair.partnerId} proposes for the workplan ${pair.cycle} (${tag}).` },
              pair.token,
            );
    } else if (workload === 'register') {
      counter += 1;
      answer = await client.request('POST', '/v1/partners', registration(`${tag}-${counter}`));
    } else {
      const mine = cycle[worker]!;
      const partnerId = `${tag}-${worker}-${mine.serial}`;
      answer = mine.registered
        ? await client.request('POST', `/v1/partners/${partnerId}/withdraw`, { reason: 'Benchmark withdrawal' })
        : await client.request('POST', '/v1/partners', registration(partnerId));
      if (answer.status < 300) {
        if (mine.registered) mine.serial += 1;
        mine.registered = !mine.registered;
      }
    }
    if (answer.status >= 300) {
      errors += 1;
      firstError ??= `${answer.status} ${answer.body.slice(0, 300)}`;
      return false;
    }
    return true;
  };

  // Warm-up (not counted): connections opened, JIT warm.
  const warmEnd = performance.now() + Math.min(500, ms / 4);
  await Promise.all(
    Array.from({ length: clients }, async (_, worker) => {
      do if ((await op(worker)) === undefined) return;
      while (performance.now() < warmEnd);
    }),
  );
  errors = 0;
  firstError = undefined;

  const samples: number[] = [];
  let ok = 0;
  const cpuBefore = server.cpuMs();
  const start = performance.now();
  const end = start + ms;
  await Promise.all(
    Array.from({ length: clients }, async (_, worker) => {
      while (performance.now() < end) {
        const t0 = performance.now();
        const done = await op(worker);
        if (done === undefined) return;
        if (done) {
          samples.push(performance.now() - t0);
          ok += 1;
        }
      }
    }),
  );
  const elapsed = performance.now() - start;
  const cpu = server.cpuMs() - cpuBefore;
  client.close();
  return {
    workload,
    clients,
    storage: context.storage,
    ...rate(ok, ok, elapsed),
    latency: latency(samples),
    errors,
    ...(firstError !== undefined ? { firstError } : {}),
    serverCpuMsPerCommand: round(ok ? cpu / ok : 0, 3),
    serverPeakRssMiB: round(server.peakRssMiB(), 1),
    ...(ballots ? { ballots } : {}),
    ...(cycles ? { cycles } : {}),
  };
}
