import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { spawnSync } from 'node:child_process';
import { mkdirSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import pg from 'pg';
import { createSchema, describePostgres, dropSchema, postgresTestUrl, randomSchemaName } from '../libs/event-store/postgres/test-database.js';
import { assertBuilt, runCli } from './support/cli.js';
import { tempDir } from './support/temp-dir.js';

/** Commands that only read the log: none may create a store (README, "Which commands may create a store"). */
const READERS = (out: string): [string, string[]][] => ([
  ['verify'],
  ['anchor'],
  ['export', '--out', out],
  ['replay', 'partner-ITU'],
  ['partners', 'list'],
  ['ballots', 'list'],
  ['offices', 'list'],
  ['workplans', 'list'],
  ['rebuild'],
  ['rebuild', '--check'],
  ['keys', 'list'],
] as string[][]).map((args) => [args.join(' '), args]);

/** Every file and folder under `path`, relative to it. */
const tree = (path: string): string[] => readdirSync(path, { recursive: true }).map(String).sort();

describe('commands that read the log, pointed at a SQLite store that does not exist', () => {
  const dir = tempDir();
  const cases = [
    ['a path that does not exist', () => join(dir.path, 'nowhere', 'data', 'u4ssc.sqlite'), /there is no SQLite store at \S+nowhere\/data\/u4ssc\.sqlite: point U4SSC_SQLITE_FILE at the store's file/],
    ['an empty folder', () => join(dir.path, 'empty', 'u4ssc.sqlite'), /there is no SQLite store at \S+empty\/u4ssc\.sqlite: point U4SSC_SQLITE_FILE/],
    ['the empty folder itself', () => join(dir.path, 'empty'), /empty is a folder, not a SQLite store: point U4SSC_SQLITE_FILE/],
  ] as const;

  beforeAll(() => {
    assertBuilt();
    mkdirSync(join(dir.path, 'empty'));
  });
  afterAll(() => dir.remove());

  for (const [where, file, message] of cases) {
    it.each(READERS('bundle.jsonl'))(`refuses ${where} with status 2 and creates nothing: %s`, (_, args) => {
      const before = tree(dir.path);
      const result = runCli(
        args.map((arg) => (arg === 'bundle.jsonl' ? join(dir.path, 'bundle.jsonl') : arg)),
        { U4SSC_STORE: 'sqlite', U4SSC_SQLITE_FILE: file() },
      );
      expect(result.status).toBe(2);
      expect(result.stderr).toMatch(message);
      expect(result.stderr).toMatch(/nothing was created/);
      expect(result.stdout).not.toMatch(/OK/);
      expect(tree(dir.path)).toEqual(before);
    });
  }

  it('run from another folder with no store configured, verify creates no ./data/u4ssc.sqlite there', () => {
    const elsewhere = join(dir.path, 'elsewhere');
    mkdirSync(elsewhere);
    const env: NodeJS.ProcessEnv = { ...process.env, U4SSC_STORE: 'sqlite', U4SSC_LOG: 'silent' };
    delete env.U4SSC_SQLITE_FILE;
    const result = spawnSync(process.execPath, [join(process.cwd(), 'bin', 'u4ssc.js'), 'verify'], { cwd: elsewhere, env, encoding: 'utf8' });
    expect(result.status).toBe(2);
    expect(result.stderr).toContain(`there is no SQLite store at ${join(elsewhere, 'data', 'u4ssc.sqlite')}`);
    expect(tree(elsewhere)).toEqual([]);
  });
});

describePostgres('commands that read the log, pointed at a PostgreSQL schema without the engine\'s tables', () => {
  const schema = randomSchemaName('missing_store');
  const missingSchema = randomSchemaName('no_such_schema');
  const dir = tempDir();
  const keys = tempDir();
  // The commands that open the engine want the key the instances share; having one changes nothing here.
  const keyFile = join(keys.path, 'signing-key.pem');
  const env = (name: string) => ({ U4SSC_STORE: 'postgres', U4SSC_DATABASE_URL: postgresTestUrl(), U4SSC_DATABASE_SCHEMA: name, U4SSC_SIGNING_KEY_FILE: keyFile });

  beforeAll(async () => {
    assertBuilt();
    await createSchema(schema);
    expect(runCli(['keys', 'generate', '--out', keyFile], {}).status).toBe(0);
  });
  afterAll(async () => {
    await dropSchema(schema);
    await dropSchema(missingSchema);
    dir.remove();
    keys.remove();
  });

  const tables = async (name: string): Promise<string[]> => {
    const client = new pg.Client({ connectionString: postgresTestUrl() });
    await client.connect();
    try {
      const { rows } = await client.query<{ table_name: string }>('SELECT table_name FROM information_schema.tables WHERE table_schema = $1', [name]);
      const exists = await client.query('SELECT 1 FROM pg_namespace WHERE nspname = $1', [name]);
      return exists.rowCount ? rows.map((row) => row.table_name) : ['(no schema)'];
    } finally {
      await client.end();
    }
  };

  // Connected as the owner, whose open would otherwise create the tables.
  it.each(READERS(join(dir.path, 'bundle.jsonl')))('refuses an empty schema and one that does not exist, and creates no table: %s', async (_, args) => {
    for (const name of [schema, missingSchema]) {
      const before = await tables(name);
      const result = runCli(args, env(name));
      expect(result.status).toBe(2);
      expect(result.stderr).toMatch(new RegExp(`there is no event log in PostgreSQL schema "${name}" of postgres://\\S+ \\(no ${name}\\.events table\\): point U4SSC_DATABASE_URL and U4SSC_DATABASE_SCHEMA at the store`));
      expect(await tables(name)).toEqual(before);
    }
    expect(tree(dir.path)).toEqual([]);
  });
});
