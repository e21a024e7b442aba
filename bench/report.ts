import type { AppendFigure } from './append.js';
import type { CommandPathResult } from './command-path.js';
import type { LongStreamResult } from './long-streams.js';
import { isSkipped, type ReplayFigure, type Skipped } from './replay.js';
import type { Rate } from './lib/stats.js';

/** The issue's aims, judged from the figures; never rounded in the engine's favour. */
export interface Aim {
  aim: string;
  status: 'met' | 'not met' | 'not measured';
  figure: string;
}

export interface BenchResults {
  append: AppendFigure[];
  commandPath?: CommandPathResult;
  longStreams?: LongStreamResult;
  replay: ReplayFigure[];
}

const n = (value: number) => Math.round(value).toLocaleString('en');
const ms = (value: number) => (value < 10 ? value.toFixed(2) : value.toFixed(1));
const pct = (value: number) => `${Math.round(value * 100)}%`;

export function judge(results: BenchResults): Aim[] {
  const aims: Aim[] = [];
  for (const store of ['sqlite', 'postgres'] as const) {
    const figures = results.append.filter((figure) => figure.store === store);
    if (figures.length === 0) {
      aims.push({ aim: `engine appends ≥ 85% of raw inserts (${store})`, status: 'not measured', figure: 'store not reached' });
      continue;
    }
    const worst = figures.reduce((low, figure) => (figure.ratio < low.ratio ? figure : low));
    aims.push({
      aim: `engine appends ≥ 85% of raw inserts (${store})`,
      status: figures.every((figure) => figure.ratio >= 0.85) ? 'met' : 'not met',
      figure: figures.map((figure) => `${figure.scenario} ${pct(figure.ratio)}`).join(', ') + ` (lowest: ${worst.scenario})`,
    });
  }
  const votes = results.commandPath?.figures.find((figure) => figure.workload === 'vote' && figure.clients === 16 && figure.storage === 'disk');
  if (!votes) {
    aims.push({ aim: 'command path ≥ 1,000 votes/s with 16 clients, p99 < 50 ms (SQLite)', status: 'not measured', figure: '' });
  } else {
    const met = votes.opsPerSecond >= 1000 && votes.latency.p99Ms < 50 && votes.errors === 0;
    const others = results.commandPath!.figures
      .filter((figure) => figure.workload !== 'vote' && figure.clients === 16 && figure.storage === 'disk')
      .map((figure) => `${figure.workload} ${n(figure.opsPerSecond)}/s`);
    aims.push({
      aim: 'command path ≥ 1,000 votes/s with 16 clients, p99 < 50 ms (SQLite)',
      status: met ? 'met' : 'not met',
      figure:
        `${n(votes.opsPerSecond)} votes/s, p99 ${ms(votes.latency.p99Ms)} ms` +
        (votes.errors ? `, ${votes.errors} errors` : '') +
        (others.length ? ` (${others.join(', ')})` : ''),
    });
  }
  // Judged at the largest size each operation ran at on SQLite.
  const sqliteReplay = results.replay.filter((figure) => figure.store === 'sqlite');
  const largestRun = (pick: (figure: ReplayFigure) => Rate | Skipped) => {
    const figure = [...sqliteReplay].reverse().find((candidate) => !isSkipped(pick(candidate)));
    return figure ? { events: figure.events, rate: pick(figure) as Rate, figure } : undefined;
  };
  const verifyFull = largestRun((figure) => figure.verifyWithLegality);
  const chainOnly = largestRun((figure) => figure.verify);
  const rebuild = largestRun((figure) => figure.rebuild);
  aims.push({
    aim: 'verify ≥ 100,000 events/s (SQLite; hash chain + machine legality, reading included)',
    status: !verifyFull ? 'not measured' : verifyFull.rate.eventsPerSecond >= 100_000 ? 'met' : 'not met',
    figure: verifyFull
      ? `${n(verifyFull.rate.eventsPerSecond)}/s at ${n(verifyFull.events)} events` +
        (chainOnly ? ` (hash chain alone: ${n(chainOnly.rate.eventsPerSecond)}/s at ${n(chainOnly.events)})` : '')
      : '',
  });
  aims.push({
    aim: 'rebuild ≥ 50,000 events/s (SQLite)',
    status: !rebuild ? 'not measured' : rebuild.rate.eventsPerSecond >= 50_000 ? 'met' : 'not met',
    figure: rebuild ? `${n(rebuild.rate.eventsPerSecond)}/s at ${n(rebuild.events)} events` : '',
  });
  const long = results.longStreams;
  if (!long) {
    aims.push({ aim: 'command latency at 10,000 events within 2× of 10 events', status: 'not measured', figure: '' });
  } else {
    const first = long.figures[0]!;
    const last = long.figures.at(-1)!;
    aims.push({
      aim: 'command latency at 10,000 events within 2× of 10 events',
      status: long.engineRatio <= 2 && (long.httpRatio ?? 0) <= 2 ? 'met' : 'not met',
      figure:
        `engine p50 ${ms(last.engine.p50Ms)} ms vs ${ms(first.engine.p50Ms)} ms (${long.engineRatio}×)` +
        (long.httpRatio !== undefined ? `; HTTP p50 ${ms(last.http!.p50Ms)} ms vs ${ms(first.http!.p50Ms)} ms (${long.httpRatio}×)` : ''),
    });
  }
  return aims;
}

