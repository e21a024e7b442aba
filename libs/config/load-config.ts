import { DEFAULT_DEADLINE_BOUNDS, deadlineBounds, STORE_KINDS, type AppConfig, type DeadlineBounds, type OidcSettings, type StoreKind } from './app-config.js';
import { ConfigError, type ConfigProblem } from './config-error.js';
import { createPrivateKey } from 'node:crypto';
import { isIP } from 'node:net';

export const DEFAULT_SQLITE_FILE = './data/u4ssc.sqlite';
export const DEFAULT_PORT = 3000;
/** Where `serve` listens unless U4SSC_HOST says otherwise: this machine only. */
export const DEFAULT_HOST = '127.0.0.1';
export const MIN_TOKEN_SECRET_LENGTH = 32;
export const DEFAULT_OIDC_SCOPE = 'openid profile';
/** Bounds of U4SSC_SQLITE_BUSY_TIMEOUT_MS: below, writers give up before a normal append commits; above, a caller
 * would wait a minute per attempt. */
export const SQLITE_BUSY_TIMEOUT_BOUNDS = { min: 10, max: 60_000 } as const;
/** What each deadline bound may be set to: down to a second for tests, up to ten years. */
const DEADLINE_VARIABLES = [
  { variable: 'U4SSC_BALLOT_MIN_LEAD_SECONDS', key: 'ballotMinLeadSeconds', unit: 'seconds', min: 1, max: 30 * 86_400 },
  { variable: 'U4SSC_BALLOT_MAX_LEAD_DAYS', key: 'ballotMaxLeadDays', unit: 'days', min: 1, max: 3650 },
  { variable: 'U4SSC_WORKPLAN_MAX_LEAD_DAYS', key: 'workplanMaxLeadDays', unit: 'days', min: 1, max: 3650 },
] as const;

type Env = Readonly<Record<string, string | undefined>>;

/**
 * Reads the engine's configuration from the environment (docs/architecture.md §4) and checks all of it, throwing one
 * ConfigError that lists every problem. An empty variable counts as unset, as `FOO=` lines in env files mean.
 * `readOnly`: for commands that only read the log (verify, anchor, export...), which an auditor runs without the
 * engine's private key, so the signing key is not required.
 */
