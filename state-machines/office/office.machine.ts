import { assign, setup } from 'xstate';
import type { FoldedEvent } from '../tools/folded-event.js';
import type { OfficeEvent, OfficeGrounds, TermDates } from './office.events.js';
import { appointmentReference } from './office.events.js';
import { appointedByPartnersBoard, parseSeat, type Office } from './office.seat.js';
import { isInstant, termEndFor } from './office.term.js';

export interface Nomination {
  nomineeId: string;
  nomineeName: string;
  partnerId?: string;
  at: string;
}

export interface TermRecord extends TermDates {
  holderId: string;
  holderName: string;
  grounds: OfficeGrounds;
  /** Set when the term ended before or at its end (expired, resigned, replaced). */
  endedAt: string | null;
  /** A renewal that never began: the holder left before it started. */
  cancelled: boolean;
}

export interface OfficeContext {
  seat: string;
  /** Null when the stream's name is no seat: then every guard refuses. */
  office: Office | null;
  /** Candidates waiting for the next appointment (consumed by it). */
  nominations: Nomination[];
  holder: { personId: string; name: string } | null;
  /** Every term of the seat, whoever held it, in order. */
  terms: TermRecord[];
  /** Ballots that already ground a term of this seat: one decision never grounds two terms. */
  decisionsUsed: string[];
}

export type OfficeMachineEvent = FoldedEvent<OfficeEvent>;

/** The seat's latest term that was (or is to be) served. */
export function lastTerm(context: Pick<OfficeContext, 'terms'>): TermRecord | undefined {
  return context.terms.filter((term) => !term.cancelled).at(-1);
}

/** The term in force at an instant: begun, and neither at its end nor ended early. Terms are half-open: [start, end). */
export function termAt(context: Pick<OfficeContext, 'terms'>, instant: string): TermRecord | undefined {
  const t = Date.parse(instant);
  return context.terms.find(
    (term) => !term.cancelled && Date.parse(term.start) <= t && t < Date.parse(term.endedAt ?? term.end),
  );
}

const ms = Date.parse;

/** Number, exact two-year length (¶28), renewal due inside the term. */
function wellFormed(context: OfficeContext, term: TermDates): boolean {
  return (
    term.number === context.terms.length + 1 &&
    isInstant(term.start) &&
    isInstant(term.renewalDueAt) &&
    term.end === termEndFor(term.start) &&
    ms(term.start) <= ms(term.renewalDueAt) &&
    ms(term.renewalDueAt) < ms(term.end)
  );
}

/** The grounds the ToR requires for this office, about this seat and this person, never used before. */
function backedFor(context: OfficeContext, office: Office, holderId: string, grounds: OfficeGrounds): boolean {
  if (context.office !== office) return false;
  const unused = (ballotId: string) => !context.decisionsUsed.includes(ballotId);
  switch (office) {
    case 'chair':
    case 'vice-chair':
      return grounds.kind === 'partners-board-ballot' && grounds.subjectReference === appointmentReference(context.seat, holderId) && unused(grounds.ballotId);
    case 'leader':
      return grounds.kind === 'chair-appointment' && grounds.chairId.trim() !== '' && grounds.consultation.trim() !== '';
    case 'ip-leader':
      return (
        grounds.kind === 'annual-meeting-election' &&
        grounds.channel === 'meeting' &&
        grounds.subjectReference === appointmentReference(context.seat, holderId) &&
        unused(grounds.ballotId)
      );
  }
}

function appointment(context: OfficeContext, event: OfficeMachineEvent, office: Office): boolean {
  if (event.type !== 'HolderAppointed') return false;
  const { holderId, term, grounds } = event.data;
  const nominated = !appointedByPartnersBoard(office) || context.nominations.some((nomination) => nomination.nomineeId === holderId);
  return backedFor(context, office, holderId, grounds) && nominated && wellFormed(context, term) && term.start === event.meta.occurredAt;
}

function renewal(context: OfficeContext, event: OfficeMachineEvent, office: Office): boolean {
  if (event.type !== 'TermRenewed') return false;
  const current = lastTerm(context);
  const { holderId, term, grounds } = event.data;
  const now = ms(event.meta.occurredAt);
  return (
    current !== undefined &&
    context.holder?.personId === holderId &&
    backedFor(context, office, holderId, grounds) &&
    wellFormed(context, term) &&
    term.start === current.end &&
    // Renewed during the current term, once it has begun: never two renewals stacked ahead.
    ms(current.start) <= now &&
    now < ms(current.end)
  );
}

