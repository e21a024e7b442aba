import { afterEach, beforeAll, beforeEach, describe, expect, it } from '@jest/globals';
import { verifyStore } from '../libs/audit/index.js';
import { parseAnchor, verifyLog, type StoredEvent } from '../libs/envelope/index.js';
import { describePostgres } from '../libs/event-store/postgres/test-database.js';
import { writePartnerHistory } from '../libs/audit/partner-history.spec-helper.js';
import { postgresFixture, rewriteStream, sqliteFixture, swap, type TamperFixture } from './audit-tamper-kit.js';
import { assertBuilt, runCli } from './support/cli.js';

/**
 * Issue 6, "what it must show": tampering behind the engine's back, on the real databases with their
 * immutability triggers out of the way. Verify catches a changed byte, a deleted event and two swapped events on
 * its own, naming the event; a chain rewritten consistently (and a stream's tail or a whole stream removed, or
 * events of two streams swapped) only against an anchor published before.
 */
function tamperSuite(open: () => Promise<TamperFixture>): void {
  let fixture: TamperFixture;
  let events: StoredEvent[];
  /** Anchors "published" before the tampering: after every event, as if minuted each time. */
  let anchors: string[];
  const of = (stream: string, revision: number) => events.find((e) => e.stream === stream && e.revision === revision)!;

  beforeEach(async () => {
    fixture = await open();
    events = await writePartnerHistory(fixture.store);
    anchors = [];
    for (let n = 1; n <= events.length; n += 1) anchors.push((await verifyLog(events.slice(0, n))).anchor!);
    expect(await verifyStore(fixture.store)).toMatchObject({ ok: true, events: 6, anchor: anchors.at(-1) });
  });
  afterEach(() => fixture.close());

  it('names the event one byte of whose data was changed (hash)', async () => {
    const target = of('partner-FAO', 1);
    await fixture.update(target.id, { data: JSON.stringify(target.data).replace('Letter', 'Lettes') });
    expect((await verifyStore(fixture.store)).fault).toMatchObject({ kind: 'hash', eventId: target.id, position: target.position });
  });

  it('names the event after a deleted one in its stream (revision)', async () => {
    await fixture.remove(of('partner-FAO', 1).id);
    const next = of('partner-FAO', 2);
    expect((await verifyStore(fixture.store)).fault).toMatchObject({ kind: 'revision', eventId: next.id, stream: 'partner-FAO' });
  });

  it('names the first of two swapped events of a stream (revision)', async () => {
    const [first, second] = [of('partner-FAO', 0), of('partner-FAO', 1)];
    await swap(fixture, first, second);
    expect((await verifyStore(fixture.store)).fault).toMatchObject({ kind: 'revision', eventId: second.id, position: first.position });
  });

  it('passes a consistently rewritten chain on its own, and names it against the published anchors', async () => {
    const fao = events.filter((e) => e.stream === 'partner-FAO');
    await rewriteStream(fixture, fao, (e) => (e.revision === 1 ? { ...e, data: { ...(e.data as object), reason: 'Forged reason' } } : e));
    expect(await verifyStore(fixture.store)).toMatchObject({ ok: true, events: 6 });
    const head = await verifyStore(fixture.store, { anchors: [parseAnchor(anchors.at(-1)!)] });
    expect(head.fault).toMatchObject({ kind: 'anchor', eventId: events.at(-1)!.id });
    // With an anchor minuted after every event, the first that no longer matches is the altered event itself.
    const every = await verifyStore(fixture.store, { anchors: anchors.map(parseAnchor) });
    const altered = of('partner-FAO', 1);
    const n = events.indexOf(altered) + 1;
    expect(every.fault).toMatchObject({ kind: 'anchor', eventId: altered.id, position: altered.position });
    expect(every.fault!.detail).toMatch(new RegExp(`anchor at event ${n - 1} still matches`));
  });

  it('catches a removed stream tail and a whole removed stream only with an anchor', async () => {
    const published = parseAnchor(anchors.at(-1)!);
    await fixture.remove(of('partner-UNECE', 1).id);
    expect((await verifyStore(fixture.store)).ok).toBe(true);
    expect((await verifyStore(fixture.store, { anchors: [published] })).fault).toMatchObject({ kind: 'anchor' });

    await fixture.remove(of('partner-ITU', 0).id);
    expect((await verifyStore(fixture.store)).ok).toBe(true);
    expect((await verifyStore(fixture.store, { anchors: [parseAnchor(anchors[0]!), parseAnchor(anchors[1]!)] })).fault).toMatchObject({
      kind: 'anchor',
      eventId: of('partner-UNECE', 0).id,
      detail: expect.stringMatching(/anchor at event 1 still matches/),
    });
  });

  it('catches events of two streams swapped in the global order with an anchor', async () => {
    await swap(fixture, of('partner-ITU', 0), of('partner-UNECE', 0));
    expect((await verifyStore(fixture.store)).ok).toBe(true);
    const report = await verifyStore(fixture.store, { anchors: anchors.map(parseAnchor) });
    expect(report.fault).toMatchObject({ kind: 'anchor', position: of('partner-ITU', 0).position });
  });

  describe('through the CLI', () => {
    beforeAll(() => assertBuilt());

    it('exits 0 on the rewritten log, 1 against the anchor, naming the event', async () => {
      const fao = events.filter((e) => e.stream === 'partner-FAO');
      await rewriteStream(fixture, fao, (e) => (e.revision === 0 ? { ...e, data: { ...(e.data as object), name: 'Forged' } } : e));
      const plain = runCli(['verify'], fixture.env);
      expect(plain.status).toBe(0);
      expect(plain.stdout).toMatch(/verify: OK: 6 events in 3 streams/);
      const anchored = runCli(['verify', '--anchor', anchors.at(-1)!], fixture.env);
      expect(anchored.status).toBe(1);
      expect(anchored.stdout).toContain(`FAULT (anchor) at position ${events.at(-1)!.position}, stream partner-UNECE, revision 1, event ${events.at(-1)!.id}`);
      expect(anchored.stdout).toContain(`anchor ${anchors.at(-1)}: mismatch`);
    });
  });
}

describe('tampering with a SQLite file', () => tamperSuite(sqliteFixture));
describePostgres('tampering with PostgreSQL', () => tamperSuite(postgresFixture));
