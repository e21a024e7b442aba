import { Injectable } from '@nestjs/common';
import { ForbiddenCommandError } from '../errors/index.js';
import type { EndCause, OfficeGrounds } from '../../state-machines/office/office.events.js';
import { OFFICES, officeName, type Office } from '../../state-machines/office/office.seat.js';
import { effectiveEnd } from './office-register.js';
import { OfficeRegister } from './office-register.service.js';
import type { SeatView } from './office.view.js';

/** An office kind (`chair`, `vice-chair`, `leader`, `ip-leader`) or one seat (`vice-chair-2`, `leader-kpis`). */
export type OfficeSpec = Office | string;

/** The term by which a person holds an office at an instant, per the office register. */
export interface OfficeTerm {
  seat: string;
  office: Office;
  title: string;
  personId: string;
  name: string;
  termNumber: number;
  start: string;
  end: string;
  grounds: OfficeGrounds;
}

/** What the register says of a person and some offices at an instant: the term they hold, else their last one. */
export interface OfficeHolding {
  personId: string;
  offices: readonly OfficeSpec[];
  at: string;
  held?: OfficeTerm;
  lastEnded?: OfficeTerm & { endedAt: string; cause: EndCause | 'term-end' };
}

const matches = (view: SeatView, offices: readonly OfficeSpec[]) => offices.some((spec) => spec === view.office || spec === view.seat);

/** Pure: the holding read from seat documents (folded from the log) at an instant. Terms are half-open: [start, end). */
export function officeHolding(views: readonly SeatView[], personId: string, offices: readonly OfficeSpec[], at: Date): OfficeHolding {
  const t = at.getTime();
  const holding: OfficeHolding = { personId, offices, at: at.toISOString() };
  for (const view of views.filter((candidate) => matches(candidate, offices))) {
    for (const term of view.terms) {
      if (term.cancelled || term.holderId !== personId) continue;
      const found: OfficeTerm = {
        seat: view.seat,
        office: view.office,
        title: view.title,
        personId,
        name: term.holderName,
        termNumber: term.number,
        start: term.start,
        end: term.end,
        grounds: term.grounds,
      };
      const ends = effectiveEnd(term);
      if (Date.parse(term.start) <= t && t < Date.parse(ends)) holding.held ??= found;
      else if (Date.parse(ends) <= t && (!holding.lastEnded || Date.parse(holding.lastEnded.endedAt) < Date.parse(ends))) {
        holding.lastEnded = { ...found, endedAt: ends, cause: term.ended?.cause ?? 'term-end' };
      }
    }
  }
  return holding;
}

function clausesFor(offices: readonly OfficeSpec[]): string[] {
  const kinds = new Set(offices.map((spec) => OFFICES.find((office) => spec === office || spec.startsWith(`${office}-`)) ?? spec));
  const clauses: string[] = [];
  if (kinds.has('chair') || kinds.has('vice-chair')) clauses.push('¶15');
  if (kinds.has('leader')) clauses.push('¶19');
  if (kinds.has('ip-leader')) clauses.push('Annex I');
  return [...clauses, '¶28'];
}

function describe(offices: readonly OfficeSpec[]): string {
  return offices.map((spec) => ((OFFICES as readonly string[]).includes(spec) ? officeName(spec as Office) : spec)).join(' or ');
}

/**
 * The term the person holds, or a 403 naming the office and, for a former holder, the day their term ended. Offices
 * come from the register as of the command's time, never from a token's claims (docs/architecture.md §1, §4).
 */
export function requireHolding(holding: OfficeHolding): OfficeTerm {
  if (holding.held) return holding.held;
  const clauses = clausesFor(holding.offices);
  const cited = `(ToR ${clauses.join(', ')})`;
  const ended = holding.lastEnded;
  if (ended) {
    const how = ended.cause === 'term-end' || ended.cause === 'expired' ? 'ended' : `ended (${ended.cause})`;
    throw new ForbiddenCommandError(
      `${holding.personId}'s term as ${ended.title} ${how} on ${ended.endedAt}; at ${holding.at} they do not hold the office of ${describe(holding.offices)} per the office register ${cited}`,
      { clauses, personId: holding.personId, office: ended.office, seat: ended.seat, endedAt: ended.endedAt, at: holding.at },
    );
  }
  throw new ForbiddenCommandError(
    `${holding.personId} does not hold the office of ${describe(holding.offices)} at ${holding.at} per the office register; offices come from the register, not from the token ${cited}`,
    { clauses, personId: holding.personId, offices: [...holding.offices], at: holding.at },
  );
}

/**
 * Tenure-aware authority for decide steps (the workplan review, ¶10(b); the Chair framing the agenda, ¶16(a); a
 * Leader's appointment, ¶19): "does this person hold this office at this instant?", answered from the seats' event
 * streams (not the read model, which may trail the log by a moment), never from a token.
 */
@Injectable()
export class OfficeAuthority {
  constructor(private readonly register: OfficeRegister) {}

  async holding(personId: string, offices: readonly OfficeSpec[], at: Date): Promise<OfficeHolding> {
    return officeHolding(await this.register.seatsFromLog(offices), personId, offices, at);
  }

  async requireOfficeHolder(personId: string, offices: readonly OfficeSpec[], at: Date): Promise<OfficeTerm> {
    return requireHolding(await this.holding(personId, offices, at));
  }
}
