import type { BallotResponse } from '../../../libs/ballots/index.js';
import { html, type SafeHtml } from '../../../libs/html/index.js';
import type { Choice } from '../../../state-machines/ballot/ballot.events.js';
import { describeRules } from '../../../state-machines/ballot/ballot.rules.js';
import type { CommandForm, FieldSpec } from '../forms.js';
import { resultFigures, resultsChart, resultsTable } from '../registers/results-chart.js';
import { instantAndRelativeElement, instantElement, instantText } from '../time.js';
import { turnoutBar } from './turnout-bar.js';

/** Partner ids to their names, from the register (ids alone when the register could not be read). */
export type PartnerNames = ReadonlyMap<string, string>;

export const CHOICE_LABELS: Record<Choice, string> = { yes: 'Yes', no: 'No', abstain: 'Abstain' };

const OUTCOME_LABELS: Record<string, { label: string; badge: string }> = {
  approved: { label: 'Approved', badge: 'ok' },
  rejected: { label: 'Rejected', badge: 'bad' },
  failedQuorum: { label: 'Not decided: quorum not reached', badge: 'warn' },
  withdrawn: { label: 'Withdrawn', badge: 'warn' },
  closed: { label: 'Closed, being counted', badge: '' },
};

/** How long a closed ballot stays under "recent results" on the voting page. */
export const RECENT_DAYS = 90;

const DECIDED: readonly string[] = ['approved', 'rejected', 'failedQuorum', 'closed', 'withdrawn'];

/**
 * Whether this Partner may vote on this ballot now, as the page sees it: the page shows controls only then, and
 * otherwise says why, with the clause. The API decides again on every vote (ballot.vote.decide.ts): this is only
 * so that nobody is offered a control that would be refused.
 */
export type VoteState =
  | { open: true; changing: boolean }
  | { open: false; status: number; reason: string; clauses: string[]; final?: boolean };

export function voteState(ballot: BallotResponse, org: string | undefined, now: Date): VoteState {
  if (org === undefined) {
    return refused(403, 'your sign-in names no organisation: a representative votes for the Partner they speak for, so there is nothing you can vote for', ['¶13']);
  }
  if (ballot.status === 'withdrawn') {
    const why = ballot.withdrawn ? ` on ${instantText(ballot.withdrawn.at)}: “${ballot.withdrawn.reason}”` : '';
    return refused(409, `the Secretariat withdrew this ballot${why}; no votes are taken on it`, ['¶23(a)']);
  }
  if (ballot.status !== 'open') {
    const at = ballot.closed ? ` on ${instantText(ballot.closed.at)}` : '';
    return refused(409, `this ballot closed${at}: votes are taken only while a ballot is open`, ['¶13(b)']);
  }
  if (ballot.closesAt !== undefined && now.getTime() >= Date.parse(ballot.closesAt)) {
    return refused(409, `voting ended at the deadline, ${instantText(ballot.closesAt)}; the ballot is being closed and counted`, ['¶13(b)']);
  }
  const yours = ballot.yourOrganisation;
  if (yours === undefined || !yours.eligible) {
    const asOf = ballot.electorateAsOf ?? ballot.opensAt;
    return refused(
      403,
      `${org} is not in this ballot’s electorate: it is the ${ballot.electorate.length} Partners registered when the ballot opened` +
        `${asOf ? ` (${instantText(asOf)})` : ''}, frozen then so that who decides cannot change once the question is put`,
      ['¶13', '¶13(b)'],
    );
  }
  if (yours.voted && ballot.rules !== undefined && !ballot.rules.allowVoteChange) {
    return {
      ...refused(
        409,
        `${org} has voted (${CHOICE_LABELS[yours.choice!]}) and this ballot’s rules allow one vote per Partner, so the vote cannot be changed`,
        ballot.rulesSource?.clauses ?? ['¶13(b)'],
      ),
      final: true,
    };
  }
  return { open: true, changing: yours.voted };
}

function refused(status: number, reason: string, clauses: string[]): Extract<VoteState, { open: false }> {
  return { open: false, status, reason, clauses };
}

export const tor = (clauses: readonly string[]) => clauses.map((clause) => `ToR ${clause}`).join(', ');

const nameOf = (id: string, names: PartnerNames) => {
  const name = names.get(id);
  return name === undefined || name === id ? id : `${id} (${name})`;
};

