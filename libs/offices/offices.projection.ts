import type { StoredEvent } from '../envelope/index.js';
import type { Projection } from '../projections/index.js';
import type { OfficeEvent } from '../../state-machines/office/office.events.js';
import { applyOfficeEvent } from './office-register.js';
import { OFFICES_COLLECTION, type SeatView } from './office.view.js';

/** The office register (ToR ¶15, ¶19, ¶28, Annex I): one document per seat with every term and nomination. */
export const officesProjection: Projection = {
  name: 'offices',
  collections: [OFFICES_COLLECTION],
  async apply(stored: StoredEvent, docs) {
    if (stored.metadata.machine.id !== 'office') return;
    const seat = (stored as StoredEvent & OfficeEvent).data.seat;
    const next = applyOfficeEvent(await docs.get<SeatView>(OFFICES_COLLECTION, seat), stored);
    if (next) docs.put(OFFICES_COLLECTION, seat, next);
  },
};
