/**
 * A ballot's rule set (docs/architecture.md §2). The ToR is silent on quorum and majority, so each decision carries its own
 * rules, copied into its opening event: a later change of defaults never alters it (cf. OpenZeppelin CVE-2022-31198).
 */

/**
 * - `simple-majority`: more yes than no (yes over yes+no above one half);
 * - `two-thirds`: yes at least two thirds of yes+no, and at least one yes;
 * - `unanimity`: at least one yes and no no (abstentions do not break unanimity);
 * - `no-objection`: the UN "silence procedure": adopted unless a Partner votes no.
 */
export const THRESHOLDS = ['simple-majority', 'two-thirds', 'unanimity', 'no-objection'] as const;
export type Threshold = (typeof THRESHOLDS)[number];

/** A share of the electorate as an exact fraction, so that thirds and halves never suffer rounding. */
export interface Fraction {
  numerator: number;
  denominator: number;
}

export interface RuleSet {
  /** Quorum: at least this share of the electorate must take part (see `abstentionsCountTowardQuorum`). */
  quorum: Fraction;
  threshold: Threshold;
  /** Whether an abstention counts as taking part for the quorum (it never counts as yes or no). */
  abstentionsCountTowardQuorum: boolean;
  /** Whether a Partner may change its vote before the close (each change is a new event). */
  allowVoteChange: boolean;
  /** Whether the ballot closes as soon as every Partner of the electorate has voted. */
  closeEarlyWhenAllVoted: boolean;
  /** Whether Partners see the running counts while the ballot is open (default: they see only the turnout). */
  revealTallyWhileOpen: boolean;
}

/** Why a rule set cannot be used, or an empty list. Pure: the machine's opening guard and the decide step share it. */
export function ruleSetProblems(rules: RuleSet): string[] {
  const problems: string[] = [];
  const { numerator, denominator } = rules.quorum ?? ({} as Fraction);
  if (!Number.isInteger(denominator) || denominator < 1) problems.push('quorum.denominator must be a whole number ≥ 1');
  if (!Number.isInteger(numerator) || numerator < 0 || numerator > denominator) {
    problems.push('quorum.numerator must be a whole number from 0 to the denominator (a share of the electorate)');
  }
  if (!(THRESHOLDS as readonly string[]).includes(rules.threshold)) {
    problems.push(`threshold must be one of ${THRESHOLDS.join(', ')}`);
  }
  for (const flag of ['abstentionsCountTowardQuorum', 'allowVoteChange', 'closeEarlyWhenAllVoted', 'revealTallyWhileOpen'] as const) {
    if (typeof rules[flag] !== 'boolean') problems.push(`${flag} must be true or false`);
  }
  return problems;
}

/** One line a person can read: "quorum 1/2 of the electorate (abstentions count); simple majority; ...". */
export function describeRules(rules: RuleSet): string {
  const quorum =
    rules.quorum.numerator === 0
      ? 'no quorum'
      : `quorum ${rules.quorum.numerator}/${rules.quorum.denominator} of the electorate (abstentions ${rules.abstentionsCountTowardQuorum ? 'count' : 'do not count'})`;
  return [
    quorum,
    rules.threshold.replace('-', ' '),
    rules.allowVoteChange ? 'votes may be changed' : 'one vote each',
    rules.closeEarlyWhenAllVoted ? 'closes when all have voted' : 'runs to its deadline',
    rules.revealTallyWhileOpen ? 'running tally shown' : 'running tally secret',
  ].join('; ');
}
