import { createPrivateKey, createPublicKey, generateKeyPairSync, hash, sign, verify, type KeyObject } from 'node:crypto';

/**
 * The engine's signing key (docs/integrity.md): an Ed25519 key that never lives in the database. Whoever can write
 * to the database but does not hold this key cannot make an event, a snapshot or a key publication that verifies.
 *
 * What is signed is always a short, domain-separated text, so a signature made for one purpose (an event's hash)
 * can never be replayed as another (a snapshot, a key's proof of possession).
 */
export type SignaturePurpose = 'event' | 'snapshot' | 'key-proof' | 'verify-checkpoint';

const DOMAIN: Record<SignaturePurpose, string> = {
  event: 'u4ssc-event-signature/v1\n',
  snapshot: 'u4ssc-snapshot-signature/v1\n',
  'key-proof': 'u4ssc-key-proof/v1\n',
  'verify-checkpoint': 'u4ssc-verify-checkpoint/v1\n',
};

export function signedMessage(purpose: SignaturePurpose, body: string): Buffer {
  return Buffer.from(DOMAIN[purpose] + body, 'utf8');
}

/** A public key as the log publishes it: raw 32 bytes, base64url. */
export interface PublicKeyInfo {
  keyId: string;
  /** Raw Ed25519 public key, base64url (32 bytes). */
  publicKey: string;
  /** SHA-256 of the raw public key, hex: what an operator publishes out of band and auditors pin (`--trust-key`). */
  fingerprint: string;
}

/** The key id is the first 16 hex digits of the fingerprint: stable, derived, and short enough to read aloud. */
export function keyIdOf(fingerprint: string): string {
  return `ed25519:${fingerprint.slice(0, 16)}`;
}

export function publicKeyInfo(publicKey: KeyObject): PublicKeyInfo {
  const raw = rawPublicKey(publicKey);
  const fingerprint = hash('sha256', raw, 'hex');
  return { keyId: keyIdOf(fingerprint), publicKey: raw.toString('base64url'), fingerprint };
}

function rawPublicKey(publicKey: KeyObject): Buffer {
  const jwk = publicKey.export({ format: 'jwk' });
  if (jwk.kty !== 'OKP' || jwk.crv !== 'Ed25519' || typeof jwk.x !== 'string') {
    throw new TypeError('the signing key must be an Ed25519 key');
  }
  return Buffer.from(jwk.x, 'base64url');
}

/** A published public key, ready to check signatures. */
export class VerifyingKey {
  readonly info: PublicKeyInfo;
  private readonly key: KeyObject;

  private constructor(key: KeyObject) {
    this.key = key;
    this.info = publicKeyInfo(key);
  }

  /** From the raw 32 bytes, base64url, as a key event publishes it; throws a TypeError on anything else. */
  static fromRaw(publicKey: string): VerifyingKey {
    const raw = Buffer.from(publicKey, 'base64url');
    if (raw.length !== 32 || raw.toString('base64url') !== publicKey) {
      throw new TypeError('a published Ed25519 key is 32 bytes, base64url');
    }
    return new VerifyingKey(createPublicKey({ key: { kty: 'OKP', crv: 'Ed25519', x: publicKey }, format: 'jwk' }));
  }

  static fromKeyObject(key: KeyObject): VerifyingKey {
    return new VerifyingKey(key.type === 'private' ? createPublicKey(key) : key);
  }

  get keyId(): string {
    return this.info.keyId;
  }

  verify(purpose: SignaturePurpose, body: string, signature: string): boolean {
    const bytes = Buffer.from(signature, 'base64url');
    if (bytes.length !== 64) return false;
    try {
      return verify(null, signedMessage(purpose, body), this.key, bytes);
    } catch {
      return false;
    }
  }
}

/** The private half: only the engine holds it, read from a file or key material named in the configuration. */
export class SigningKey {
  readonly verifying: VerifyingKey;

  private constructor(private readonly key: KeyObject) {
    this.verifying = VerifyingKey.fromKeyObject(key);
  }

  static generate(): SigningKey {
    return new SigningKey(generateKeyPairSync('ed25519').privateKey);
  }

  /** From a PKCS#8 PEM (what `generate().toPem()` writes); a TypeError saying what is wrong otherwise. */
  static fromPem(pem: string): SigningKey {
    let key: KeyObject;
    try {
      key = createPrivateKey(pem);
    } catch (error) {
      throw new TypeError(`not a private key in PEM form: ${(error as Error).message}`);
    }
    if (key.asymmetricKeyType !== 'ed25519') {
      throw new TypeError(`the signing key must be Ed25519, not ${key.asymmetricKeyType ?? 'unknown'}`);
    }
    return new SigningKey(key);
  }

  toPem(): string {
    return this.key.export({ format: 'pem', type: 'pkcs8' }).toString();
  }

  get keyId(): string {
    return this.verifying.keyId;
  }

  get info(): PublicKeyInfo {
    return this.verifying.info;
  }

  /** base64url Ed25519 signature over the purpose's domain and `body`. */
  sign(purpose: SignaturePurpose, body: string): string {
    return sign(null, signedMessage(purpose, body), this.key).toString('base64url');
  }
}
