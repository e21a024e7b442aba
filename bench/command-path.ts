import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { issueLocalToken } from '../libs/auth/local-token.js';
import { HttpClient } from './lib/http-client.js';
import { serve, type Served } from './lib/server.js';
import { latency, rate, round, type Latency, type Rate } from './lib/stats.js';

/**
 * Section 2: the full command path over real HTTP (HTTP → guard → validation → handler → fold → append →
 * projector catch-up for read-your-writes → response) against a real `u4ssc serve` child on a fresh SQLite
 * file, with 1, 16 and 64 closed-loop clients.
 *
 * Workloads are the commands that exist today: registering new Partners, and withdraw/re-register cycles on
 * one Partner per client.
 * TODO(issue 8): ballot votes (POST /v1/ballots/{id}/votes) and workplan inputs once those processes land;
 * the aim "≥ 1,000 votes/s with 16 clients, p99 < 50 ms" is judged on Partner commands until then.
 */

export const CONCURRENCY = [1, 16, 64] as const;
export type Workload = 'register' | 'withdraw-register';

export interface CommandFigure extends Rate {
  workload: Workload;
  clients: number;
  latency: Latency;
  errors: number;
  firstError?: string;
  /** Server CPU time per command (user + system), from /proc. */
  serverCpuMsPerCommand: number;
  /** Server peak RSS (VmHWM) after this run. */
  serverPeakRssMiB: number;
}

export interface CommandPathResult {
  store: 'sqlite';
  figures: CommandFigure[];
  serverPeakRssMiB: number;
  todo: string;
}

const TOKEN_SECRET_BYTES = 24;

export async function commandPath(
  root: string,
  dir: string,
  ms: number,
  options: { nodeArgs?: string[]; workloads?: readonly Workload[] } = {},
): Promise<CommandPathResult> {
  const secret = randomBytes(TOKEN_SECRET_BYTES).toString('hex');
  const server = await serve({
    root,
    nodeArgs: options.nodeArgs,
    env: {
      U4SSC_STORE: 'sqlite',
      U4SSC_SQLITE_FILE: join(dir, 'command-path.sqlite'),
      U4SSC_TOKEN_SECRET: secret,
    },
  });
  const token = await issueLocalToken(secret, { sub: 'bench-secretariat', roles: ['secretariat'], name: 'Bench' });
  const figures: CommandFigure[] = [];
  try {
    for (const workload of options.workloads ?? (['register', 'withdraw-register'] as const)) {
      for (const clients of CONCURRENCY) {
        figures.push(await run(server, token, workload, clients, ms));
      }
    }
    return {
      store: 'sqlite',
      figures,
      serverPeakRssMiB: round(server.peakRssMiB(), 1),
      todo: 'ballot votes (POST /v1/ballots/{id}/votes) and workplan inputs: not in the API yet',
    };
  } finally {
    await server.stop();
  }
}

let runCounter = 0;

async function run(server: Served, token: string, workload: Workload, clients: number, ms: number): Promise<CommandFigure> {
  runCounter += 1;
  const tag = `${workload === 'register' ? 'R' : 'C'}${runCounter}`;
  const client = new HttpClient(server.url, token, clients);
  let errors = 0;
  let firstError: string | undefined;
  let counter = 0;
  // Per client: its own Partner for cycles, and whether it is registered now.
  const registered = new Array<boolean>(clients).fill(false);

  const register = (partnerId: string) =>
    client.request('POST', '/v1/partners', {
      partnerId,
      name: `Benchmark Partner ${partnerId}`,
      entityType: 'specialized-agency',
      intentReference: `Letter to the Secretariat, reference ${partnerId}`,
    });

  const op = async (worker: number): Promise<boolean> => {
    let answer: { status: number; body: string };
    if (workload === 'register') {
      counter += 1;
      answer = await register(`${tag}-${counter}`);
    } else {
      const partnerId = `${tag}-${worker}`;
      answer = registered[worker]
        ? await client.request('POST', `/v1/partners/${partnerId}/withdraw`, { reason: 'Benchmark withdrawal' })
        : await register(partnerId);
      if (answer.status < 300) registered[worker] = !registered[worker];
    }
    if (answer.status >= 300) {
      errors += 1;
      firstError ??= `${answer.status} ${answer.body.slice(0, 300)}`;
      return false;
    }
    return true;
  };

  // Warm-up (not counted): connections opened, each cycle Partner registered, JIT warm.
  const warmEnd = performance.now() + Math.min(500, ms / 4);
  await Promise.all(
    Array.from({ length: clients }, async (_, worker) => {
      do await op(worker);
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
        if (await op(worker)) {
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
    ...rate(ok, ok, elapsed),
    latency: latency(samples),
    errors,
    ...(firstError !== undefined ? { firstError } : {}),
    serverCpuMsPerCommand: round(ok ? cpu / ok : 0, 3),
    serverPeakRssMiB: round(server.peakRssMiB(), 1),
  };
}
