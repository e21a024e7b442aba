import { loadConfig } from '../../../libs/config/index.js';
import { prepareEngineSchema, ServingRoleError } from '../../../libs/engine/postgres-schema.js';
import { parse } from '../parse.js';
import { UsageError } from '../usage-error.js';

/**
 * Creates or upgrades the engine's tables, functions and triggers in U4SSC_DATABASE_SCHEMA, run as the schema's
 * owner; `--grant ROLE` then gives the role `serve` runs as exactly what serving needs (docs/integrity.md). Not
 * `migrate`, which copies a log between stores.
 */
export async function schemaCommand(args: string[]): Promise<number> {
  const { values } = parse(args, { grant: { type: 'string' }, json: { type: 'boolean', default: false } });
  // Creating tables signs nothing: the owner running it need not hold the signing key.
  const config = loadConfig(process.env, { readOnly: true });
  if (config.store !== 'postgres' || !config.databaseUrl) {
    throw new UsageError('schema prepares a PostgreSQL schema: set U4SSC_STORE=postgres and U4SSC_DATABASE_URL (the owner\'s connection)');
  }
  if (values.grant === '') throw new UsageError('--grant needs a role name');
  const schema = config.databaseSchema ?? 'public';
  let prepared;
  try {
    prepared = await prepareEngineSchema(config.databaseUrl, schema, { grant: values.grant });
  } catch (error) {
    if (error instanceof ServingRoleError) throw new UsageError(error.message);
    throw error;
  }
  if (values.json) {
    console.log(JSON.stringify(prepared, null, 2));
    return 0;
  }
  for (const part of prepared.parts) {
    console.log(`schema: ${part.name} current in "${schema}" (${part.tables.join(', ')}; fingerprint ${part.fingerprint})`);
  }
  if (values.grant !== undefined) {
    console.log(`schema: role "${values.grant}" may now serve: usage on "${schema}", ${prepared.granted.join('; ')}; nothing else (it owns nothing)`);
  } else {
    console.log('schema: no serving role given; run again with --grant ROLE for the role `u4ssc serve` connects as');
  }
  return 0;
}