/** At least this many Partners must take part (the quorum of the frozen rules), or undefined without rules. */
function quorumRequired(ballot: BallotResponse): number | undefined {
  if (ballot.rules === undefined) return undefined;
  return Math.ceil((ballot.rules.quorum.numerator * ballot.electorate.length) / ballot.rules.quorum.denominator);
}

/** Turnout in words and as a bar, with what the quorum asks for. */
function turnout(ballot: BallotResponse): SafeHtml {
  const { voted, eligible } = ballot.turnout;
  const quorum = quorumRequired(ballot);
  return html`<div class="turnout">
<p><strong class="turnout-count">${voted} of ${eligible}</strong> Partners have voted.${
    quorum !== undefined && quorum > 0 && ballot.status === 'open'
      ? html` <span class="muted">The quorum asks for ${quorum} to take part${ballot.rules!.abstentionsCountTowardQuorum ? ' (abstentions count)' : ' (abstentions do not count)'}.</span>`
      : ''
  }</p>
${turnoutBar(voted, eligible)}
${ballot.status === 'open' && ballot.counts
    ? html`<p>Count so far (this ballot’s rules show it while open): Yes ${ballot.counts.yes} · No ${ballot.counts.no} · Abstain ${ballot.counts.abstain}</p>`
    : ''}
</div>`;
}

/** What this Partner's organisation did on this ballot, in one line: the only organisation whose vote a Partner sees while voting runs. */
function yourOrganisation(ballot: BallotResponse, org: string | undefined): SafeHtml {
  const yours = ballot.yourOrganisation;
  if (org === undefined || yours === undefined) return html`<span class="badge warn">No organisation in your sign-in</span>`;
  if (!yours.eligible) return html`<span class="badge warn">${org} is not in the electorate</span>`;
  if (!yours.voted) return html`<span class="badge">${org} has not voted</span>`;
  return html`<span class="badge ok">${org} voted ${CHOICE_LABELS[yours.choice!]}: counted</span>`;
}

function rulesLine(ballot: BallotResponse): SafeHtml {
  if (ballot.rules === undefined) return html``;
  const source = ballot.rulesSource;
  const origin =
    source === undefined
      ? ''
      : source.chosenBy === 'secretariat'
        ? ` — chosen by the Secretariat: “${source.reason ?? ''}”`
        : ` — the rule table’s default for “${source.subjectKind}” ballots (${source.table} v${source.tableVersion}; ${tor(source.clauses)})`;
  return html`<dt>Rules</dt><dd>${describeRules(ballot.rules)}<span class="muted">${origin}</span></dd>`;
}

/** The question, first and large (what a Partner came for), and when voting closes or closed. */
export function ballotLead(ballot: BallotResponse, now: Date): SafeHtml {
  const ended = ballot.closed?.at ?? ballot.withdrawn?.at;
  return html`<p class="question lead">${ballot.question}</p>
${ballot.status === 'open' && ballot.closesAt
    ? deadline(ballot.closesAt, now)
    : ended
      ? html`<p>Voting ${ballot.status === 'withdrawn' ? 'stopped' : 'closed'} ${instantAndRelativeElement(ended, now)}</p>`
      : ''}`;
}

/** "Closes <date> (in 3 days)", or once the deadline has passed and the count is still to come, "Voting ended <date> (2 hours ago)". */
function deadline(closesAt: string, now: Date): SafeHtml {
  return html`<p>${Date.parse(closesAt) > now.getTime() ? 'Closes' : 'Voting ended'} ${instantAndRelativeElement(closesAt, now)}</p>`;
}

/** The rest of the ballot's facts (subject, channel, deadline, electorate, rules), folded away on a small screen. */
export function aboutBallot(ballot: BallotResponse, now: Date): SafeHtml {
  return html`<details class="about">
<summary>About this ballot: subject, electorate, rules</summary>
<dl class="facts">
<dt>Subject</dt><dd>${ballot.subject.title}${ballot.subject.reference ? html` <span class="muted">(${ballot.subject.reference})</span>` : ''}</dd>
<dt>How</dt><dd>${ballot.channel === 'meeting' ? 'A vote taken at an Annual Meeting (ToR ¶10(d), ¶23(e))' : 'Electronically, between Annual Meetings (ToR ¶13(b))'}</dd>
${ballot.closesAt ? html`<dt>Deadline</dt><dd>${instantAndRelativeElement(ballot.closesAt, now)}</dd>` : ''}
<dt>Electorate</dt><dd>${ballot.electorate.length} Partners, those registered when it opened${ballot.electorateAsOf ? html` (${instantElement(ballot.electorateAsOf)})` : ''}</dd>
${rulesLine(ballot)}
</dl>
</details>`;
}

