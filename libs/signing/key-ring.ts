import type { EventSignature, StoredEvent } from '../envelope/index.js';
import {
  keyProofBody,
  SIGNING_KEY_PUBLISHED,
  SIGNING_KEY_REVOKED,
  SIGNING_KEYS_STREAM,
  type SigningKeyPublishedData,
  type SigningKeyRevokedData,
} from './key-events.js';
import { keyIdOf, VerifyingKey, type PublicKeyInfo } from './signing-key.js';

/** Why a key is trusted, or not. */
export type KeyTrust =
  /** The log's first key, published by itself: trusted on first use (pin its fingerprint to be sure). */
  | 'genesis'
  /** Published with the signature of a key valid at that point. */
  | 'endorsed'
  /** Given by the auditor or the engine's configuration (`--trust-key`, the engine's own key). */
  | 'pinned'
  | 'untrusted';

export interface KeyRecord extends PublicKeyInfo {
  /** Position of the event that published it. */
  publishedAt: number;
  endorsedBy: string | null;
  reason: string;
  trust: KeyTrust;
  /** Why the key is untrusted. */
  untrustedBecause?: string;
  /** Events signed by it at this position and after are refused. */
  revokedFrom?: number;
  revocationReason?: string;
}

export interface KeyEventProblem {
  position: number;
  eventId: string;
  detail: string;
}

export interface KeyRingOptions {
  /** Fingerprints (hex) or key ids the caller trusts whatever the log says (keys published after a lost key). */
  trusted?: readonly string[];
}

export type SignatureCheck = { ok: true; legacy: boolean } | { ok: false; detail: string };

interface Publication {
  event: StoredEvent;
  data: SigningKeyPublishedData;
  key: VerifyingKey;
}

interface Revocation {
  event: StoredEvent;
  data: SigningKeyRevokedData;
}

/**
 * Every key the log has published, with its validity, built from the `signing-keys` stream alone (read before the
 * log is walked, so a revocation recorded late still applies to the events before it). The trust rules
 * (docs/integrity.md):
 * - the first key published is trusted on first use; a later key only when a key valid at its publication
 *   endorses it (signs its publication event), or when the caller pins it;
 * - every publication carries the new key's proof of possession;
 * - a revocation, signed by a trusted key valid where it is recorded, invalidates the key from a position on,
 *   and with it every key it endorsed from there.
 * An event after the first publication must be signed by a trusted key valid at its position; an event before it
 * is a legacy, unsigned event (a log written before signing began), vouched for by the hash chain and anchors only.
 */
export class KeyRing {
  private readonly records = new Map<string, KeyRecord>();
  private readonly verifiers = new Map<string, VerifyingKey>();
  readonly problems: KeyEventProblem[] = [];
  private readonly problemByEvent = new Map<string, string>();
  private firstPublication: number | undefined;
  private readonly legacyAnchors = new Map<string, string>();

  private constructor() {}

  static empty(): KeyRing {
    return new KeyRing();
  }

  /** From the events of the `signing-keys` stream, in revision order. */
  static build(keyEvents: readonly StoredEvent[], options: KeyRingOptions = {}): KeyRing {
    const ring = new KeyRing();
    ring.load(keyEvents, new Set((options.trusted ?? []).map((t) => t.toLowerCase())));
    return ring;
  }

  keys(): KeyRecord[] {
    return [...this.records.values()].sort((a, b) => a.publishedAt - b.publishedAt);
  }

  key(keyId: string): KeyRecord | undefined {
    return this.records.get(keyId);
  }

  /**
   * The anchor the log's first key sealed over the unsigned events before it (key-events.ts), when that key is
   * trusted (genesis or pinned): verify checks it like a published anchor.
   */
  get legacyAnchor(): string | undefined {
    const first = this.firstPublication === undefined ? undefined : this.keys().find((key) => key.publishedAt === this.firstPublication);
    return first && first.trust !== 'untrusted' ? this.legacyAnchors.get(first.keyId) : undefined;
  }

  /** Position of the first key publication; undefined for a log that has never been signed. */
  get signedFrom(): number | undefined {
    return this.firstPublication;
  }

