import { describe, expect, it } from '@jest/globals';
import type { AuditReport } from '../../../libs/audit/verify-store.js';
import { renderVerifyStatus } from './verify-status.js';

const clean: AuditReport = {
  ok: true,
  events: 21,
  streams: 7,
  head: { position: 21, seq: 21, hash: 'h'.repeat(64), ledgerHash: 'l'.repeat(64) },
  anchor: 'u4ssc-anchor:21:9651f39254c9d3cab4ab2c7377b19048',
  anchors: [],
  fault: null,
  machines: [{ id: 'workplan', version: 1, events: 9 }],
};

describe('the verify status', () => {
  it('gives the four verdicts (chain, signatures, ledger, machines) and the head anchor of a log that verifies', () => {
    const text = renderVerifyStatus(clean).value;
    expect(text).toContain('✓ Verified');
    expect(text.match(/✓ passes/g)).toHaveLength(4);
    expect(text).toContain('no signing key is published');
    const signed = renderVerifyStatus({
      ...clean,
      signatures: { legacyUnsigned: 3, signed: 18 },
      keys: [{ keyId: 'ed25519:0123456789abcdef', fingerprint: 'f'.repeat(64), trust: 'genesis', publishedAt: 4, endorsedBy: null, reason: 'first start' }],
    }).value;
    expect(signed).toContain('ed25519:0123456789abcdef genesis');
    expect(signed).toContain('3 earlier events are unsigned (written before signing began)');
    expect(text).toContain('<code class="anchor" id="head-anchor">u4ssc-anchor:21:9651f39254c9d3cab4ab2c7377b19048</code>');
    expect(text).toContain('workplan v1 (9 events)');
  });

  it('names a signature fault under its own verdict', () => {
    const text = renderVerifyStatus({
      ...clean,
      ok: false,
      anchor: null,
      fault: { kind: 'signature', position: 9, stream: 'ballot-b', revision: 4, eventId: 'e-9', detail: 'the event carries no signature' },
    }).value;
    expect(text).toContain('<strong>Signatures</strong>: see the fault below');
    expect(text).toContain('the engine did not write it');
    expect(text.match(/✗ fails/g)).toHaveLength(1);
  });

  it('names a fault plainly, where it is and which check fails, and gives no anchor', () => {
    const report: AuditReport = {
      ...clean,
      ok: false,
      events: 11,
      anchor: null,
      fault: { kind: 'machine', position: 12, stream: 'ballot-b<1>', revision: 3, eventId: 'e-12', detail: 'VoteCast is not allowed in state closed' },
      anchors: [{ anchor: 'u4ssc-anchor:30:abcdefabcdefabcd', status: 'unchecked' }],
    };
    const text = renderVerifyStatus(report).value;
    expect(text).toContain('✗ Fault found');
    expect(text).toContain('<strong>Machine legality</strong>: see the fault below');
    expect(text).toContain('an event is not a step its process’s pinned machine allows from the state before it');
    expect(text).toContain('stream <a href="/audit/processes/ballot-b%3C1%3E">ballot-b&lt;1&gt;</a>, revision 3');
    expect(text).toContain('VoteCast is not allowed in state closed');
    expect(text).toContain('none: an anchor is given only when the whole log verifies');
    expect(text).toContain('not checked: an earlier fault stopped the check before its event');
    expect(text).toContain('✓ passes</span> <strong>Ledger</strong>: see the anchors checked below'); // not reached: not a mismatch
    const changed = renderVerifyStatus({ ...report, fault: null, anchors: [{ anchor: 'u4ssc-anchor:3:abcdefabcdefabcd', status: 'mismatch' }] }).value;
    expect(changed).toContain('✗ fails</span> <strong>Ledger</strong>');
    expect(changed).toContain('does not match: the record up to it was changed since it was published');
  });
});
