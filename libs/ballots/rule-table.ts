import { TOR_VERSION } from '../kernel/tor.js';
import type { SubjectKind } from '../../state-machines/ballot/ballot.events.js';
import type { RuleSet } from '../../state-machines/ballot/ballot.rules.js';

export interface RuleTableEntry {
  /** The ToR paragraphs under which this kind of subject is decided. */
  clauses: string[];
  rules: RuleSet;
}

/**
 * The default rule set per subject kind. The ToR is silent on quorum and majority (docs/architecture.md §2), so these are
 * the engine's documented defaults, versioned with the ToR version. A ballot copies its entry into its opening
 * event; changing this table (a new version) never alters a ballot already opened. Documented in README.md.
 */
export interface RuleTable {
  name: string;
  version: number;
  torVersion: string;
  defaults: Readonly<Record<SubjectKind, RuleTableEntry>>;
}

const secretUntilClose = { revealTallyWhileOpen: false } as const;

export const BALLOT_RULE_TABLE: RuleTable = deepFreeze({
  name: 'U4SSC-ballot-rules',
  version: 1,
  torVersion: TOR_VERSION,
  defaults: {
    // The workplan is agreed to by the Partners (¶10(d)); electronically between meetings (¶13(b)).
    workplan: {
      clauses: ['¶10(d)', '¶13(b)'],
      rules: { quorum: { numerator: 1, denominator: 2 }, threshold: 'simple-majority', abstentionsCountTowardQuorum: true, allowVoteChange: true, closeEarlyWhenAllVoted: true, ...secretUntilClose },
    },
    // Revising the ToR changes every later decision's footing (¶9, ¶13(b)): two thirds, of two thirds taking part.
    'tor-revision': {
      clauses: ['¶9', '¶13(b)'],
      rules: { quorum: { numerator: 2, denominator: 3 }, threshold: 'two-thirds', abstentionsCountTowardQuorum: true, allowVoteChange: true, closeEarlyWhenAllVoted: true, ...secretUntilClose },
    },
    // Chair and Vice-Chairs are appointed by the Partners Board (¶13(a), ¶15): a vote on a person is cast once.
    appointment: {
      clauses: ['¶13(a)', '¶15'],
      rules: { quorum: { numerator: 1, denominator: 2 }, threshold: 'simple-majority', abstentionsCountTowardQuorum: true, allowVoteChange: false, closeEarlyWhenAllVoted: true, ...secretUntilClose },
    },
    // Deliverables approved electronically (¶19): the silence procedure, running to its deadline.
    deliverable: {
      clauses: ['¶19', '¶13(b)'],
      rules: { quorum: { numerator: 0, denominator: 1 }, threshold: 'no-objection', abstentionsCountTowardQuorum: true, allowVoteChange: true, closeEarlyWhenAllVoted: false, ...secretUntilClose },
    },
    // Hub requests are considered and approved by the Partners (¶30).
    hub: {
      clauses: ['¶30'],
      rules: { quorum: { numerator: 1, denominator: 2 }, threshold: 'simple-majority', abstentionsCountTowardQuorum: true, allowVoteChange: true, closeEarlyWhenAllVoted: true, ...secretUntilClose },
    },
    other: {
      clauses: ['¶13(b)'],
      rules: { quorum: { numerator: 1, denominator: 2 }, threshold: 'simple-majority', abstentionsCountTowardQuorum: true, allowVoteChange: true, closeEarlyWhenAllVoted: true, ...secretUntilClose },
    },
  },
});

function deepFreeze<T>(value: T): T {
  if (value && typeof value === 'object') {
    for (const child of Object.values(value)) deepFreeze(child);
    Object.freeze(value);
  }
  return value;
}