/** Expired at its end, or resigned or replaced during it (with the later, renewed term if any, cancelled). */
function lawfulEnd(context: OfficeContext, event: OfficeMachineEvent): boolean {
  if (event.type !== 'TermEnded' || context.holder?.personId !== event.data.holderId) return false;
  const { cause, termNumber, endedAt } = event.data;
  if (cause === 'expired') {
    const current = lastTerm(context);
    return current?.number === termNumber && endedAt === current.end && ms(event.meta.occurredAt) >= ms(current.end);
  }
  const running = termAt(context, event.meta.occurredAt);
  const reasoned = cause === 'replaced' || (event.data.reason ?? '').trim() !== '';
  return running?.number === termNumber && endedAt === event.meta.occurredAt && reasoned;
}

/**
 * An office seat and its two-year terms (ToR ¶13(a), ¶15, ¶19, ¶28, Annex I). Candidates are nominated (the Partners
 * for the Chair and Vice-Chairs; candidacies for the IP Leader); a holder is appointed on the decision the ToR names
 * for the office; the term lasts exactly two years; its renewal falls due a notice period before the end; it is
 * renewed (a new term, again on such a decision) or ends (expired, resigned, replaced). The guards read only the
 * event and the context, so a seat's whole tenure history is recheckable from its stream.
 */