  /** Whether `keyId` may sign an event at `position`. */
  validAt(keyId: string, position: number): boolean {
    const record = this.records.get(keyId);
    return !!record && this.whyInvalid(record, position) === null;
  }

  /** The check of one stored event's signature against the ring (any stream, key events included). */
  checkEvent(event: StoredEvent): SignatureCheck {
    const problem = this.problemByEvent.get(event.id);
    if (problem) return { ok: false, detail: problem };
    return this.checkSignature(event, event.signature);
  }

  private checkSignature(event: StoredEvent, signature: EventSignature | undefined): SignatureCheck {
    if (!signature) {
      if (this.firstPublication === undefined || event.position < this.firstPublication) return { ok: true, legacy: true };
      return {
        ok: false,
        detail: `the event carries no signature, yet the log is signed from position ${this.firstPublication}: it was not written by the engine`,
      };
    }
    const record = this.records.get(signature.keyId);
    const verifier = this.verifiers.get(signature.keyId);
    if (!record || !verifier) {
      return { ok: false, detail: `signed by key ${signature.keyId}, which the log never published` };
    }
    const invalid = this.whyInvalid(record, event.position);
    if (invalid) return { ok: false, detail: `signed by key ${signature.keyId}, which ${invalid}` };
    if (!verifier.verify('event', event.hash, signature.value)) {
      return { ok: false, detail: `the signature by key ${signature.keyId} does not match the event's hash: it was not signed by that key` };
    }
    return { ok: true, legacy: false };
  }

  private whyInvalid(record: KeyRecord, position: number): string | null {
    if (record.trust === 'untrusted') return `is not trusted (${record.untrustedBecause})`;
    if (position < record.publishedAt) return `was published only at position ${record.publishedAt}`;
    if (record.revokedFrom !== undefined && position >= record.revokedFrom) {
      return `is revoked from position ${record.revokedFrom} (${record.revocationReason})`;
    }
    return null;
  }

  private problem(event: StoredEvent, detail: string): void {
    this.problems.push({ position: event.position, eventId: event.id, detail });
    if (!this.problemByEvent.has(event.id)) this.problemByEvent.set(event.id, detail);
  }

  private load(events: readonly StoredEvent[], pinned: ReadonlySet<string>): void {
    const publications: Publication[] = [];
    const revocations: Revocation[] = [];
    for (const event of events) {
      if (event.stream !== SIGNING_KEYS_STREAM) continue;
      if (event.type === SIGNING_KEY_PUBLISHED) {
        const publication = this.parsePublication(event);
        if (publication) publications.push(publication);
      } else if (event.type === SIGNING_KEY_REVOKED) {
        const data = event.data as SigningKeyRevokedData;
        if (typeof data?.keyId !== 'string' || !Number.isSafeInteger(data.fromPosition)) {
          this.problem(event, 'a key revocation must name a key id and the position it applies from');
        } else revocations.push({ event, data });
      } else {
        this.problem(event, `"${event.type}" is not a key event`);
      }
    }
    this.firstPublication = publications[0]?.event.position;
    // Trust and revocations depend on each other (a revoked key's later endorsements fall, a revocation counts only
    // when signed by a key trusted where it is recorded). Revocations are decided one by one in log order, each
    // against the revocations recorded before it: deterministic, a key may revoke itself, and a revocation signed
    // by a key an earlier revocation already invalidated does not count (of two keys revoking each other, the
    // first recorded wins). A fixpoint over all of them at once oscillates on exactly those cases.
    const effective: Revocation[] = [];
    for (const revocation of [...revocations].sort((a, b) => a.event.position - b.event.position)) {
      this.evaluate(publications, effective, pinned);
      const check = this.checkSignature(revocation.event, revocation.event.signature);
      if (check.ok) effective.push(revocation);
      else this.problem(revocation.event, `key revocation not signed by a trusted key valid here: ${check.detail}`);
    }
    this.evaluate(publications, effective, pinned);
    for (const { event, data } of publications) {
      const record = this.records.get(data.keyId);
      if (record?.trust === 'untrusted' && record.publishedAt === event.position) this.problem(event, `key ${data.keyId} ${record.untrustedBecause}`);
    }
  }

