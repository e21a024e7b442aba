import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { spawnSync } from 'node:child_process';
import { readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { loadConfig } from '../libs/config/index.js';
import { closeStores, openStores } from '../libs/engine/index.js';
import { systemClock } from '../libs/kernel/clock.js';
import { decideRegister } from '../libs/partners/partner.decide.js';
import { partnerProcess, partnerStream } from '../libs/partners/partner.process.js';
import { runCommand } from '../libs/process-runner/index.js';
import { assertBuilt, runCli } from './support/cli.js';
import { tempDir } from './support/temp-dir.js';

const PARTNERS = 3000;
// Each registration carries a long intent reference, so the listing is some 30 MB: far beyond what a pipe holds.
const REFERENCE = 'Letter of intent on file; '.repeat(400);

/** Runs `u4ssc <args> | <reader>` in bash; the reader is a child process of its own. Answers the CLI's status. */
function piped(args: string, reader: string, env: Record<string, string>): { status: number; stderr: string } {
  const script = `node bin/u4ssc.js ${args} 2>"$ERR" | ${reader}; echo "\${PIPESTATUS[0]}"`;
  const errFile = join(env.DIR!, `stderr-${Math.random().toString(36).slice(2)}`);
  const result = spawnSync('bash', ['-c', script], { env: { ...process.env, ...env, ERR: errFile, U4SSC_LOG: 'silent' }, encoding: 'utf8', timeout: 120_000 });
  return { status: Number(result.stdout.trim().split('\n').at(-1)), stderr: readFileSync(errFile, 'utf8') };
}

describe('the CLI on a pipe: nothing cut off, a closed pipe is an error', () => {
  const dir = tempDir();
  const file = join(dir.path, 'u4ssc.sqlite');
  const env = { U4SSC_STORE: 'sqlite', U4SSC_SQLITE_FILE: file, DIR: dir.path };

  beforeAll(async () => {
    assertBuilt();
    // Written with the store and the runner directly: the fastest way to a log this size.
    const stores = await openStores(loadConfig({ U4SSC_STORE: 'sqlite', U4SSC_SQLITE_FILE: file }), { notice: () => undefined });
    const actor = { id: 'sec-1', role: 'secretariat' };
    try {
      for (let index = 0; index < PARTNERS; index += 1) {
        const partnerId = `P${String(index).padStart(5, '0')}`;
        await runCommand(
          { store: stores.events, clock: systemClock },
          partnerProcess,
          partnerStream(partnerId),
          { commandId: `register-${partnerId}`, actor },
          decideRegister({ partnerId, name: `Entity ${partnerId}`, entityType: 'other-un-entity', intentReference: REFERENCE }, actor, new Date()),
        );
      }
    } finally {
      await closeStores(stores);
    }
    expect(runCli(['rebuild'], env).status).toBe(0);
  }, 300_000);
  afterAll(() => dir.remove());

  it('delivers the whole of `partners list --json` to a reader on a pipe, byte for byte as into a file', () => {
    const received = join(dir.path, 'received.json');
    const direct = join(dir.path, 'direct.json');
    const result = piped('partners list --json', `cat > "${received}"`, env);
    expect(result.status).toBe(0);
    const intoFile = spawnSync('bash', ['-c', `node bin/u4ssc.js partners list --json > "${direct}"`], { env: { ...process.env, ...env, U4SSC_LOG: 'silent' } });
    expect(intoFile.status).toBe(0);
    expect(statSync(received).size).toBeGreaterThan(30_000_000);
    expect(statSync(received).size).toBe(statSync(direct).size);
    const partners = JSON.parse(readFileSync(received, 'utf8')) as { partnerId: string }[];
    expect(partners).toHaveLength(PARTNERS);
    expect(partners).toEqual(JSON.parse(readFileSync(direct, 'utf8')));
  }, 180_000);

  it('delivers a whole export to standard output: the same bundle, line for line, as --out writes to a file', () => {
    const received = join(dir.path, 'received.jsonl');
    const direct = join(dir.path, 'direct.jsonl');
    const result = piped('export --out -', `cat > "${received}"`, env);
    expect(result.status).toBe(0);
    // The registrations and the signing key's publication at first start.
    expect(result.stderr).toMatch(new RegExp(`export: ${PARTNERS + 1} events in ${PARTNERS + 1} streams \\(scope log\\) to standard output`));
    expect(runCli(['export', '--out', direct], env).status).toBe(0);
    expect(statSync(received).size).toBe(statSync(direct).size);
    const lines = (path: string) => readFileSync(path, 'utf8').trimEnd().split('\n').map((line) => JSON.parse(line) as Record<string, unknown>);
    const [manifest, ...events] = lines(received);
    const [directManifest, ...directEvents] = lines(direct);
    expect(events).toHaveLength(PARTNERS + 1);
    expect(events).toEqual(directEvents);
    // Only the moment of export differs, and the seal over the manifest that holds it.
    expect({ ...manifest, exportedAt: undefined, seal: undefined }).toEqual({ ...directManifest, exportedAt: undefined, seal: undefined });
  }, 180_000);

  it('ends with status 1 and says the output is incomplete when the reader closes the pipe early', () => {
    const result = piped('partners list --json', 'head -c 1000 > /dev/null', env);
    expect(result.status).toBe(1);
    expect(result.stderr).toMatch(/u4ssc partners: the output is incomplete: writing it failed: the reader closed the pipe \(EPIPE\)/);
  }, 180_000);
});
