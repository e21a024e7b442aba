/**
 * The public half of every signing key the engine has used lives in the log itself, in one stream (docs/integrity.md):
 * an auditor holding only the log (or an export bundle) can check every signature, and a key nobody published, or
 * published without the endorsement of a key already valid, signs nothing that verifies.
 */
export const SIGNING_KEYS_STREAM = 'signing-keys';

export const SIGNING_KEY_PUBLISHED = 'SigningKeyPublished';
export const SIGNING_KEY_REVOKED = 'SigningKeyRevoked';

export interface SigningKeyPublishedData {
  keyId: string;
  algorithm: 'ed25519';
  /** Raw public key, base64url. */
  publicKey: string;
  /** SHA-256 of the raw public key, hex. */
  fingerprint: string;
  /** The new key's own signature (purpose `key-proof`) over `keyProofBody`: whoever published it holds it. */
  proof: string;
  /**
   * The key, valid at this point of the log, that vouches for the new one; the publication event is signed by it.
   * Null for the log's first key (trusted on first use, its fingerprint shown by `verify`) and after a lost key
   * (then trusted only when pinned: `verify --trust-key`), when the event is signed by the new key itself.
   */
  endorsedBy: string | null;
  /** Why: first start, rotation, a lost or leaked key. */
  reason: string;
  /**
   * The log's first key only, when events were stored before it (a log written before signing began): the anchor
   * of those unsigned events, sealed under the key, so that none can be added among them later (`verify` checks it).
   */
  legacyAnchor?: string | null;
}

export interface SigningKeyRevokedData {
  keyId: string;
  /** Events at this position and after signed by the key are not trusted (its publication, if later, neither). */
  fromPosition: number;
  reason: string;
}

export type KeyEvent =
  | { type: typeof SIGNING_KEY_PUBLISHED; data: SigningKeyPublishedData }
  | { type: typeof SIGNING_KEY_REVOKED; data: SigningKeyRevokedData };

export function keyProofBody(keyId: string, publicKey: string): string {
  return `${keyId}\n${publicKey}`;
}
