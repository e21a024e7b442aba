import type { StoredEvent } from '../envelope/index.js';
import type { DocSession, Projection } from '../projections/index.js';
import type { BallotEvent } from '../../state-machines/ballot/ballot.events.js';
import { BALLOTS_COLLECTION, type BallotView } from './ballot.view.js';

type Stored = StoredEvent & BallotEvent;

/** The ballots read model: one document per ballot with its frozen rules, its votes and their history, its outcome. */
export const ballotsProjection: Projection = {
  name: 'ballots',
  collections: [BALLOTS_COLLECTION],
  async apply(stored: StoredEvent, docs: DocSession) {
    if (stored.metadata.machine.id !== 'ballot') return;
    const event = stored as Stored;
    const id = event.data.ballotId;
    const at = stored.metadata.occurredAt;
    const by = stored.metadata.actor.id;
    const placed = { revision: stored.revision, position: stored.position };
    if (event.type === 'BallotDrafted') {
      const { subject, question, channel } = event.data;
      docs.put(BALLOTS_COLLECTION, id, {
        ballotId: id,
        stream: stored.stream,
        status: 'draft',
        subject,
        question,
        channel,
        draftedAt: at,
        draftedBy: by,
        electorate: [],
        current: {},
        voteHistory: [],
        ...placed,
      } satisfies BallotView);
      return;
    }
    const view = await docs.get<BallotView>(BALLOTS_COLLECTION, id);
    if (!view) return;
    docs.put(BALLOTS_COLLECTION, id, { ...next(view, event, at, by), ...placed });
  },
};

function next(view: BallotView, event: Stored, at: string, by: string): BallotView {
  switch (event.type) {
    case 'BallotOpened': {
      const { closesAt, electorate, electorateAsOf, rules, rulesSource, torVersion } = event.data;
      return { ...view, status: 'open', opensAt: at, openedBy: by, closesAt, electorate, electorateAsOf, rules, rulesSource, torVersion };
    }
    case 'VoteCast':
    case 'VoteChanged': {
      const { partnerId, choice } = event.data;
      const record = {
        type: event.type,
        partnerId,
        choice,
        ...(event.type === 'VoteChanged' ? { previousChoice: event.data.previousChoice } : {}),
        at,
        by,
      };
      return { ...view, current: { ...view.current, [partnerId]: choice }, voteHistory: [...view.voteHistory, record] };
    }
    case 'BallotClosed': {
      const { cause, reason } = event.data;
      return { ...view, status: 'closed', closed: { at, by, cause, ...(reason ? { reason } : {}) } };
    }
    case 'BallotDecided':
      return { ...view, status: event.data.outcome, decision: { at, outcome: event.data.outcome, tally: event.data.tally } };
    case 'BallotWithdrawn':
      return { ...view, status: 'withdrawn', withdrawn: { at, by, reason: event.data.reason } };
    default:
      return view;
  }
}
