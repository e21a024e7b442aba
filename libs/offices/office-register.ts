import type { StoredEvent } from '../envelope/index.js';
import type { OfficeEvent } from '../../state-machines/office/office.events.js';
import { parseSeat, seatTitle, type Office } from '../../state-machines/office/office.seat.js';
import type { NominationView, SeatView, TermFlag, TermView } from './office.view.js';

type Stored = StoredEvent & OfficeEvent;

/**
 * The office register as a pure fold of a seat's events: the projection keeps it as a read model, and `?at=`
 * answers fold the same function over the events recorded up to an instant, so both speak alike.
 */
export function applyOfficeEvent(view: SeatView | undefined, stored: StoredEvent): SeatView | undefined {
  if (stored.metadata.machine.id !== 'office') return view;
  const event = stored as Stored;
  const seat = parseSeat(event.data.seat);
  if (!seat) return view;
  const at = stored.metadata.occurredAt;
  const by = stored.metadata.actor.id;
  const base: SeatView = view ?? {
    seat: seat.id,
    office: seat.office,
    title: seatTitle(seat),
    ...(seat.thematicGroup ? { thematicGroup: seat.thematicGroup } : {}),
    ...(seat.index ? { index: seat.index } : {}),
    stream: stored.stream,
    status: 'vacant',
    holder: null,
    nominations: [],
    terms: [],
    revision: -1,
    position: 0,
  };
  const next = change(base, event, at, by, stored.metadata.actor.role, stored.metadata.imported === true);
  return { ...next, revision: stored.revision, position: stored.position };
}

function change(view: SeatView, event: Stored, at: string, by: string, role: string, imported: boolean): SeatView {
  switch (event.type) {
    case 'OfficeNominated': {
      const { nomineeId, nomineeName, partnerId, statement } = event.data;
      const nomination: NominationView = {
        nomineeId,
        nomineeName,
        ...(partnerId ? { partnerId } : {}),
        ...(statement ? { statement } : {}),
        at,
        by,
        byRole: role,
      };
      return { ...view, status: view.holder ? view.status : 'nominated', nominations: [...view.nominations, nomination] };
    }
    case 'HolderAppointed': {
      const { holderId, holderName, term, grounds } = event.data;
      const previous = latest(view);
      // Annex I: an IP Leader elected again after their own term, no one else in between, is flagged like a renewal.
      const flags: TermFlag[] = view.office === 'ip-leader' && previous?.holderId === holderId ? ['annex-i-consecutive-term'] : [];
      const added: TermView = { ...term, holderId, holderName, grounds, kind: 'appointment', imported, recordedAt: at, recordedBy: by, flags };
      return {
        ...view,
        status: 'serving',
        holder: { personId: holderId, name: holderName },
        nominations: view.nominations.map((nomination) =>
          nomination.outcome ? nomination : { ...nomination, outcome: { at, appointed: nomination.nomineeId === holderId } },
        ),
        terms: [...view.terms, added],
      };
    }
    case 'TermRenewed': {
      const { holderId, term, grounds, justification } = event.data;
      const added: TermView = {
        ...term,
        holderId,
        holderName: view.holder?.name ?? holderId,
        grounds,
        kind: 'renewal',
        imported,
        recordedAt: at,
        recordedBy: by,
        ...(justification ? { justification } : {}),
        flags: view.office === 'ip-leader' ? ['annex-i-renewal'] : [],
      };
      return { ...view, status: 'serving', terms: [...view.terms, added] };
    }
    case 'RenewalDue':
      return {
        ...view,
        status: 'renewalDue',
        terms: view.terms.map((term) => (term.number === event.data.termNumber ? { ...term, renewalDueMarkedAt: at } : term)),
      };
    case 'TermEnded': {
      const { termNumber, cause, endedAt, reason } = event.data;
      const open = view.nominations.some((nomination) => !nomination.outcome);
      return {
        ...view,
        status: open ? 'nominated' : 'vacant',
        holder: null,
        terms: view.terms.map((term) =>
          term.number === termNumber
            ? { ...term, ended: { at: endedAt, cause, ...(reason ? { reason } : {}), recordedAt: at, recordedBy: by } }
            : term.number > termNumber && !term.cancelled
              ? { ...term, cancelled: { at } }
              : term,
        ),
      };
    }
    default:
      return view;
  }
}

