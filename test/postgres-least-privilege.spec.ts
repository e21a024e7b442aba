import { afterAll, beforeAll, expect, it } from '@jest/globals';
import pg from 'pg';
import request from 'supertest';
import {
  createSchema,
  describePostgres,
  dropSchema,
  ensureServingRole,
  postgresTestUrl,
  randomSchemaName,
  SERVING_ROLE,
} from '../libs/event-store/postgres/test-database.js';
import { assertBuilt, runCli } from './support/cli.js';
import { startApi, TEST_SECRET, type ApiHarness } from './support/api-harness.js';

const fao = {
  partnerId: 'FAO',
  name: 'Food and Agriculture Organization of the United Nations',
  entityType: 'specialized-agency',
  intentReference: 'Letter to the Secretariat, 2026-03-02',
  intentExpressedOn: '2026-03-02',
};

describePostgres('the engine serves as a role that owns nothing (u4ssc schema --grant)', () => {
  const schema = randomSchemaName('least');
  const ownerUrl = postgresTestUrl();
  let servingUrl: string;
  let api: ApiHarness;
  let serving: pg.Client;
  const env = (url: string) => ({ U4SSC_STORE: 'postgres', U4SSC_DATABASE_URL: url, U4SSC_DATABASE_SCHEMA: schema, U4SSC_TOKEN_SECRET: TEST_SECRET });
  const events = `${pg.escapeIdentifier(schema)}.events`;

  beforeAll(async () => {
    assertBuilt();
    await createSchema(schema, ownerUrl);
    servingUrl = await ensureServingRole(ownerUrl);
    serving = new pg.Client({ connectionString: servingUrl });
    await serving.connect();
  });
  afterAll(async () => {
    await api?.close();
    await serving?.end();
    await dropSchema(schema, ownerUrl);
  });

  it('refuses to start on a schema nobody prepared, saying to run u4ssc schema as the owner', () => {
    const result = runCli(['verify'], env(servingUrl));
    expect(result.status).toBe(1);
    expect(result.stderr).toMatch(new RegExp(`role "${SERVING_ROLE}" cannot open the PostgreSQL schema "${schema}"`));
    expect(result.stderr).toMatch(new RegExp(`run \`u4ssc schema --grant ${SERVING_ROLE}\` once as the schema's owner`, 'i'));
  });

  it('refuses to grant the owner itself, and a role that does not exist', () => {
    const self = runCli(['schema', '--grant', 'postgres'], env(ownerUrl));
    expect(self.status).toBe(2);
    expect(self.stderr).toMatch(/is the role running this command/);
    const missing = runCli(['schema', '--grant', 'u4ssc_no_such_role'], env(ownerUrl));
    expect(missing.status).toBe(2);
    expect(missing.stderr).toMatch(/role "u4ssc_no_such_role" does not exist/);
  });

  it('as the owner, creates every table and grants the serving role exactly what serving needs', async () => {
    const result = runCli(['schema', '--grant', SERVING_ROLE], env(ownerUrl));
    expect(result.stderr).toBe('');
    expect(result.status).toBe(0);
    expect(result.stdout).toMatch(/events current in/);
    const { rows } = await serving.query<{ table_name: string; privileges: string }>(
      `SELECT table_name, string_agg(privilege_type, ',' ORDER BY privilege_type) AS privileges
       FROM information_schema.role_table_grants WHERE grantee = $1 AND table_schema = $2 GROUP BY table_name ORDER BY table_name`,
      [SERVING_ROLE, schema],
    );
    expect(rows).toEqual([
      { table_name: 'engine_schema', privileges: 'SELECT' },
      { table_name: 'events', privileges: 'INSERT,SELECT' },
      { table_name: 'idempotency_records', privileges: 'DELETE,INSERT,SELECT,UPDATE' },
      { table_name: 'projection_checkpoints', privileges: 'DELETE,INSERT,SELECT,UPDATE' },
      { table_name: 'read_model_docs', privileges: 'DELETE,INSERT,SELECT,UPDATE' },
      { table_name: 'snapshots', privileges: 'DELETE,INSERT,SELECT,UPDATE' },
    ]);
    const owned = await serving.query(`SELECT 1 FROM pg_tables WHERE schemaname = $1 AND tableowner = $2`, [schema, SERVING_ROLE]);
    expect(owned.rowCount).toBe(0);
    // Run again (an upgrade, a second grant): the same answer.
    expect(runCli(['schema', '--grant', SERVING_ROLE], env(ownerUrl)).status).toBe(0);
  });

  it('starts the API as the serving role, takes a command and verifies', async () => {
    api = await startApi({ store: 'postgres', databaseSchema: schema });
    const who = await (api.stores.events as unknown as { pool: pg.Pool }).pool.query<{ me: string }>('SELECT current_user AS me');
    expect(who.rows[0]!.me).toBe(SERVING_ROLE);
    const secretariat = `Bearer ${await api.token('sec-1', ['secretariat'])}`;
    await request(api.server).post('/v1/partners').set('Authorization', secretariat).send(fao).expect(201);
    const auditor = `Bearer ${await api.token('aud-1', ['auditor'])}`;
    const verified = await request(api.server).get('/v1/audit/verify').set('Authorization', auditor).expect(200);
    // The engine's key publication, then the registration.
    expect(verified.body).toMatchObject({ ok: true, events: 2, census: { rows: 2, unreachable: 0, heldBack: 0 } });
    const cli = runCli(['verify'], env(servingUrl));
    expect(cli.status).toBe(0);
    expect(cli.stdout).toMatch(/OK: 2 events in 2 streams/);
  });

  it.each([
    ['disable a trigger', 'ALTER TABLE %s DISABLE TRIGGER events_immutable', /must be owner of table events/],
    ['disable every trigger', 'ALTER TABLE %s DISABLE TRIGGER ALL', /must be owner of table events/],
    ['drop a trigger', 'DROP TRIGGER events_position_issued ON %s', /must be owner of (table|relation) events/],
    ['update an event', "UPDATE %s SET type = 'Forged'", /permission denied for table events/],
    ['delete an event', 'DELETE FROM %s', /permission denied for table events/],
    ['truncate the log', 'TRUNCATE %s', /permission denied for table events/],
    ['drop the table', 'DROP TABLE %s', /must be owner of table events/],
  ])('the serving role cannot %s', async (_what, sql, refusal) => {
    await expect(serving.query(sql.replace('%s', events))).rejects.toThrow(refusal);
    const { rows } = await serving.query<{ n: string }>(`SELECT count(*)::text AS n FROM ${events}`);
    expect(rows[0]!.n).toBe('2');
  });
});