export function loadConfig(env: Env = process.env, options: { readOnly?: boolean } = {}): AppConfig {
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

  const signingKeyFile = read('U4SSC_SIGNING_KEY_FILE');
  const signingKey = read('U4SSC_SIGNING_KEY');
  if (signingKeyFile !== undefined && signingKey !== undefined) {
    problem('U4SSC_SIGNING_KEY', 'U4SSC_SIGNING_KEY and U4SSC_SIGNING_KEY_FILE are both set; give the signing key one way only');
  } else if (signingKey !== undefined) {
    const why = notAnEd25519Key(signingKey);
    // The value stays out of the message: it is a private key.
    if (why) problem('U4SSC_SIGNING_KEY', `U4SSC_SIGNING_KEY (value not shown) is not a PKCS#8 PEM Ed25519 private key: ${why}`);
  } else if (signingKeyFile === undefined && !options.readOnly && (store === 'postgres' || store === 'eventstoredb')) {
    // Several instances share the log: each must sign with a key the log has published, so none may make one up.
    problem(
      'U4SSC_SIGNING_KEY_FILE',
      `U4SSC_SIGNING_KEY_FILE is not set, but U4SSC_STORE=${store} needs a signing key: give the path of a PKCS#8 PEM Ed25519 private key (\`u4ssc keys generate --out F\` writes one), or the PEM itself in U4SSC_SIGNING_KEY`,
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

  const host = read('U4SSC_HOST');
  if (host !== undefined && isIP(host) === 0 && !/^(?=.{1,253}$)[A-Za-z0-9]([A-Za-z0-9-]*[A-Za-z0-9])?(\.[A-Za-z0-9]([A-Za-z0-9-]*[A-Za-z0-9])?)*$/.test(host)) {
    problem('U4SSC_HOST', `U4SSC_HOST=${show(host)} is not an address to listen on: give an IP address (0.0.0.0 for every interface, :: for IPv6 too) or a host name`);
  }

  const snapshotEveryValue = read('U4SSC_SNAPSHOT_EVERY');
  let snapshotEvery: number | undefined;
  if (snapshotEveryValue !== undefined) {
    if (/^\d{1,9}$/.test(snapshotEveryValue)) snapshotEvery = Number(snapshotEveryValue);
    else {
      problem(
        'U4SSC_SNAPSHOT_EVERY',
        `U4SSC_SNAPSHOT_EVERY=${show(snapshotEveryValue)} is not a number of events; use a whole number (e.g. 100), or 0 to write no snapshots`,
      );
    }
  }

  const fullVerifyValue = read('U4SSC_FULL_VERIFY_EVERY');
  let fullVerifyEveryMs: number | undefined;
  if (fullVerifyValue !== undefined) {
    fullVerifyEveryMs = durationMs(fullVerifyValue);
    if (fullVerifyEveryMs === undefined) {
      problem(
        'U4SSC_FULL_VERIFY_EVERY',
        `U4SSC_FULL_VERIFY_EVERY=${show(fullVerifyValue)} is not a duration; use a whole number with a unit (e.g. 24h, 90m, 7d), or 0 for no scheduled full verification`,
      );
    }
  }

  const busyValue = read('U4SSC_SQLITE_BUSY_TIMEOUT_MS');
  let sqliteBusyTimeoutMs: number | undefined;
  if (busyValue !== undefined) {
    const { min, max } = SQLITE_BUSY_TIMEOUT_BOUNDS;
    const parsed = /^\d{1,6}$/.test(busyValue) ? Number(busyValue) : NaN;
    if (parsed >= min && parsed <= max) sqliteBusyTimeoutMs = parsed;
    else {
      problem(
        'U4SSC_SQLITE_BUSY_TIMEOUT_MS',
        `U4SSC_SQLITE_BUSY_TIMEOUT_MS=${show(busyValue)} is not a wait in milliseconds; use a whole number from ${min} to ${max} (default 5000)`,
      );
    }
  }

  const deadlines: Partial<DeadlineBounds> = {};
  for (const { variable, key, unit, min, max } of DEADLINE_VARIABLES) {
    const value = read(variable);
    if (value === undefined) continue;
    const parsed = /^\d{1,9}$/.test(value) ? Number(value) : NaN;
    if (parsed >= min && parsed <= max) deadlines[key] = parsed;
    else problem(variable, `${variable}=${show(value)} is not a number of ${unit}; use a whole number from ${min} to ${max} (default ${DEFAULT_DEADLINE_BOUNDS[key]})`);
  }
  const bounds = deadlineBounds({ deadlines });
  if (bounds.ballotMinLeadSeconds >= bounds.ballotMaxLeadDays * 86_400) {
    problem('U4SSC_BALLOT_MIN_LEAD_SECONDS', `U4SSC_BALLOT_MIN_LEAD_SECONDS (${bounds.ballotMinLeadSeconds}) is not less than U4SSC_BALLOT_MAX_LEAD_DAYS (${bounds.ballotMaxLeadDays} days): no deadline could be set`);
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
  // Anyone who reaches a server with the development sign-in on can act as anyone: only this machine may reach it.
  if (devSignIn && host !== undefined && !isLoopback(host)) {
    problem(
      'U4SSC_DEV_SIGN_IN',
      `U4SSC_DEV_SIGN_IN=on lets anyone who reaches the server sign in as anyone, so the server must listen on this machine only, but U4SSC_HOST=${show(host)}: ` +
        'unset U4SSC_HOST (or give 127.0.0.1), or turn the development sign-in off',
    );
  }
  // Development sign-in issues local tokens; with an external provider local tokens are refused, so it could not work.
  if (devSignIn && jwksUrl !== undefined) {
    problem('U4SSC_DEV_SIGN_IN', 'U4SSC_DEV_SIGN_IN=on issues local tokens, but U4SSC_JWKS_URL turns local tokens off; unset one of them');
  }

  const oidc = readOidc(read, problems, jwksUrl);

  if (problems.length > 0) throw new ConfigError(problems);
  return {
    store: store!,
    sqliteFile: read('U4SSC_SQLITE_FILE') ?? DEFAULT_SQLITE_FILE,
    ...(databaseUrl !== undefined && { databaseUrl }),
    ...(databaseSchema !== undefined && { databaseSchema }),
    ...(eventStoreUrl !== undefined && { eventStoreUrl }),
    port,
    ...(host !== undefined && { host }),
    ...(signingKeyFile !== undefined && { signingKeyFile }),
    ...(signingKey !== undefined && { signingKey }),
    ...(snapshotEvery !== undefined && { snapshotEvery }),
    ...(sqliteBusyTimeoutMs !== undefined && { sqliteBusyTimeoutMs }),
    ...(fullVerifyEveryMs !== undefined && { fullVerifyEveryMs }),
    ...(tokenSecret !== undefined && { tokenSecret }),
    ...(jwksUrl !== undefined && { jwksUrl }),
    // With a provider, its tokens are checked for its issuer and for the API's audience unless told otherwise.
    ...((jwtIssuer ?? oidc?.issuer) !== undefined && { jwtIssuer: jwtIssuer ?? oidc?.issuer }),
    ...((jwtAudience ?? oidc?.resource) !== undefined && { jwtAudience: jwtAudience ?? oidc?.resource }),
    ...(devSignIn && { devSignIn }),
    ...(oidc !== undefined && { oidc }),
    ...(Object.keys(deadlines).length > 0 && { deadlines }),
  };
}

const OIDC_VARIABLES = ['U4SSC_OIDC_CLIENT_ID', 'U4SSC_OIDC_CLIENT_SECRET', 'U4SSC_OIDC_NAME', 'U4SSC_OIDC_SCOPE', 'U4SSC_OIDC_RESOURCE', 'U4SSC_OIDC_REDIRECT_URI'] as const;

/**
 * The web's OpenID Connect sign-in (U4SSC_OIDC_*). The API keeps verifying bearer tokens with U4SSC_JWKS_URL,
 * which must then be set (to the provider's `jwks_uri`): the verifier and the CLI read their settings without
 * asking the network, and local tokens are off, so the development sign-in is refused as well. The provider's
 * access tokens must be JWTs for this API: an audience is required (U4SSC_JWT_AUDIENCE, or U4SSC_OIDC_RESOURCE,
 * the RFC 8707 resource indicator asked for at sign-in, which the audience then defaults to), else any token the
 * provider issued to any other application would open this one.
 */
function readOidc(read: (name: string) => string | undefined, problems: ConfigProblem[], jwksUrl: string | undefined): OidcSettings | undefined {
  const problem = (variable: string, message: string) => problems.push({ variable, message });
  const issuer = read('U4SSC_OIDC_ISSUER');
  if (issuer === undefined) {
    for (const name of OIDC_VARIABLES) {
      if (read(name) !== undefined) problem(name, `${name} is set but U4SSC_OIDC_ISSUER is not; it only applies to sign-in with an OpenID Connect provider: set U4SSC_OIDC_ISSUER too, or unset ${name}`);
    }
    return undefined;
  }
  const before = problems.length;
  if (!isSafeIssuerUrl(issuer)) {
    problem('U4SSC_OIDC_ISSUER', `U4SSC_OIDC_ISSUER=${show(issuer)} is not an https URL (plain http only for localhost); give the provider's issuer identifier (https://idp.example/realms/u4ssc), whose /.well-known/openid-configuration is read at sign-in`);
  }
  const clientId = read('U4SSC_OIDC_CLIENT_ID');
  if (clientId === undefined) {
    problem('U4SSC_OIDC_CLIENT_ID', 'U4SSC_OIDC_CLIENT_ID is not set, but U4SSC_OIDC_ISSUER needs it: give the client id this service is registered with at the provider');
  }
  if (jwksUrl === undefined) {
    problem('U4SSC_JWKS_URL', "U4SSC_JWKS_URL is not set, but U4SSC_OIDC_ISSUER needs it: the API checks the provider's access tokens against its key set; give the provider's jwks_uri (listed in its /.well-known/openid-configuration)");
  }
  const scope = read('U4SSC_OIDC_SCOPE');
  if (scope !== undefined && !scope.split(' ').includes('openid')) {
    problem('U4SSC_OIDC_SCOPE', `U4SSC_OIDC_SCOPE=${show(scope)} lacks "openid"; give space-separated scopes including openid (e.g. "openid profile")`);
  }
  const resource = read('U4SSC_OIDC_RESOURCE');
  if (resource !== undefined && !isAbsoluteUri(resource)) {
    problem('U4SSC_OIDC_RESOURCE', `U4SSC_OIDC_RESOURCE=${show(resource)} is not an absolute URI without a fragment; give the resource indicator the provider knows this API by (https://u4ssc.example/api)`);
  }
  if (resource === undefined && read('U4SSC_JWT_AUDIENCE') === undefined) {
    problem('U4SSC_JWT_AUDIENCE', "U4SSC_JWT_AUDIENCE is not set, but U4SSC_OIDC_ISSUER needs an audience: the provider's access tokens for this API must name it, or tokens it issued to other applications would be accepted; set U4SSC_JWT_AUDIENCE, or U4SSC_OIDC_RESOURCE (the resource indicator, then also the audience)");
  }
  const redirectUri = read('U4SSC_OIDC_REDIRECT_URI');
  if (redirectUri !== undefined && !(isSafeIssuerUrl(redirectUri) && new URL(redirectUri).pathname.endsWith('/sign-in/callback'))) {
    problem('U4SSC_OIDC_REDIRECT_URI', `U4SSC_OIDC_REDIRECT_URI=${show(redirectUri)} is not this service's https address ending in /sign-in/callback (plain http only for localhost)`);
  }
  if (problems.length > before) return undefined;
  const clientSecret = read('U4SSC_OIDC_CLIENT_SECRET');
  const name = read('U4SSC_OIDC_NAME');
  return {
    issuer,
    clientId: clientId!,
    ...(clientSecret !== undefined && { clientSecret }),
    ...(name !== undefined && { name }),
    scope: scope ?? DEFAULT_OIDC_SCOPE,
    ...(resource !== undefined && { resource }),
    ...(redirectUri !== undefined && { redirectUri }),
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

/** https, or plain http to this machine only (a provider on the same host, or a test's). */
function isSafeIssuerUrl(value: string): boolean {
  if (!isHttpUrl(value)) return false;
  const url = new URL(value);
  return url.protocol === 'https:' || ['localhost', '127.0.0.1', '[::1]'].includes(url.hostname);
}

/** RFC 8707: an absolute URI, no fragment. */
function isAbsoluteUri(value: string): boolean {
  try {
    const url = new URL(value);
    return url.hash === '' && !value.includes('#') && /^[a-z][a-z0-9+.-]*:/i.test(value);
  } catch {
    return false;
  }
}

/** Why the PEM is not an Ed25519 private key, or null (libs/signing reads it; only node:crypto here, to stay small). */
function notAnEd25519Key(pem: string): string | null {
  try {
    const type = createPrivateKey(pem).asymmetricKeyType;
    return type === 'ed25519' ? null : `it is a ${type ?? 'unknown'} key`;
  } catch (error) {
    return (error as Error).message;
  }
}

/** Quoted, so stray spaces and empty strings are visible in the message. */
function show(value: string): string {
  return JSON.stringify(value);
}

const DURATION_UNITS: Record<string, number> = { s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 };

/** `24h`, `90m`, `30s`, `7d` in milliseconds, or `0`; undefined for anything else. */
function durationMs(text: string): number | undefined {
  if (text === '0') return 0;
  const match = /^(\d{1,6})([smhd])$/.exec(text);
  return match ? Number(match[1]) * DURATION_UNITS[match[2]!]! : undefined;
}

/** An address only this machine can reach. */
export function isLoopback(host: string): boolean {
  return host === 'localhost' || host === '::1' || /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(host);
}
