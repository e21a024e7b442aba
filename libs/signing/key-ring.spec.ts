import { describe, expect, it } from '@jest/globals';
import { chainEvents, GENESIS_HASH, verifyLog, type EventSigner, type NewEvent, type StoredEvent } from '../envelope/index.js';
import { normaliseEvent } from '../event-store/append-rules.js';
import { testEvent } from '../event-store/contract/test-events.js';
import { SIGNING_KEYS_STREAM, type SigningKeyPublishedData } from './key-events.js';
import { ENGINE_ACTOR, keyPublication, keyRevocation } from './key-publication.js';
import { KeyRing } from './key-ring.js';
import { SigningKey } from './signing-key.js';

const context = { actor: ENGINE_ACTOR, occurredAt: '2026-01-01T00:00:00.000Z' };

/** A log built event by event, positions 1, 2, 3…, each append signed by the signer given (or unsigned). */
class Log {
  readonly events: StoredEvent[] = [];
  append(stream: string, events: NewEvent[], signer?: EventSigner): StoredEvent[] {
    const tail = this.events.filter((event) => event.stream === stream).at(-1);
    const placed = chainEvents(stream, tail?.revision ?? -1, tail?.hash ?? GENESIS_HASH, events.map(normaliseEvent), signer).map(
      (event, index): StoredEvent => ({ ...event, position: this.events.length + index + 1 }),
    );
    this.events.push(...placed);
    return placed;
  }
  business(signer?: EventSigner): StoredEvent {
    return this.append('partner-ITU', [testEvent()], signer)[0]!;
  }
  publish(key: SigningKey, endorsedBy: string | null, signer: EventSigner): StoredEvent {
    return this.append(SIGNING_KEYS_STREAM, [keyPublication(key, endorsedBy, 'test', context)], signer)[0]!;
  }
  revoke(keyId: string, fromPosition: number, signer: EventSigner): StoredEvent {
    return this.append(SIGNING_KEYS_STREAM, [keyRevocation(keyId, fromPosition, 'test', context)], signer)[0]!;
  }
  ring(trusted: string[] = []): KeyRing {
    return KeyRing.build(this.events.filter((event) => event.stream === SIGNING_KEYS_STREAM), { trusted });
  }
}

const check = (ring: KeyRing, event: StoredEvent) => ring.checkEvent(event);

