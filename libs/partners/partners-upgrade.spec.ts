import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import { PARTNER_HISTORY_TIMES, writePartnerHistory } from '../audit/partner-history.spec-helper.js';
import { SqliteEventStore } from '../event-store/sqlite/sqlite-event-store.js';
import { Projector } from '../projections/index.js';
import { SqliteReadModelStore } from '../read-models/sqlite/sqlite-read-model-store.js';
import { partnerAt, withPeriods, PARTNER_PERIODS_COLLECTION } from './partner-periods.js';
import { PARTNERS_COLLECTION, type PartnerView } from './partner.view.js';
import { partnersProjection } from './partners.projection.js';

/**
 * A file written by an engine whose Partner register kept every period in the organisation's one document
 * (projection version 1, checkpoint `partners`): the next engine must not read those documents as summaries.
 */
describe('Partner register upgrade (projection version 2)', () => {
  let dir: string;
  let file: string;
  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'u4ssc-partners-upgrade-'));
    file = path.join(dir, 'u4ssc.sqlite');
  });
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('replays the register into the new documents at the first pass, with no manual rebuild', async () => {
    const events = SqliteEventStore.open(file);
    const readModels = SqliteReadModelStore.open(file);
    try {
      const history = await writePartnerHistory(events);
      const head = history.at(-1)!.position;
      const t = PARTNER_HISTORY_TIMES;
      // What version 1 left: its checkpoint at the head, and FAO's document with both its periods.
      await readModels.commit('partners', 0, head, [
        {
          collection: PARTNERS_COLLECTION,
          id: 'FAO',
          doc: {
            partnerId: 'FAO',
            name: 'Food and Agriculture Organization of the United Nations',
            entityType: 'specialized-agency',
            status: 'registered',
            periods: [
              { from: t.faoRegistered, to: t.faoWithdrawn, intentReference: 'ToR Annex II', registeredBy: 'sec-bueti' },
              { from: t.faoRegisteredAgain, to: null, intentReference: 'ToR Annex II', registeredBy: 'sec-bueti' },
            ],
            revision: 2,
            position: history[4]!.position,
          },
        },
      ]);

      await new Projector(events, readModels, [partnersProjection]).catchUp();

      const fao = (await readModels.get<PartnerView>(PARTNERS_COLLECTION, 'FAO'))!;
      expect(fao).toMatchObject({ status: 'registered', periodCount: 2, latestPeriod: { from: t.faoRegisteredAgain, to: null } });
      expect(fao).not.toHaveProperty('periods');
      expect((await withPeriods(readModels, fao)).periods.map((period) => [period.from, period.to])).toEqual([
        [t.faoRegistered, t.faoWithdrawn],
        [t.faoRegisteredAgain, null],
      ]);
      // Between FAO's two periods it was no Partner (ToR ¶12): answered from the chunk the replay wrote.
      expect((await partnerAt(readModels, 'FAO', new Date('2026-02-15T00:00:00Z')))?.partnerNow).toBe(false);
      expect((await readModels.list(PARTNERS_COLLECTION)).length).toBe(3);
      expect((await readModels.list(PARTNER_PERIODS_COLLECTION)).length).toBe(1);
      expect(await readModels.checkpoint('partners@v2')).toBe(head);
      expect(await readModels.checkpoint('partners')).toBe(0);
    } finally {
      await readModels.close();
      await events.close();
    }
  });
});
