import { verifyLog, type Actor, type NewEvent } from '../envelope/index.js';
import { readAllEvents } from '../event-store/read-all-events.js';
import type { EventStore } from '../event-store/port.js';
import { ConcurrencyError, StoreBusyError } from '../event-store/errors.js';
import { ConflictError, InvalidCommandError, NotFoundError } from '../errors/index.js';
import { derivedId } from '../kernel/ids.js';
import { TOR_VERSION } from '../kernel/tor.js';
import { SIGNING_KEYS_MACHINE_VERSION } from '../../state-machines/signing-keys/signing-keys.machine.js';
import {
  keyProofBody,
  SIGNING_KEY_PUBLISHED,
  SIGNING_KEY_REVOKED,
  SIGNING_KEYS_STREAM,
  type SigningKeyPublishedData,
  type SigningKeyRevokedData,
} from './key-events.js';
import { KeyRing, type KeyRecord } from './key-ring.js';
import type { SigningKey } from './signing-key.js';

/**
 * Writing the `signing-keys` stream (docs/integrity.md). Every function appends through a store opened with the
 * engine's configured key as its signer, so each key event is signed by that key: a genesis or adopted key signs
 * its own publication, a rotation's publication is signed by the current key, which endorses the new one.
 */

/** How often publishing at start tries again after a lost race or a busy store. */
const PUBLISH_ATTEMPTS = 20;

/** Who records a key event the engine writes at start (no person acts). */
export const ENGINE_ACTOR: Actor = { id: 'u4ssc-engine', role: 'engine', name: 'U4SSC engine' };

export interface KeyEventContext {
  actor: Actor;
  /** ISO instant. */
  occurredAt: string;
}

/** The key stream's ring, pinning the keys given (the engine pins its own). */
export async function readKeyRing(store: EventStore, trusted: readonly string[] = []): Promise<KeyRing> {
  return KeyRing.build(await store.readStream(SIGNING_KEYS_STREAM), { trusted });
}

/** Why this key may not sign at the head of the log, or null. */
function whyNotUsable(record: KeyRecord | undefined, key: SigningKey): string | null {
  if (!record) return `signing key ${key.keyId} is not published in this log`;
  if (record.revokedFrom !== undefined) {
    return `signing key ${key.keyId} is revoked from position ${record.revokedFrom} (${record.revocationReason}): configure its replacement`;
  }
  return null;
}

/**
 * At start: publishes the configured key when the log has none (genesis: unendorsed, signed by itself, reason
 * "first start"); does nothing when it is published; refuses to start when the log has other keys only, or when
 * the key is revoked. The event id derives from the key id, so instances starting at once publish it once.
 */
export async function ensureKeyPublished(
  store: EventStore,
  key: SigningKey,
  occurredAt: string,
): Promise<{ published: boolean }> {
  for (let attempt = 0; ; attempt += 1) {
    const events = await store.readStream(SIGNING_KEYS_STREAM);
    const ring = KeyRing.build(events, { trusted: [key.keyId] });
    const record = ring.key(key.keyId);
    if (record) {
      const why = whyNotUsable(record, key);
      if (why) throw new SigningKeyUnusableError(`the engine cannot start: ${why}`);
      return { published: false };
    }
    if (ring.keys().length > 0) {
      throw new SigningKeyUnusableError(
        `the engine cannot start: signing key ${key.keyId} (fingerprint ${key.info.fingerprint}) is not published in this log, ` +
          `whose keys are ${ring.keys().map((k) => k.keyId).join(', ')}. Publish it with \`u4ssc keys rotate --new-key-file <this key's file>\` ` +
          'run with the current key configured, then configure this one; or, if the current key is lost or leaked, run ' +
          '`u4ssc keys adopt --reason "..."` with this key configured (auditors must then pin its fingerprint: verify --trust-key)',
      );
    }
    try {
      const legacyAnchor = (await store.headPosition()) > 0 ? await anchorOf(store) : undefined;
      const result = await store.append(
        SIGNING_KEYS_STREAM,
        [keyPublication(key, null, 'first start', { actor: ENGINE_ACTOR, occurredAt }, 'genesis', legacyAnchor)],
        { expectedRevision: events.length - 1 },
      );
      // A duplicate: another instance published this very key first (the event id derives from the key id).
      return { published: !result.duplicate };
    } catch (error) {
      // Another instance published its key first: look again (the same key is then found, another refuses). A busy
      // SQLite file (processes starting together) wrote nothing: try again after a short random pause, as the runner does.
      const retry = error instanceof ConcurrencyError || error instanceof StoreBusyError;
      if (!retry || attempt >= PUBLISH_ATTEMPTS) throw error;
      await new Promise((resolve) => setTimeout(resolve, Math.random() * Math.min(50, 2 ** attempt)));
    }
  }
}

/** `keys rotate`: publishes `next`, endorsed by `current` (the configured key, which signs the publication). */
export async function rotateKey(store: EventStore, current: SigningKey, next: SigningKey, reason: string, context: KeyEventContext) {
  const events = await store.readStream(SIGNING_KEYS_STREAM);
  const ring = KeyRing.build(events, { trusted: [current.keyId] });
  if (next.keyId === current.keyId) throw new InvalidCommandError(`the new key is the current key ${current.keyId}: generate a new one (u4ssc keys generate --out F)`);
  const why = whyNotUsable(ring.key(current.keyId), current);
  if (why) throw new ConflictError(`cannot rotate: ${why}; the current key configured must be published and valid to endorse a new one`);
  if (ring.key(next.keyId)) throw new ConflictError(`key ${next.keyId} is already published`);
  const result = await store.append(SIGNING_KEYS_STREAM, [keyPublication(next, current.keyId, reason, context, 'rotate')], {
    expectedRevision: events.length - 1,
  });
  return result.events[0]!;
}

