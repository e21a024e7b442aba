import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

/**
 * A real `u4ssc serve` child process, started as test/support/cli.ts starts it (that file is for Jest suites),
 * plus what the bench reads from /proc: peak resident memory (VmHWM) and CPU time used.
 */

export interface ServeOptions {
  root: string;
  env: Record<string, string>;
  /** Extra node options for the child (e.g. --cpu-prof). */
  nodeArgs?: string[];
}

export interface Served {
  url: string;
  pid: number;
  /** Peak resident set size so far (VmHWM), in MiB. */
  peakRssMiB(): number;
  /** User + system CPU time used so far, in milliseconds. */
  cpuMs(): number;
  stop(): Promise<void>;
}

/**
 * With nodeArgs, a profile is written only when the process exits normally: Nest's shutdown hooks re-raise
 * SIGTERM after closing, which skips the write. The preload turns SIGUSR2 into a normal exit for that case.
 */
const EXIT_ON_SIGUSR2 = `data:text/javascript,process.on('SIGUSR2',()=>process.exit(0))`;

/** Servers still running: killed if the bench exits early (a failed section must not leave a server behind). */
const running = new Set<ChildProcess>();
process.once('exit', () => {
  for (const child of running) child.kill('SIGKILL');
});

export function serve({ root, env, nodeArgs = [] }: ServeOptions): Promise<Served> {
  const bin = join(root, 'bin', 'u4ssc.js');
  const args = nodeArgs.length ? [...nodeArgs, '--import', EXIT_ON_SIGUSR2] : [];
  const child = spawn(process.execPath, [...args, bin, 'serve', '--port', '0'], {
    env: { ...process.env, ...env, U4SSC_LOG: 'silent' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  running.add(child);
  child.once('exit', () => running.delete(child));
  let output = '';
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`serve did not start in 60 s:\n${output}`));
    }, 60_000);
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      const match = /listening on (http:\/\/localhost:\d+)/.exec(output);
      if (!match) return;
      clearTimeout(timer);
      child.stdout.off('data', onData);
      child.removeListener('exit', onEarlyExit);
      const pid = child.pid!;
      resolve({
        url: match[1]!.replace('localhost', '127.0.0.1'),
        pid,
        peakRssMiB: () => statusKiB(pid, 'VmHWM') / 1024,
        cpuMs: () => cpuMs(pid),
        stop: () =>
          new Promise<void>((done) => {
            if (child.exitCode !== null || child.signalCode !== null) return done();
            child.once('exit', () => done());
            child.kill(nodeArgs.length ? 'SIGUSR2' : 'SIGTERM');
          }),
      });
    };
    const onEarlyExit = (code: number | null) => {
      clearTimeout(timer);
      reject(new Error(`serve exited with ${code}:\n${output}`));
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', (chunk: Buffer) => {
      output += chunk.toString();
      // Errors after start-up are the bench's business: show them rather than lose them.
      if (output.length > 200_000) output = output.slice(-100_000);
    });
    child.once('exit', onEarlyExit);
  });
}

function statusKiB(pid: number, field: string): number {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const match = new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(status);
  return match ? Number(match[1]) : 0;
}

/** utime + stime from /proc/<pid>/stat, in clock ticks of 10 ms (USER_HZ is 100 on Linux). */
function cpuMs(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  // The command name (field 2) may hold spaces; fields after its closing parenthesis are plain.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return (Number(fields[11]) + Number(fields[12])) * 10;
}
