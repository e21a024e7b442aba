import type { StoredEvent } from '../envelope/index.js';
import type { Projection } from '../projections/index.js';
import type { BallotEvent } from '../../state-machines/ballot/ballot.events.js';
import { BALLOT_DEADLINES_COLLECTION, type BallotDeadline } from './ballot.view.js';

/**
 * The due dates the scheduler polls (docs/architecture.md §3, "deadlines are events"): an open ballot's deadline is stored
 * here from its opening event and removed when it closes or is withdrawn. Being a read model, it survives
 * restarts and is rebuilt from the log like any other.
 */
export const ballotDeadlinesProjection: Projection = {
  name: 'ballot-deadlines',
  collections: [BALLOT_DEADLINES_COLLECTION],
  apply(stored: StoredEvent, docs) {
    if (stored.metadata.machine.id !== 'ballot') return;
    const event = stored as StoredEvent & BallotEvent;
    const id = event.data.ballotId;
    if (event.type === 'BallotOpened') {
      docs.put(BALLOT_DEADLINES_COLLECTION, id, { ballotId: id, stream: stored.stream, closesAt: event.data.closesAt } satisfies BallotDeadline);
    } else if (event.type === 'BallotClosed' || event.type === 'BallotWithdrawn') {
      docs.delete(BALLOT_DEADLINES_COLLECTION, id);
    }
  },
};
