import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import Database from 'better-sqlite3';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { assertBuilt, runCli, serve } from './support/cli.js';
import { tempDir } from './support/temp-dir.js';

const lastLine = (text: string) => text.trim().split('\n').at(-1) ?? '';

describe('the u4ssc CLI, run as a child process on a SQLite file', () => {
  const dir = tempDir();
  const env = { U4SSC_STORE: 'sqlite', U4SSC_SQLITE_FILE: join(dir.path, 'data', 'u4ssc.sqlite'), U4SSC_TOKEN_SECRET: '' };

  beforeAll(() => assertBuilt());
  afterAll(() => dir.remove());

  it('prints a token the API it serves accepts, with a secret generated once beside the SQLite file', async () => {
    const issued = runCli(['token', '--sub', 'sec-1', '--role', 'secretariat', '--name', 'Secretariat officer'], env);
    expect(issued.status).toBe(0);
    const token = lastLine(issued.stdout);
    expect(token).toMatch(/^[\w-]+\.[\w-]+\.[\w-]+$/);
    expect(existsSync(join(dir.path, 'data', 'token-secret'))).toBe(true);

    const server = await serve(env);
    try {
      const health = await fetch(`${server.url}/health`);
      expect(health.status).toBe(200);
      const registered = await fetch(`${server.url}/v1/partners`, {
        method: 'POST',
        headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' },
        body: JSON.stringify({
          partnerId: 'UNICEF',
          name: 'United Nations Children’s Fund',
          entityType: 'fund-or-programme',
          intentReference: 'Email of 2026-04-01',
        }),
      });
      expect(registered.status).toBe(201);
      const refused = await fetch(`${server.url}/v1/partners`, { headers: { Authorization: 'Bearer nope' } });
      expect(refused.status).toBe(401);
    } finally {
      await server.stop();
    }
  });

  it('loads the 17 Annex II Partners once; a second run appends nothing', () => {
    const first = runCli(['partners', 'load-annex-ii', '--as', 'sec-1'], env);
    expect(first.status).toBe(0);
    expect(lastLine(first.stdout)).toBe('partners load-annex-ii: 17 imported, 0 already on the register, 0 refused');
    const second = runCli(['partners', 'load-annex-ii', '--as', 'sec-1'], env);
    expect(second.status).toBe(0);
    expect(lastLine(second.stdout)).toBe('partners load-annex-ii: 0 imported, 17 already on the register, 0 refused');
    const list = runCli(['partners', 'list'], env);
    expect(list.status).toBe(0);
    expect(list.stdout.trim().split('\n')).toHaveLength(18);
    const fixture = JSON.parse(readFileSync('fixtures/annex-ii-partners.json', 'utf8')) as { partners: { partnerId: string }[] };
    for (const { partnerId } of fixture.partners) expect(list.stdout).toMatch(new RegExp(`^${partnerId}\\s`, 'm'));
  });

  it('verifies an untouched log', () => {
    const result = runCli(['verify'], env);
    expect(result.status).toBe(0);
    // 18 registrations and the signing key's publication at first start.
    expect(result.stdout).toMatch(/verify: OK: 19 events in 19 streams; head position \d+, hash [0-9a-f]{64}/);
  });

  it('rebuilds the read models from position 0 to the same register, and drops the snapshots', () => {
    const before = runCli(['partners', 'list', '--json'], env).stdout;
    const db = new Database(env.U4SSC_SQLITE_FILE);
    db.prepare("INSERT INTO snapshots (stream, machine_id, machine_version, format, revision, hash, state) VALUES ('partner-FAO', 'partner', 1, 1, 0, 'h', '{}')").run();
    db.close();
    const rebuilt = runCli(['rebuild'], env);
    expect(rebuilt.status).toBe(0);
    expect(rebuilt.stdout).toMatch(/rebuild: partners at position \d+/);
    expect(rebuilt.stdout).toMatch(/rebuild: 1 snapshot dropped/);
    const after = new Database(env.U4SSC_SQLITE_FILE, { readonly: true });
    expect(after.prepare('SELECT count(*) AS n FROM snapshots').get()).toEqual({ n: 0 });
    after.close();
    expect(runCli(['partners', 'list', '--json'], env).stdout).toBe(before);
  });

  it('refuses a direct UPDATE, and names the event whose bytes were changed behind the triggers', () => {
    const db = new Database(env.U4SSC_SQLITE_FILE);
    try {
      expect(() => db.prepare("UPDATE events SET data = '{}' WHERE stream = 'partner-FAO'").run()).toThrow(/immutable/);
      const target = db.prepare("SELECT id FROM events WHERE stream = 'partner-FAO'").get() as { id: string };
      const triggers = db.prepare("SELECT name FROM sqlite_master WHERE type = 'trigger' AND tbl_name = 'events'").all() as { name: string }[];
      for (const { name } of triggers) db.exec(`DROP TRIGGER "${name}"`);
      db.prepare("UPDATE events SET data = replace(data, 'Food', 'Feed') WHERE id = ?").run(target.id);
      db.close();

      const result = runCli(['verify'], env);
      expect(result.status).toBe(1);
      expect(result.stdout).toContain(`event ${target.id}`);
      expect(result.stdout).toMatch(/FAULT \(hash\).*stream partner-FAO, revision 0/);
    } finally {
      if (db.open) db.close();
    }
  });

  it('answers usage errors with exit code 2 and a message', () => {
    const result = runCli(['token', '--role', 'secretariat'], env);
    expect(result.status).toBe(2);
    expect(result.stderr).toMatch(/--sub ID is required/);
    expect(runCli(['frobnicate'], env).status).toBe(2);
    const badStore = runCli(['verify'], { ...env, U4SSC_STORE: 'oracle' });
    expect(badStore.status).toBe(2);
    expect(badStore.stderr).toMatch(/U4SSC_STORE/);
  });
});
