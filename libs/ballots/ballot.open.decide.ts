import type { Actor, StoredEvent } from '../envelope/index.js';
import { InvalidCommandError } from '../errors/index.js';
import { DEFAULT_DEADLINE_BOUNDS, type DeadlineBounds } from '../config/app-config.js';
import { cite, commandInstant, requireLead, type Decision, type ProcessState } from '../process-runner/index.js';
import type { BallotDraftedData, BallotOpenedData, BallotSubject, Channel } from '../../state-machines/ballot/ballot.events.js';
import { ruleSetProblems, type RuleSet } from '../../state-machines/ballot/ballot.rules.js';
import { requireSecretariat } from './ballot.decide-support.js';
import type { RuleTable } from './rule-table.js';

export interface OpenBallot {
  ballotId: string;
  subject: BallotSubject;
  question: string;
  channel: Channel;
  closesAt: string;
  /** Another rule set than the table's default for the subject kind: the Secretariat's choice, recorded. */
  rules?: RuleSet;
  rulesReason?: string;
}

/** What the opening freezes besides the command: the Partner register at `now`, the rule table in force. */
export interface OpeningFacts {
  now: Date;
  /** The Partners registered at `now`. */
  electorate: readonly string[];
  /** Each member's `PartnerRegistered` in force at `now` (its stream's head), cited as the ground of its vote. */
  registrations?: Readonly<Record<string, StoredEvent>>;
  table: RuleTable;
  /** How near and how far the deadline may be; default DEFAULT_DEADLINE_BOUNDS. */
  bounds?: DeadlineBounds;
}

/**
 * Drafts and opens a ballot in one command, so the electorate is frozen at the instant the question is put
 * (the API has no separate open step). The two events stay distinct in the history: what was asked, then
 * under which rules and by whom it is decided.
 */
export function decideOpenBallot(command: OpenBallot, actor: Actor, facts: OpeningFacts) {
  return (_state: ProcessState): Decision[] => {
    requireSecretariat(actor, 'open a ballot of the Partners Board');
    const drafted: BallotDraftedData = {
      ballotId: command.ballotId,
      subject: command.subject,
      question: command.question,
      channel: command.channel,
    };
    const opened = openingData(command, facts);
    const grounds = opened.electorate.flatMap((partnerId) => {
      const registered = facts.registrations?.[partnerId];
      return registered ? [cite(registered, { partnerId })] : [];
    });
    return [
      { type: 'BallotDrafted', data: drafted },
      { type: 'BallotOpened', data: opened, ...(grounds.length ? { grounds } : {}) },
    ];
  };
}

function openingData(command: OpenBallot, { now, electorate, table, bounds = DEFAULT_DEADLINE_BOUNDS }: OpeningFacts): BallotOpenedData {
  const closesAt = commandInstant(command.closesAt, 'closesAt');
  const lead = {
    minMs: bounds.ballotMinLeadSeconds * 1000,
    maxMs: bounds.ballotMaxLeadDays * 86_400_000,
    minSetting: 'U4SSC_BALLOT_MIN_LEAD_SECONDS',
    maxSetting: 'U4SSC_BALLOT_MAX_LEAD_DAYS',
  };
  requireLead(closesAt, { at: now, name: 'the opening instant' }, lead, 'closesAt', 'Partners need time to vote electronically (ToR ¶13(b))', ['¶13(b)']);
  if (electorate.length === 0) {
    throw new InvalidCommandError(
      `no Partner is registered at ${now.toISOString()}: a ballot of the Partners Board needs its members, the Partners (ToR ¶13)`,
      { clauses: ['¶13'] },
    );
  }
  const entry = table.defaults[command.subject.kind];
  if (command.rules) {
    const problems = ruleSetProblems(command.rules);
    if (problems.length > 0) {
      throw new InvalidCommandError(`the chosen rule set cannot be used: ${problems.join('; ')}`, { field: 'rules', problems });
    }
    if (!command.rulesReason?.trim()) {
      throw new InvalidCommandError('choosing other rules than the rule table’s default needs a reason, which is recorded', { field: 'rulesReason' });
    }
  }
  return {
    ballotId: command.ballotId,
    closesAt: closesAt.toISOString(),
    electorate: [...new Set(electorate)].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0)),
    electorateAsOf: now.toISOString(),
    rules: structuredClone(command.rules ?? entry.rules),
    rulesSource: {
      table: table.name,
      tableVersion: table.version,
      subjectKind: command.subject.kind,
      clauses: [...entry.clauses],
      chosenBy: command.rules ? 'secretariat' : 'rule-table',
      ...(command.rules ? { reason: command.rulesReason!.trim() } : {}),
    },
    torVersion: table.torVersion,
  };
}
