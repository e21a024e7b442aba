import { describe, expect, it } from '@jest/globals';
import { createHash } from 'node:crypto';
import { parseAnchor } from '../../envelope/index.js';
import { MemoryEventStore } from '../../event-store/index.js';
import { writePartnerHistory } from '../partner-history.spec-helper.js';
import { verifyStore } from '../verify-store.js';
import { bundleLines, type BundleSelection } from './export-bundle.js';
import { sealOf, type BundleManifest } from './manifest.js';
import { verifyBundle } from './verify-bundle.js';

const engine = { name: 'u4ssc-governance-engine', version: '9.9.9' };
const now = new Date('2026-06-01T12:00:00.000Z');

async function exported(selection: BundleSelection = {}) {
  const store = new MemoryEventStore();
  const events = await writePartnerHistory(store);
  let text = '';
  for await (const line of bundleLines(store, { ...selection, engine, now })) text += line;
  return { store, events, text, lines: text.split('\n').filter(Boolean) };
}

const manifestOf = (lines: string[]) => JSON.parse(lines[0]!) as BundleManifest;

describe('export bundles', () => {
  it('write the manifest first, then every event in order, and verify offline', async () => {
    const { store, events, text, lines } = await exported();
    const manifest = manifestOf(lines);
    const live = await verifyStore(store);
    expect(manifest).toMatchObject({
      format: 'u4ssc-bundle/1',
      exportedAt: now.toISOString(),
      engine,
      source: { store: 'memory', headPosition: 6 },
      scope: 'log',
      counts: { events: 6, streams: 3 },
      firstPosition: 1,
      lastPosition: 6,
      headHash: events[5]!.hash,
      ledgerHash: live.head!.ledgerHash,
      anchor: live.anchor,
      machines: [{ id: 'partner', version: 1, events: 6 }],
      starts: [],
    });
    expect(lines.slice(1).map((line) => JSON.parse(line).id)).toEqual(events.map((event) => event.id));
    // The digest is that of the event lines as written: checkable with sha256sum.
    expect(createHash('sha256').update(text.slice(text.indexOf('\n') + 1)).digest('hex')).toBe(manifest.eventsDigest);
    const report = await verifyBundle(lines, { anchors: [parseAnchor(live.anchor!)] });
    expect(report).toMatchObject({ ok: true, problems: [], notChecked: [] });
    expect(report.log).toMatchObject({ ok: true, events: 6, anchor: live.anchor });
  });

  it('fail offline when any single byte is changed, naming the event where the bytes say which', async () => {
    const { text } = await exported();
    const edit = (at: number, to: string) => text.slice(0, at) + to + text.slice(at + 1);
    const check = async (changed: string) => verifyBundle(changed.split('\n'));

    const inData = text.indexOf('Telecommunication');
    const data = await check(edit(inData, 't'));
    expect(data.ok).toBe(false);
    expect(data.log!.fault).toMatchObject({ kind: 'hash', stream: 'partner-ITU' });

    const firstEventLine = text.indexOf('\n') + 1;
    const position = text.indexOf('"position":3', firstEventLine);
    const moved = await check(edit(position + '"position":'.length, '4'));
    expect(moved.ok).toBe(false);

    const inManifest = text.indexOf('9.9.9');
    const manifest = await check(edit(inManifest, '8'));
    expect(manifest.ok).toBe(false);
    expect(manifest.problems).toEqual([{ check: 'seal', detail: expect.stringMatching(/changed after export/) }]);
  });

  it('catch a whole bundle forged consistently against a published anchor only', async () => {
    const { text } = await exported();
    const [head, ...rest] = text.split('\n').filter(Boolean);
    const dropped = rest.filter((line) => !line.includes('"revision":1,"stream":"partner-UNECE"'));
    expect(dropped).toHaveLength(5);
    const published = manifestOf([head!]).anchor!;
    // Rebuild a manifest that matches the shortened log (a forger has the same tools).
    const store = new MemoryEventStore();
    for (const line of dropped) {
      const event = JSON.parse(line);
      await store.append(event.stream, [event], { expectedRevision: 'any' });
    }
    const forgedLines: string[] = [];
    for await (const line of bundleLines(store, { engine, now })) forgedLines.push(line.trimEnd());
    expect((await verifyBundle(forgedLines)).ok).toBe(true);
    const against = await verifyBundle(forgedLines, { anchors: [parseAnchor(published)] });
    expect(against.ok).toBe(false);
    expect(against.log!.fault).toMatchObject({ kind: 'anchor' });
  });

  it('export one stream whole, checkable from revision 0, without a ledger claim', async () => {
    const { lines, events } = await exported({ stream: 'partner-FAO' });
    const manifest = manifestOf(lines);
    expect(manifest).toMatchObject({ scope: 'stream', counts: { events: 3, streams: 1 }, anchor: null, ledgerHash: null, starts: [] });
    expect(manifest.checkable.ledger).toMatch(/not from this bundle/);
    expect(lines.slice(1).map((line) => JSON.parse(line).id)).toEqual(events.filter((e) => e.stream === 'partner-FAO').map((e) => e.id));
    const report = await verifyBundle(lines);
    expect(report.ok).toBe(true);
    expect(report.notChecked).toEqual([expect.stringMatching(/^ledger: not from this bundle/)]);
    const anchored = await verifyBundle(lines, { anchors: [parseAnchor('1:0123456789abcdef')] });
    expect(anchored.problems[0]).toMatchObject({ check: 'anchor' });
  });

  it('export a time range, carrying where each stream that starts mid-way continues from', async () => {
    const { lines, events } = await exported({ from: new Date('2026-02-01T00:00:00Z') });
    const manifest = manifestOf(lines);
    const fao = events.filter((e) => e.stream === 'partner-FAO');
    expect(manifest).toMatchObject({ scope: 'range', counts: { events: 3, streams: 2 } });
    expect(manifest.starts).toEqual([
      { stream: 'partner-FAO', revision: 0, hash: fao[0]!.hash },
      { stream: 'partner-UNECE', revision: 0, hash: events.find((e) => e.stream === 'partner-UNECE')!.hash },
    ]);
    const report = await verifyBundle(lines);
    expect(report.ok).toBe(true);
    expect(report.notChecked).toContainEqual(expect.stringMatching(/machines: 2 stream\(s\) start mid-way/));

    // A wrong link in `starts`, resealed: the first exported event no longer chains to it.
    const forged = { ...manifest, starts: [{ ...manifest.starts[0]!, hash: '0'.repeat(64) }, manifest.starts[1]!] };
    const resealed = JSON.stringify({ ...forged, seal: sealOf(forged) });
    expect((await verifyBundle([resealed, ...lines.slice(1)])).log!.fault).toMatchObject({ kind: 'chain', stream: 'partner-FAO' });
  });

  it('refuse what is not a bundle, and an event outside the selection', async () => {
    expect((await verifyBundle(['not json'])).problems[0]).toMatchObject({ check: 'format' });
    expect((await verifyBundle([])).ok).toBe(false);
    const { lines } = await exported({ stream: 'partner-ITU' });
    const other = (await exported({ stream: 'partner-UNECE' })).lines[1]!;
    const report = await verifyBundle([...lines, other]);
    expect(report.ok).toBe(false);
  });
});
