import { html } from '../../../libs/html/index.js';
import { parseSeat, seatTitle } from '../../../state-machines/office/office.seat.js';
import type { CommandForm, FieldSpec, FormValues } from '../forms.js';
import { defined, given, yesNo, YES_NO } from './form-values.js';

/**
 * The office register (ToR ¶13(a), ¶15, ¶19, ¶28, Annex I): nominations, appointments on the decision the ToR names,
 * renewals and the end of a term, as the Secretariat records them. Each step is offered when the seat's process
 * lists its event as a next step.
 */

export type OfficeStep = 'nominations' | 'appointments' | 'renewals' | 'end';
export const OFFICE_STEPS: readonly OfficeStep[] = ['nominations', 'appointments', 'renewals', 'end'];

/** The event each step records: the seat's process must list it among its next steps. */
export const OFFICE_STEP_EVENTS: Record<OfficeStep, string> = {
  nominations: 'OfficeNominated',
  appointments: 'HolderAppointed',
  renewals: 'TermRenewed',
  end: 'TermEnded',
};

export const OFFICE_STEP_LABELS: Record<OfficeStep, string> = {
  nominations: 'Record a nomination',
  appointments: 'Record an appointment',
  renewals: 'Record a renewal',
  end: 'Record the end of the term',
};

/** The seats as the forms offer them to choose from (a Leader's seat is typed: leader-<thematic group>). */
export const SEAT_HINT = 'chair, vice-chair-1, vice-chair-2, …, leader-<thematic group> (e.g. leader-kpi), or ip-leader.';

/** The seat's name in words, or the id as given when it names no seat (the API then says so). */
export function seatName(seat: string): string {
  const parsed = parseSeat(seat);
  return parsed ? seatTitle(parsed) : seat;
}

const authorityFields = (office: string | undefined): FieldSpec[] => [
  {
    name: 'ballotId',
    label: 'The deciding ballot',
    hint:
      office === 'ip-leader'
        ? 'The Annual Meeting election (a meeting ballot) whose subject is this appointment (Annex I).'
        : office === 'leader'
          ? 'Not used for a Thematic Group Leader: the Chair appoints (¶19).'
          : 'The approved Partners Board ballot whose subject is this appointment, reference office:<seat>:<person> (¶13(a), ¶15).',
  },
  { name: 'appointedBy', label: 'Appointed by (Thematic Group Leader: the Chair’s person id)', hint: 'The Chair appoints the Leaders in consultation with the Secretariat (ToR ¶19).' },
  { name: 'consultation', label: 'How the Secretariat was consulted (Thematic Group Leader)', type: 'textarea' },
];

const authorityBody = (values: FormValues) => ({
  ballotId: given(values, 'ballotId'),
  appointedBy: given(values, 'appointedBy'),
  consultation: given(values, 'consultation'),
});

export function officeStepForm(seat: string, step: OfficeStep): CommandForm {
  const office = parseSeat(seat)?.office;
  const name = seatName(seat);
  const base = {
    action: `/secretariat/offices/${encodeURIComponent(seat)}/${step}`,
    apiPath: `/v1/offices/${encodeURIComponent(seat)}/${step}`,
    submitLabel: 'Review',
    done: (answer: unknown) => {
      const state = (answer as { state?: string }).state;
      return { location: '/secretariat#offices', notice: `Recorded for the seat ${name}${state ? `; it is now ${state}` : ''}.` };
    },
  };
  switch (step) {
    case 'nominations':
      return {
        ...base,
        title: `Record a nomination: ${name}`,
        intro: html`<p>The Partners nominate the Chair and the Vice-Chairs (ToR ¶13(a), ¶15); candidacies for IP Leader are recorded the same way (Annex I).
The Secretariat records a Partner’s nomination in its name.</p>`,
        fields: [
          { name: 'nomineeId', label: 'Candidate’s person id', required: true, hint: 'The id they sign in with, e.g. p-okafor.' },
          { name: 'nomineeName', label: 'Candidate’s name', required: true },
          { name: 'partnerId', label: 'Nominating Partner', required: true, hint: 'Its short id, e.g. FAO: required when the Secretariat records the nomination.' },
          { name: 'statement', label: 'Statement or reference of the nomination letter (optional)', type: 'textarea' },
        ],
        toBody: (values) => defined({ nomineeId: given(values, 'nomineeId'), nomineeName: given(values, 'nomineeName'), partnerId: given(values, 'partnerId'), statement: given(values, 'statement') }),
      };
    case 'appointments':
      return {
        ...base,
        title: `Record an appointment: ${name}`,
        intro: html`<p>A two-year term (ToR ¶28) starts on the decision the Terms of Reference name: a Partners Board ballot for the Chair and the Vice-Chairs (¶13(a), ¶15),
the Chair for the Leaders (¶19), an Annual Meeting election for the IP Leader (Annex I).</p>`,
        fields: [
          { name: 'holderId', label: 'Holder’s person id', required: true },
          { name: 'holderName', label: 'Holder’s name', required: true },
          ...authorityFields(office),
          { name: 'replace', label: 'Replace the current holder now', type: 'select', options: YES_NO, hint: 'Only when the seat is held: the current term ends now, replaced.' },
        ],
        toBody: (values) => defined({ holderId: given(values, 'holderId'), holderName: given(values, 'holderName'), ...authorityBody(values), replace: yesNo(values.replace) }),
      };
    case 'renewals':
      return {
        ...base,
        title: `Record a renewal: ${name}`,
        intro: html`<p>The holder serves a new two-year term from the end of the current one, on a new decision of the same body (ToR ¶28).
${office === 'ip-leader' ? html`The IP Leader is expected to change at least every two years (Annex I): renewing the same person needs a justification, which is recorded and flagged.` : ''}</p>`,
        fields: [
          ...authorityFields(office),
          ...(office === 'ip-leader'
            ? [{ name: 'justification', label: 'Justification (Annex I)', type: 'textarea', required: true, hint: 'Why the same person again, though the IP Leader is expected to change at least biennially (ToR Annex I).' } satisfies FieldSpec]
            : []),
        ],
        toBody: (values) => defined({ ...authorityBody(values), justification: given(values, 'justification') }),
      };
    case 'end':
      return {
        ...base,
        title: `Record the end of the term: ${name}`,
        intro: html`<p>A term ends at its end unless renewed (ToR ¶28). The scheduler records this at the end date by itself; record it here only
when it has not. A resignation or a replacement is recorded otherwise.</p>`,
        fields: [],
        toBody: () => ({ cause: 'expired' }),
        submitLabel: 'Review',
        confirmText: 'Nothing is recorded until you confirm. The term will be recorded as expired, not renewed (ToR ¶28); this cannot be undone.',
      };
  }
}