/** Markdown tables: printed at the end of a run and pasted into the README. */
export function renderTables(results: BenchResults, aims: Aim[]): string {
  const out: string[] = [];
  if (results.append.length) {
    out.push('**1. Append** (events/s; engine adapter vs raw driver insert transactions, same rows and durability)', '');
    out.push('| store | scenario | engine ev/s | raw ev/s | engine/raw | engine p50 / p99 ms | raw autocommit ev/s |');
    out.push('| --- | --- | ---: | ---: | ---: | ---: | ---: |');
    for (const f of results.append) {
      out.push(
        `| ${f.store} | ${f.scenario} | ${n(f.engine.eventsPerSecond)} | ${n(f.raw.eventsPerSecond)} | ${pct(f.ratio)} | ` +
          `${ms(f.engine.latency.p50Ms)} / ${ms(f.engine.latency.p99Ms)} | ${f.rawAutocommit ? n(f.rawAutocommit.eventsPerSecond) : '—'} |`,
      );
    }
    out.push('');
  }
  const commands = results.commandPath;
  if (commands) {
    out.push(`**2. Command path** over HTTP to \`u4ssc serve\` (SQLite); server peak RSS ${commands.serverPeakRssMiB} MiB`, '');
    out.push('| command | storage | clients | commands/s | p50 ms | p95 ms | p99 ms | server CPU ms/command | errors |');
    out.push('| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |');
    for (const f of commands.figures) {
      const note = f.ballots?.exhausted ? ' (ballots used up)' : f.cycles?.exhausted ? ' (cycles used up)' : '';
      out.push(
        `| ${f.workload}${note} | ${f.storage} | ${f.clients} | ${n(f.opsPerSecond)} | ${ms(f.latency.p50Ms)} | ${ms(f.latency.p95Ms)} | ` +
          `${ms(f.latency.p99Ms)} | ${f.serverCpuMsPerCommand.toFixed(2)} | ${f.errors} |`,
      );
    }
    out.push('');
  }
  const long = results.longStreams;
  if (long) {
    out.push(
      `**3. Long streams** (one more command on a Partner stream of N events; SQLite; a snapshot every ${long.snapshotEvery} events; ` +
        `p50 / p95 over ${long.figures[0]!.engine.count} commands after the first)`,
      '',
    );
    out.push(
      '| events in stream | engine p50 / p95 ms | HTTP p50 / p95 ms | first command (full fold + snapshot) engine / HTTP ms | ' +
        'without snapshots: read + fold ms | snapshot load / write ms (size) | worst: cold, 99 events after the snapshot ms | append ms |',
    );
    out.push('| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |');
    for (const f of long.figures) {
      out.push(
        `| ${n(f.length)} | ${ms(f.engine.p50Ms)} / ${ms(f.engine.p95Ms)} | ${f.http ? `${ms(f.http.p50Ms)} / ${ms(f.http.p95Ms)}` : '—'} | ` +
          `${ms(f.engineFirstMs)} / ${f.httpFirstMs !== undefined ? ms(f.httpFirstMs) : '—'} | ` +
          `${ms(f.parts.readStreamMs)} + ${ms(f.parts.foldMs)} | ${ms(f.parts.snapshotLoadMs)} / ${ms(f.parts.snapshotWriteMs)} (${n(f.parts.snapshotBytes / 1024)} KiB) | ` +
          `${ms(f.parts.worstTailMs)} | ${ms(f.parts.appendMs)} |`,
      );
    }
    out.push(`| 10k / 10 | ${long.engineRatio}× | ${long.httpRatio !== undefined ? `${long.httpRatio}×` : '—'} | | | | | |`, '');
  }
  if (results.replay.length) {
    out.push('**4. Replay** (events/s, and the ratio to the raw read of the same rows)', '');
    out.push('| store | events | raw read | readAll | verify: hash chain | verify: chain + legality | rebuild (Partner projection) |');
    out.push('| --- | ---: | ---: | ---: | ---: | ---: | ---: |');
    const cell = (value: Rate | Skipped, share: number | null) =>
      !isSkipped(value)
        ? `${n(value.eventsPerSecond)} (${pct(share ?? 0)})`
        : value.reason === 'budget'
          ? `skipped (est. ${value.estimatedSeconds} s)`
          : '— (as SQLite)';
    for (const f of results.replay) {
      out.push(
        `| ${f.store} | ${n(f.events)} | ${n(f.rawRead.eventsPerSecond)} | ${cell(f.readAll, f.ratioToRaw.readAll)} | ` +
          `${cell(f.verify, f.ratioToRaw.verify)} | ${cell(f.verifyWithLegality, f.ratioToRaw.verifyWithLegality)} | ` +
          `${cell(f.rebuild, f.ratioToRaw.rebuild)} |`,
      );
    }
    out.push('');
  }
  out.push('**Aims**', '', '| aim | status | figure |', '| --- | --- | --- |');
  for (const aim of aims) out.push(`| ${aim.aim} | ${aim.status} | ${aim.figure} |`);
  return out.join('\n');
}
