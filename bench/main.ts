import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { packageRoot } from '../apps/cli/package-root.js';
import { appendPostgres, appendSqlite, SCENARIOS, type AppendFigure } from './append.js';
import { commandPath, WORKLOADS, type CommandPathResult, type Workload } from './command-path.js';
import { diskProbe } from './lib/disk.js';
import { machineInfo, packageVersions, gitState } from './lib/machine.js';
import { probePostgres, type PostgresServer } from './lib/postgres.js';
import { longStreams, type LongStreamResult } from './long-streams.js';
import { EVENTS_PER_STREAM, postgresTarget, replay, sqliteTarget, type ReplayFigure } from './replay.js';
import { judge, renderTables } from './report.js';
import { signingBench, signingLines, type SigningFigures } from './signing.js';

/**
 * `npm run bench [-- --quick] [-- --only append,commands,long,replay,signing] [-- --no-postgres] [-- --no-write]`
 * Measures the engine against the raw limits of its stores (issue 8), prints Markdown tables and writes every
 * figure to bench/results/<date>.json (quick runs: <date>.quick.json).
 */

const SECTIONS = ['append', 'commands', 'long', 'replay', 'signing'] as const;
type Section = (typeof SECTIONS)[number];

const { values } = parseArgs({
  options: {
    quick: { type: 'boolean', default: false },
    only: { type: 'string' },
    'no-postgres': { type: 'boolean', default: false },
    'no-write': { type: 'boolean', default: false },
    'keep-files': { type: 'boolean', default: false },
    'profile-server': { type: 'string' },
    'replay-budget': { type: 'string' },
    workloads: { type: 'string' },
    clients: { type: 'string' },
    'command-ms': { type: 'string' },
  },
});

const quick = values.quick!;
const sections = new Set<Section>(
  values.only ? (values.only.split(',').map((name) => name.trim()) as Section[]) : SECTIONS,
);
for (const section of sections) {
  if (!SECTIONS.includes(section)) throw new Error(`--only takes ${SECTIONS.join(', ')}; got "${section}"`);
}

/**
 * Durations and sizes: the full run stays well under 10 minutes on 2 cores, --quick under a minute. Replay
 * operations whose estimated time at the larger size exceeds the budget are skipped and reported as skipped.
 */
const PLAN = quick
  ? { appendMs: 250, commandMs: 500, commandTmpfs: false, longCommands: 100, longHttp: true, replaySizes: [10_000, 50_000], replayBudgetSeconds: 3 }
  : { appendMs: 1500, commandMs: 3000, commandTmpfs: true, longCommands: 200, longHttp: true, replaySizes: [100_000, 1_000_000], replayBudgetSeconds: 60 };
if (values['replay-budget'] !== undefined) PLAN.replayBudgetSeconds = Number(values['replay-budget']);
if (values['command-ms'] !== undefined) PLAN.commandMs = Number(values['command-ms']);
const workloads = values.workloads?.split(',').map((name) => name.trim()) as Workload[] | undefined;
for (const workload of workloads ?? []) {
  if (!WORKLOADS.includes(workload)) throw new Error(`--workloads takes ${WORKLOADS.join(', ')}; got "${workload}"`);
}
const clientCounts = values.clients?.split(',').map(Number);
if (clientCounts?.some((count) => !Number.isInteger(count) || count < 1)) throw new Error(`--clients takes positive integers; got "${values.clients}"`);

const log = (line: string) => process.stderr.write(`${line}\n`);

