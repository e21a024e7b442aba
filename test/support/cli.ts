import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';

const root = process.cwd();
const bin = join(root, 'bin', 'u4ssc.js');

export function assertBuilt(): void {
  if (!existsSync(join(root, 'dist', 'apps', 'cli', 'main.js'))) {
    throw new Error('the CLI is not built: run `npm run build` (npm test does it before Jest)');
  }
}

export interface CliResult {
  status: number | null;
  stdout: string;
  stderr: string;
}

/** Runs `u4ssc ...` as a child process, as a user would, with the given environment added. */
export function runCli(args: string[], env: Record<string, string>): CliResult {
  const result = spawnSync(process.execPath, [bin, ...args], {
    env: { ...process.env, ...env, U4SSC_LOG: 'silent' },
    encoding: 'utf8',
    timeout: 60_000,
  });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

export interface Served {
  url: string;
  process: ChildProcess;
  stop(): Promise<void>;
}

/** Starts `u4ssc serve --port 0` and resolves with the URL it prints. */
export function serve(env: Record<string, string>): Promise<Served> {
  const child = spawn(process.execPath, [bin, 'serve', '--port', '0'], {
    env: { ...process.env, ...env, U4SSC_LOG: 'silent' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`serve did not start in 30 s:\n${output}`)), 30_000);
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      const match = /listening on (http:\/\/localhost:\d+)/.exec(output);
      if (match) {
        clearTimeout(timer);
        resolve({
          url: match[1]!,
          process: child,
          stop: () =>
            new Promise<void>((done) => {
              if (child.exitCode !== null || child.signalCode !== null) return done();
              child.once('exit', () => done());
              child.kill('SIGTERM');
            }),
        });
      }
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`serve exited with ${code}:\n${output}`));
    });
  });
}
