import { STORE_KINDS, type AppConfig, type StoreKind } from './app-config.js';
import { ConfigError, type ConfigProblem } from './config-error.js';

export const DEFAULT_SQLITE_FILE = './data/u4ssc.sqlite';
export const DEFAULT_PORT = 3000;
export const MIN_TOKEN_SECRET_LENGTH = 32;

type Env = Readonly<Record<string, string | undefined>>;

/**
 * Reads the engine's configuration from the environment (DESIGN.md §4) and checks all of it, throwing one
 * ConfigError that lists every problem. An empty variable counts as unset, as `FOO=` lines in env files mean.
 */
export function loadConfig(env: Env = process.env): AppConfig {
  const problems: ConfigProblem[] = [];
  const read = (name: string): string | undefined => (env[name] === '' ? undefined : env[name]);
  const problem = (variable: string, message: string) => problems.push({ variable, message });

  const storeValue = read('U4SSC_STORE') ?? 'sqlite';
  const store = (STORE_KINDS as readonly string[]).includes(storeValue) ? (storeValue as StoreKind) : undefined;
  if (!store) {
    problem('U4SSC_STORE', `U4SSC_STORE=${show(storeValue)} is not a store; use one of ${STORE_KINDS.join(', ')}`);
  }

  const databaseUrl = read('U4SSC_DATABASE_URL');
  if (store === 'postgres' && !databaseUrl) {
    problem(
      'U4SSC_DATABASE_URL',
      'U4SSC_DATABASE_URL is not set, but U4SSC_STORE=postgres needs it: give a PostgreSQL connection string (postgres://user:password@host:5432/db)',
    );
  }

  const databaseSchema = read('U4SSC_DATABASE_SCHEMA');
  if (databaseSchema !== undefined && !/^[a-z_][a-z0-9_]{0,62}$/.test(databaseSchema)) {
    problem(
      'U4SSC_DATABASE_SCHEMA',
      `U4SSC_DATABASE_SCHEMA=${show(databaseSchema)} is not a plain PostgreSQL schema name; use lower-case letters, digits and underscores (e.g. u4ssc)`,
    );
  }

  const eventStoreUrl = read('EVENTSTORE_URL');
  if (store === 'eventstoredb' && !eventStoreUrl) {
    problem(
      'EVENTSTORE_URL',
      'EVENTSTORE_URL is not set, but U4SSC_STORE=eventstoredb needs it: give an EventStoreDB/KurrentDB connection string (esdb://host:2113?tls=false)',
    );
  }

  const portValue = read('PORT');
  let port = DEFAULT_PORT;
  if (portValue !== undefined) {
    // Digits only: Number() would take "0x50", "1e3" or " 80 " and surprise whoever wrote them.
    const parsed = /^\d{1,5}$/.test(portValue) ? Number(portValue) : NaN;
    if (Number.isInteger(parsed) && parsed <= 65535) port = parsed;
    else problem('PORT', `PORT=${show(portValue)} is not a port; use an integer from 0 to 65535`);
  }

  const tokenSecret = read('U4SSC_TOKEN_SECRET');
  if (tokenSecret !== undefined && tokenSecret.length < MIN_TOKEN_SECRET_LENGTH) {
    // The value itself stays out of the message: error messages end up in logs, and even a weak secret is one.
    problem(
      'U4SSC_TOKEN_SECRET',
      `U4SSC_TOKEN_SECRET is ${tokenSecret.length} characters long (value not shown); use at least ${MIN_TOKEN_SECRET_LENGTH} characters, or unset it to have one generated`,
    );
  }

  const jwksUrl = read('U4SSC_JWKS_URL');
  if (jwksUrl !== undefined && !isHttpUrl(jwksUrl)) {
    problem('U4SSC_JWKS_URL', `U4SSC_JWKS_URL=${show(jwksUrl)} is not an http(s) URL; give the identity provider's JWKS address (https://idp.example/.well-known/jwks.json)`);
  }

  const jwtIssuer = read('U4SSC_JWT_ISSUER');
  const jwtAudience = read('U4SSC_JWT_AUDIENCE');
  // Issuer and audience only apply to external tokens; set alone they would look like a check that never runs.
  for (const [name, value] of [['U4SSC_JWT_ISSUER', jwtIssuer], ['U4SSC_JWT_AUDIENCE', jwtAudience]] as const) {
    if (value !== undefined && jwksUrl === undefined) {
      problem(name, `${name}=${show(value)} is set but U4SSC_JWKS_URL is not; it only applies to an external identity provider: set U4SSC_JWKS_URL too, or unset ${name}`);
    }
  }

  const devSignInValue = read('U4SSC_DEV_SIGN_IN');
  let devSignIn = false;
  if (devSignInValue !== undefined) {
    if (devSignInValue === 'on' || devSignInValue === 'off') devSignIn = devSignInValue === 'on';
    else problem('U4SSC_DEV_SIGN_IN', `U4SSC_DEV_SIGN_IN=${show(devSignInValue)} is neither "on" nor "off"`);
  }
  // Development sign-in issues local tokens; with an external provider local tokens are refused, so it could not work.
  if (devSignIn && jwksUrl !== undefined) {
    problem('U4SSC_DEV_SIGN_IN', 'U4SSC_DEV_SIGN_IN=on issues local tokens, but U4SSC_JWKS_URL turns local tokens off; unset one of them');
  }

  if (problems.length > 0) throw new ConfigError(problems);
  return {
    store: store!,
    sqliteFile: read('U4SSC_SQLITE_FILE') ?? DEFAULT_SQLITE_FILE,
    ...(databaseUrl !== undefined && { databaseUrl }),
    ...(databaseSchema !== undefined && { databaseSchema }),
    ...(eventStoreUrl !== undefined && { eventStoreUrl }),
    port,
    ...(tokenSecret !== undefined && { tokenSecret }),
    ...(jwksUrl !== undefined && { jwksUrl }),
    ...(jwtIssuer !== undefined && { jwtIssuer }),
    ...(jwtAudience !== undefined && { jwtAudience }),
    ...(devSignIn && { devSignIn }),
  };
}

function isHttpUrl(value: string): boolean {
  try {
    const url = new URL(value);
    return (url.protocol === 'http:' || url.protocol === 'https:') && url.hostname !== '';
  } catch {
    return false;
  }
}

/** Quoted, so stray spaces and empty strings are visible in the message. */
function show(value: string): string {
  return JSON.stringify(value);
}
