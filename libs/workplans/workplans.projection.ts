import type { StoredEvent } from '../envelope/index.js';
import type { Projection } from '../projections/index.js';
import { applyWorkplanEvent, WORKPLANS_COLLECTION, type WorkplanView } from './workplan.view.js';
import { cycleOf } from './workplan.process.js';

/** The workplans read model: each cycle with its inputs, compilation rounds and reviews, and its agreement ballots. */
export const workplansProjection: Projection = {
  name: 'workplans',
  collections: [WORKPLANS_COLLECTION],
  async apply(stored: StoredEvent, docs) {
    if (stored.metadata.machine.id !== 'workplan') return;
    const id = cycleOf(stored.stream);
    const next = applyWorkplanEvent(await docs.get<WorkplanView>(WORKPLANS_COLLECTION, id), stored);
    if (next) docs.put(WORKPLANS_COLLECTION, id, next);
  },
};
