import type { Actor, StoredEvent } from '../envelope/index.js';
import { ForbiddenCommandError, InvalidCommandError } from '../errors/index.js';
import type { OfficeHolding } from '../offices/office-authority.js';
import { DEFAULT_DEADLINE_BOUNDS, type DeadlineBounds } from '../config/app-config.js';
import { cite, commandInstant, requireLead, type Decision, type ProcessState } from '../process-runner/index.js';
import type { CapacityKind, InputCapacity, LeftOutInput, Reviewer, ReviewDecision } from '../../state-machines/workplan/workplan.events.js';
import { nextRound } from '../../state-machines/workplan/workplan.machine.js';
import { contentHash, contextOf, notNow, requireCycle, requireSecretariat } from './workplan.decide-support.js';

/** The input deadline a command sets: after `at`, within U4SSC_WORKPLAN_MAX_LEAD_DAYS. */
function inputDeadline(text: string, at: Date, bounds: DeadlineBounds): Date {
  const deadline = commandInstant(text, 'inputDeadline');
  const lead = { minMs: 0, maxMs: bounds.workplanMaxLeadDays * 86_400_000, maxSetting: 'U4SSC_WORKPLAN_MAX_LEAD_DAYS' };
  requireLead(deadline, { at, name: 'now' }, lead, 'inputDeadline', 'contributors need time to send inputs (ToR ¶10(a))', ['¶10(a)']);
  return deadline;
}

export interface OpenCycle {
  cycle: string;
  title?: string;
  inputDeadline: string;
}

/** `at`: the instant the events will carry (from the runner), so the checks and the machine's guards agree. */
export function decideOpen(command: OpenCycle, actor: Actor, now: Date, bounds: DeadlineBounds = DEFAULT_DEADLINE_BOUNDS) {
  return (state: ProcessState, at: Date = now): Decision[] => {
    requireSecretariat(actor, 'open a workplan cycle: it compiles the workplan');
    if (state.value !== 'none') throw notNow(`workplan cycle "${command.cycle}" is already open`, state, ['¶10(a)']);
    const deadline = inputDeadline(command.inputDeadline, at, bounds);
    const title = command.title?.trim() || `U4SSC workplan ${command.cycle}`;
    return [{ type: 'WorkplanOpened', data: { cycle: command.cycle, title, inputDeadline: deadline.toISOString() } }];
  };
}

export interface SubmitInput {
  cycle: string;
  inputId: string;
  title: string;
  text: string;
  /** The capacity the person submits in; default: an office they hold (Leader, IP Leader), else their Partner. */
  capacity?: CapacityKind;
}

/** What the register said of the submitter at the instant: their Partner (token `org`), their Leader and IP Leader terms. */
export interface ContributorFacts {
  now: Date;
  /** The token's organisation, when its stream records it at all, and whether it was a Partner at `now`. */
  partner?: { partnerId: string };
  partnerNow?: boolean;
  /** Its `PartnerRegistered` in force at `now`: an input given as a Partner cites it. */
  registered?: StoredEvent;
  leader?: OfficeHolding;
  ipLeader?: OfficeHolding;
}

const CONTRIBUTORS = 'inputs come from the Partners, the Leaders of the Thematic Groups and the IP Leader (ToR ¶10(a), ¶20(b))';

/** The capacity an input is given in, established from the token (Partners) and the office register (Leaders). */
export function capacityFor(requested: CapacityKind | undefined, actor: Actor, facts: ContributorFacts): InputCapacity {
  const office = (kind: 'leader' | 'ip-leader', holding?: OfficeHolding): InputCapacity | undefined =>
    holding?.held
      ? { kind, seat: holding.held.seat, title: holding.held.title, termNumber: holding.held.termNumber, termEnds: holding.held.end }
      : undefined;
  const partner = (): InputCapacity | undefined => {
    if (actor.role !== 'partner' || !actor.org) return undefined;
    if (!facts.partner || !facts.partnerNow) {
      throw new ForbiddenCommandError(`${actor.org} is not a registered Partner at ${facts.now.toISOString()}: ${CONTRIBUTORS}`, {
        clauses: ['¶10(a)', '¶12'],
        partnerId: actor.org,
      });
    }
    return { kind: 'partner', partnerId: actor.org };
  };
  const found =
    requested === 'partner'
      ? partner()
      : requested === 'leader'
        ? office('leader', facts.leader)
        : requested === 'ip-leader'
          ? office('ip-leader', facts.ipLeader)
          : (office('leader', facts.leader) ?? office('ip-leader', facts.ipLeader) ?? partner());
  if (found) return found;
  const named = requested ? ` as ${requested}` : '';
  throw new ForbiddenCommandError(
    `${actor.id} cannot submit a workplan input${named} at ${facts.now.toISOString()}: ${CONTRIBUTORS}; a Partner's representative acts for the token's organisation, Leaders per the office register`,
    { clauses: ['¶10(a)', '¶20(b)'], personId: actor.id, ...(requested ? { capacity: requested } : {}) },
  );
}

export function decideSubmitInput(command: SubmitInput, actor: Actor, facts: ContributorFacts) {
  return (state: ProcessState, at: Date = facts.now): Decision[] => {
    const context = requireCycle(state);
    if (state.value !== 'collectingInputs') {
      throw notNow('inputs are no longer collected: the workplan has been compiled; the Secretariat may reopen inputs', state, ['¶10(a)']);
    }
    if (at.getTime() >= Date.parse(context.inputDeadline!)) {
      throw notNow(`the input deadline ${context.inputDeadline} has passed; a late input is taken only if the Secretariat reopens inputs`, state, ['¶10(a)']);
    }
    const capacity = capacityFor(command.capacity, actor, facts);
    const grounds = capacity.kind === 'partner' && facts.registered ? [cite(facts.registered, { partnerId: capacity.partnerId })] : [];
    return [
      {
        type: 'WorkplanInputSubmitted',
        data: { cycle: command.cycle, inputId: command.inputId, submittedBy: actor.id, capacity, title: command.title, text: command.text, contentHash: contentHash(command.text) },
        ...(grounds.length ? { grounds } : {}),
      },
    ];
  };
}

