import { describe, expect, it } from '@jest/globals';
import { ConfigError } from './config-error.js';
import { DEFAULT_DEADLINE_BOUNDS, deadlineBounds } from './app-config.js';
import { loadConfig } from './load-config.js';
import { SigningKey } from '../signing/index.js';

function problemsOf(env: Record<string, string>): ConfigError {
  try {
    loadConfig(env);
  } catch (error) {
    if (error instanceof ConfigError) return error;
    throw error;
  }
  throw new Error('loadConfig accepted the environment');
}

describe('loadConfig', () => {
  it('refuses a PostgreSQL schema name that would need quoting', () => {
    expect(problemsOf({ U4SSC_DATABASE_SCHEMA: 'public; drop table events' }).message).toMatch(/U4SSC_DATABASE_SCHEMA=.*not a plain PostgreSQL schema name/);
  });

  it('defaults to the embedded SQLite store on port 3000 with no secret and no JWKS', () => {
    expect(loadConfig({})).toEqual({ store: 'sqlite', sqliteFile: './data/u4ssc.sqlite', port: 3000 });
  });

  it('reads every variable', () => {
    const config = loadConfig({
      U4SSC_STORE: 'postgres',
      U4SSC_SQLITE_FILE: '/var/lib/u4ssc/db.sqlite',
      U4SSC_DATABASE_URL: 'postgres://u:p@db:5432/u4ssc',
      U4SSC_DATABASE_SCHEMA: 'u4ssc_prod',
      EVENTSTORE_URL: 'esdb://es:2113?tls=false',
      PORT: '8080',
      U4SSC_TOKEN_SECRET: 'x'.repeat(32),
      U4SSC_JWKS_URL: 'https://idp.example/.well-known/jwks.json',
      U4SSC_JWT_ISSUER: 'https://idp.example/',
      U4SSC_JWT_AUDIENCE: 'u4ssc',
      U4SSC_SIGNING_KEY_FILE: '/etc/u4ssc/signing-key.pem',
    });
    expect(config).toEqual({
      store: 'postgres',
      sqliteFile: '/var/lib/u4ssc/db.sqlite',
      databaseUrl: 'postgres://u:p@db:5432/u4ssc',
      databaseSchema: 'u4ssc_prod',
      eventStoreUrl: 'esdb://es:2113?tls=false',
      port: 8080,
      signingKeyFile: '/etc/u4ssc/signing-key.pem',
      tokenSecret: 'x'.repeat(32),
      jwksUrl: 'https://idp.example/.well-known/jwks.json',
      jwtIssuer: 'https://idp.example/',
      jwtAudience: 'u4ssc',
    });
  });

  it('treats empty variables as unset', () => {
    expect(loadConfig({ U4SSC_STORE: '', PORT: '', U4SSC_TOKEN_SECRET: '', U4SSC_JWKS_URL: '' })).toEqual({
      store: 'sqlite',
      sqliteFile: './data/u4ssc.sqlite',
      port: 3000,
    });
  });

  it.each(['sqlite', 'postgres', 'eventstoredb', 'memory'] as const)('accepts store %s with what it needs', (store) => {
    const config = loadConfig({ U4SSC_STORE: store, U4SSC_DATABASE_URL: 'postgres://db/x', EVENTSTORE_URL: 'esdb://es:2113', U4SSC_SIGNING_KEY_FILE: 'k.pem' });
    expect(config.store).toBe(store);
  });

  it('names the variable, the bad value and the allowed stores', () => {
    const error = problemsOf({ U4SSC_STORE: 'mysql' });
    expect(error.problems.map((p) => p.variable)).toEqual(['U4SSC_STORE']);
    expect(error.message).toContain('U4SSC_STORE="mysql"');
    expect(error.message).toContain('sqlite, postgres, eventstoredb, memory');
  });

  it('shows stray spaces in a bad value', () => {
    expect(problemsOf({ U4SSC_STORE: 'sqlite ' }).message).toContain('U4SSC_STORE="sqlite "');
  });

  it('requires a connection string for postgres and for eventstoredb', () => {
    expect(problemsOf({ U4SSC_STORE: 'postgres' }).message).toMatch(/U4SSC_DATABASE_URL is not set, but U4SSC_STORE=postgres needs it/);
    expect(problemsOf({ U4SSC_STORE: 'eventstoredb' }).message).toMatch(/EVENTSTORE_URL is not set, but U4SSC_STORE=eventstoredb needs it/);
  });

  describe('signing key', () => {
    it.each(['postgres', 'eventstoredb'] as const)('is required with %s, naming the variable', (store) => {
      const error = problemsOf({ U4SSC_STORE: store, U4SSC_DATABASE_URL: 'postgres://db/x', EVENTSTORE_URL: 'esdb://es:2113' });
      expect(error.problems.map((p) => p.variable)).toEqual(['U4SSC_SIGNING_KEY_FILE']);
      expect(error.message).toMatch(/U4SSC_SIGNING_KEY_FILE is not set, but U4SSC_STORE=\w+ needs a signing key.*U4SSC_SIGNING_KEY/);
    });

    it('is not required to read the log (auditors verify without the private key)', () => {
      expect(loadConfig({ U4SSC_STORE: 'postgres', U4SSC_DATABASE_URL: 'postgres://db/x' }, { readOnly: true }).store).toBe('postgres');
    });

    it('is optional with sqlite and memory (a generated one is used)', () => {
      expect(loadConfig({ U4SSC_STORE: 'sqlite' })).not.toHaveProperty('signingKeyFile');
      expect(loadConfig({ U4SSC_STORE: 'memory' }).store).toBe('memory');
    });

    it('takes the PEM itself, and refuses one that is no Ed25519 key without showing it', () => {
      const pem = SigningKey.generate().toPem();
      expect(loadConfig({ U4SSC_STORE: 'postgres', U4SSC_DATABASE_URL: 'postgres://db/x', U4SSC_SIGNING_KEY: pem }).signingKey).toBe(pem);
      const error = problemsOf({ U4SSC_SIGNING_KEY: 'secret-but-not-a-key' });
      expect(error.problems.map((p) => p.variable)).toEqual(['U4SSC_SIGNING_KEY']);
      expect(error.message).toMatch(/U4SSC_SIGNING_KEY \(value not shown\) is not a PKCS#8 PEM Ed25519 private key/);
      expect(error.message).not.toContain('secret-but-not-a-key');
    });

    it('refuses both the file and the PEM', () => {
      const error = problemsOf({ U4SSC_SIGNING_KEY_FILE: 'k.pem', U4SSC_SIGNING_KEY: SigningKey.generate().toPem() });
      expect(error.message).toMatch(/both set/);
    });
  });

  it.each(['0', '1', '65535'])('accepts port %s', (port) => {
    expect(loadConfig({ PORT: port }).port).toBe(Number(port));
  });

  it.each(['65536', '-1', '80.5', 'http', '0x50', '1e3', ' 80', '999999'])('refuses port %j', (port) => {
    const error = problemsOf({ PORT: port });
    expect(error.problems.map((p) => p.variable)).toEqual(['PORT']);
    expect(error.message).toContain(`PORT=${JSON.stringify(port)}`);
    expect(error.message).toContain('an integer from 0 to 65535');
  });

  it('reads the snapshot interval: a whole number of events, 0 for none', () => {
    expect(loadConfig({}).snapshotEvery).toBeUndefined();
    expect(loadConfig({ U4SSC_SNAPSHOT_EVERY: '250' }).snapshotEvery).toBe(250);
    expect(loadConfig({ U4SSC_SNAPSHOT_EVERY: '0' }).snapshotEvery).toBe(0);
    for (const bad of ['-1', '1.5', 'often', ' 100']) {
      const error = problemsOf({ U4SSC_SNAPSHOT_EVERY: bad });
      expect(error.problems.map((p) => p.variable)).toEqual(['U4SSC_SNAPSHOT_EVERY']);
      expect(error.message).toContain(`U4SSC_SNAPSHOT_EVERY=${JSON.stringify(bad)} is not a number of events`);
    }
  });

  it('reads the deadline bounds: each one whole and within its range, the minimum below the maximum; unset ones take the defaults', () => {
    expect(loadConfig({}).deadlines).toBeUndefined();
    expect(deadlineBounds(loadConfig({}))).toEqual(DEFAULT_DEADLINE_BOUNDS);
    const config = loadConfig({ U4SSC_BALLOT_MIN_LEAD_SECONDS: '1', U4SSC_WORKPLAN_MAX_LEAD_DAYS: '30' });
    expect(deadlineBounds(config)).toEqual({ ballotMinLeadSeconds: 1, ballotMaxLeadDays: DEFAULT_DEADLINE_BOUNDS.ballotMaxLeadDays, workplanMaxLeadDays: 30 });
    for (const [variable, bad] of [['U4SSC_BALLOT_MIN_LEAD_SECONDS', '0'], ['U4SSC_BALLOT_MIN_LEAD_SECONDS', '1h'], ['U4SSC_BALLOT_MAX_LEAD_DAYS', '3651'], ['U4SSC_WORKPLAN_MAX_LEAD_DAYS', '-1']] as const) {
      const error = problemsOf({ [variable]: bad });
      expect(error.problems.map((p) => p.variable)).toEqual([variable]);
      expect(error.message).toContain(`${variable}=${JSON.stringify(bad)} is not a number of`);
    }
    const crossed = problemsOf({ U4SSC_BALLOT_MIN_LEAD_SECONDS: '172800', U4SSC_BALLOT_MAX_LEAD_DAYS: '2' });
    expect(crossed.problems.map((p) => p.variable)).toEqual(['U4SSC_BALLOT_MIN_LEAD_SECONDS']);
    expect(crossed.message).toContain('no deadline could be set');
  });

  it('listens on this machine only unless U4SSC_HOST says otherwise; refuses what is not an address', () => {
    expect(loadConfig({}).host).toBeUndefined();
    expect(loadConfig({ U4SSC_HOST: '0.0.0.0' }).host).toBe('0.0.0.0');
    expect(loadConfig({ U4SSC_HOST: '::' }).host).toBe('::');
    expect(loadConfig({ U4SSC_HOST: 'api.u4ssc.example' }).host).toBe('api.u4ssc.example');
    // Empty means unset, as for every variable.
    expect(loadConfig({ U4SSC_HOST: '' }).host).toBeUndefined();
    for (const bad of [' 0.0.0.0', 'http://0.0.0.0', '0.0.0.0:3000', 'a b', '-bad-.example']) {
      const error = problemsOf({ U4SSC_HOST: bad });
      expect(error.problems.map((p) => p.variable)).toEqual(['U4SSC_HOST']);
    }
  });

  it('refuses the development sign-in on a server others can reach', () => {
    for (const loopback of ['127.0.0.1', '::1', 'localhost']) {
      expect(loadConfig({ U4SSC_DEV_SIGN_IN: 'on', U4SSC_HOST: loopback }).devSignIn).toBe(true);
    }
    expect(loadConfig({ U4SSC_DEV_SIGN_IN: 'on' }).devSignIn).toBe(true);
    const error = problemsOf({ U4SSC_DEV_SIGN_IN: 'on', U4SSC_HOST: '0.0.0.0' });
    expect(error.problems.map((p) => p.variable)).toEqual(['U4SSC_DEV_SIGN_IN']);
    expect(error.message).toContain('must listen on this machine only');
  });

  it('reads the full verification interval: a whole number with a unit, 0 for none', () => {
    expect(loadConfig({}).fullVerifyEveryMs).toBeUndefined();
    expect(loadConfig({ U4SSC_FULL_VERIFY_EVERY: '24h' }).fullVerifyEveryMs).toBe(86_400_000);
    expect(loadConfig({ U4SSC_FULL_VERIFY_EVERY: '90m' }).fullVerifyEveryMs).toBe(5_400_000);
    expect(loadConfig({ U4SSC_FULL_VERIFY_EVERY: '0' }).fullVerifyEveryMs).toBe(0);
    for (const bad of ['24', '1.5h', 'daily', '-1h', ' 24h']) {
      const error = problemsOf({ U4SSC_FULL_VERIFY_EVERY: bad });
      expect(error.problems.map((p) => p.variable)).toEqual(['U4SSC_FULL_VERIFY_EVERY']);
      expect(error.message).toContain(`U4SSC_FULL_VERIFY_EVERY=${JSON.stringify(bad)} is not a duration`);
    }
  });

  it('reads the SQLite busy timeout: whole milliseconds within bounds', () => {
    expect(loadConfig({}).sqliteBusyTimeoutMs).toBeUndefined();
    expect(loadConfig({ U4SSC_SQLITE_BUSY_TIMEOUT_MS: '250' }).sqliteBusyTimeoutMs).toBe(250);
    expect(loadConfig({ U4SSC_SQLITE_BUSY_TIMEOUT_MS: '10' }).sqliteBusyTimeoutMs).toBe(10);
    expect(loadConfig({ U4SSC_SQLITE_BUSY_TIMEOUT_MS: '60000' }).sqliteBusyTimeoutMs).toBe(60_000);
    for (const bad of ['0', '9', '60001', '-5', '1.5', '1e3', ' 100', 'soon']) {
      const error = problemsOf({ U4SSC_SQLITE_BUSY_TIMEOUT_MS: bad });
      expect(error.problems.map((p) => p.variable)).toEqual(['U4SSC_SQLITE_BUSY_TIMEOUT_MS']);
      expect(error.message).toContain(`U4SSC_SQLITE_BUSY_TIMEOUT_MS=${JSON.stringify(bad)} is not a wait in milliseconds`);
      expect(error.message).toContain('from 10 to 60000');
    }
  });

  it('refuses a short token secret without printing it', () => {
    const error = problemsOf({ U4SSC_TOKEN_SECRET: 'hunter2-is-short' });
    expect(error.message).toContain('U4SSC_TOKEN_SECRET is 16 characters long');
    expect(error.message).toContain('at least 32');
    expect(error.message).not.toContain('hunter2');
  });

  it.each(['not a url', 'ftp://idp.example/jwks', 'file:///etc/jwks.json', '/jwks.json'])('refuses JWKS URL %j', (url) => {
    const error = problemsOf({ U4SSC_JWKS_URL: url });
    expect(error.message).toContain(`U4SSC_JWKS_URL=${JSON.stringify(url)} is not an http(s) URL`);
  });

  it('accepts a plain-http JWKS URL (an identity provider on the same host)', () => {
    expect(loadConfig({ U4SSC_JWKS_URL: 'http://localhost:8080/jwks' }).jwksUrl).toBe('http://localhost:8080/jwks');
  });

  it('refuses issuer and audience without a JWKS URL: they would never be checked', () => {
    const error = problemsOf({ U4SSC_JWT_ISSUER: 'https://idp.example/', U4SSC_JWT_AUDIENCE: 'u4ssc' });
    expect(error.problems.map((p) => p.variable)).toEqual(['U4SSC_JWT_ISSUER', 'U4SSC_JWT_AUDIENCE']);
    expect(error.message).toContain('U4SSC_JWT_ISSUER="https://idp.example/" is set but U4SSC_JWKS_URL is not');
  });

  it('turns the development sign-in on only when asked, and refuses it beside an external provider', () => {
    expect(loadConfig({}).devSignIn).toBeUndefined();
    expect(loadConfig({ U4SSC_DEV_SIGN_IN: 'off' }).devSignIn).toBeUndefined();
    expect(loadConfig({ U4SSC_DEV_SIGN_IN: 'on' }).devSignIn).toBe(true);
    expect(problemsOf({ U4SSC_DEV_SIGN_IN: 'yes' }).message).toContain('U4SSC_DEV_SIGN_IN="yes" is neither "on" nor "off"');
    const beside = problemsOf({ U4SSC_DEV_SIGN_IN: 'on', U4SSC_JWKS_URL: 'https://idp.example/jwks' });
    expect(beside.problems.map((p) => p.variable)).toEqual(['U4SSC_DEV_SIGN_IN']);
  });

  describe('OpenID Connect sign-in', () => {
    const provider = {
      U4SSC_OIDC_ISSUER: 'https://idp.example/realms/u4ssc',
      U4SSC_OIDC_CLIENT_ID: 'u4ssc-web',
      U4SSC_JWKS_URL: 'https://idp.example/realms/u4ssc/certs',
      U4SSC_OIDC_RESOURCE: 'https://u4ssc.example/api',
    };

    it('reads the provider, and checks its tokens for its issuer and for the resource as audience', () => {
      expect(loadConfig(provider)).toEqual({
        store: 'sqlite',
        sqliteFile: './data/u4ssc.sqlite',
        port: 3000,
        jwksUrl: 'https://idp.example/realms/u4ssc/certs',
        jwtIssuer: 'https://idp.example/realms/u4ssc',
        jwtAudience: 'https://u4ssc.example/api',
        oidc: { issuer: 'https://idp.example/realms/u4ssc', clientId: 'u4ssc-web', scope: 'openid profile', resource: 'https://u4ssc.example/api' },
      });
    });

    it('reads every OIDC variable; an explicit issuer and audience win over the defaults', () => {
      const config = loadConfig({
        ...provider,
        U4SSC_OIDC_CLIENT_SECRET: 's3cret',
        U4SSC_OIDC_NAME: 'UN single sign-on',
        U4SSC_OIDC_SCOPE: 'openid profile u4ssc',
        U4SSC_OIDC_REDIRECT_URI: 'https://u4ssc.example/sign-in/callback',
        U4SSC_JWT_ISSUER: 'https://idp.example/tokens',
        U4SSC_JWT_AUDIENCE: 'u4ssc-api',
      });
      expect(config.oidc).toEqual({
        issuer: 'https://idp.example/realms/u4ssc',
        clientId: 'u4ssc-web',
        clientSecret: 's3cret',
        name: 'UN single sign-on',
        scope: 'openid profile u4ssc',
        resource: 'https://u4ssc.example/api',
        redirectUri: 'https://u4ssc.example/sign-in/callback',
      });
      expect([config.jwtIssuer, config.jwtAudience]).toEqual(['https://idp.example/tokens', 'u4ssc-api']);
    });

    it('needs a client id, the JWKS URL, and an audience', () => {
      const error = problemsOf({ U4SSC_OIDC_ISSUER: 'https://idp.example/' });
      expect(error.problems.map((p) => p.variable)).toEqual(['U4SSC_OIDC_CLIENT_ID', 'U4SSC_JWKS_URL', 'U4SSC_JWT_AUDIENCE']);
      expect(error.message).toContain('U4SSC_OIDC_CLIENT_ID is not set, but U4SSC_OIDC_ISSUER needs it');
      expect(error.message).toContain("U4SSC_JWKS_URL is not set, but U4SSC_OIDC_ISSUER needs it: the API checks the provider's access tokens");
      expect(error.message).toContain('or tokens it issued to other applications would be accepted');
      const { U4SSC_OIDC_RESOURCE: _resource, ...withoutResource } = provider;
      expect(loadConfig({ ...withoutResource, U4SSC_JWT_AUDIENCE: 'u4ssc-api' }).jwtAudience).toBe('u4ssc-api');
    });

    it.each(['http://idp.example/', 'idp.example', 'ftp://idp.example/'])('refuses issuer %j (plain http only for this machine)', (issuer) => {
      const error = problemsOf({ ...provider, U4SSC_OIDC_ISSUER: issuer });
      expect(error.problems.map((p) => p.variable)).toEqual(['U4SSC_OIDC_ISSUER']);
      expect(error.message).toContain(`U4SSC_OIDC_ISSUER=${JSON.stringify(issuer)} is not an https URL`);
    });

    it.each(['http://localhost:8080/', 'http://127.0.0.1:4000', 'http://[::1]:4000/'])('accepts a plain-http issuer on this machine: %s', (issuer) => {
      expect(loadConfig({ ...provider, U4SSC_OIDC_ISSUER: issuer }).oidc?.issuer).toBe(issuer);
    });

    it('refuses a scope without openid, a resource with a fragment and a callback elsewhere', () => {
      const error = problemsOf({ ...provider, U4SSC_OIDC_SCOPE: 'profile email', U4SSC_OIDC_RESOURCE: 'https://u4ssc.example/api#v1', U4SSC_OIDC_REDIRECT_URI: 'https://u4ssc.example/callback' });
      expect(error.problems.map((p) => p.variable)).toEqual(['U4SSC_OIDC_SCOPE', 'U4SSC_OIDC_RESOURCE', 'U4SSC_OIDC_REDIRECT_URI']);
      expect(error.message).toContain('U4SSC_OIDC_SCOPE="profile email" lacks "openid"');
      expect(error.message).toContain('U4SSC_OIDC_RESOURCE="https://u4ssc.example/api#v1" is not an absolute URI without a fragment');
      expect(error.message).toContain('ending in /sign-in/callback');
    });

    it('refuses OIDC settings without the issuer: they would do nothing', () => {
      const error = problemsOf({ U4SSC_OIDC_CLIENT_ID: 'u4ssc-web', U4SSC_OIDC_NAME: 'IdP' });
      expect(error.problems.map((p) => p.variable)).toEqual(['U4SSC_OIDC_CLIENT_ID', 'U4SSC_OIDC_NAME']);
      expect(error.message).toContain('U4SSC_OIDC_CLIENT_ID is set but U4SSC_OIDC_ISSUER is not');
    });

    it('turns local tokens and the development sign-in off: the development sign-in is refused beside a provider', () => {
      const error = problemsOf({ ...provider, U4SSC_DEV_SIGN_IN: 'on' });
      expect(error.problems.map((p) => p.variable)).toEqual(['U4SSC_DEV_SIGN_IN']);
    });
  });

  it('reports every problem at once', () => {
    const error = problemsOf({ U4SSC_STORE: 'postgres', PORT: 'eighty', U4SSC_TOKEN_SECRET: 'short', U4SSC_JWKS_URL: 'nope' });
    expect(error.problems.map((p) => p.variable)).toEqual(['U4SSC_DATABASE_URL', 'U4SSC_SIGNING_KEY_FILE', 'PORT', 'U4SSC_TOKEN_SECRET', 'U4SSC_JWKS_URL']);
    expect(error.message).toMatch(/^Invalid configuration \(5 problems\):\n- /);
    expect(error.message.split('\n')).toHaveLength(6);
  });
});