export const officeMachine = setup({
  types: {
    context: {} as OfficeContext,
    events: {} as OfficeMachineEvent,
    input: {} as { seat: string },
  },
  guards: {
    nominationIsValid: ({ context, event }) => {
      if (event.type !== 'OfficeNominated' || context.office === null || context.office === 'leader') return false;
      const { nomineeId, nomineeName, partnerId } = event.data;
      if (nomineeId.trim() === '' || nomineeName.trim() === '') return false;
      if (appointedByPartnersBoard(context.office) && !partnerId) return false;
      return !context.nominations.some((nomination) => nomination.nomineeId === nomineeId && nomination.partnerId === partnerId);
    },
    appointedByPartnersBoard: ({ context, event }) =>
      (context.office === 'chair' || context.office === 'vice-chair') && appointment(context, event, context.office),
    appointedByChair: ({ context, event }) => appointment(context, event, 'leader'),
    electedAtAnnualMeeting: ({ context, event }) => appointment(context, event, 'ip-leader'),
    importedTermServing: ({ context, event }) => {
      if (event.type !== 'HolderAppointed' || context.office === null || event.data.grounds.kind !== 'imported') return false;
      const { term, grounds } = event.data;
      const previous = lastTerm(context);
      const now = ms(event.meta.occurredAt);
      return (
        wellFormed(context, term) &&
        grounds.reference.trim() !== '' &&
        ms(term.start) <= now &&
        now < ms(term.end) &&
        (previous === undefined || ms(previous.endedAt ?? previous.end) <= ms(term.start))
      );
    },
    renewedByPartnersBoard: ({ context, event }) =>
      (context.office === 'chair' || context.office === 'vice-chair') && renewal(context, event, context.office),
    renewedByChair: ({ context, event }) => renewal(context, event, 'leader'),
    reelectedWithJustification: ({ context, event }) =>
      renewal(context, event, 'ip-leader') && event.type === 'TermRenewed' && (event.data.justification ?? '').trim() !== '',
    renewalNoticeReached: ({ context, event }) => {
      const current = lastTerm(context);
      if (event.type !== 'RenewalDue' || current === undefined) return false;
      const now = ms(event.meta.occurredAt);
      return (
        event.data.termNumber === current.number &&
        event.data.holderId === context.holder?.personId &&
        event.data.renewalDueAt === current.renewalDueAt &&
        event.data.termEnds === current.end &&
        ms(current.renewalDueAt) <= now &&
        now < ms(current.end)
      );
    },
    termEndsWithCandidatesWaiting: ({ context, event }) => lawfulEnd(context, event) && context.nominations.length > 0,
    termEnds: ({ context, event }) => lawfulEnd(context, event),
  },
  actions: {
    nominate: assign(({ context, event }) => {
      if (event.type !== 'OfficeNominated') return {};
      const { nomineeId, nomineeName, partnerId } = event.data;
      return { nominations: [...context.nominations, { nomineeId, nomineeName, ...(partnerId ? { partnerId } : {}), at: event.meta.occurredAt }] };
    }),
    appoint: assign(({ context, event }) => {
      if (event.type !== 'HolderAppointed') return {};
      const { holderId, holderName, term, grounds } = event.data;
      return {
        holder: { personId: holderId, name: holderName },
        nominations: [],
        terms: [...context.terms, { ...term, holderId, holderName, grounds, endedAt: null, cancelled: false }],
        decisionsUsed: 'ballotId' in grounds ? [...context.decisionsUsed, grounds.ballotId] : context.decisionsUsed,
      };
    }),
    renew: assign(({ context, event }) => {
      if (event.type !== 'TermRenewed') return {};
      const { holderId, term, grounds } = event.data;
      return {
        terms: [...context.terms, { ...term, holderId, holderName: context.holder!.name, grounds, endedAt: null, cancelled: false }],
        decisionsUsed: 'ballotId' in grounds ? [...context.decisionsUsed, grounds.ballotId] : context.decisionsUsed,
      };
    }),
    end: assign(({ context, event }) => {
      if (event.type !== 'TermEnded') return {};
      const { termNumber, endedAt } = event.data;
      return {
        holder: null,
        terms: context.terms.map((term) =>
          term.number === termNumber ? { ...term, endedAt } : term.number > termNumber ? { ...term, cancelled: true } : term,
        ),
      };
    }),
  },
}).createMachine({
  id: 'office',
  initial: 'vacant',
  // `input?.`: XState's pure transition() builds throwaway actors without input; throwing there costs every fold.
  context: ({ input }) => ({
    seat: input?.seat ?? '',
    office: parseSeat(input?.seat ?? '')?.office ?? null,
    nominations: [],
    holder: null,
    terms: [],
    decisionsUsed: [],
  }),
  states: {
    vacant: {
      description: 'No holder and no candidate on record',
      on: {
        OfficeNominated: { target: 'nominated', guard: 'nominationIsValid', actions: 'nominate', meta: { clauses: ['¶13(a)', '¶15', 'Annex I'] } },
        HolderAppointed: [
          { target: 'serving', guard: 'appointedByChair', actions: 'appoint', meta: { clauses: ['¶19', '¶28'] } },
          { target: 'serving', guard: 'electedAtAnnualMeeting', actions: 'appoint', meta: { clauses: ['Annex I', '¶28'] } },
          { target: 'serving', guard: 'importedTermServing', actions: 'appoint', meta: { clauses: ['¶28'] } },
        ],
      },
    },
    nominated: {
      description: 'Candidates on record, no holder: the appointing body decides (¶13(a), ¶15)',
      on: {
        OfficeNominated: { guard: 'nominationIsValid', actions: 'nominate', meta: { clauses: ['¶13(a)', '¶15', 'Annex I'] } },
        HolderAppointed: [
          { target: 'serving', guard: 'appointedByPartnersBoard', actions: 'appoint', meta: { clauses: ['¶13(a)', '¶15', '¶28'] } },
          { target: 'serving', guard: 'electedAtAnnualMeeting', actions: 'appoint', meta: { clauses: ['Annex I', '¶28'] } },
          { target: 'serving', guard: 'importedTermServing', actions: 'appoint', meta: { clauses: ['¶28'] } },
        ],
      },
    },
    serving: {
      description: 'A holder serves a two-year term (¶28); a renewed term, when recorded, follows the current one',
      on: {
        OfficeNominated: { guard: 'nominationIsValid', actions: 'nominate', meta: { clauses: ['¶13(a)', '¶15', 'Annex I'] } },
        RenewalDue: { target: 'renewalDue', guard: 'renewalNoticeReached', meta: { clauses: ['¶28'] } },
        TermRenewed: [
          { target: 'serving', guard: 'renewedByPartnersBoard', actions: 'renew', meta: { clauses: ['¶28', '¶13(a)', '¶15'] } },
          { target: 'serving', guard: 'renewedByChair', actions: 'renew', meta: { clauses: ['¶28', '¶19'] } },
          { target: 'serving', guard: 'reelectedWithJustification', actions: 'renew', meta: { clauses: ['¶28', 'Annex I'] } },
        ],
        TermEnded: [
          { target: 'nominated', guard: 'termEndsWithCandidatesWaiting', actions: 'end', meta: { clauses: ['¶28'] } },
          { target: 'vacant', guard: 'termEnds', actions: 'end', meta: { clauses: ['¶28'] } },
        ],
      },
    },
    renewalDue: {
      description: 'The notice period before the end has begun: renew (a new term) or let the term end (¶28)',
      on: {
        OfficeNominated: { guard: 'nominationIsValid', actions: 'nominate', meta: { clauses: ['¶13(a)', '¶15', 'Annex I'] } },
        TermRenewed: [
          { target: 'serving', guard: 'renewedByPartnersBoard', actions: 'renew', meta: { clauses: ['¶28', '¶13(a)', '¶15'] } },
          { target: 'serving', guard: 'renewedByChair', actions: 'renew', meta: { clauses: ['¶28', '¶19'] } },
          { target: 'serving', guard: 'reelectedWithJustification', actions: 'renew', meta: { clauses: ['¶28', 'Annex I'] } },
        ],
        TermEnded: [
          { target: 'nominated', guard: 'termEndsWithCandidatesWaiting', actions: 'end', meta: { clauses: ['¶28'] } },
          { target: 'vacant', guard: 'termEnds', actions: 'end', meta: { clauses: ['¶28'] } },
        ],
      },
    },
  },
});

export const OFFICE_MACHINE_VERSION = 1;
