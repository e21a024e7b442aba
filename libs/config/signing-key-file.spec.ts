import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import { SigningKey } from '../signing/index.js';
import { defaultSigningKeyFile, resolveSigningKey, writeKeyFile } from './signing-key-file.js';

describe('resolveSigningKey', () => {
  let dir: string;
  let sqliteFile: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'u4ssc-key-'));
    sqliteFile = join(dir, 'data', 'u4ssc.sqlite');
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('generates the embedded store\'s key beside the SQLite file once (mode 0600), then reads it back', () => {
    const first = resolveSigningKey({ store: 'sqlite', sqliteFile }, { create: true })!;
    expect(first.generated).toBe(true);
    expect(first.source).toBe(join(dir, 'data', 'u4ssc-signing-key.pem'));
    expect(statSync(first.source).mode & 0o777).toBe(0o600);
    const again = resolveSigningKey({ store: 'sqlite', sqliteFile }, { create: true })!;
    expect(again.generated).toBe(false);
    expect(again.key.keyId).toBe(first.key.keyId);
  });

  it('makes none for a read-only use of a file never signed', () => {
    expect(resolveSigningKey({ store: 'sqlite', sqliteFile }, { create: false })).toBeUndefined();
    expect(() => statSync(defaultSigningKeyFile({ sqliteFile }))).toThrow(/ENOENT/);
  });

  it('reads a configured file or PEM, and says what is wrong with a missing or broken one', () => {
    const key = SigningKey.generate();
    const file = join(dir, 'k.pem');
    writeKeyFile(file, key);
    expect(resolveSigningKey({ store: 'postgres', sqliteFile, signingKeyFile: file }, { create: true })!.key.keyId).toBe(key.keyId);
    expect(resolveSigningKey({ store: 'postgres', sqliteFile, signingKey: key.toPem() }, { create: false })!.key.keyId).toBe(key.keyId);
    expect(() => resolveSigningKey({ store: 'postgres', sqliteFile, signingKeyFile: join(dir, 'none.pem') }, { create: true })).toThrow(
      /U4SSC_SIGNING_KEY_FILE="[^"]*none.pem" does not exist/,
    );
    writeFileSync(join(dir, 'bad.pem'), 'not a key');
    expect(() => resolveSigningKey({ store: 'sqlite', sqliteFile, signingKeyFile: join(dir, 'bad.pem') }, { create: true })).toThrow(
      /bad.pem does not hold a usable signing key/,
    );
    expect(() => resolveSigningKey({ store: 'postgres', sqliteFile }, { create: true })).toThrow(/U4SSC_SIGNING_KEY_FILE/);
  });

  it('gives the memory store an ephemeral key', () => {
    const resolved = resolveSigningKey({ store: 'memory', sqliteFile }, { create: true })!;
    expect(resolved).toMatchObject({ source: 'ephemeral', generated: true });
  });

  it('never overwrites a key file', () => {
    const file = join(dir, 'k.pem');
    writeKeyFile(file, SigningKey.generate());
    const before = readFileSync(file, 'utf8');
    expect(() => writeKeyFile(file, SigningKey.generate())).toThrow(/EEXIST/);
    expect(readFileSync(file, 'utf8')).toBe(before);
  });
});