async function main(): Promise<void> {
  const root = packageRoot();
  const started = new Date();
  // U4SSC_BENCH_TMPDIR=/dev/shm puts every file on tmpfs (fsync free): for CPU profiles, never for the figures.
  const dir = mkdtempSync(join(process.env.U4SSC_BENCH_TMPDIR || tmpdir(), 'u4ssc-bench-'));
  const postgres: PostgresServer | { reason: string } = values['no-postgres']
    ? { reason: 'skipped (--no-postgres)' }
    : await probePostgres();
  const pgUrl = 'url' in postgres ? postgres.url : undefined;
  log(`bench (${quick ? 'quick' : 'full'}) in ${dir}; PostgreSQL: ${'url' in postgres ? postgres.url : postgres.reason}`);

  const environment: { diskBefore?: unknown; diskAfter?: unknown; loadBefore: number[]; loadAfter?: number[] } = {
    loadBefore: loadavg(),
  };
  environment.diskBefore = await diskProbe(dir, quick ? 300 : 1000);
  const append: AppendFigure[] = [];
  let commands: CommandPathResult | undefined;
  let long: LongStreamResult | undefined;
  const replayFigures: ReplayFigure[] = [];
  let signing: SigningFigures | undefined;
  const timings: Record<string, number> = {};
  const section = async (name: Section, work: () => Promise<void>) => {
    if (!sections.has(name)) return;
    const t0 = performance.now();
    log(`${name}…`);
    await work();
    timings[name] = Math.round(performance.now() - t0) / 1000;
    log(`${name}: ${timings[name]} s`);
  };

  try {
    await section('append', async () => {
      append.push(...(await appendSqlite(dir, PLAN.appendMs)));
      if (pgUrl) append.push(...(await appendPostgres(pgUrl, PLAN.appendMs)));
    });
    await section('commands', async () => {
      const nodeArgs = values['profile-server'] ? ['--cpu-prof', '--cpu-prof-dir', values['profile-server']] : undefined;
      commands = await commandPath(root, dir, PLAN.commandMs, { nodeArgs, tmpfs: PLAN.commandTmpfs, log, workloads, clients: clientCounts });
    });
    await section('long', async () => {
      long = await longStreams(root, dir, PLAN.longCommands, { http: PLAN.longHttp });
    });
    await section('replay', async () => {
      // Quick runs replay on SQLite only: loading a valid 100,000-event log into a second store would not fit the minute.
      const targets = [sqliteTarget(dir), ...(pgUrl && !quick ? [await postgresTarget(pgUrl)] : [])];
      try {
        replayFigures.push(...(await replay(targets, PLAN.replaySizes, PLAN.replayBudgetSeconds, log)));
      } finally {
        for (const target of targets) await target.close();
      }
    });
    await section('signing', async () => {
      signing = await signingBench(dir, pgUrl, PLAN.appendMs, quick ? 20_000 : 100_000);
    });
    environment.diskAfter = await diskProbe(dir, quick ? 300 : 1000);
    environment.loadAfter = loadavg();
  } finally {
    if (!values['keep-files']) rmSync(dir, { recursive: true, force: true });
  }

  const results = { append, commandPath: commands, longStreams: long, replay: replayFigures };
  const aims = judge(results);
  const tables = renderTables(results, aims);
  const machine = machineInfo();
  console.log(
    `\nU4SSC engine benchmark, ${started.toISOString().slice(0, 10)} (${quick ? 'quick' : 'full'}): ` +
      `${machine.cpus} × ${machine.cpuModel}, ${machine.memoryGiB} GiB, ${machine.os}, Node ${machine.node}\n`,
  );
  const disk = (probe: unknown) => Math.round((probe as { commitsPerSecond: number } | undefined)?.commitsPerSecond ?? 0).toLocaleString('en');
  console.log(
    `Disk (raw SQLite FULL single-row commits/s): ${disk(environment.diskBefore)} at start, ${disk(environment.diskAfter)} at end; ` +
      `load average ${environment.loadBefore.map((value) => value.toFixed(1)).join(' ')} at start\n`,
  );
  console.log(tables);
  if (signing) console.log(`\n${signingLines(signing).join('\n')}\n`);

  const report = {
    date: started.toISOString().slice(0, 10),
    startedAt: started.toISOString(),
    mode: quick ? 'quick' : 'full',
    sections: [...sections],
    secondsPerSection: timings,
    machine,
    /** Other processes share this machine: the disk's commit rate and the load average, at start and end. */
    environment,
    versions: packageVersions(root),
    git: gitState(root),
    stores: {
      sqlite: { journalMode: 'wal', synchronous: 'FULL' },
      postgres: pgUrl ? { version: (postgres as PostgresServer).version, settings: (postgres as PostgresServer).settings } : postgres,
    },
    plan: { ...PLAN, appendScenarios: SCENARIOS, replayEventsPerStream: EVENTS_PER_STREAM },
    aims,
    ...results,
    ...(signing && { signing }),
  };
  if (!values['no-write']) {
    const out = join(root, 'bench', 'results', `${report.date}${quick ? '.quick' : ''}.json`);
    mkdirSync(join(root, 'bench', 'results'), { recursive: true });
    writeFileSync(out, `${JSON.stringify(report, null, 2)}\n`);
    log(`\nfigures written to ${out}`);
  }
}

await main();
