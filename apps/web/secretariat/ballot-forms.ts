import { html } from '../../../libs/html/index.js';
import { CHANNELS, SUBJECT_KINDS } from '../../../state-machines/ballot/ballot.events.js';
import { THRESHOLDS } from '../../../state-machines/ballot/ballot.rules.js';
import type { CommandForm, FormValues } from '../forms.js';
import { instantText, utcFromLocalInput } from '../time.js';
import { defined, given, YES_NO, yesNo } from './form-values.js';

/** The Secretariat's ballot commands (ToR ¶13(b)): open one, close it before its deadline, withdraw it. */

const SUBJECT_LABELS: Record<(typeof SUBJECT_KINDS)[number], string> = {
  workplan: 'The workplan (¶10(d))',
  'tor-revision': 'A revision of the Terms of Reference (¶9)',
  appointment: 'An appointment (Chair, Vice-Chair: ¶13(a), ¶15)',
  deliverable: 'A deliverable approved electronically (¶19)',
  hub: 'A hub or other initiative',
  other: 'Something else',
};

const THRESHOLD_LABELS: Record<(typeof THRESHOLDS)[number], string> = {
  'simple-majority': 'Simple majority of the votes cast',
  'two-thirds': 'Two thirds of the votes cast',
  unanimity: 'Unanimity',
  'no-objection': 'No objection',
};

const OTHER_RULES = 'Other rules than the rule table’s default (optional: fill in every rule and say why)';

interface AnswerWith<T> {
  resource?: T;
}

/** "1/2" as a fraction; anything else passed so that the API names the field. */
function fraction(value: string | undefined): { numerator: number; denominator: number } | string | undefined {
  if (value === undefined) return undefined;
  const parts = /^\s*(\d+)\s*\/\s*(\d+)\s*$/.exec(value);
  return parts ? { numerator: Number(parts[1]), denominator: Number(parts[2]) } : value;
}

/** The rules, sent only when the person chose other rules than the rule table's default. */
function rulesOf(values: FormValues): Record<string, unknown> | undefined {
  const names = ['threshold', 'quorum', 'abstentionsCountTowardQuorum', 'allowVoteChange', 'closeEarlyWhenAllVoted', 'revealTallyWhileOpen'];
  if (!names.some((name) => given(values, name) !== undefined)) return undefined;
  return {
    quorum: fraction(given(values, 'quorum')),
    threshold: given(values, 'threshold'),
    abstentionsCountTowardQuorum: yesNo(values.abstentionsCountTowardQuorum),
    allowVoteChange: yesNo(values.allowVoteChange),
    closeEarlyWhenAllVoted: yesNo(values.closeEarlyWhenAllVoted),
    revealTallyWhileOpen: yesNo(values.revealTallyWhileOpen),
  };
}

