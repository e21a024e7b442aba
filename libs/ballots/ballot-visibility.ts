import type { Choice } from '../../state-machines/ballot/ballot.events.js';
import type { BallotView, VoteRecordView } from './ballot.view.js';

/** Who is looking: the roles of their token and the Partner they speak for. */
export interface Viewer {
  roles: readonly string[];
  org?: string;
}

/**
 * - `full`: everything, who voted what and every change (auditors; everyone once the ballot is closed);
 * - `voters`: the turnout and which organisations have voted, not how (the Secretariat until the close);
 * - `turnout`: the turnout and one's own organisation's vote (Partners and others until the close).
 */
export type VisibilityLevel = 'full' | 'voters' | 'turnout';

/** What this person may see of a ballot now; `counts` says whether the yes/no/abstain counts are among it. */
export interface Visibility {
  level: VisibilityLevel;
  counts: boolean;
  note: string;
}

export interface BallotResponse extends Omit<BallotView, 'current' | 'voteHistory' | 'decision'> {
  visibility: Visibility;
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

/** The roles that may close a ballot before its deadline (ballot.close.decide.ts): a running count could steer that. */
const MAY_CLOSE: readonly string[] = ['secretariat'];

const NOTES = {
  full: 'every vote and change is shown',
  voters:
    'while voting runs the Secretariat sees who has voted, not how: it may close a ballot early, so it must not see the running tally, whatever the ballot’s rules',
  turnout: 'while voting runs Partners see the turnout and their own organisation’s vote; every vote is shown after the close',
  runningCounts:
    'while voting runs Partners of its electorate see the turnout, their own organisation’s vote and the running counts, as this ballot’s rules reveal them; every vote is shown after the close',
  withdrawn: 'the ballot was withdrawn: its votes stay secret, since its question may be put again',
} as const;

/**
 * The one rule of who sees what of a ballot (README "Who sees what"); every reader (the API, the web pages through
 * it) presents a ballot with `presentBallot`, which asks this. Once closed, everyone sees everything. Before, whoever
 * may close a ballot early never sees a count, even holding another role too; auditors see everything; the
 * representatives of Partners in the frozen electorate see the running counts only when the rules reveal them
 * (ToR ¶13, ¶13(b)); anyone else sees the turnout.
 */
/**
 * Whether this person may read every vote of a ballot whose state is `status` now: what the replay and export
 * endpoints ask before handing over a ballot's raw events (the same rule as `visibilityFor`'s `full` level).
 */
export function seesEveryVote(status: string, viewer: Viewer): boolean {
  if (!(SECRET_WHILE as readonly string[]).includes(status)) return true;
  return viewer.roles.includes('auditor') && !viewer.roles.some((role) => MAY_CLOSE.includes(role));
}

export function visibilityFor(view: BallotView, viewer: Viewer): Visibility {
  const secret = SECRET_WHILE.includes(view.status);
  if (!secret) return { level: 'full', counts: true, note: NOTES.full };
  if (viewer.roles.some((role) => MAY_CLOSE.includes(role))) {
    return { level: 'voters', counts: false, note: view.status === 'withdrawn' ? NOTES.withdrawn : NOTES.voters };
  }
  if (viewer.roles.includes('auditor')) return { level: 'full', counts: true, note: NOTES.full };
  if (view.status === 'withdrawn') return { level: 'turnout', counts: false, note: NOTES.withdrawn };
  const voter = viewer.roles.includes('partner') && viewer.org !== undefined && view.electorate.includes(viewer.org);
  const revealed = view.status === 'open' && view.rules?.revealTallyWhileOpen === true && voter;
  return { level: 'turnout', counts: revealed, note: revealed ? NOTES.runningCounts : NOTES.turnout };
}

/** The ballot as this person may see it now (`visibilityFor`). */
export function presentBallot(view: BallotView, viewer: Viewer): BallotResponse {
  const { current, voteHistory, decision, ...common } = view;
  const visibility = visibilityFor(view, viewer);
  const { level } = visibility;
  const voters = Object.keys(current).sort();
  const response: BallotResponse = {
    ...common,
    visibility,
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
  if (visibility.counts) {
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
