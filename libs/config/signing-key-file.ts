import { randomBytes } from 'node:crypto';
import { closeSync, fsyncSync, linkSync, mkdirSync, openSync, readFileSync, unlinkSync, writeSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { SigningKey } from '../signing/signing-key.js';
import type { AppConfig } from './app-config.js';

export const SIGNING_KEY_FILE_NAME = 'u4ssc-signing-key.pem';

export type SigningKeySettings = Pick<AppConfig, 'store' | 'sqliteFile' | 'signingKeyFile' | 'signingKey'>;

export interface ResolvedSigningKey {
  key: SigningKey;
  /** Where it came from, for messages: a file path, `U4SSC_SIGNING_KEY`, or `ephemeral`. */
  source: string;
  /** True when this call generated it (and wrote the file, for the embedded store). */
  generated: boolean;
}

/** The embedded store's default key file: beside the SQLite file, so it lives and is backed up with the data. */
export function defaultSigningKeyFile(config: Pick<AppConfig, 'sqliteFile'>): string {
  return join(dirname(resolve(config.sqliteFile)), SIGNING_KEY_FILE_NAME);
}

/**
 * The engine's signing key (docs/integrity.md): the configured one (U4SSC_SIGNING_KEY_FILE or U4SSC_SIGNING_KEY);
 * else, for the embedded SQLite store, `u4ssc-signing-key.pem` beside the file, generated when missing and `create`
 * is set; for the memory store, an ephemeral key. Undefined when there is none and none may be made (a read-only
 * command on a file never signed, or without the key of a shared store). Throws an Error saying what to fix when the key cannot be read.
 */
export function resolveSigningKey(config: SigningKeySettings, options: { create: boolean }): ResolvedSigningKey | undefined {
  if (config.signingKey !== undefined) {
    return { key: parse(config.signingKey, 'U4SSC_SIGNING_KEY'), source: 'U4SSC_SIGNING_KEY', generated: false };
  }
  if (config.signingKeyFile !== undefined) {
    const file = resolve(config.signingKeyFile);
    const pem = readKeyFile(file);
    if (pem === undefined) {
      throw new Error(
        `U4SSC_SIGNING_KEY_FILE=${JSON.stringify(config.signingKeyFile)} does not exist; give the engine's key file (\`u4ssc keys generate --out F\` writes a new one)`,
      );
    }
    return { key: parse(pem, file), source: file, generated: false };
  }
  switch (config.store) {
    case 'memory':
      return options.create ? { key: SigningKey.generate(), source: 'ephemeral', generated: true } : undefined;
    case 'sqlite': {
      const file = defaultSigningKeyFile(config);
      const pem = readKeyFile(file);
      if (pem !== undefined) return { key: parse(pem, file), source: file, generated: false };
      if (!options.create) return undefined;
      const created = writeKeyFileOnce(file, SigningKey.generate());
      return { key: parse(created.pem, file), source: file, generated: created.won };
    }
    default:
      if (!options.create) return undefined;
      throw new Error(`U4SSC_STORE=${config.store} needs a signing key: set U4SSC_SIGNING_KEY_FILE or U4SSC_SIGNING_KEY`);
  }
}

/** Writes a new key file, mode 0600; refuses to overwrite one (a key lost is a log no longer signable by it). */
export function writeKeyFile(file: string, key: SigningKey): void {
  mkdirSync(dirname(resolve(file)), { recursive: true });
  const fd = openSync(file, 'wx', 0o600);
  try {
    writeSync(fd, key.toPem());
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}

function parse(pem: string, where: string): SigningKey {
  try {
    return SigningKey.fromPem(pem);
  } catch (error) {
    throw new Error(`${where} does not hold a usable signing key: ${(error as Error).message}`);
  }
}

function readKeyFile(file: string): string | undefined {
  try {
    return readFileSync(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
}

/**
 * Two processes starting at once (API and CLI) must end up with the same key: each writes a complete temporary file
 * and hard-links it to the final name; link(2) never overwrites, so exactly one wins, and everyone reads back
 * whatever won.
 */
function writeKeyFileOnce(file: string, key: SigningKey): { pem: string; won: boolean } {
  const temp = `${file}.${process.pid}.${randomBytes(6).toString('hex')}.tmp`;
  writeKeyFile(temp, key);
  let won = true;
  try {
    linkSync(temp, file);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    won = false;
  } finally {
    unlinkSync(temp);
  }
  const pem = readKeyFile(file);
  if (pem === undefined) throw new Error(`${file} vanished while the signing key was being created`);
  return { pem, won };
}