// ---------------------------------------------------------------------------------------------------------------
// GET /vote

export function votingList(ballots: readonly BallotResponse[], org: string | undefined, names: PartnerNames, now: Date, refreshSeconds?: number): SafeHtml {
  const open = ballots.filter((ballot) => ballot.status === 'open').sort((a, b) => Date.parse(a.closesAt ?? '') - Date.parse(b.closesAt ?? ''));
  const since = now.getTime() - RECENT_DAYS * 86_400_000;
  const recent = ballots
    .filter((ballot) => DECIDED.includes(ballot.status) && Date.parse(endedAt(ballot) ?? '') >= since)
    .sort((a, b) => Date.parse(endedAt(b)!) - Date.parse(endedAt(a)!))
    .slice(0, 10);
  return html`${whoYouVoteFor(org, names)}
<h2 id="open">Open ballots</h2>
${refreshSeconds ? html`<p class="muted">A ballot closes within a day: with JavaScript on, this page reloads every ${refreshSeconds} seconds to keep the turnout current.</p>` : ''}
${open.length === 0 ? html`<p>No ballot is open. When the Secretariat puts a question to the Partners Board, it appears here.</p>` : html`<div class="cards">${open.map((ballot) => openCard(ballot, org, now))}</div>`}
<h2 id="results">Results of recent ballots</h2>
${recent.length === 0 ? html`<p>No ballot closed in the last ${RECENT_DAYS} days.</p>` : html`<div class="cards">${recent.map((ballot) => resultCard(ballot, org, now))}</div>`}
<p class="muted">Older ballots are in the <a href="/registers/ballots">ballot register</a>. While voting runs you see the turnout and your own organisation’s vote; every vote is shown after the close.</p>`;
}

function whoYouVoteFor(org: string | undefined, names: PartnerNames): SafeHtml {
  if (org === undefined) {
    return html`<p class="warning">Your sign-in names no organisation, so you cannot vote: a Partner’s representative votes for the Partner they speak for (ToR ¶13). Ask for a sign-in (a token) that names your organisation.</p>`;
  }
  return html`<p>You vote for <strong>${nameOf(org, names)}</strong>, a member of the Partners Board (ToR ¶13), which may approve decisions electronically between Annual Meetings (ToR ¶13(b)).</p>`;
}

function endedAt(ballot: BallotResponse): string | undefined {
  return ballot.decision?.at ?? ballot.closed?.at ?? ballot.withdrawn?.at;
}

function openCard(ballot: BallotResponse, org: string | undefined, now: Date): SafeHtml {
  const state = voteState(ballot, org, now);
  const heading = `ballot-${ballot.ballotId}`;
  const action = state.open
    ? html`<a class="button" href="/vote/${ballot.ballotId}" aria-describedby="${heading}">${state.changing ? 'Change your vote' : 'Vote'}</a>`
    : html`<a class="button secondary" href="/vote/${ballot.ballotId}" aria-describedby="${heading}">See the ballot</a>`;
  return html`<section class="card ballot" aria-labelledby="${heading}">
<h3 id="${heading}">${ballot.subject.title}</h3>
<p class="question">${ballot.question}</p>
${ballot.closesAt ? deadline(ballot.closesAt, now) : ''}
<p>${yourOrganisation(ballot, org)}</p>
${turnout(ballot)}
${state.open ? '' : html`<p class="muted">You cannot vote: ${state.reason} (${tor(state.clauses)}).</p>`}
<div class="actions">${action}</div>
</section>`;
}

