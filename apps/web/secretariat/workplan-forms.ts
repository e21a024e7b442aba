import { html } from '../../../libs/html/index.js';
import { CHANNELS } from '../../../state-machines/ballot/ballot.events.js';
import type { CommandForm, FieldSpec, FormValues } from '../forms.js';
import { utcFromLocalInput } from '../time.js';
import { defined, given, lines } from './form-values.js';

/**
 * The yearly workplan cycle (ToR ¶10(a)-(d)): the Secretariat opens it, reopens the inputs, compiles, records the
 * presentation and puts the workplan to the Partners; the Management Team reviews. Each form is offered only for
 * the steps the API lists in the cycle's `allowed`.
 */

export type WorkplanStep = 'reopen-inputs' | 'compile' | 'review' | 'present' | 'ballot';
export const WORKPLAN_STEPS: readonly WorkplanStep[] = ['reopen-inputs', 'compile', 'review', 'present', 'ballot'];

export const WORKPLAN_STEP_LABELS: Record<WorkplanStep, string> = {
  'reopen-inputs': 'Reopen the inputs',
  compile: 'Compile a version',
  review: 'Record the Management Team’s review',
  present: 'Record the presentation at the Annual Meeting',
  ballot: 'Put the workplan to the Partners',
};

export function openWorkplanForm(): CommandForm {
  return {
    title: 'Open a workplan cycle',
    action: '/secretariat/workplans/new',
    apiPath: '/v1/workplans',
    intro: html`<p>The Secretariat compiles the workplan from the inputs of the Partners, the Leaders of the Thematic Groups and the
IP Leader (ToR ¶10(a)); opening the cycle starts the call for inputs, until the deadline you set.</p>`,
    fields: [
      { name: 'cycle', label: 'Cycle', required: true, hint: 'A year such as 2027, or a span such as 2027-2028.' },
      { name: 'title', label: 'Title (optional)', hint: 'Default: U4SSC workplan and the cycle.' },
      { name: 'inputDeadline', label: 'Inputs accepted until (UTC)', type: 'datetime-local', step: 1, required: true },
    ],
    toBody: (values) => defined({ cycle: given(values, 'cycle'), title: given(values, 'title'), inputDeadline: utcFromLocalInput(values.inputDeadline) }),
    submitLabel: 'Review',
    done: (_answer, values) => ({ location: '/secretariat#workplans', notice: `The workplan cycle ${values.cycle ?? ''} is open for inputs.` }),
  };
}

function leftOut(values: FormValues): { inputId: string; reason: string }[] | undefined {
  const entries = lines(values.leftOut).map((line) => {
    const at = line.indexOf(':');
    return at < 0 ? { inputId: line, reason: '' } : { inputId: line.slice(0, at).trim(), reason: line.slice(at + 1).trim() };
  });
  return entries.length > 0 ? entries : undefined;
}

interface StepForm {
  intro: string;
  fields: FieldSpec[];
  toBody: (values: FormValues) => unknown;
}

const STEP_FORMS: Record<WorkplanStep, StepForm> = {
  'reopen-inputs': {
    intro: 'Inputs are accepted again until the new deadline; the reason is recorded (ToR ¶10(a)).',
    fields: [
      { name: 'inputDeadline', label: 'New deadline for inputs (UTC)', type: 'datetime-local', step: 1, required: true },
      { name: 'reason', label: 'Reason', type: 'textarea', required: true, hint: 'For example: UNEP asked for one more week.' },
    ],
    toBody: (values) => defined({ inputDeadline: utcFromLocalInput(values.inputDeadline), reason: given(values, 'reason') }),
  },
  compile: {
    intro: 'The compiled text’s SHA-256 is recorded as the version’s content hash, with the inputs taken and those left out (ToR ¶10(a)). It then goes to the Management Team for review (¶10(b)).',
    fields: [
      { name: 'text', label: 'Compiled workplan', type: 'textarea', required: true },
      { name: 'leftOut', label: 'Inputs left out (optional)', type: 'textarea', hint: 'One per line: the input id, a colon, and why it is left out (e.g. "in-3: outside the U4SSC objectives, ¶11"). Every other input is taken.', apiFields: ['leftOut*', 'taken*'] },
    ],
    toBody: (values) => defined({ text: given(values, 'text'), leftOut: leftOut(values) }),
  },
  review: {
    intro: 'A current Chair or Vice-Chair, per the office register, endorses the compiled version or requests changes (ToR ¶10(b), ¶15).',
    fields: [
      { name: 'decision', label: 'Decision', type: 'radio', required: true, options: [{ value: 'endorse', label: 'Endorse' }, { value: 'request-changes', label: 'Request changes' }] },
      { name: 'comments', label: 'Comments (required to request changes)', type: 'textarea', hint: 'One comment per line.', apiFields: ['comments*'] },
    ],
    toBody: (values) => defined({ decision: given(values, 'decision'), comments: lines(values.comments).length > 0 ? lines(values.comments) : undefined }),
  },
  present: {
    intro: 'The endorsed workplan is presented and discussed at the Annual Meeting (ToR ¶10(c)).',
    fields: [{ name: 'meeting', label: 'Meeting', required: true, hint: 'For example: U4SSC Annual Meeting 2026, Geneva (minutes ref. AM-2026).' }],
    toBody: (values) => defined({ meeting: given(values, 'meeting') }),
  },
  ballot: {
    intro: 'The Partners agree to the workplan at the Annual Meeting (ToR ¶10(d)); an electronic vote needs a recorded reason (¶13(b)). A ballot is opened for it, or an existing one linked.',
    fields: [
      { name: 'channel', label: 'How the Partners decide', type: 'radio', options: CHANNELS.map((c) => ({ value: c, label: c === 'meeting' ? 'At the Annual Meeting (¶10(d))' : 'Electronically (¶13(b)), with a reason' })) },
      { name: 'channelReason', label: 'Why electronically (required for an electronic vote)', type: 'textarea' },
      { name: 'closesAt', label: 'Deadline of the ballot (UTC)', type: 'datetime-local', step: 1, hint: 'Required unless you link an existing ballot.' },
      { name: 'question', label: 'Question (optional)', type: 'textarea', hint: 'Default: names the cycle, the version and its hash.' },
      { name: 'ballotId', label: 'Existing ballot to link instead (optional)', hint: 'A ballot whose subject is this workplan.' },
    ],
    toBody: (values) =>
      defined({
        channel: given(values, 'channel'),
        channelReason: given(values, 'channelReason'),
        closesAt: utcFromLocalInput(values.closesAt),
        question: given(values, 'question'),
        ballotId: given(values, 'ballotId'),
      }),
  },
};

export function workplanStepForm(cycle: string, step: WorkplanStep, title: string): CommandForm {
  const spec = STEP_FORMS[step];
  return {
    title: `${WORKPLAN_STEP_LABELS[step]}: ${title}`,
    action: `/secretariat/workplans/${encodeURIComponent(cycle)}/${step}`,
    apiPath: `/v1/workplans/${encodeURIComponent(cycle)}/${step}`,
    intro: html`<p>${spec.intro}</p>`,
    fields: spec.fields,
    toBody: spec.toBody,
    submitLabel: 'Review',
    done: (answer) => {
      const state = (answer as { state?: string }).state;
      return { location: '/secretariat#workplans', notice: `Recorded for the workplan ${cycle}${state ? `; it is now ${state}` : ''}.` };
    },
  };
}
