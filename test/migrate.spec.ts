import { afterAll, beforeAll, expect, it } from '@jest/globals';
import Database from 'better-sqlite3';
import { join } from 'node:path';
import { describePostgres, freshSchema, type FreshSchema } from '../libs/event-store/postgres/test-database.js';
import { assertBuilt, runCli } from './support/cli.js';
import { tempDir } from './support/temp-dir.js';

describePostgres('u4ssc migrate: from the embedded SQLite file to PostgreSQL', () => {
  const dir = tempDir();
  const file = join(dir.path, 'u4ssc.sqlite');
  const sqliteEnv = { U4SSC_STORE: 'sqlite', U4SSC_SQLITE_FILE: file, U4SSC_TOKEN_SECRET: 'migrate-test-secret-of-32-characters!' };
  let schema: FreshSchema;
  let postgresEnv: Record<string, string>;

  beforeAll(async () => {
    assertBuilt();
    schema = await freshSchema('migrate');
    // The engine on PostgreSQL signs with the key the SQLite engine published (generated beside its file).
    postgresEnv = {
      ...sqliteEnv,
      U4SSC_STORE: 'postgres',
      U4SSC_DATABASE_URL: schema.url,
      U4SSC_DATABASE_SCHEMA: schema.schema,
      U4SSC_SIGNING_KEY_FILE: join(dir.path, 'u4ssc-signing-key.pem'),
    };
    expect(runCli(['partners', 'load-annex-ii', '--as', 'sec-1'], sqliteEnv).status).toBe(0);
  });
  afterAll(async () => {
    await schema?.drop();
    dir.remove();
  });

  const migrate = (to: FreshSchema) => runCli(['migrate', '--from', `sqlite:${file}`, '--to', to.url, '--to-schema', to.schema], sqliteEnv);

  it('copies the log, which verifies on the target and gives the same read models', () => {
    const result = migrate(schema);
    expect(result.stderr).toBe('');
    expect(result.status).toBe(0);
    // The 17 registrations and the signing key's publication at the SQLite engine's first start, signatures kept.
    expect(result.stdout).toMatch(/18 events copied, 0 already in the target/);
    expect(result.stdout).toMatch(/the target verifies: 18 events in 18 streams/);

    const verified = runCli(['verify'], postgresEnv);
    expect(verified.status).toBe(0);
    expect(verified.stdout).toMatch(/OK: 18 events in 18 streams/);
    expect(verified.stdout).toMatch(/signatures: 18 events signed/);
    expect(runCli(['rebuild'], postgresEnv).status).toBe(0);
    const onPostgres = runCli(['partners', 'list', '--json'], postgresEnv).stdout;
    expect(JSON.parse(onPostgres)).toHaveLength(17);
    const onSqlite = JSON.parse(runCli(['partners', 'list', '--json'], sqliteEnv).stdout) as { position: number }[];
    // Positions are each store's own; everything else is the same.
    const withoutPositions = (views: { position: number }[]) => views.map(({ position: _position, ...rest }) => rest);
    expect(withoutPositions(JSON.parse(onPostgres))).toEqual(withoutPositions(onSqlite));
  });

  it('run again, appends nothing', () => {
    const result = migrate(schema);
    expect(result.status).toBe(0);
    expect(result.stdout).toMatch(/0 events copied, 18 already in the target/);
  });

  it('refuses a source that does not verify, copying nothing', async () => {
    const db = new Database(file);
    for (const { name } of db.prepare("SELECT name FROM sqlite_master WHERE type = 'trigger'").all() as { name: string }[]) {
      db.exec(`DROP TRIGGER "${name}"`);
    }
    db.prepare("UPDATE events SET data = replace(data, 'Union', 'Onion') WHERE stream = 'partner-ITU'").run();
    db.close();
    const other = await freshSchema('migrate_bad');
    try {
      const result = migrate(other);
      expect(result.status).toBe(1);
      expect(result.stdout).toMatch(/the source does not verify.*nothing copied/);
      const verified = runCli(['verify'], { ...postgresEnv, U4SSC_DATABASE_SCHEMA: other.schema });
      expect(verified.stdout).toMatch(/the log is empty/);
    } finally {
      await other.drop();
    }
  });

  it('explains a store it cannot read', () => {
    const result = runCli(['migrate', '--from', 'oracle://x', '--to', 'sqlite:/tmp/x.sqlite'], sqliteEnv);
    expect(result.status).toBe(2);
    expect(result.stderr).toMatch(/is not a store; use sqlite:<file>/);
  });
});