  private parsePublication(event: StoredEvent): Publication | undefined {
    const data = event.data as SigningKeyPublishedData;
    let key: VerifyingKey;
    try {
      key = VerifyingKey.fromRaw(data?.publicKey);
    } catch (error) {
      this.problem(event, `the published key is not usable: ${(error as Error).message}`);
      return undefined;
    }
    if (key.info.fingerprint !== data.fingerprint || key.keyId !== data.keyId || keyIdOf(data.fingerprint) !== data.keyId) {
      this.problem(event, `the key id and fingerprint published do not belong to the published key (it is ${key.keyId})`);
      return undefined;
    }
    if (typeof data.proof !== 'string' || !key.verify('key-proof', keyProofBody(data.keyId, data.publicKey), data.proof)) {
      this.problem(event, `key ${data.keyId} is published without a valid proof that its holder published it`);
      return undefined;
    }
    if (this.records.has(data.keyId)) {
      this.problem(event, `key ${data.keyId} is already published`);
      return undefined;
    }
    this.verifiers.set(data.keyId, key);
    if (typeof data.legacyAnchor === 'string') this.legacyAnchors.set(data.keyId, data.legacyAnchor);
    // A placeholder until evaluate(): it marks the key as seen for the duplicate check above.
    this.records.set(data.keyId, { ...key.info, publishedAt: event.position, endorsedBy: data.endorsedBy ?? null, reason: String(data.reason ?? ''), trust: 'untrusted', untrustedBecause: 'not evaluated' });
    return { event, data, key };
  }

  /** Trust of every published key, in publication order, under the given revocations. */
  private evaluate(publications: readonly Publication[], revocations: readonly Revocation[], pinned: ReadonlySet<string>): void {
    for (const [index, { event, data, key }] of publications.entries()) {
      const record: KeyRecord = {
        ...key.info,
        publishedAt: event.position,
        endorsedBy: data.endorsedBy ?? null,
        reason: String(data.reason ?? ''),
        trust: 'untrusted',
      };
      const revoked = revocations.filter((r) => r.data.keyId === data.keyId);
      if (revoked.length > 0) {
        const earliest = revoked.reduce((a, b) => (b.data.fromPosition < a.data.fromPosition ? b : a));
        record.revokedFrom = earliest.data.fromPosition;
        record.revocationReason = earliest.data.reason;
      }
      this.records.set(data.keyId, record);
      if (pinned.has(key.info.fingerprint) || pinned.has(data.keyId.toLowerCase())) {
        record.trust = 'pinned';
      } else if (record.endorsedBy === null) {
        if (index === 0) record.trust = 'genesis';
        else record.untrustedBecause = 'was published without the endorsement of a valid key; pin its fingerprint if it replaced a lost key';
      } else {
        const signedBy = event.signature?.keyId;
        if (signedBy !== record.endorsedBy) {
          record.untrustedBecause = `claims the endorsement of ${record.endorsedBy}, but its publication is signed by ${signedBy ?? 'no key'}`;
        } else {
          const check = this.checkSignature(event, event.signature);
          if (check.ok) record.trust = 'endorsed';
          else record.untrustedBecause = `is endorsed by ${record.endorsedBy}, but ${check.detail}`;
        }
      }
      if (record.trust !== 'untrusted' && record.endorsedBy === null && event.signature?.keyId !== data.keyId) {
        record.trust = 'untrusted';
        record.untrustedBecause = 'its publication is not signed by the key itself';
      }
    }
  }
}

/** A key as verify reports it: for people and for JSON. */
export interface KeySummary {
  keyId: string;
  fingerprint: string;
  trust: KeyTrust;
  publishedAt: number;
  endorsedBy: string | null;
  reason: string;
  revokedFrom?: number;
  untrustedBecause?: string;
}

export function keySummaries(ring: KeyRing): KeySummary[] {
  return ring.keys().map((k) => ({
    keyId: k.keyId,
    fingerprint: k.fingerprint,
    trust: k.trust,
    publishedAt: k.publishedAt,
    endorsedBy: k.endorsedBy,
    reason: k.reason,
    ...(k.revokedFrom !== undefined && { revokedFrom: k.revokedFrom }),
    ...(k.untrustedBecause !== undefined && { untrustedBecause: k.untrustedBecause }),
  }));
}
