import { createHash } from 'node:crypto';
import { describe, expect, it } from '@jest/globals';
import { canonicalJson } from './canonical-json.js';
import { chainEvents, eventHash, eventHashMismatch, GENESIS_HASH } from './hash-chain.js';
import type { NewEvent, StoredEvent } from './envelope.js';
import { LEDGER_GENESIS, nextLedgerHash, parseAnchor } from './ledger.js';
import { verifyLog } from './verify.js';

/** The ledger by its definition, written out independently of verifyLog: L_n = SHA-256(L_{n-1} ‖ hash_n). */
function ledgerOf(events: readonly StoredEvent[]): string {
  return events.reduce(
    (previous, event) =>
      createHash('sha256').update(Buffer.concat([Buffer.from(previous, 'hex'), Buffer.from(event.hash, 'hex')])).digest('hex'),
    '0'.repeat(64),
  );
}

const meta = (commandId: string): NewEvent['metadata'] => ({
  actor: { id: 'sec-1', role: 'secretariat' },
  commandId,
  correlationId: commandId,
  causationId: commandId,
  occurredAt: '2026-01-01T00:00:00.000Z',
  machine: { id: 'partner', version: 1 },
  torVersion: '2023',
  clauses: ['¶12'],
});

function log(): StoredEvent[] {
  const a = chainEvents('partner-ITU', -1, GENESIS_HASH, [
    { id: 'e1', type: 'PartnerRegistered', data: { name: 'ITU' }, metadata: meta('c1') },
  ]);
  const b = chainEvents('partner-FAO', -1, GENESIS_HASH, [
    { id: 'e2', type: 'PartnerRegistered', data: { name: 'FAO' }, metadata: meta('c2') },
  ]);
  const c = chainEvents('partner-ITU', 0, a[0]!.hash, [
    { id: 'e3', type: 'PartnerWithdrawn', data: { reason: 'x' }, metadata: meta('c3') },
  ]);
  return [...a, ...b, ...c].map((event, index) => ({ ...event, position: index + 1 }));
}