/**
 * `keys adopt`: after a lost or leaked key, publishes the configured key unendorsed (signed by itself). Verify
 * trusts it only when pinned (`--trust-key`), so the operator publishes its fingerprint out of band.
 */
export async function adoptKey(store: EventStore, key: SigningKey, reason: string, context: KeyEventContext) {
  const events = await store.readStream(SIGNING_KEYS_STREAM);
  const ring = KeyRing.build(events);
  if (ring.key(key.keyId)) throw new ConflictError(`key ${key.keyId} is already published: nothing to adopt`);
  const result = await store.append(SIGNING_KEYS_STREAM, [keyPublication(key, null, reason, context, 'adopt')], {
    expectedRevision: events.length - 1,
  });
  return result.events[0]!;
}

/** `keys revoke`: the key's events from `fromPosition` on are no longer trusted; signed by the configured key. */
export async function revokeKey(
  store: EventStore,
  current: SigningKey,
  keyId: string,
  fromPosition: number,
  reason: string,
  context: KeyEventContext,
) {
  if (!Number.isSafeInteger(fromPosition) || fromPosition < 1) {
    throw new InvalidCommandError(`--from-position must be a log position (a whole number from 1), not ${fromPosition}`);
  }
  const events = await store.readStream(SIGNING_KEYS_STREAM);
  const ring = KeyRing.build(events, { trusted: [current.keyId] });
  const record = ring.key(keyId);
  if (!record) {
    throw new NotFoundError(`no key ${keyId} is published in this log (its keys: ${ring.keys().map((k) => k.keyId).join(', ') || 'none'})`);
  }
  if (keyId === current.keyId) {
    throw new ConflictError(
      `key ${keyId} is the key this engine signs with: a revocation it signs would revoke itself. Publish a replacement (u4ssc keys rotate), configure it, then revoke ${keyId}`,
    );
  }
  if (record.revokedFrom !== undefined) throw new ConflictError(`key ${keyId} is already revoked from position ${record.revokedFrom}`);
  const why = whyNotUsable(ring.key(current.keyId), current);
  if (why) throw new ConflictError(`cannot revoke: ${why}`);
  const result = await store.append(SIGNING_KEYS_STREAM, [keyRevocation(keyId, fromPosition, reason, context)], {
    expectedRevision: events.length - 1,
  });
  return result.events[0]!;
}

/** The SigningKeyRevoked event (its id derives from the key id: a key is revoked once). */
export function keyRevocation(keyId: string, fromPosition: number, reason: string, context: KeyEventContext): NewEvent<SigningKeyRevokedData> {
  const data: SigningKeyRevokedData = { keyId, fromPosition, reason };
  const commandId = derivedId('signing-key-revoked', keyId);
  return { id: derivedId('event', SIGNING_KEYS_STREAM, commandId, 0), type: SIGNING_KEY_REVOKED, data, metadata: metadataFor(commandId, context) };
}

/**
 * The anchor of the unsigned log the first key is published after; null when that log does not verify (the fault
 * stays for `verify` to name; the key is published all the same, so that what follows is signed).
 */
async function anchorOf(store: EventStore): Promise<string | null> {
  const report = await verifyLog(readAllEvents(store, { pageSize: 5000 }));
  return report.anchor;
}

/** Start-up refused: the configured key may not sign this log. */
export class SigningKeyUnusableError extends Error {
  override readonly name = 'SigningKeyUnusableError';
}

/** The SigningKeyPublished event for `key`, with its proof of possession; the store's signer signs the event. */
export function keyPublication(
  key: SigningKey,
  endorsedBy: string | null,
  reason: string,
  context: KeyEventContext,
  how: 'genesis' | 'rotate' | 'adopt' = 'rotate',
  legacyAnchor?: string | null,
): NewEvent<SigningKeyPublishedData> {
  const { keyId, publicKey, fingerprint } = key.info;
  const data: SigningKeyPublishedData = {
    keyId,
    algorithm: 'ed25519',
    publicKey,
    fingerprint,
    proof: key.sign('key-proof', keyProofBody(keyId, publicKey)),
    endorsedBy,
    reason,
    ...(legacyAnchor !== undefined && { legacyAnchor }),
  };
  // Derived from the key id: a key is published once, whoever tries (several instances at first start).
  const commandId = derivedId('signing-key-published', keyId, how === 'genesis' ? 'genesis' : 'later');
  return { id: derivedId('event', SIGNING_KEYS_STREAM, commandId, 0), type: SIGNING_KEY_PUBLISHED, data, metadata: metadataFor(commandId, context) };
}

function metadataFor(commandId: string, context: KeyEventContext): NewEvent['metadata'] {
  return {
    actor: context.actor,
    commandId,
    correlationId: commandId,
    causationId: commandId,
    occurredAt: context.occurredAt,
    machine: { id: 'signing-keys', version: SIGNING_KEYS_MACHINE_VERSION },
    torVersion: TOR_VERSION,
    clauses: [],
  };
}