function latest(view: SeatView): TermView | undefined {
  return view.terms.filter((term) => !term.cancelled).at(-1);
}

/** When a term stops counting: its early end, else its scheduled end. */
export function effectiveEnd(term: TermView): string {
  return term.ended?.at ?? term.end;
}

/** The term in force at an instant: [start, end), never a cancelled one. */
export function termInForce(view: SeatView, at: Date): TermView | undefined {
  const t = at.getTime();
  return view.terms.find((term) => !term.cancelled && Date.parse(term.start) <= t && t < Date.parse(effectiveEnd(term)));
}

/** One seat as the register answers for an instant. */
export interface RegisterEntry {
  seat: string;
  office: Office;
  title: string;
  thematicGroup?: string;
  holder: { personId: string; name: string } | null;
  term: {
    number: number;
    start: string;
    end: string;
    renewalDueAt: string;
    kind: TermView['kind'];
    grounds: TermView['grounds'];
    imported: boolean;
    justification?: string;
    flags: TermFlag[];
  } | null;
  /** The notice period has begun and no next term is recorded. */
  renewalDue: boolean;
  /** A renewed term recorded to follow the current one. */
  nextTerm: { number: number; start: string; end: string; grounds: TermView['grounds'] } | null;
  /** Candidates on record, waiting for the next appointment. */
  candidates: { nomineeId: string; nomineeName: string; partnerId?: string }[];
}

export function registerEntry(view: SeatView, at: Date): RegisterEntry {
  const term = termInForce(view, at);
  const following = term
    ? view.terms.find((candidate) => !candidate.cancelled && candidate.number > term.number && Date.parse(candidate.start) > at.getTime())
    : undefined;
  return {
    seat: view.seat,
    office: view.office,
    title: view.title,
    ...(view.thematicGroup ? { thematicGroup: view.thematicGroup } : {}),
    holder: term ? { personId: term.holderId, name: term.holderName } : null,
    term: term
      ? {
          number: term.number,
          start: term.start,
          end: term.end,
          renewalDueAt: term.renewalDueAt,
          kind: term.kind,
          grounds: term.grounds,
          imported: term.imported,
          ...(term.justification ? { justification: term.justification } : {}),
          flags: term.flags,
        }
      : null,
    renewalDue: term !== undefined && following === undefined && at.getTime() >= Date.parse(term.renewalDueAt),
    nextTerm: following ? { number: following.number, start: following.start, end: following.end, grounds: following.grounds } : null,
    candidates: view.nominations
      .filter((nomination) => Date.parse(nomination.at) <= at.getTime() && !(nomination.outcome && Date.parse(nomination.outcome.at) <= at.getTime()))
      .map(({ nomineeId, nomineeName, partnerId }) => ({ nomineeId, nomineeName, ...(partnerId ? { partnerId } : {}) })),
  };
}

/** Seats in a stable, readable order: Chair, Vice-Chairs by number, Leaders by group, IP Leader. */
export function bySeatOrder(a: { office: Office; seat: string }, b: { office: Office; seat: string }): number {
  const rank = (office: Office) => ['chair', 'vice-chair', 'leader', 'ip-leader'].indexOf(office);
  const byOffice = rank(a.office) - rank(b.office);
  if (byOffice !== 0) return byOffice;
  const number = (seat: string) => Number(/(\d+)$/.exec(seat)?.[1] ?? 0);
  return number(a.seat) - number(b.seat) || (a.seat < b.seat ? -1 : a.seat > b.seat ? 1 : 0);
}
