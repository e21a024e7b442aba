import { describe, expect, it } from '@jest/globals';
import { MemoryEventStore } from '../event-store/index.js';
import { partnersProjection } from '../partners/partners.projection.js';
import { checkpointName, Projector } from '../projections/index.js';
import { MemoryReadModelStore } from '../read-models/memory/memory-read-model-store.js';
import { writePartnerHistory } from './partner-history.spec-helper.js';
import { checkRebuild, differingPaths } from './rebuild-check.js';

async function projected() {
  const events = new MemoryEventStore();
  await writePartnerHistory(events);
  const live = new MemoryReadModelStore();
  await new Projector(events, live, [partnersProjection]).catchUp();
  return { events, live };
}

describe('checkRebuild', () => {
  it('finds no difference between live read models and a rebuild from position 0', async () => {
    const { events, live } = await projected();
    expect(await checkRebuild(events, live, [partnersProjection])).toEqual({
      ok: true,
      headPosition: 6,
      // Three Partners, and the chunk holding FAO's first period (it came back: its latest is in its summary).
      projections: [{ projection: 'partners', checkpoint: 6, documents: 4 }],
      differences: [],
    });
  });

  it('names every document that differs: changed (with the fields), missing, extra', async () => {
    const { events, live } = await projected();
    const itu = await live.get<Record<string, unknown>>('partners', 'ITU');
    await live.commit(checkpointName(partnersProjection), 6, 6, [
      { collection: 'partners', id: 'ITU', doc: { ...itu, name: 'Edited', status: 'withdrawn' } },
      { collection: 'partners', id: 'FAO', doc: null },
      { collection: 'partners', id: 'ACME', doc: { partnerId: 'ACME' } },
    ]);
    const report = await checkRebuild(events, live, [partnersProjection]);
    expect(report.ok).toBe(false);
    expect(report.differences).toEqual([
      { projection: 'partners', collection: 'partners', id: 'ACME', difference: 'extra' },
      { projection: 'partners', collection: 'partners', id: 'FAO', difference: 'missing' },
      { projection: 'partners', collection: 'partners', id: 'ITU', difference: 'changed', paths: ['name', 'status'] },
    ]);
  });

  it('compares only as far as the live checkpoint: a live model behind the head is no difference', async () => {
    const events = new MemoryEventStore();
    const live = new MemoryReadModelStore();
    const history = await writePartnerHistory(events);
    const projector = new Projector(events, live, [partnersProjection], { pageSize: 2 });
    // Project only the first two events, as a lagging instance would have.
    const first = new MemoryEventStore();
    for (const event of history.slice(0, 2)) await first.append(event.stream, [event], { expectedRevision: 'any' });
    await new Projector(first, live, [partnersProjection]).catchUp();
    const report = await checkRebuild(events, live, [partnersProjection]);
    expect(report).toMatchObject({ ok: true, headPosition: 6, projections: [{ checkpoint: 2, documents: 2 }] });
    await projector.catchUp();
    expect((await checkRebuild(events, live, [partnersProjection])).projections[0]).toMatchObject({ checkpoint: 6, documents: 4 });
  });

  it('names differing paths inside arrays and nested objects', () => {
    expect(differingPaths({ a: [1, { b: 2 }], c: 1 }, { a: [1, { b: 3 }], c: 1 })).toEqual(['a[1].b']);
    expect(differingPaths(1, '1')).toEqual(['(document)']);
  });
});