export interface ReopenInputs {
  cycle: string;
  inputDeadline: string;
  reason: string;
}

export function decideReopen(command: ReopenInputs, actor: Actor, now: Date, bounds: DeadlineBounds = DEFAULT_DEADLINE_BOUNDS) {
  return (state: ProcessState, at: Date = now): Decision[] => {
    requireSecretariat(actor, 'reopen the workplan inputs');
    requireCycle(state);
    if (!['collectingInputs', 'changesRequested', 'notAgreed'].includes(state.value)) {
      throw notNow('inputs are reopened while collecting, after the Management Team asked for changes, or after the Partners did not agree', state, ['¶10(a)']);
    }
    const deadline = inputDeadline(command.inputDeadline, at, bounds);
    return [{ type: 'WorkplanInputsReopened', data: { cycle: command.cycle, inputDeadline: deadline.toISOString(), reason: command.reason.trim() } }];
  };
}

export interface CompileWorkplan {
  cycle: string;
  /** The document as compiled; its SHA-256 is recorded. */
  text: string;
  /** Inputs taken; default: every input not left out. */
  taken?: string[];
  leftOut?: LeftOutInput[];
}

export function decideCompile(command: CompileWorkplan, actor: Actor, now: Date) {
  return (state: ProcessState, at: Date = now): Decision[] => {
    requireSecretariat(actor, 'compile the workplan', ['¶10(a)']);
    const context = requireCycle(state);
    if (!['collectingInputs', 'changesRequested', 'notAgreed'].includes(state.value)) {
      throw notNow('the workplan is compiled after the inputs, or again after the Management Team asked for changes or the Partners did not agree', state, ['¶10(a)', '¶10(b)']);
    }
    if (state.value === 'collectingInputs' && at.getTime() < Date.parse(context.inputDeadline!)) {
      throw notNow(`inputs are collected until ${context.inputDeadline}: compiling now would shut out contributors`, state, ['¶10(a)']);
    }
    const leftOut = (command.leftOut ?? []).map((left) => ({ inputId: left.inputId, reason: left.reason.trim() }));
    const out = new Set(leftOut.map((left) => left.inputId));
    const taken = command.taken ?? context.inputs.filter((inputId) => !out.has(inputId));
    const named = [...taken, ...out];
    const unknown = named.filter((inputId) => !context.inputs.includes(inputId));
    const missing = context.inputs.filter((inputId) => !named.includes(inputId));
    const twice = named.filter((inputId, index) => named.indexOf(inputId) !== index);
    if (unknown.length || missing.length || twice.length || leftOut.some((left) => left.reason === '')) {
      throw new InvalidCommandError(
        [
          unknown.length ? `unknown inputs: ${unknown.join(', ')}` : '',
          missing.length ? `inputs neither taken nor left out: ${missing.join(', ')}` : '',
          twice.length ? `inputs named twice: ${[...new Set(twice)].join(', ')}` : '',
          leftOut.some((left) => left.reason === '') ? 'every input left out needs a reason' : '',
        ]
          .filter(Boolean)
          .join('; ') + ': the compilation accounts for every input, taken or left out with a reason (ToR ¶10(a))',
        { clauses: ['¶10(a)'], unknown, missing },
      );
    }
    const round = nextRound(context);
    return [
      {
        type: 'WorkplanCompiled',
        data: { cycle: command.cycle, round, version: `v${round}`, contentHash: contentHash(command.text), text: command.text, taken, leftOut },
      },
    ];
  };
}

export interface ReviewWorkplan {
  cycle: string;
  decision: ReviewDecision;
  comments?: string[];
}

export function decideReview(command: ReviewWorkplan, actor: Actor, reviewer: Reviewer) {
  return (state: ProcessState): Decision[] => {
    const context = requireCycle(state);
    if (state.value !== 'underReview') {
      throw notNow('the Management Team reviews a compiled version awaiting its review', state, ['¶10(b)']);
    }
    const comments = (command.comments ?? []).map((comment) => comment.trim()).filter(Boolean);
    if (command.decision === 'request-changes' && comments.length === 0) {
      throw new InvalidCommandError('requesting changes needs at least one comment saying what to change (ToR ¶10(b))', { clauses: ['¶10(b)'], field: 'comments' });
    }
    const round = context.rounds.at(-1)!;
    return [
      {
        type: 'WorkplanReviewed',
        data: { cycle: command.cycle, round: round.round, contentHash: round.contentHash, decision: command.decision, comments, reviewer: { ...reviewer, personId: actor.id } },
      },
    ];
  };
}

export interface PresentWorkplan {
  cycle: string;
  meeting: string;
}

export function decidePresent(command: PresentWorkplan, actor: Actor) {
  return (state: ProcessState): Decision[] => {
    requireSecretariat(actor, 'record the presentation at the Annual Meeting, which it organises', ['¶10(c)', '¶23(e)']);
    const context = requireCycle(state);
    if (state.value !== 'endorsed') {
      throw notNow(
        'the workplan is presented at the Annual Meeting only once the Management Team has endorsed its latest version',
        state,
        ['¶10(b)', '¶10(c)'],
      );
    }
    const round = context.rounds.at(-1)!;
    return [{ type: 'WorkplanPresented', data: { cycle: command.cycle, round: round.round, contentHash: round.contentHash, meeting: command.meeting.trim() } }];
  };
}