describe('verifyLog', () => {
  it('accepts an untouched log and reports counts and head', async () => {
    const events = log();
    const report = await verifyLog(events);
    const ledgerHash = ledgerOf(events);
    expect(report).toEqual({
      ok: true,
      events: 3,
      streams: 2,
      head: { position: 3, seq: 3, hash: events[2]!.hash, ledgerHash },
      anchor: `u4ssc-anchor:3:${ledgerHash.slice(0, 32)}`,
      anchors: [],
      fault: null,
    });
  });

  it('names the event whose data was altered', async () => {
    const events = log();
    events[1] = { ...events[1]!, data: { name: 'FAO (edited)' } };
    const report = await verifyLog(events);
    expect(report.ok).toBe(false);
    expect(report.fault).toMatchObject({ kind: 'hash', eventId: 'e2', position: 2 });
    expect(report.events).toBe(1);
  });

  it('catches a rehashed event through the next link of its stream', async () => {
    const events = log();
    const altered = chainEvents('partner-ITU', -1, GENESIS_HASH, [{ ...events[0]!, data: { name: 'ITU!' } }]);
    events[0] = { ...altered[0]!, position: 1 };
    const report = await verifyLog(events);
    expect(report.fault).toMatchObject({ kind: 'chain', eventId: 'e3' });
  });

  it('catches a removed event as a revision gap', async () => {
    const events = log().filter((event) => event.id !== 'e1');
    expect((await verifyLog(events)).fault).toMatchObject({ kind: 'revision', eventId: 'e3' });
  });

  it('catches reordered positions', async () => {
    const events = log();
    events[2] = { ...events[2]!, position: 1 };
    expect((await verifyLog(events)).fault).toMatchObject({ kind: 'position', eventId: 'e3' });
  });

  it('catches a whole log rewritten consistently only against a published anchor, naming the anchored event', async () => {
    const events = log();
    const anchor = (await verifyLog(events)).anchor!;
    // Rewrite: FAO's registration edited and rehashed; nothing after it in its stream to relink.
    const forged = chainEvents('partner-FAO', -1, GENESIS_HASH, [{ ...events[1]!, data: { name: 'FAO (forged)' } }]);
    const rewritten = [events[0]!, { ...forged[0]!, position: 2 }, events[2]!];
    expect((await verifyLog(rewritten)).ok).toBe(true);
    const report = await verifyLog(rewritten, { anchors: [parseAnchor(anchor)] });
    expect(report.ok).toBe(false);
    expect(report.fault).toMatchObject({ kind: 'anchor', position: 3, eventId: 'e3' });
    expect(report.anchors).toEqual([{ anchor, status: 'mismatch' }]);
    expect(report.anchor).toBeNull();
  });

  it('says the change lies after the last anchor that still matches', async () => {
    const events = log();
    const early = `u4ssc-anchor:1:${nextLedgerHash(LEDGER_GENESIS, events[0]!.hash).slice(0, 20)}`;
    const late = (await verifyLog(events)).anchor!;
    const forged = chainEvents('partner-FAO', -1, GENESIS_HASH, [{ ...events[1]!, data: { name: 'x' } }]);
    const report = await verifyLog([events[0]!, { ...forged[0]!, position: 2 }, events[2]!], {
      anchors: [parseAnchor(late), parseAnchor(early)],
    });
    expect(report.anchors.map((check) => check.status)).toEqual(['matched', 'mismatch']);
    expect(report.fault!.detail).toMatch(/anchor at event 1 still matches/);
  });

  it('catches a removed anchored event and a log cut short before an anchor', async () => {
    const events = log();
    const anchorAt2 = `2:${ledgerOf(events.slice(0, 2))}`;
    // A whole stream removed (FAO's only event): every remaining stream is whole on its own.
    const withoutSecond = [events[0]!, events[2]!];
    expect((await verifyLog(withoutSecond)).ok).toBe(true);
    expect((await verifyLog(withoutSecond, { anchors: [parseAnchor(anchorAt2)] })).fault).toMatchObject({
      kind: 'anchor',
      eventId: 'e3',
      position: 3,
      detail: expect.stringMatching(/the ledger at event 2 of the log \(position 3\)/),
    });
    const cut = await verifyLog(events.slice(0, 1), { anchors: [parseAnchor(anchorAt2)] });
    expect(cut.fault).toMatchObject({ kind: 'anchor', eventId: 'e1', detail: expect.stringMatching(/holds 1 events, fewer than the 2 anchored/) });
    expect(cut.anchors[0]!.status).toBe('beyond-head');
  });

  it('numbers anchors by the events, not their positions: the same log in another store keeps its anchors', async () => {
    const events = log();
    const anchor = (await verifyLog(events)).anchor!;
    const moved = events.map((event, index) => ({ ...event, position: 1000 + 65536 * index }));
    expect((await verifyLog(moved)).anchor).toBe(anchor);
    expect((await verifyLog(moved, { anchors: [parseAnchor(anchor)] })).ok).toBe(true);
  });

  it('accepts the anchors the log does contain', async () => {
    const events = log();
    const report = await verifyLog(events, { anchors: [parseAnchor(`2:${ledgerOf(events.slice(0, 2)).slice(0, 16)}`)] });
    expect(report.ok).toBe(true);
    expect(report.anchors[0]!.status).toBe('matched');
  });

  it('reports an event its legality check refuses as a machine fault', async () => {
    const report = await verifyLog(log(), { legality: (event) => (event.type === 'PartnerWithdrawn' ? 'not allowed' : null) });
    expect(report.fault).toMatchObject({ kind: 'machine', eventId: 'e3', detail: 'not allowed' });
    expect(report.events).toBe(2);
  });

  it('reports an event its signature check refuses as a signature fault, before its legality, and counts legacy events', async () => {
    const signatures = (event: StoredEvent) =>
      event.id === 'e3' ? { ok: false as const, detail: 'unsigned' } : { ok: true as const, legacy: event.id === 'e1' };
    const report = await verifyLog(log(), { signatures, legality: () => 'illegal too' });
    expect(report.fault).toMatchObject({ kind: 'machine', eventId: 'e1' });
    const signedOnly = await verifyLog(log(), { signatures });
    expect(signedOnly).toMatchObject({ ok: false, events: 2, fault: { kind: 'signature', eventId: 'e3', detail: 'unsigned' }, signatures: { legacyUnsigned: 1, signed: 1 } });
    const first = await verifyLog(log(), { signatures: { checkEvent: () => ({ ok: false, detail: 'no key' }) }, legality: () => 'illegal' });
    expect(first.fault).toMatchObject({ kind: 'signature', eventId: 'e1', detail: 'no key' });
    expect((await verifyLog(log())).signatures).toBeUndefined();
  });

  it('starts a stream mid-chain where told to (a partial bundle)', async () => {
    const events = log();
    const starts = new Map([['partner-ITU', { revision: 0, hash: events[0]!.hash }]]);
    expect((await verifyLog([events[2]!], { starts })).ok).toBe(true);
    expect((await verifyLog([events[2]!])).fault).toMatchObject({ kind: 'revision' });
  });

  it('resumes after a checkpoint: counts on from its sequence number and continues its ledger, to the same head and anchor', async () => {
    const events = log();
    const whole = await verifyLog(events);
    const first = await verifyLog(events.slice(0, 2));
    const resumeFrom = { position: first.head!.position, seq: first.head!.seq, hash: first.head!.hash, ledgerHash: first.head!.ledgerHash };
    const starts = new Map([['partner-ITU', { revision: 0, hash: events[0]!.hash }]]);
    const rest = await verifyLog(events.slice(2), { starts, resumeFrom });
    expect(rest).toMatchObject({ ok: true, events: 1, head: whole.head, anchor: whole.anchor });
    // Nothing after the checkpoint: its own head, and its anchor.
    expect(await verifyLog([], { resumeFrom })).toMatchObject({ ok: true, events: 0, head: first.head, anchor: first.anchor });
    // An event at or before the checkpoint's position is out of order; anchors at or before it are left unchecked.
    expect((await verifyLog([{ ...events[2]!, position: 2 }], { starts, resumeFrom })).fault).toMatchObject({ kind: 'position', detail: 'position 2 does not follow 2' });
    const anchors = [parseAnchor(first.anchor!), parseAnchor(whole.anchor!)];
    expect((await verifyLog(events.slice(2), { starts, resumeFrom, anchors })).anchors).toEqual([
      { anchor: expect.stringContaining(':2:'), status: 'unchecked' },
      { anchor: expect.stringContaining(':3:'), status: 'matched' },
    ]);
  });
});

