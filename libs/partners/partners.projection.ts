import type { StoredEvent } from '../envelope/index.js';
import type { DocSession, Projection } from '../projections/index.js';
import type { PartnerEvent } from '../../state-machines/partner/partner.events.js';
import { PARTNERS_COLLECTION, type MembershipPeriodView, type PartnerView } from './partner.view.js';
import { chunkId, chunkOf, PARTNER_PERIODS_COLLECTION, PERIODS_PER_CHUNK, type PartnerPeriodsChunk } from './partner-periods.js';

/**
 * The Partner register (ToR ¶12, Annex II): per organisation a summary with its latest membership period
 * (`partners`), and every earlier period kept for `?at=` questions in chunks of PERIODS_PER_CHUNK
 * (`partner-periods`). Each event rewrites the summary; a registration after a withdrawal also moves the period it
 * follows into its chunk. Whatever the length of the history, at most two small documents change, and an
 * organisation that never came back has one document, as before the periods were split out.
 */
export const partnersProjection: Projection = {
  name: 'partners',
  // 2: the summary and chunks of periods (1 kept every period in the organisation's one document).
  version: 2,
  collections: [PARTNERS_COLLECTION, PARTNER_PERIODS_COLLECTION],
  async apply(stored: StoredEvent, docs) {
    if (stored.metadata.machine.id !== 'partner') return;
    const event = stored as StoredEvent & PartnerEvent;
    const id = event.data.partnerId;
    const at = stored.metadata.occurredAt;
    const by = stored.metadata.actor.id;
    const current = await docs.get<PartnerView>(PARTNERS_COLLECTION, id);
    const placed = { revision: stored.revision, position: stored.position };
    switch (event.type) {
      case 'PartnerRegistered': {
        const { name, entityType, intentExpressedOn, intentReference, joinedOn } = event.data;
        const period: MembershipPeriodView = {
          // Imported history counts from the day it began (partner-import.decide.ts), not from the day it was loaded.
          from: stored.metadata.imported && joinedOn ? `${joinedOn}T00:00:00.000Z` : at,
          to: null,
          intentReference,
          ...(intentExpressedOn ? { intentExpressedOn } : {}),
          registeredBy: by,
        };
        const periodCount = (current?.periodCount ?? 0) + 1;
        // The period this one follows leaves the summary for its chunk; the new one lives in the summary only.
        if (current) await putPeriod(docs, id, current.periodCount - 1, current.latestPeriod);
        docs.put(PARTNERS_COLLECTION, id, {
          partnerId: id,
          name,
          entityType,
          status: 'registered',
          periodCount,
          latestPeriod: period,
          ...placed,
        } satisfies PartnerView);
        return;
      }
      case 'PartnerWithdrawn': {
        if (!current) return;
        const latestPeriod = { ...current.latestPeriod, to: at, withdrawnBy: by, withdrawalReason: event.data.reason };
        docs.put(PARTNERS_COLLECTION, id, { ...current, status: 'withdrawn', latestPeriod, ...placed } satisfies PartnerView);
        return;
      }
    }
  },
};

/** Writes period `index` (one the summary no longer holds) into its chunk; a chunk is started at its first period. */
async function putPeriod(docs: DocSession, partnerId: string, index: number, period: MembershipPeriodView): Promise<void> {
  const chunk = chunkOf(index);
  const id = chunkId(partnerId, chunk);
  const offset = index - chunk * PERIODS_PER_CHUNK;
  const existing = offset === 0 ? undefined : await docs.get<PartnerPeriodsChunk>(PARTNER_PERIODS_COLLECTION, id);
  // A new array rather than a change in place: the session may hand back the very object it holds for the commit.
  const periods = [...(existing?.periods ?? []).slice(0, offset), period];
  docs.put(PARTNER_PERIODS_COLLECTION, id, { partnerId, chunk, periods } satisfies PartnerPeriodsChunk);
}