function resultCard(ballot: BallotResponse, org: string | undefined, now: Date): SafeHtml {
  const heading = `ballot-${ballot.ballotId}`;
  const outcome = OUTCOME_LABELS[ballot.status] ?? { label: ballot.status, badge: '' };
  const ended = endedAt(ballot);
  const tally = ballot.decision?.tally;
  const yours = org === undefined ? undefined : ballot.votes?.[org];
  return html`<section class="card ballot" aria-labelledby="${heading}">
<h3 id="${heading}">${ballot.subject.title}</h3>
<p class="question">${ballot.question}</p>
<p><span class="badge ${outcome.badge}">${outcome.label}</span>${ended ? html` ${instantAndRelativeElement(ended, now)}` : ''}</p>
${tally ? html`<p>Yes ${tally.yes} · No ${tally.no} · Abstain ${tally.abstain} · did not vote ${tally.notVoted.length}</p>` : ''}
${org !== undefined && ballot.status !== 'withdrawn'
    ? html`<p>${ballot.electorate.includes(org) ? (yours ? `${org} voted ${CHOICE_LABELS[yours]}.` : `${org} did not vote.`) : `${org} was not in the electorate.`}</p>`
    : ''}
<div class="actions"><a class="button secondary" href="/vote/${ballot.ballotId}" aria-describedby="${heading}">See the results</a></div>
</section>`;
}

// ---------------------------------------------------------------------------------------------------------------
// GET /vote/:ballotId

/** The vote as a command form: yes / no / abstain as large choices, for the session's own organisation only. */
export function voteForm(ballot: BallotResponse, org: string, names: PartnerNames, now: Date, changing: boolean): CommandForm {
  const rules = ballot.rules;
  const field: FieldSpec = {
    name: 'choice',
    label: `How does ${org} vote?`,
    type: 'radio',
    large: true,
    required: true,
    options: (['yes', 'no', 'abstain'] as const).map((value) => ({ value, label: CHOICE_LABELS[value] })),
    hint:
      rules === undefined
        ? undefined
        : `An abstention ${rules.abstentionsCountTowardQuorum ? 'counts toward the quorum but' : 'does not count toward the quorum and'} is neither yes nor no.`,
    apiFields: ['choice', 'partnerId'],
  };
  const changeRule = rules?.allowVoteChange
    ? 'You may change it until the ballot closes; every vote and change stays in the record.'
    : 'This ballot allows one vote per Partner: once recorded, it cannot be changed.';
  return {
    title: `Vote on ${ballot.subject.title}`,
    action: `/vote/${ballot.ballotId}`,
    intro: html`${ballotLead(ballot, now)}
<p>${yourOrganisation(ballot, org)}</p>
${turnout(ballot)}
${aboutBallot(ballot, now)}
<p>You vote for <strong>${nameOf(org, names)}</strong>. ${changing ? `${org}’s vote is ${CHOICE_LABELS[ballot.yourOrganisation!.choice!]}; choosing again records a change. ` : ''}${changeRule}</p>`,
    fields: [field],
    apiPath: `/v1/ballots/${encodeURIComponent(ballot.ballotId)}/votes`,
    // Only the choice: the API takes the organisation from the session's token, never from the form.
    toBody: (values) => ({ choice: values.choice }),
    submitLabel: 'Continue to check your vote',
    confirmText: `You are voting for ${org} on “${ballot.question}”. Nothing is recorded until you confirm. ${changeRule}`,
    done: (answer, values) => ({ location: `/vote/${ballot.ballotId}`, notice: recordedNotice(answer as VoteAnswer, org, values.choice ?? '') }),
  };
}

/** The API's answer to a vote (apps/api/command-answer.ts), as far as the notice needs it. */
interface VoteAnswer {
  duplicate: boolean;
  state: string;
  events: { type: string; position: number; hash: string }[];
  resource?: BallotResponse;
}

/** "Your vote was recorded": what the API answered, the turnout after it, and whether it closed the ballot. */
export function recordedNotice(answer: VoteAnswer, org: string, choice: string): string {
  const vote = answer.events.find((event) => event.type === 'VoteCast' || event.type === 'VoteChanged');
  const label = CHOICE_LABELS[choice as Choice] ?? choice;
  const resource = answer.resource;
  const turnoutNow = resource ? ` Turnout: ${resource.turnout.voted} of ${resource.turnout.eligible} Partners have voted.` : '';
  if (vote === undefined) {
    return answer.duplicate
      ? `Your vote was already recorded: ${org} votes ${label}.${turnoutNow}`
      : `Your vote stands as it was: ${org} votes ${label}; nothing new was recorded.${turnoutNow}`;
  }
  const what = vote.type === 'VoteChanged' ? `Your vote was recorded as a change: ${org} now votes ${label}` : `Your vote was recorded: ${org} votes ${label}`;
  const proof = ` (event ${vote.type} at position ${vote.position}, hash ${vote.hash.slice(0, 12)}…).`;
  const closed = answer.events.some((event) => event.type === 'BallotDecided')
    ? ' It was the last vote of the electorate, so the ballot closed and was counted: the results are below.'
    : '';
  return `${what}${proof}${turnoutNow}${closed}`;
}

