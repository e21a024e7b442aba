import { randomBytes } from 'node:crypto';
import { closeSync, fsyncSync, linkSync, mkdirSync, openSync, readFileSync, unlinkSync, writeSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import type { AppConfig } from './app-config.js';
import { MIN_TOKEN_SECRET_LENGTH } from './load-config.js';

export const TOKEN_SECRET_FILE_NAME = 'token-secret';

/** Where a generated secret is kept: beside the SQLite file, so it lives and is backed up with the data. */
export function tokenSecretFile(config: Pick<AppConfig, 'sqliteFile'>): string {
  return join(dirname(resolve(config.sqliteFile)), TOKEN_SECRET_FILE_NAME);
}

/**
 * The HS256 secret for local tokens: the configured one, else one generated on first use and kept in
 * `<dir of the SQLite file>/token-secret` (mode 0600), so tokens survive restarts and the CLI's `token`
 * command signs what the API accepts.
 *
 * Throws when U4SSC_JWKS_URL is set: local tokens are off then, and a secret would sign tokens nobody accepts.
 */
export function resolveTokenSecret(config: AppConfig): string {
  if (config.jwksUrl !== undefined) {
    throw new Error('local tokens are off: U4SSC_JWKS_URL is set, so tokens come from the external identity provider');
  }
  if (config.tokenSecret !== undefined) return config.tokenSecret;
  const file = tokenSecretFile(config);
  return readSecret(file) ?? createSecret(file);
}

function readSecret(file: string): string | undefined {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
  const secret = text.trim();
  if (secret.length < MIN_TOKEN_SECRET_LENGTH) {
    throw new Error(
      `${file} holds ${secret.length} characters (value not shown); a token secret needs at least ${MIN_TOKEN_SECRET_LENGTH}: delete the file to have a new one generated (tokens signed with the old one stop working)`,
    );
  }
  return secret;
}

/**
 * Two processes starting at once (API and CLI) must end up with the same secret. Each writes a complete
 * temporary file and hard-links it to the final name; link(2) never overwrites, so exactly one wins and the
 * file never appears half-written. Everyone then reads back whatever won.
 */
function createSecret(file: string): string {
  mkdirSync(dirname(file), { recursive: true });
  const temp = `${file}.${process.pid}.${randomBytes(6).toString('hex')}.tmp`;
  const fd = openSync(temp, 'wx', 0o600);
  try {
    writeSync(fd, `${randomBytes(32).toString('hex')}\n`);
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  try {
    linkSync(temp, file);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
  } finally {
    unlinkSync(temp);
  }
  const secret = readSecret(file);
  if (secret === undefined) throw new Error(`${file} vanished while the token secret was being created`);
  return secret;
}