describe('KeyRing', () => {
  it('trusts the first key published by itself (genesis); earlier unsigned events are legacy, later ones are not', () => {
    const log = new Log();
    const key = SigningKey.generate();
    const legacy = log.business();
    const genesis = log.publish(key, null, key);
    const signed = log.business(key);
    const unsigned = log.business();
    const ring = log.ring();
    expect(ring.signedFrom).toBe(genesis.position);
    expect(ring.keys()).toMatchObject([{ keyId: key.keyId, fingerprint: key.info.fingerprint, trust: 'genesis', publishedAt: 2, endorsedBy: null }]);
    expect(check(ring, legacy)).toEqual({ ok: true, legacy: true });
    expect(check(ring, genesis)).toEqual({ ok: true, legacy: false });
    expect(check(ring, signed)).toEqual({ ok: true, legacy: false });
    expect(check(ring, unsigned)).toMatchObject({ ok: false, detail: expect.stringMatching(/carries no signature, yet the log is signed from position 2/) });
  });

  it('trusts a key endorsed by a valid key (rotation), and what it signs from its publication on', () => {
    const log = new Log();
    const [first, second] = [SigningKey.generate(), SigningKey.generate()];
    log.publish(first, null, first);
    const early = log.business(second);
    log.publish(second, first.keyId, first);
    const late = log.business(second);
    const ring = log.ring();
    expect(ring.key(second.keyId)).toMatchObject({ trust: 'endorsed', endorsedBy: first.keyId });
    expect(check(ring, late)).toEqual({ ok: true, legacy: false });
    expect(check(ring, early)).toMatchObject({ ok: false, detail: expect.stringMatching(/was published only at position 3/) });
  });

  it('leaves an unendorsed later key (adopted after a lost one) untrusted unless pinned by fingerprint or key id', () => {
    const log = new Log();
    const [lost, adopted] = [SigningKey.generate(), SigningKey.generate()];
    log.publish(lost, null, lost);
    const publication = log.publish(adopted, null, adopted);
    const after = log.business(adopted);
    const ring = log.ring();
    expect(ring.key(adopted.keyId)).toMatchObject({ trust: 'untrusted', untrustedBecause: expect.stringMatching(/without the endorsement of a valid key/) });
    expect(check(ring, publication).ok).toBe(false);
    expect(check(ring, after)).toMatchObject({ ok: false, detail: expect.stringMatching(/is not trusted/) });
    for (const pin of [adopted.info.fingerprint, adopted.keyId]) {
      const pinned = log.ring([pin]);
      expect(pinned.key(adopted.keyId)!.trust).toBe('pinned');
      expect(check(pinned, publication)).toEqual({ ok: true, legacy: false });
      expect(check(pinned, after)).toEqual({ ok: true, legacy: false });
    }
  });

  it('refuses what a key signs from its revocation position on, and keeps what it signed before', () => {
    const log = new Log();
    const [old, next] = [SigningKey.generate(), SigningKey.generate()];
    log.publish(old, null, old);
    const before = log.business(old);
    log.publish(next, old.keyId, old);
    const leaked = log.business(old);
    log.revoke(old.keyId, leaked.position, next);
    const ring = log.ring();
    expect(ring.key(old.keyId)).toMatchObject({ revokedFrom: leaked.position, revocationReason: 'test' });
    expect(check(ring, before)).toEqual({ ok: true, legacy: false });
    expect(check(ring, leaked)).toMatchObject({ ok: false, detail: expect.stringMatching(new RegExp(`is revoked from position ${leaked.position}`)) });
  });

  it('revokes, with a key, the keys it endorsed from the revocation position on', () => {
    const log = new Log();
    const [old, next] = [SigningKey.generate(), SigningKey.generate()];
    log.publish(old, null, old);
    log.publish(next, old.keyId, old);
    const byNext = log.business(next);
    const adopted = SigningKey.generate();
    log.publish(adopted, null, adopted);
    log.revoke(old.keyId, 1, adopted);
    const ring = log.ring([adopted.keyId]);
    expect(ring.key(next.keyId)).toMatchObject({ trust: 'untrusted', untrustedBecause: expect.stringMatching(/revoked from position 1/) });
    expect(check(ring, byNext).ok).toBe(false);
  });

  it('ignores a revocation not signed by a trusted key, naming it', () => {
    const log = new Log();
    const [key, attacker] = [SigningKey.generate(), SigningKey.generate()];
    log.publish(key, null, key);
    const forged = log.revoke(key.keyId, 1, attacker);
    const ring = log.ring();
    expect(ring.key(key.keyId)!.revokedFrom).toBeUndefined();
    expect(check(ring, forged)).toMatchObject({ ok: false, detail: expect.stringMatching(/key revocation not signed by a trusted key/) });
  });

  it('applies a key revoking itself (a holder disowning a leaked key), whatever the order of the rounds', () => {
    const log = new Log();
    const [key, next] = [SigningKey.generate(), SigningKey.generate()];
    log.publish(key, null, key);
    log.publish(next, key.keyId, key);
    const leaked = log.business(key);
    log.revoke(key.keyId, leaked.position, key);
    const ring = log.ring();
    expect(ring.key(key.keyId)!.revokedFrom).toBe(leaked.position);
    expect(check(ring, leaked).ok).toBe(false);
    expect(ring.problems).toEqual([]);
  });

  it('decides revocations in log order: one recorded by a key already revoked by an earlier one does not count', () => {
    const log = new Log();
    const [old, next] = [SigningKey.generate(), SigningKey.generate()];
    log.publish(old, null, old);
    log.publish(next, old.keyId, old);
    const signedByNext = log.business(next);
    // The operator revokes the old key from after its endorsement of the new one (from before it, the endorsement
    // would fall too); whoever holds a copy of the old key then tries to revoke the new one.
    log.revoke(old.keyId, signedByNext.position, next);
    const counter = log.revoke(next.keyId, 1, old);
    const ring = log.ring();
    expect(ring.key(next.keyId)!.revokedFrom).toBeUndefined();
    expect(ring.key(old.keyId)!.revokedFrom).toBe(signedByNext.position);
    expect(check(ring, signedByNext)).toEqual({ ok: true, legacy: false });
    expect(check(ring, counter)).toMatchObject({ ok: false, detail: expect.stringMatching(/key revocation not signed by a trusted key/) });
  });

  it('refuses a forged publication: claimed endorsement, signed by the new key itself', () => {
    const log = new Log();
    const [key, attacker] = [SigningKey.generate(), SigningKey.generate()];
    log.publish(key, null, key);
    const forged = log.publish(attacker, key.keyId, attacker);
    const vote = log.business(attacker);
    const ring = log.ring();
    expect(ring.key(attacker.keyId)).toMatchObject({ trust: 'untrusted', untrustedBecause: expect.stringMatching(new RegExp(`claims the endorsement of ${key.keyId}, but its publication is signed by ${attacker.keyId}`)) });
    expect(check(ring, forged).ok).toBe(false);
    expect(check(ring, vote).ok).toBe(false);
  });

  it('refuses a key published twice, and a publication without a valid proof of possession', () => {
    const log = new Log();
    const [key, other] = [SigningKey.generate(), SigningKey.generate()];
    log.publish(key, null, key);
    const again = log.publish(key, key.keyId, key);
    const unproven = keyPublication(other, key.keyId, 'test', context);
    const { proof: _proof, ...withoutProof } = unproven.data;
    const [noProof] = log.append(SIGNING_KEYS_STREAM, [{ ...unproven, data: withoutProof as SigningKeyPublishedData }], key);
    const ring = log.ring();
    expect(check(ring, again)).toMatchObject({ ok: false, detail: expect.stringMatching(/already published/) });
    expect(check(ring, noProof!)).toMatchObject({ ok: false, detail: expect.stringMatching(/without a valid proof/) });
    expect(ring.key(other.keyId)).toBeUndefined();
  });

  it('refuses a signature copied from another event, and one by a key the log never published', () => {
    const log = new Log();
    const [key, stranger] = [SigningKey.generate(), SigningKey.generate()];
    log.publish(key, null, key);
    const honest = log.business(key);
    const copied = { ...log.business(), signature: honest.signature };
    const ring = log.ring();
    expect(check(ring, copied)).toMatchObject({ ok: false, detail: expect.stringMatching(/does not match the event's hash/) });
    expect(check(ring, log.business(stranger))).toMatchObject({ ok: false, detail: expect.stringMatching(/which the log never published/) });
  });

  it('gives verifyLog a signature fault naming the first bad event, and counts the legacy ones', async () => {
    const log = new Log();
    const key = SigningKey.generate();
    log.business();
    log.business();
    log.publish(key, null, key);
    log.business(key);
    expect(await verifyLog(log.events, { signatures: log.ring() })).toMatchObject({ ok: true, signatures: { legacyUnsigned: 2, signed: 2 } });
    const forged = log.business();
    log.business(key);
    const report = await verifyLog(log.events, { signatures: log.ring() });
    expect(report).toMatchObject({ ok: false, events: 4, fault: { kind: 'signature', eventId: forged.id, position: forged.position } });
    // Without a signature check the same log passes: the chain alone cannot tell who wrote an event.
    expect((await verifyLog(log.events)).ok).toBe(true);
  });
});
