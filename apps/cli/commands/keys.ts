import { resolve } from 'node:path';
import { loadConfig, writeKeyFile } from '../../../libs/config/index.js';
import { closeStores, openStores, type Stores } from '../../../libs/engine/index.js';
import { InvalidCommandError } from '../../../libs/errors/index.js';
import { adoptKey, keySummaries, readKeyRing, revokeKey, rotateKey, SigningKey, type KeyEventContext } from '../../../libs/signing/index.js';
import { readFileSync } from 'node:fs';
import { parse } from '../parse.js';
import { UsageError } from '../usage-error.js';

const USAGE =
  'keys takes "list [--json]", "generate --out F", "rotate --new-key-file F [--reason R]", ' +
  '"revoke <keyId> --from-position P --reason R" or "adopt --reason R" (docs/integrity.md)';

/**
 * The log's signing keys (docs/integrity.md): list them, make a new key file, publish a new key endorsed by the
 * current one (rotate), revoke a key from a position, or adopt the configured key after the old one was lost.
 * Every change is an event of the `signing-keys` stream, signed by the configured key.
 */
export async function keysCommand(args: string[]): Promise<number> {
  const [action, ...rest] = args;
  switch (action) {
    case 'list':
      return list(rest);
    case 'generate':
      return generate(rest);
    case 'rotate':
      return rotate(rest);
    case 'revoke':
      return revoke(rest);
    case 'adopt':
      return adopt(rest);
    default:
      throw new UsageError(USAGE);
  }
}

async function list(args: string[]): Promise<number> {
  const { values } = parse(args, { json: { type: 'boolean', default: false } });
  const stores = await openStores(loadConfig(process.env, { readOnly: true }), { readOnly: true });
  try {
    // Judged as verify judges them with this configuration: the engine's own key pinned.
    const ring = await readKeyRing(stores.events, stores.signingKey ? [stores.signingKey.keyId] : []);
    const keys = keySummaries(ring);
    if (values.json) {
      console.log(JSON.stringify(keys, null, 2));
      return 0;
    }
    if (keys.length === 0) console.log('keys: no signing key is published in this log yet (the engine publishes its key at first start)');
    for (const key of keys) {
      console.log(
        `${key.keyId}  fingerprint ${key.fingerprint}  ${key.trust}  published at position ${key.publishedAt}` +
          `  endorsed by ${key.endorsedBy ?? '-'}  revoked from ${key.revokedFrom ?? '-'}  reason: ${key.reason}` +
          `${stores.signingKey?.keyId === key.keyId ? '  (configured)' : ''}${key.untrustedBecause ? `  untrusted: ${key.untrustedBecause}` : ''}`,
      );
    }
    for (const problem of ring.problems) console.log(`keys: PROBLEM at position ${problem.position} (event ${problem.eventId}): ${problem.detail}`);
    return 0;
  } finally {
    await closeStores(stores);
  }
}

async function generate(args: string[]): Promise<number> {
  const { values } = parse(args, { out: { type: 'string' } });
  if (!values.out) throw new UsageError('--out <file> is required: where to write the new key (PKCS#8 PEM, mode 0600)');
  const key = SigningKey.generate();
  try {
    writeKeyFile(values.out, key);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') throw new UsageError(`${values.out} exists; a key file is never overwritten`);
    throw error;
  }
  console.log(`keys: wrote ${resolve(values.out)}: key ${key.keyId}, fingerprint ${key.info.fingerprint}`);
  console.log('keys: publish it with `u4ssc keys rotate --new-key-file <it>` run with the current key configured');
  return 0;
}

async function rotate(args: string[]): Promise<number> {
  const { values } = parse(args, { 'new-key-file': { type: 'string' }, reason: { type: 'string', default: 'rotation' }, as: { type: 'string' } });
  if (!values['new-key-file']) throw new UsageError('--new-key-file <file> is required: the key to publish (u4ssc keys generate --out F writes one)');
  const next = readKey(values['new-key-file']);
  return withKeyStores(async (stores, current) => {
    const event = await rotateKey(stores.events, current, next, values.reason!, context(values.as));
    console.log(`keys: published ${next.keyId} (fingerprint ${next.info.fingerprint}), endorsed by ${current.keyId}, at position ${event.position}`);
    console.log(`keys: now point U4SSC_SIGNING_KEY_FILE at ${resolve(values['new-key-file']!)} and restart; then revoke ${current.keyId} if it must sign no more`);
    return 0;
  });
}

async function revoke(args: string[]): Promise<number> {
  const { values, positionals } = parse(args, { 'from-position': { type: 'string' }, reason: { type: 'string' }, as: { type: 'string' } }, true);
  const [keyId, ...extra] = positionals;
  if (!keyId || extra.length) throw new UsageError('revoke takes one key id: keys revoke <keyId> --from-position P --reason R');
  if (!values.reason) throw new UsageError('--reason is required: why the key is revoked (recorded in the log)');
  const text = values['from-position'];
  if (text === undefined || !/^\d{1,16}$/.test(text) || Number(text) < 1) {
    throw new UsageError(`--from-position must be a log position (a whole number from 1), not ${JSON.stringify(text ?? '')}`);
  }
  return withKeyStores(async (stores, current) => {
    const event = await revokeKey(stores.events, current, keyId, Number(text), values.reason!, context(values.as));
    console.log(`keys: ${keyId} revoked from position ${text}, recorded at position ${event.position}`);
    return 0;
  });
}

async function adopt(args: string[]): Promise<number> {
  const { values } = parse(args, { reason: { type: 'string' }, as: { type: 'string' } });
  if (!values.reason) throw new UsageError('--reason is required: why the key is adopted without endorsement (a lost or leaked key)');
  return withKeyStores(async (stores, key) => {
    const event = await adoptKey(stores.events, key, values.reason!, context(values.as));
    console.log(`keys: published ${key.keyId} unendorsed at position ${event.position}`);
    console.log(`keys: publish its fingerprint ${key.info.fingerprint} out of band: auditors must pin it (u4ssc verify --trust-key ${key.info.fingerprint})`);
    return 0;
  });
}

/** The stores with the configured key as signer, without the start-up publication (these commands publish keys). */
async function withKeyStores(run: (stores: Stores, key: SigningKey) => Promise<number>): Promise<number> {
  const stores = await openStores(loadConfig(), { publishKey: false });
  try {
    if (!stores.signingKey) throw new InvalidCommandError('no signing key is configured: set U4SSC_SIGNING_KEY_FILE or U4SSC_SIGNING_KEY');
    return await run(stores, stores.signingKey);
  } finally {
    await closeStores(stores);
  }
}

function readKey(file: string): SigningKey {
  let pem: string;
  try {
    pem = readFileSync(file, 'utf8');
  } catch (error) {
    throw new UsageError(`cannot read ${file}: ${(error as Error).message}`);
  }
  try {
    return SigningKey.fromPem(pem);
  } catch (error) {
    throw new UsageError(`${file} does not hold a usable signing key: ${(error as Error).message}`);
  }
}

function context(as: string | undefined): KeyEventContext {
  return { actor: { id: as ?? 'operator-cli', role: 'operator' }, occurredAt: new Date().toISOString() };
}
