import type { Choice, Outcome } from './ballot.events.js';
import type { RuleSet } from './ballot.rules.js';

export interface FinalVote {
  partnerId: string;
  choice: Choice;
}

/** The full count, as recorded in `BallotDecided`: who was eligible, who voted what, who did not vote. */
export interface BallotTally {
  eligible: string[];
  votes: FinalVote[];
  notVoted: string[];
  yes: number;
  no: number;
  abstain: number;
  /** The votes that count toward the quorum: yes and no, and abstentions when the rule set says so. */
  participating: number;
  /** The smallest number of participating Partners that meets the quorum. */
  quorumRequired: number;
  quorumMet: boolean;
  thresholdMet: boolean;
  outcome: Outcome;
}

export interface TallyInput {
  electorate: readonly string[];
  rules: RuleSet;
  /** Votes and changes in the order they were recorded; each Partner's last one counts. */
  votes: readonly FinalVote[];
}

/** Code-point order, so the recorded lists never depend on a locale. */
const byCodePoint = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

/**
 * The outcome of a ballot from its events alone (its frozen electorate and rules, its votes). Pure and total:
 * the machine checks a recorded decision against it, and anyone may recount a past ballot with it.
 */
export function tally({ electorate, rules, votes }: TallyInput): BallotTally {
  const eligible = [...new Set(electorate)].sort(byCodePoint);
  const members = new Set(eligible);
  const last = new Map<string, Choice>();
  for (const vote of votes) if (members.has(vote.partnerId)) last.set(vote.partnerId, vote.choice);

  const finalVotes = [...last].map(([partnerId, choice]) => ({ partnerId, choice })).sort((a, b) => byCodePoint(a.partnerId, b.partnerId));
  const count = (choice: Choice) => finalVotes.filter((vote) => vote.choice === choice).length;
  const yes = count('yes');
  const no = count('no');
  const abstain = count('abstain');
  const { participating, quorumRequired, quorumMet, thresholdMet } = weighCounts(rules, eligible.length, { yes, no, abstain });
  return {
    eligible,
    votes: finalVotes,
    notVoted: eligible.filter((partnerId) => !last.has(partnerId)),
    yes,
    no,
    abstain,
    participating,
    quorumRequired,
    quorumMet,
    thresholdMet,
    outcome: !quorumMet ? 'failedQuorum' : thresholdMet ? 'approved' : 'rejected',
  };
}

/**
 * What counts of yes, no and abstain amount to under a rule set and an electorate's size: the quorum and the
 * threshold. The one place these rules are computed; `tally` uses it, and so do pages showing a running count.
 */
export function weighCounts(
  rules: RuleSet,
  eligible: number,
  { yes, no, abstain }: { yes: number; no: number; abstain: number },
): Pick<BallotTally, 'participating' | 'quorumRequired' | 'quorumMet' | 'thresholdMet'> {
  const participating = yes + no + (rules.abstentionsCountTowardQuorum ? abstain : 0);
  const quorumRequired = Math.ceil((rules.quorum.numerator * eligible) / rules.quorum.denominator);
  return { participating, quorumRequired, quorumMet: participating >= quorumRequired, thresholdMet: meetsThreshold(rules.threshold, yes, no) };
}

function meetsThreshold(threshold: RuleSet['threshold'], yes: number, no: number): boolean {
  switch (threshold) {
    case 'simple-majority':
      return yes > no;
    case 'two-thirds':
      return yes > 0 && 3 * yes >= 2 * (yes + no);
    case 'unanimity':
      return yes > 0 && no === 0;
    case 'no-objection':
      return no === 0;
  }
}

/** Whether two tallies say the same thing, field by field (stored JSON may come back with its keys reordered). */
export function sameTally(a: BallotTally, b: BallotTally): boolean {
  const scalars = ['yes', 'no', 'abstain', 'participating', 'quorumRequired', 'quorumMet', 'thresholdMet', 'outcome'] as const;
  const sameList = (x: readonly string[], y: readonly string[]) => x.length === y.length && x.every((item, i) => item === y[i]);
  return (
    scalars.every((key) => a[key] === b[key]) &&
    sameList(a.eligible, b.eligible) &&
    sameList(a.notVoted, b.notVoted) &&
    sameList(a.votes.map((v) => `${v.partnerId}:${v.choice}`), b.votes.map((v) => `${v.partnerId}:${v.choice}`))
  );
}
