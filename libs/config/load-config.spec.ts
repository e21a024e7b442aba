import { describe, expect, it } from '@jest/globals';
import { ConfigError } from './config-error.js';
import { loadConfig } from './load-config.js';

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
    });
    expect(config).toEqual({
      store: 'postgres',
      sqliteFile: '/var/lib/u4ssc/db.sqlite',
      databaseUrl: 'postgres://u:p@db:5432/u4ssc',
      databaseSchema: 'u4ssc_prod',
      eventStoreUrl: 'esdb://es:2113?tls=false',
      port: 8080,
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
    const config = loadConfig({ U4SSC_STORE: store, U4SSC_DATABASE_URL: 'postgres://db/x', EVENTSTORE_URL: 'esdb://es:2113' });
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

  it.each(['0', '1', '65535'])('accepts port %s', (port) => {
    expect(loadConfig({ PORT: port }).port).toBe(Number(port));
  });

  it.each(['65536', '-1', '80.5', 'http', '0x50', '1e3', ' 80', '999999'])('refuses port %j', (port) => {
    const error = problemsOf({ PORT: port });
    expect(error.problems.map((p) => p.variable)).toEqual(['PORT']);
    expect(error.message).toContain(`PORT=${JSON.stringify(port)}`);
    expect(error.message).toContain('an integer from 0 to 65535');
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

  it('reports every problem at once', () => {
    const error = problemsOf({ U4SSC_STORE: 'postgres', PORT: 'eighty', U4SSC_TOKEN_SECRET: 'short', U4SSC_JWKS_URL: 'nope' });
    expect(error.problems.map((p) => p.variable)).toEqual(['U4SSC_DATABASE_URL', 'PORT', 'U4SSC_TOKEN_SECRET', 'U4SSC_JWKS_URL']);
    expect(error.message).toMatch(/^Invalid configuration \(4 problems\):\n- /);
    expect(error.message.split('\n')).toHaveLength(5);
  });
});
