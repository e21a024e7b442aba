import type { Choice } from '../../state-machines/ballot/ballot.events.js';
import type { BallotView, VoteRecordView } from './ballot.view.js';

/** Who is looking: the roles of their token and the Partner they speak for. */
export interface Viewer {
  roles: readonly string[];
  org?: string;
}

/**
 * - `full`: everything, who voted what and every change (auditors always; everyone once the ballot is closed);
 * - `voters`: the turnout and which organisations have voted, not how (the Secretariat while voting runs);
 * - `turnout`: the turnout and one's own organisation's vote (Partners and others while voting runs).
 */
export type VisibilityLevel = 'full' | 'voters' | 'turnout';

export interface BallotResponse extends Omit<BallotView, 'current' | 'voteHistory' | 'decision'> {
  visibility: { level: VisibilityLevel; note: string };
  turnout: { voted: number; eligible: number };
  yourOrganisation?: { partnerId: string; eligible: boolean; voted: boolean; choice?: Choice };
  voted?: string[];
  counts?: { yes: number; no: number; abstain: number };
  votes?: Record<string, Choice>;
  voteHistory?: VoteRecordView[];
  decision?: BallotView['decision'];
}

/** Votes are secret until the close; a withdrawn ballot keeps them secret, since its question may be put again. */
const SECRET_WHILE: readonly BallotView['status'][] = ['draft', 'open', 'withdrawn'];

export function visibilityFor(view: BallotView, viewer: Viewer): VisibilityLevel {
  if (viewer.roles.includes('auditor') || !SECRET_WHILE.includes(view.status)) return 'full';
  return viewer.roles.includes('secretariat') ? 'voters' : 'turnout';
}

const NOTES: Record<VisibilityLevel, string> = {
  full: 'every vote and change is shown',
  voters:
    'while voting runs the Secretariat sees who has voted, not how: it may close a ballot early, so it must not see the running tally',
  turnout: 'while voting runs Partners see the turnout and their own organisation’s vote; every vote is shown after the close',
};

/** The ballot as this person may see it now (the secrecy of the running tally, per the frozen rules). */
export function presentBallot(view: BallotView, viewer: Viewer): BallotResponse {
  const { current, voteHistory, decision, ...common } = view;
  const level = visibilityFor(view, viewer);
  const voters = Object.keys(current).sort();
  const response: BallotResponse = {
    ...common,
    visibility: { level, note: NOTES[level] },
    turnout: { voted: voters.length, eligible: view.electorate.length },
  };
  if (viewer.org) {
    const choice = current[viewer.org];
    response.yourOrganisation = {
      partnerId: viewer.org,
      eligible: view.electorate.includes(viewer.org),
      voted: choice !== undefined,
      ...(choice ? { choice } : {}),
    };
  }
  if (level !== 'turnout') response.voted = voters;
  if (level === 'full' || (view.status === 'open' && view.rules?.revealTallyWhileOpen)) {
    const count = (choice: Choice) => voters.filter((partnerId) => current[partnerId] === choice).length;
    response.counts = { yes: count('yes'), no: count('no'), abstain: count('abstain') };
  }
  if (level === 'full') {
    response.votes = current;
    response.voteHistory = voteHistory;
    if (decision) response.decision = decision;
  }
  return response;
}
