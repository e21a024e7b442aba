import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { transformFileSync } from '@swc/core';
import { execFile } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import type { AppConfig } from './app-config.js';
import { resolveTokenSecret, tokenSecretFile } from './token-secret.js';

const here = dirname(fileURLToPath(import.meta.url));
let root: string;
let count = 0;

function freshConfig(overrides: Partial<AppConfig> = {}): AppConfig {
  const dir = join(root, `case-${++count}`, 'data');
  return { store: 'sqlite', sqliteFile: join(dir, 'u4ssc.sqlite'), port: 0, ...overrides };
}

beforeAll(() => {
  root = mkdtempSync(join(tmpdir(), 'u4ssc-secret-'));
});
afterAll(() => {
  rmSync(root, { recursive: true, force: true });
});

describe('resolveTokenSecret', () => {
  it('returns the configured secret and writes nothing', () => {
    const config = freshConfig({ tokenSecret: 's'.repeat(40) });
    expect(resolveTokenSecret(config)).toBe('s'.repeat(40));
    expect(existsSync(dirname(config.sqliteFile))).toBe(false);
  });

  it('generates 32 random bytes once, beside the SQLite file, readable by the owner only', () => {
    const config = freshConfig();
    const secret = resolveTokenSecret(config);
    expect(secret).toMatch(/^[0-9a-f]{64}$/);
    const file = join(dirname(config.sqliteFile), 'token-secret');
    expect(tokenSecretFile(config)).toBe(file);
    expect(readFileSync(file, 'utf8').trim()).toBe(secret);
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(resolveTokenSecret(config)).toBe(secret);
    expect(readdirSync(dirname(file))).toEqual(['token-secret']);
  });

  it('gives another data directory another secret', () => {
    expect(resolveTokenSecret(freshConfig())).not.toBe(resolveTokenSecret(freshConfig()));
  });

  it('keeps using a secret already in the file', () => {
    const config = freshConfig();
    mkdirSync(dirname(config.sqliteFile), { recursive: true });
    writeFileSync(tokenSecretFile(config), `${'k'.repeat(48)}\n`);
    expect(resolveTokenSecret(config)).toBe('k'.repeat(48));
  });

  it('refuses a file holding too short a secret, naming the file', () => {
    const config = freshConfig();
    mkdirSync(dirname(config.sqliteFile), { recursive: true });
    writeFileSync(tokenSecretFile(config), 'short\n');
    expect(() => resolveTokenSecret(config)).toThrow(`${tokenSecretFile(config)} holds 5 characters`);
  });

  it('refuses when an external identity provider is configured: local tokens are off', () => {
    const config = freshConfig({ jwksUrl: 'https://idp.example/jwks', tokenSecret: 's'.repeat(40) });
    expect(() => resolveTokenSecret(config)).toThrow(/local tokens are off/);
  });

  it('lets processes starting at the same moment agree on one secret', async () => {
    // Real processes racing on a real directory: the module is compiled to plain ESM so `node` can run it.
    const build = join(root, 'build');
    mkdirSync(build);
    for (const name of ['app-config', 'config-error', 'load-config', 'token-secret']) {
      const { code } = transformFileSync(join(here, `${name}.ts`), {
        jsc: { parser: { syntax: 'typescript' }, target: 'es2022' },
        module: { type: 'es6' },
      });
      writeFileSync(join(build, `${name}.js`), code);
    }
    writeFileSync(join(build, 'package.json'), '{"type":"module"}');
    writeFileSync(
      join(build, 'race.js'),
      `import { resolveTokenSecret } from './token-secret.js';
       const [sqliteFile, startAt] = process.argv.slice(2);
       while (Date.now() < Number(startAt)) {}
       process.stdout.write(resolveTokenSecret({ store: 'sqlite', sqliteFile, port: 0 }));`,
    );
    const run = promisify(execFile);
    for (let round = 0; round < 3; round++) {
      const config = freshConfig();
      const startAt = String(Date.now() + 700);
      const outputs = await Promise.all(
        Array.from({ length: 8 }, () => run(process.execPath, [join(build, 'race.js'), config.sqliteFile, startAt])),
      );
      const secrets = new Set(outputs.map((o) => o.stdout));
      expect(secrets.size).toBe(1);
      expect([...secrets][0]).toMatch(/^[0-9a-f]{64}$/);
      expect(readdirSync(dirname(config.sqliteFile))).toEqual(['token-secret']);
    }
  });
});