export function openBallotForm(): CommandForm {
  return {
    title: 'Open a ballot',
    action: '/secretariat/ballots/new',
    apiPath: '/v1/ballots',
    intro: html`<p>The question is put to every Partner registered at the moment you confirm: the electorate, the rules and the
Terms of Reference version are frozen then (ToR ¶13(b)). Each Partner votes yes, no or abstain for its own organisation until the deadline;
the outcome is counted and recorded as soon as it closes.</p>`,
    fields: [
      { name: 'subjectKind', label: 'What is decided', type: 'select', required: true, options: SUBJECT_KINDS.map((kind) => ({ value: kind, label: SUBJECT_LABELS[kind] })), hint: 'It chooses the default rules from the rule table (quorum, threshold, whether a vote may be changed).', apiFields: ['subject.kind', 'subject'] },
      { name: 'subjectTitle', label: 'Subject title', required: true, hint: 'For example: U4SSC workplan 2027.', apiFields: ['subject.title'] },
      { name: 'subjectReference', label: 'Reference of the subject (optional)', hint: 'The subject in its own process, e.g. workplan-2027 or office:chair:p-okafor for an appointment.', apiFields: ['subject.reference'] },
      { name: 'question', label: 'Question put to the Partners', type: 'textarea', required: true, hint: 'Worded so that yes, no and abstain make sense.' },
      { name: 'channel', label: 'How the Partners vote', type: 'radio', options: CHANNELS.map((channel) => ({ value: channel, label: channel === 'electronic' ? 'Electronically, between meetings (ToR ¶13(b))' : 'At the Annual Meeting' })) },
      { name: 'closesAt', label: 'Deadline (UTC)', type: 'datetime-local', step: 1, required: true, hint: 'Votes are accepted until this instant, in Coordinated Universal Time; it must be in the future.' },
      { name: 'threshold', group: OTHER_RULES, label: 'Threshold', type: 'select', options: THRESHOLDS.map((t) => ({ value: t, label: THRESHOLD_LABELS[t] })), apiFields: ['rules.threshold', 'rules'] },
      { name: 'quorum', group: OTHER_RULES, label: 'Quorum', hint: 'Share of the electorate that must take part, as a fraction such as 1/2.', apiFields: ['rules.quorum*'] },
      { name: 'abstentionsCountTowardQuorum', group: OTHER_RULES, label: 'Abstentions count toward the quorum', type: 'select', options: YES_NO, apiFields: ['rules.abstentionsCountTowardQuorum'] },
      { name: 'allowVoteChange', group: OTHER_RULES, label: 'A Partner may change its vote while the ballot is open', type: 'select', options: YES_NO, apiFields: ['rules.allowVoteChange'] },
      { name: 'closeEarlyWhenAllVoted', group: OTHER_RULES, label: 'Close as soon as every Partner has voted', type: 'select', options: YES_NO, apiFields: ['rules.closeEarlyWhenAllVoted'] },
      { name: 'revealTallyWhileOpen', group: OTHER_RULES, label: 'Partners see the running counts while it is open', type: 'select', options: YES_NO, apiFields: ['rules.revealTallyWhileOpen'] },
      { name: 'rulesReason', group: OTHER_RULES, label: 'Why other rules than the default', type: 'textarea', hint: 'Recorded with the ballot.' },
    ],
    toBody: (values) =>
      defined({
        subject: defined({ kind: given(values, 'subjectKind'), title: given(values, 'subjectTitle'), reference: given(values, 'subjectReference') }),
        question: given(values, 'question'),
        channel: given(values, 'channel'),
        closesAt: utcFromLocalInput(values.closesAt),
        rules: rulesOf(values),
        rulesReason: given(values, 'rulesReason'),
      }),
    submitLabel: 'Review the ballot',
    confirmText: 'Nothing is recorded until you confirm. Once opened, the ballot and its electorate are part of the permanent record; it can be closed early or withdrawn with a reason, never erased.',
    done: (answer) => {
      const ballot = (answer as AnswerWith<{ ballotId: string; closesAt?: string }>).resource;
      return {
        location: ballot ? `/secretariat#ballot-${ballot.ballotId}` : '/secretariat',
        notice: ballot?.closesAt ? `The ballot is open until ${instantText(ballot.closesAt)}.` : 'The ballot is open.',
      };
    },
  };
}

export function closeBallotForm(ballotId: string, question: string): CommandForm {
  return {
    title: 'Close a ballot before its deadline',
    action: `/secretariat/ballots/${encodeURIComponent(ballotId)}/close`,
    apiPath: `/v1/ballots/${encodeURIComponent(ballotId)}/close`,
    intro: html`<p>Ballot: <strong>${question}</strong>. Closing it now ends the voting; the outcome is counted from the votes cast
and recorded at once (ToR ¶13(b), ¶23(a)). The reason is recorded.</p>`,
    fields: [{ name: 'reason', label: 'Reason for closing early', type: 'textarea', required: true, hint: 'For example: the Partners Board agreed at its meeting to close the vote.' }],
    submitLabel: 'Review',
    done: () => ({ location: `/secretariat#ballot-${ballotId}`, notice: 'The ballot is closed; its outcome is recorded.' }),
  };
}

export function withdrawBallotForm(ballotId: string, question: string): CommandForm {
  return {
    title: 'Withdraw a ballot',
    action: `/secretariat/ballots/${encodeURIComponent(ballotId)}/withdraw`,
    apiPath: `/v1/ballots/${encodeURIComponent(ballotId)}/withdraw`,
    intro: html`<p>Ballot: <strong>${question}</strong>. A withdrawn ballot decides nothing; votes already cast stay in its history and
stay secret (ToR ¶13(b), ¶23(a)). The reason is recorded.</p>`,
    fields: [{ name: 'reason', label: 'Reason for withdrawing', type: 'textarea', required: true }],
    submitLabel: 'Review',
    done: () => ({ location: '/secretariat', notice: 'The ballot is withdrawn.' }),
  };
}
