import { describe, expect, it } from '@jest/globals';
import type { Ground, StoredEvent } from '../envelope/index.js';
import { testEvent, testMetadata } from '../event-store/contract/test-events.js';
import { MemoryEventStore } from '../event-store/index.js';
import { containsClaim, GroundsCheck, storeLookup } from './grounds-check.js';

const cite = (event: StoredEvent, over: Partial<Ground> = {}): Ground => ({ stream: event.stream, revision: event.revision, hash: event.hash, type: event.type, ...over });

/** A store holding a decided ballot, and a check fed the event that cites it with `grounds`. */
async function citing(grounds: (decided: StoredEvent) => unknown[]) {
  const store = new MemoryEventStore();
  const [decided] = (
    await store.append('ballot-b1', [testEvent({ type: 'BallotDecided', data: { ballotId: 'b1', outcome: 'rejected', subject: { kind: 'appointment', reference: 'chair:p-1' } } })], {
      expectedRevision: 'no-stream',
    })
  ).events;
  const metadata = { ...testMetadata(), grounds: grounds(decided!) } as StoredEvent['metadata'];
  const [appointed] = (await store.append('office-chair', [testEvent({ type: 'HolderAppointed', data: {}, metadata })], { expectedRevision: 'no-stream' })).events;
  const check = new GroundsCheck();
  check.observe(decided!);
  check.observe(appointed!);
  return { store, decided: decided!, appointed: appointed!, result: await check.check(storeLookup(store)) };
}

describe('containsClaim', () => {
  it('holds for a deep subset, arrays compared whole, and not for a differing or missing value', () => {
    const data = { outcome: 'approved', subject: { kind: 'appointment', reference: 'chair:p-1', title: 'x' }, electorate: ['FAO', 'ITU'] };
    expect(containsClaim(data, { outcome: 'approved', subject: { reference: 'chair:p-1' } })).toBe(true);
    expect(containsClaim(data, { electorate: ['FAO', 'ITU'] })).toBe(true);
    expect(containsClaim(data, {})).toBe(true);
    expect(containsClaim(data, { outcome: 'rejected' })).toBe(false);
    expect(containsClaim(data, { electorate: ['FAO'] })).toBe(false);
    expect(containsClaim(data, { subject: { kind: 'workplan' } })).toBe(false);
    expect(containsClaim(data, { tally: { yes: 1 } })).toBe(false);
    expect(containsClaim('approved', { outcome: 'approved' })).toBe(false);
  });
});

describe('GroundsCheck', () => {
  it('passes a ground that names the event as stored, with a claim its data holds', async () => {
    const { result } = await citing((decided) => [cite(decided, { claim: { outcome: 'rejected', subject: { reference: 'chair:p-1' } } })]);
    expect(result).toEqual({ fault: null, checked: 1, unchecked: 0 });
  });

  it('names the citing event when the cited hash is not the stored one', async () => {
    const { appointed, result } = await citing((decided) => [cite(decided, { hash: 'f'.repeat(64) })]);
    expect(result.fault).toMatchObject({ kind: 'grounds', eventId: appointed.id, stream: 'office-chair', revision: 0 });
    expect(result.fault!.detail).toMatch(/HolderAppointed at office-chair@0 .*cites BallotDecided at ballot-b1@0 with hash ffffffffffff…, but the event there has hash/);
  });

  it('faults a cited event the log does not hold, of another type, or whose data does not say what is claimed', async () => {
    const missing = await citing((decided) => [cite(decided, { revision: 7 })]);
    expect(missing.result.fault?.detail).toMatch(/cites BallotDecided at ballot-b1@7, which the log does not hold/);
    const otherStream = await citing((decided) => [cite(decided, { stream: 'ballot-b2' })]);
    expect(otherStream.result.fault?.detail).toMatch(/which the log does not hold/);
    const type = await citing((decided) => [cite(decided, { type: 'BallotOpened' })]);
    expect(type.result.fault?.detail).toMatch(/cites BallotOpened at ballot-b1@0, but the event there is BallotDecided/);
    const claim = await citing((decided) => [cite(decided, { claim: { outcome: 'approved' } })]);
    expect(claim.result.fault?.detail).toMatch(/as saying \{"outcome":"approved"\}, which its data does not say/);
  });

  it('faults a ground that cites the citing event itself (not before it) and grounds that are not grounds', async () => {
    const store = new MemoryEventStore();
    const [first] = (await store.append('s', [testEvent()], { expectedRevision: 'no-stream' })).events;
    const self: Ground = { stream: 's', revision: 1, hash: 'unknown', type: 'TestHappened' };
    const [second] = (await store.append('s', [testEvent({ type: 'TestHappened', metadata: { ...testMetadata(), grounds: [self] } })], { expectedRevision: 0 })).events;
    const fixed = { ...self, hash: second!.hash };
    const check = new GroundsCheck();
    check.observe({ ...second!, metadata: { ...second!.metadata, grounds: [fixed] } });
    expect((await check.check(storeLookup(store))).fault?.detail).toMatch(/\(position 2\), which is not before it \(position 2\)/);

    const malformed = new GroundsCheck();
    malformed.observe({ ...first!, metadata: { ...first!.metadata, grounds: [{ stream: 's' }] as never } });
    expect((await malformed.check(storeLookup(store))).fault?.detail).toMatch(/cites a ground that is not one/);
    const notAList = new GroundsCheck();
    notAList.observe({ ...first!, metadata: { ...first!.metadata, grounds: 'ballot-b1' as never } });
    expect((await notAList.check(storeLookup(store))).fault?.detail).toMatch(/its grounds are not a list/);
  });

  it('counts a cited event outside what the reader holds as unchecked, not as a fault', async () => {
    const { decided, appointed } = await citing((event) => [cite(event)]);
    const check = new GroundsCheck();
    check.observe(appointed);
    expect(await check.check(async () => 'outside')).toEqual({ fault: null, checked: 0, unchecked: 1 });
    expect(decided.metadata.grounds).toBeUndefined();
  });
});
