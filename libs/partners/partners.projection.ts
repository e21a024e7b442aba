import type { StoredEvent } from '../envelope/index.js';
import type { Projection } from '../projections/index.js';
import type { PartnerEvent } from '../../state-machines/partner/partner.events.js';
import { PARTNERS_COLLECTION, type PartnerView } from './partner.view.js';

/** The Partner register (ToR ¶12, Annex II), with every membership period kept for `?at=` questions. */
export const partnersProjection: Projection = {
  name: 'partners',
  collections: [PARTNERS_COLLECTION],
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
        const { name, entityType, intentExpressedOn, intentReference } = event.data;
        const period = {
          from: at,
          to: null,
          intentReference,
          ...(intentExpressedOn ? { intentExpressedOn } : {}),
          registeredBy: by,
        };
        docs.put(PARTNERS_COLLECTION, id, {
          partnerId: id,
          name,
          entityType,
          status: 'registered',
          periods: [...(current?.periods ?? []), period],
          ...placed,
        } satisfies PartnerView);
        return;
      }
      case 'PartnerWithdrawn': {
        if (!current) return;
        const periods = current.periods.map((period, index) =>
          index === current.periods.length - 1
            ? { ...period, to: at, withdrawnBy: by, withdrawalReason: event.data.reason }
            : period,
        );
        docs.put(PARTNERS_COLLECTION, id, { ...current, status: 'withdrawn', periods, ...placed } satisfies PartnerView);
        return;
      }
    }
  },
};