/** A ballot this Partner cannot vote on now: why (with the clause), and the results once it is decided. */
export function ballotPage(ballot: BallotResponse, org: string | undefined, names: PartnerNames, now: Date, state: Extract<VoteState, { open: false }>): SafeHtml {
  const decided = ballot.decision !== undefined;
  const lead = state.final ? 'Your organisation’s vote is final:' : 'You cannot vote on this ballot:';
  return html`${decided ? '' : html`<p class="warning" id="why"><strong>${lead}</strong> ${state.reason} (${tor(state.clauses)}).</p>`}
${ballotLead(ballot, now)}
${decided ? results(ballot, org, names, now) : html`<p>${yourOrganisation(ballot, org)}</p>${turnout(ballot)}`}
${ballot.status === 'withdrawn' ? html`<p class="muted">The votes cast on a withdrawn ballot stay secret: its question may be put again.</p>` : ''}
${aboutBallot(ballot, now)}
<p><a href="/vote">Back to all ballots</a></p>`;
}

const CLOSE_CAUSES: Record<string, string> = {
  deadline: 'at its deadline',
  'all-voted': 'when every Partner of the electorate had voted',
  secretariat: 'early, by the Secretariat',
};

/** After the close: the outcome, the count against the quorum and threshold, a chart, and every Partner's vote. */
function results(ballot: BallotResponse, org: string | undefined, names: PartnerNames, now: Date): SafeHtml {
  const decision = ballot.decision!;
  const tally = decision.tally;
  const outcome = OUTCOME_LABELS[decision.outcome] ?? { label: decision.outcome, badge: '' };
  const closed = ballot.closed;
  const yours = org === undefined ? undefined : tally.votes.find((vote) => vote.partnerId === org);
  const figures = resultFigures(ballot);
  return html`<h2 id="result-heading">Result</h2>
<p class="outcome lead"><span class="badge ${outcome.badge}">${outcome.label}</span></p>
${closed ? html`<p>Closed ${CLOSE_CAUSES[closed.cause] ?? closed.cause}${closed.reason ? html`: “${closed.reason}”` : ''}${closed.cause === 'secretariat' ? ' (ToR ¶23(a))' : ''}.</p>` : ''}
${org === undefined ? '' : html`<p>${tally.eligible.includes(org) ? (yours ? `${org} voted ${CHOICE_LABELS[yours.choice]}; the vote was counted.` : `${org} did not vote.`) : `${org} was not in the electorate.`}</p>`}
${figures && ballot.rules ? html`${resultsChart(ballot, figures)}${resultsTable(ballot, figures)}` : ''}
<h2 id="votes">Every Partner’s vote</h2>
<div class="table-wrap"><table>
<caption class="muted">The last vote of each Partner counts; changes are kept in the record.</caption>
<thead><tr><th scope="col">Partner</th><th scope="col">Vote</th></tr></thead>
<tbody>${tally.eligible.map((partnerId) => {
    const vote = tally.votes.find((v) => v.partnerId === partnerId);
    return html`<tr${partnerId === org ? html` class="yours"` : ''}><th scope="row">${nameOf(partnerId, names)}</th><td>${vote ? CHOICE_LABELS[vote.choice] : html`<span class="muted">did not vote</span>`}</td></tr>`;
  })}</tbody>
</table></div>
${ballot.voteHistory && ballot.voteHistory.some((record) => record.type === 'VoteChanged')
    ? html`<h3>Changes of vote</h3><ul>${ballot.voteHistory
        .filter((record) => record.type === 'VoteChanged')
        .map((record) => html`<li>${record.partnerId}: ${CHOICE_LABELS[record.previousChoice!]} → ${CHOICE_LABELS[record.choice]}, ${instantElement(record.at)}</li>`)}</ul>`
    : ''}`;
}