describe('verifyLog, reading events as a store returns them', () => {
  /** The events as parsed back from canonical text (what a store keeps once normaliseEvent sorts the keys). */
  const stored = () => log().map((event) => JSON.parse(canonicalJson(event)) as StoredEvent);

  it('accepts events parsed from canonical text and from text in any other key order alike', async () => {
    const canonical = stored();
    expect(await verifyLog(canonical)).toEqual(await verifyLog(log()));
    // Written in another key order (as older rows were): the same content, so the same verdict.
    const reversed = canonical.map((event) => JSON.parse(JSON.stringify(event, (_key, value: unknown) =>
      value && typeof value === 'object' && !Array.isArray(value)
        ? Object.fromEntries(Object.entries(value as Record<string, unknown>).reverse())
        : value,
    )) as StoredEvent);
    expect(Object.keys(reversed[0]!.metadata)[0]).toBe('torVersion');
    expect((await verifyLog(reversed)).ok).toBe(true);
  });

  it('names an altered event whether or not its text was canonical', async () => {
    for (const events of [stored(), log()]) {
      const edits: ((event: StoredEvent) => StoredEvent)[] = [
        (event) => ({ ...event, data: { name: 'FAO (edited)' } }),
        // The same characters, another JSON type: a string where the store had an object member's text.
        (event) => ({ ...event, data: JSON.stringify(event.data) }),
        (event) => ({ ...event, metadata: { ...event.metadata, actor: { ...event.metadata.actor, id: 'someone-else' } } }),
        (event) => ({ ...event, metadata: { ...event.metadata, extra: true } as StoredEvent['metadata'] }),
        (event) => ({ ...event, revision: event.revision, type: 'PartnerWithdrawn' }),
      ];
      for (const edit of edits) {
        const altered = [...events];
        altered[1] = edit(altered[1]!);
        expect((await verifyLog(altered)).fault).toMatchObject({ kind: 'hash', eventId: 'e2' });
      }
    }
  });

  it('checks the stored hash against the content: null when it matches, else the content’s own hash', () => {
    const [event] = stored();
    expect(eventHashMismatch(event!)).toBeNull();
    const altered = { ...event!, data: { name: 'ITU (edited)' } };
    expect(eventHashMismatch(altered)).toBe(eventHash(altered));
    expect(eventHashMismatch(altered)).not.toBe(event!.hash);
  });

  it('reports, at an anchor that does not match, the last event that checked out with the ledger as of it', async () => {
    const events = log();
    const anchor = (await verifyLog(events)).anchor!;
    const forged = chainEvents('partner-FAO', -1, GENESIS_HASH, [{ ...events[1]!, data: { name: 'FAO (forged)' } }]);
    const rewritten = [events[0]!, { ...forged[0]!, position: 2 }, events[2]!];
    const report = await verifyLog(rewritten, { anchors: [parseAnchor(anchor)] });
    expect(report.fault).toMatchObject({ kind: 'anchor', eventId: 'e3' });
    expect(report.head).toEqual({ position: 2, seq: 2, hash: forged[0]!.hash, ledgerHash: ledgerOf(rewritten.slice(0, 2)) });
  });
});

describe('anchors', () => {
  it('parse from the long and the short form, and refuse what is too short to be safe', () => {
    expect(parseAnchor('u4ssc-anchor:12:ABCDEF0123456789')).toEqual({ seq: 12, ledgerPrefix: 'abcdef0123456789' });
    expect(parseAnchor('12:abcdef0123456789abcd')).toEqual({ seq: 12, ledgerPrefix: 'abcdef0123456789abcd' });
    expect(() => parseAnchor('12:abcdef')).toThrow(/at least 16 hex digits/);
    expect(() => parseAnchor('0:abcdef0123456789')).toThrow(/not an anchor/);
  });
});
