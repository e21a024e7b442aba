import type { StoredEvent } from '../envelope/index.js';
import type { Projection } from '../projections/index.js';
import type { OfficeEvent } from '../../state-machines/office/office.events.js';
import { OFFICE_DUE_DATES_COLLECTION, type OfficeDueDate } from './office.view.js';

/**
 * The dates the office scheduler polls (docs/architecture.md §3, "deadlines are events"): for each seat with a holder, its
 * latest term's renewal date and end. A renewal replaces them with the new term's; an end removes them. Being a
 * read model, it survives restarts and is rebuilt from the log.
 */
export const officeDueDatesProjection: Projection = {
  name: 'office-due-dates',
  collections: [OFFICE_DUE_DATES_COLLECTION],
  async apply(stored: StoredEvent, docs) {
    if (stored.metadata.machine.id !== 'office') return;
    const event = stored as StoredEvent & OfficeEvent;
    const seat = event.data.seat;
    switch (event.type) {
      case 'HolderAppointed':
      case 'TermRenewed': {
        const { holderId, term } = event.data;
        docs.put(OFFICE_DUE_DATES_COLLECTION, seat, {
          seat,
          stream: stored.stream,
          holderId,
          termNumber: term.number,
          renewalDueAt: term.renewalDueAt,
          renewalDueMarked: false,
          endsAt: term.end,
        } satisfies OfficeDueDate);
        return;
      }
      case 'RenewalDue': {
        const due = await docs.get<OfficeDueDate>(OFFICE_DUE_DATES_COLLECTION, seat);
        if (due?.termNumber === event.data.termNumber) docs.put(OFFICE_DUE_DATES_COLLECTION, seat, { ...due, renewalDueMarked: true });
        return;
      }
      case 'TermEnded':
        docs.delete(OFFICE_DUE_DATES_COLLECTION, seat);
        return;
    }
  },
};
