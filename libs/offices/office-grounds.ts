import type { Actor } from '../envelope/index.js';
import { CommandRejectedError, ForbiddenCommandError, InvalidCommandError } from '../errors/index.js';
import type { BallotFacts } from '../ballots/ballot-facts.js';
import type { Ground } from '../envelope/index.js';
import { cite } from '../process-runner/index.js';
import { appointmentReference, type BallotGrounds, type OfficeGrounds } from '../../state-machines/office/office.events.js';
import { officeName, type Seat } from '../../state-machines/office/office.seat.js';
import { requireHolding, type OfficeHolding } from './office-authority.js';
import { requireSecretariat } from './office.decide-support.js';

/** How an appointment or renewal names its authority (which fields apply depends on the office). */
export interface AuthorityInput {
  /** Chair, Vice-Chair: the Partners Board ballot; IP Leader: the Annual Meeting election (a `meeting` ballot). */
  ballotId?: string;
  /** Thematic Group Leader: the Chair who appointed (defaults to the person acting, when not the Secretariat). */
  appointedBy?: string;
  /** Thematic Group Leader: how the Secretariat was consulted (ToR ¶19). */
  consultation?: string;
}

export interface AuthorityFacts {
  now: Date;
  /** The ballot named by `ballotId`, as its stream records it, when there is one. */
  ballot?: BallotFacts;
  /** What the office register says of the appointing Chair at `now` (Leaders). */
  chair?: OfficeHolding;
}

export const BOARD_CLAUSES = ['¶13(a)', '¶15'];
export const LEADER_CLAUSES = ['¶19'];
export const IP_CLAUSES = ['Annex I'];

/** The Chair who appoints a Leader: named by the Secretariat recording it, or the person acting themselves. */
export function appointingChair(seat: Seat, input: AuthorityInput, actor: Actor): string | undefined {
  if (seat.office !== 'leader') return undefined;
  return input.appointedBy ?? (actor.role === 'secretariat' ? undefined : actor.id);
}

/**
 * The decision the ToR requires for this office (docs/architecture.md §2), checked against the ballot's own stream or
 * the office register at the command's time (docs/integrity.md §3): a decided, approved `appointment` ballot about this seat and this person (Chair and
 * Vice-Chairs, ¶13(a), ¶15; the IP Leader elected at an Annual Meeting, Annex I), or the appointment by the person
 * holding the Chair office, in consultation with the Secretariat (Leaders, ¶19).
 */
export function groundsFor(seat: Seat, personId: string, input: AuthorityInput, actor: Actor, facts: AuthorityFacts, purpose: 'appointment' | 'renewal'): OfficeGrounds {
  switch (seat.office) {
    case 'chair':
    case 'vice-chair':
      requireSecretariat(actor, `record the Partners Board's ${purpose} of a ${officeName(seat.office)}`, BOARD_CLAUSES);
      if (input.appointedBy) {
        throw new InvalidCommandError(`the Chair and Vice-Chairs are appointed by the Partners Board, not by a Chair: name its ballot (ToR ¶13(a), ¶15)`, {
          clauses: BOARD_CLAUSES,
          field: 'appointedBy',
        });
      }
      return ballotGrounds(facts.ballot, input.ballotId, seat, personId, 'partners-board-ballot', BOARD_CLAUSES);
    case 'ip-leader':
      requireSecretariat(actor, `record the Annual Meeting's election of the IP Leader`, IP_CLAUSES);
      if (input.appointedBy) {
        throw new InvalidCommandError('the IP Leader is elected at an Annual Meeting, not appointed by a Chair: name the election’s ballot (ToR Annex I)', {
          clauses: IP_CLAUSES,
          field: 'appointedBy',
        });
      }
      return ballotGrounds(facts.ballot, input.ballotId, seat, personId, 'annual-meeting-election', IP_CLAUSES);
    case 'leader':
      return chairGrounds(input, actor, facts);
  }
}

