import type { Actor, StoredEvent } from '../envelope/index.js';
import { CommandRejectedError, ForbiddenCommandError, InvalidCommandError } from '../errors/index.js';
import { cite, type Decision, type ProcessState } from '../process-runner/index.js';
import type { OfficeNominatedData } from '../../state-machines/office/office.events.js';
import { appointedByPartnersBoard } from '../../state-machines/office/office.seat.js';
import { contextOf, requireSeat } from './office.decide-support.js';

export interface NominateCandidate {
  seat: string;
  nomineeId: string;
  nomineeName: string;
  /** The nominating Partner: a representative's own organisation (the default), or named by the Secretariat. */
  partnerId?: string;
  statement?: string;
}

export interface NominationFacts {
  now: Date;
  /** The nominating Partner, when one is named and its stream records it at all. */
  partner?: { partnerId: string };
  /** Whether it was a Partner at `now`, as its stream records it (`partnerFactAt`, libs/partners). */
  partnerNow?: boolean;
  /** Its `PartnerRegistered` in force at `now`: the nomination's ground. */
  registered?: StoredEvent;
}

/**
 * Candidates for Chair and Vice-Chair are proposed by the Partners (ToR ¶13(a), ¶15): a Partner's representative
 * nominates for their own organisation, or the Secretariat records a Partner's nomination received by letter, naming
 * the Partner. Either way the Partner must be on the Partner register at that instant. IP Leader candidacies for the
 * Annual Meeting election (Annex I) are recorded likewise, a Partner being optional. Leaders are not nominated (¶19).
 */
export function decideNominate(command: NominateCandidate, actor: Actor, facts: NominationFacts) {
  return (state: ProcessState): Decision[] => {
    const seat = requireSeat(command.seat);
    if (seat.office === 'leader') {
      throw new InvalidCommandError(
        'Thematic Group Leaders are appointed by the Co-Chairman in consultation with the Secretariat; nobody nominates them (ToR ¶19)',
        { clauses: ['¶19'], seat: seat.id },
      );
    }
    const byBoard = appointedByPartnersBoard(seat.office);
    const clauses = byBoard ? ['¶13(a)', '¶15'] : ['Annex I'];
    let partnerId = command.partnerId;
    if (actor.role === 'partner') {
      if (!actor.org) throw new ForbiddenCommandError('your token names no organisation: a Partner nominates through its representative (ToR ¶13(a), ¶15)', { clauses });
      if (partnerId && partnerId !== actor.org) {
        throw new ForbiddenCommandError(`you represent ${actor.org}: you may nominate for ${actor.org}, not for ${partnerId} (ToR ${clauses.join(', ')})`, { clauses });
      }
      partnerId = actor.org;
    } else if (actor.role === 'secretariat') {
      if (byBoard && !partnerId) {
        throw new InvalidCommandError('name the Partner whose nomination the Secretariat records: candidates for Chair and Vice-Chair are proposed by the Partners (ToR ¶13(a), ¶15)', {
          clauses,
          field: 'partnerId',
        });
      }
    } else {
      throw new ForbiddenCommandError(
        `${byBoard ? 'candidates for Chair and Vice-Chair are nominated by the Partners' : 'IP Leader candidacies are recorded by a Partner or the Secretariat'}, through a representative or the Secretariat (ToR ${clauses.join(', ')})`,
        { clauses, requiredRoles: ['partner', 'secretariat'] },
      );
    }
    if (partnerId && !(facts.partner?.partnerId === partnerId && facts.partnerNow)) {
      throw new InvalidCommandError(`${partnerId} is not a Partner at ${facts.now.toISOString()}: only Partners propose candidates (ToR ¶12, ${clauses.join(', ')})`, {
        clauses: ['¶12', ...clauses],
        field: 'partnerId',
      });
    }
    const twice = contextOf(state).nominations.find((nomination) => nomination.nomineeId === command.nomineeId && nomination.partnerId === partnerId);
    if (twice) {
      throw new CommandRejectedError(
        `${command.nomineeId} is already a candidate for seat "${seat.id}"${partnerId ? `, nominated by ${partnerId}` : ''} on ${twice.at} (ToR ${clauses.join(', ')})`,
        state.value,
        clauses,
        { seat: seat.id },
      );
    }
    const data: OfficeNominatedData = {
      seat: seat.id,
      nomineeId: command.nomineeId,
      nomineeName: command.nomineeName.trim(),
      ...(partnerId ? { partnerId } : {}),
      ...(command.statement?.trim() ? { statement: command.statement.trim() } : {}),
    };
    const grounds = partnerId && facts.registered ? [cite(facts.registered, { partnerId })] : [];
    return [{ type: 'OfficeNominated', data, ...(grounds.length ? { grounds } : {}) }];
  };
}
