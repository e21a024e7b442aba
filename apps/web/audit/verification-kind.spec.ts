import { describe, expect, it } from '@jest/globals';
import { renderVerificationKind } from './verification-kind.js';

const at = '2026-05-01T09:00:00.000Z';

describe('what a verification covered', () => {
  it('says an incremental check covered only the events after its checkpoint, and when the whole log was last checked', () => {
    const text = renderVerificationKind({
      kind: 'incremental',
      from: { kind: 'full', ok: true, at, seq: 2001, position: 2001, fault: null },
      lastFull: { kind: 'full', ok: true, at, seq: 2001, position: 2001, fault: null },
      recorded: true,
    }).value;
    expect(text).toContain('Only the events recorded after the verified checkpoint were checked now: the log up to event 2001');
    expect(text).toContain('found only by a full verification');
    expect(text).toMatch(/The last full verification, at .*2026.*, found no fault/);
    expect(text).toContain('name="full" value="true"');
  });

  it('names the fault the last full verification found, and why a full check ran', () => {
    const text = renderVerificationKind({
      kind: 'full',
      from: null,
      fullBecause: 'no verified checkpoint is recorded yet',
      lastFull: { kind: 'full', ok: false, at, seq: 40, position: 41, fault: { kind: 'hash', position: 12, stream: 'partner-P11', detail: 'the event’s content was altered' } },
      recorded: true,
    }).value;
    expect(text).toContain('The whole log was checked now');
    expect(text).toContain('because no verified checkpoint is recorded yet');
    expect(text).toMatch(/The last full verification, at .*, found a fault at position 12 \(hash, stream partner-P11\)/);
  });
});