function ballotGrounds(
  ballot: BallotFacts | undefined,
  ballotId: string | undefined,
  seat: Seat,
  personId: string,
  kind: BallotGrounds['kind'],
  clauses: string[],
): BallotGrounds {
  const cited = `(ToR ${clauses.join(', ')})`;
  const body = kind === 'partners-board-ballot' ? 'the Partners Board' : 'the Annual Meeting';
  if (!ballotId) throw new InvalidCommandError(`name the ballot by which ${body} decided it (ballotId) ${cited}`, { clauses, field: 'ballotId' });
  if (!ballot) throw new InvalidCommandError(`no ballot "${ballotId}" is on record: ${body} decides by ballot ${cited}`, { clauses, field: 'ballotId', ballotId });
  const expected = appointmentReference(seat.id, personId);
  if (ballot.subject.kind !== 'appointment') {
    throw new InvalidCommandError(`ballot "${ballotId}" decides a ${ballot.subject.kind}, not an appointment ${cited}`, { clauses, ballotId, subject: ballot.subject });
  }
  if (ballot.subject.reference !== expected) {
    throw new InvalidCommandError(
      `ballot "${ballotId}" is about ${ballot.subject.reference ? `"${ballot.subject.reference}"` : 'no office seat'}, not "${expected}" (this seat and this person) ${cited}`,
      { clauses, ballotId, subject: ballot.subject, expectedReference: expected },
    );
  }
  if (kind === 'annual-meeting-election' && ballot.channel !== 'meeting') {
    throw new InvalidCommandError(`the IP Leader is elected at an Annual Meeting: ballot "${ballotId}" was taken ${ballot.channel}ally, not at a meeting ${cited}`, {
      clauses,
      ballotId,
      channel: ballot.channel,
    });
  }
  if (ballot.status !== 'approved' || ballot.decision?.outcome !== 'approved') {
    const why = ['draft', 'open', 'closed'].includes(ballot.status) ? 'it is not decided yet' : `${body} did not approve it`;
    throw new CommandRejectedError(`ballot "${ballotId}" is ${ballot.status}: ${why} ${cited}`, ballot.status, clauses, { ballotId, ballotStatus: ballot.status });
  }
  return { kind, ballotId, decidedAt: ballot.decision.at, subjectReference: expected, channel: ballot.channel };
}

/**
 * The events an appointment or renewal by ballot rests on, cited in its metadata: the ballot's `BallotDecided`
 * (approved, about this seat and person) and, for the IP Leader, its `BallotDrafted` (taken at a meeting).
 * Called after `groundsFor` accepted the ballot; none for a Leader (the Chair's holding is read from the seats).
 */
export function ballotCitations(seat: Seat, personId: string, facts: AuthorityFacts): Ground[] {
  const ballot = facts.ballot;
  if (seat.office === 'leader' || !ballot?.decided) return [];
  const subject = { kind: 'appointment', reference: appointmentReference(seat.id, personId) };
  const citations = [cite(ballot.decided, { ballotId: ballot.ballotId, outcome: 'approved', subject })];
  if (seat.office === 'ip-leader' && ballot.drafted) citations.push(cite(ballot.drafted, { ballotId: ballot.ballotId, channel: 'meeting', subject }));
  return citations;
}

function chairGrounds(input: AuthorityInput, actor: Actor, facts: AuthorityFacts): OfficeGrounds {
  if (input.ballotId) {
    throw new InvalidCommandError('Leaders are appointed by the Co-Chairman in consultation with the Secretariat, not by ballot: name the Chair (ToR ¶19)', {
      clauses: LEADER_CLAUSES,
      field: 'ballotId',
    });
  }
  let chairId: string;
  let consultation: string;
  if (actor.role === 'secretariat') {
    if (!input.appointedBy) {
      throw new InvalidCommandError('name the Chair who appointed the Leader (appointedBy): Leaders are appointed by the Co-Chairman (ToR ¶19)', {
        clauses: LEADER_CLAUSES,
        field: 'appointedBy',
      });
    }
    chairId = input.appointedBy;
    // The Secretariat recording the Chair's appointment is the consultation; a note may say more.
    consultation = input.consultation?.trim() || `recorded by the Secretariat (${actor.id})`;
  } else {
    if (input.appointedBy && input.appointedBy !== actor.id) {
      throw new ForbiddenCommandError(`only the Secretariat records a Leader's appointment made by someone else; as Chair you may record your own (ToR ¶19)`, {
        clauses: LEADER_CLAUSES,
      });
    }
    if (!input.consultation?.trim()) {
      throw new InvalidCommandError('say how the Secretariat was consulted (consultation): the Chair appoints Leaders in consultation with the Secretariat (ToR ¶19)', {
        clauses: LEADER_CLAUSES,
        field: 'consultation',
      });
    }
    chairId = actor.id;
    consultation = input.consultation.trim();
  }
  const holding = facts.chair?.personId === chairId ? facts.chair : { personId: chairId, offices: ['chair'], at: facts.now.toISOString() };
  const chair = requireHolding(holding);
  return { kind: 'chair-appointment', chairId, chairTerm: chair.termNumber, chairTermEnds: chair.end, consultation };
}
