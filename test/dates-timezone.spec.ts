import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { assertBuilt, runCli } from './support/cli.js';
import { tempDir } from './support/temp-dir.js';

const ZONES = ['UTC', 'Asia/Tokyo'] as const;
const secretariat = ['--as', 'sec-cli', '--role', 'secretariat'];

/** How `Date` reads a text in a fresh process with `TZ` set: what the engine did before one rule read every instant. */
const dateReads = (text: string, zone: string) =>
  spawnSync(process.execPath, ['-e', `process.stdout.write(new Date(${JSON.stringify(text)}).toISOString())`], { env: { ...process.env, TZ: zone }, encoding: 'utf8' }).stdout;

/**
 * The same deadline typed on servers in two time zones is the same instant in the record, and a deadline without an
 * offset (which `Date` reads in the server's zone) is refused on both. The CLI runs as a child process: the time zone
 * of a running Node process is fixed at its start.
 */
describe('instants do not depend on the server’s time zone', () => {
  const dirs = Object.fromEntries(ZONES.map((zone) => [zone, tempDir()]));
  const env = (zone: string) => ({ TZ: zone, U4SSC_STORE: 'sqlite', U4SSC_SQLITE_FILE: join(dirs[zone]!.path, 'u4ssc.sqlite'), U4SSC_TOKEN_SECRET: '' });

  // A month from now, to the second, written as a Tokyo clock shows it and as the same clock without its offset.
  const instant = new Date(Math.floor((Date.now() + 30 * 86_400_000) / 1000) * 1000);
  const tokyoClock = new Date(instant.getTime() + 9 * 3_600_000).toISOString().slice(0, 19);

  beforeAll(() => assertBuilt());
  afterAll(() => Object.values(dirs).forEach((dir) => dir.remove()));

  it('the zones differ here: Date reads a time without an offset as two instants', () => {
    expect(dateReads(tokyoClock, 'UTC')).not.toBe(dateReads(tokyoClock, 'Asia/Tokyo'));
  });

  it.each(ZONES)('TZ=%s refuses a deadline without an offset, naming the field, and records nothing', (zone) => {
    const refused = runCli(['workplans', 'open', '2027', '--deadline', tokyoClock, ...secretariat], env(zone));
    expect(refused.status).not.toBe(0);
    expect(refused.stderr).toContain(`inputDeadline "${tokyoClock}" is not an RFC 3339 date-time`);
    expect(refused.stderr).toContain('no offset');
    const list = runCli(['workplans', 'list', '--json'], env(zone));
    expect([list.status, JSON.parse(list.stdout)]).toEqual([0, []]);
  }, 60_000);

  it.each(ZONES)('TZ=%s refuses --at without an offset as a usage error', (zone) => {
    const refused = runCli(['partners', 'list', '--at', tokyoClock], env(zone));
    expect([refused.status, refused.stderr]).toEqual([2, expect.stringContaining(`--at "${tokyoClock}" is not an RFC 3339 date-time`)]);
  }, 60_000);

  it('records the same instant for the same deadline under TZ=UTC and TZ=Asia/Tokyo', () => {
    const recorded = ZONES.map((zone) => {
      const opened = runCli(['workplans', 'open', '2027', '--deadline', `${tokyoClock}+09:00`, ...secretariat], env(zone));
      expect([opened.status, opened.stderr]).toEqual([0, '']);
      const shown = runCli(['workplans', 'show', '2027', '--json'], env(zone));
      return (JSON.parse(shown.stdout) as { inputDeadline: string }).inputDeadline;
    });
    expect(recorded).toEqual([instant.toISOString(), instant.toISOString()]);
  }, 60_000);
});
