import { html, type SafeHtml } from '../../../libs/html/index.js';
import type { BallotResponse } from '../../../libs/ballots/index.js';
import { describeRules } from '../../../state-machines/ballot/ballot.rules.js';
import { dayElement, instantElement } from '../time.js';
import { badge, tor, words, type Tone } from './format.js';
import { resultFigures, resultsChart, resultsTable } from './results-chart.js';

export const BALLOT_STATUS_FILTERS = ['open', 'approved', 'rejected', 'failedQuorum', 'withdrawn', 'closed', 'draft'] as const;

const TONES: Record<string, Tone> = { approved: 'ok', rejected: 'bad', failedQuorum: 'bad', withdrawn: 'warn', open: 'warn' };

export function ballotStatus(status: string): SafeHtml {
  return badge(words(status), TONES[status] ?? '');
}

/** Where a ballot's subject lives in the registers: the workplan cycle or the office seat it decides. */
export function subjectLink(subject: BallotResponse['subject']): SafeHtml {
  const workplan = subject.kind === 'workplan' ? /^workplan-(\d{4}(?:-\d{4})?)$/.exec(subject.reference ?? '') : null;
  if (workplan) return html`<a href="/registers/workplans/${workplan[1]}">${subject.title}</a>`;
  const office = subject.kind === 'appointment' ? /^office:([a-z0-9-]+):/.exec(subject.reference ?? '') : null;
  if (office) return html`<a href="/registers/offices/${office[1]}">${subject.title}</a>`;
  return html`${subject.title}`;
}

/** Every ballot, newest first, with the status filter (a GET form that submits itself with JavaScript). */
export function ballotsPage(ballots: BallotResponse[], status: string | undefined): SafeHtml {
  return html`<p>Decisions of the Partners Board between meetings are taken electronically (${tor('¶13(b)')}); a vote taken at an
Annual Meeting is recorded the same way. Each ballot freezes its electorate and its rules when it opens; votes stay secret until the close.</p>
<form method="get" action="/registers/ballots" class="as-of" data-auto-submit>
  <div class="field">
    <label for="status-filter">Show</label>
    <select id="status-filter" name="status">
      <option value=""${status ? '' : html` selected`}>every ballot</option>
      ${BALLOT_STATUS_FILTERS.map((value) => html`<option value="${value}"${status === value ? html` selected` : ''}>${words(value)}</option>`)}
    </select>
  </div>
  <div class="actions"><button type="submit">Show</button></div>
</form>
<h2 id="ballots-heading">${ballots.length} ${ballots.length === 1 ? 'ballot' : 'ballots'}${status ? ` (${words(status)})` : ''}</h2>
${ballots.length === 0
  ? html`<p class="muted">No ballot${status ? ' with this status' : ''} is on record.</p>`
  : html`<div class="table-wrap"><table aria-labelledby="ballots-heading">
<thead><tr><th scope="col">Ballot</th><th scope="col">Question</th><th scope="col">Status</th><th scope="col">Deadline</th><th scope="col">Turnout</th><th scope="col">Result</th></tr></thead>
<tbody>${ballots.map((ballot) => {
    const figures = resultFigures(ballot);
    return html`<tr>
  <th scope="row"><a href="/registers/ballots/${encodeURIComponent(ballot.ballotId)}">${ballot.subject.title}</a><br><span class="muted">${words(ballot.subject.kind)}, ${ballot.channel}</span></th>
  <td class="wrap">${ballot.question}</td>
  <td>${ballotStatus(ballot.status)}</td>
  <td>${dayElement(ballot.closesAt)}</td>
  <td>${ballot.turnout.voted} of ${ballot.turnout.eligible}</td>
  <td>${figures ? `${figures.yes} yes, ${figures.no} no, ${figures.abstain} abstain` : html`<span class="muted">secret until the close</span>`}</td>
</tr>`;
  })}</tbody>
</table></div>`}`;
}

/** One ballot: the question, its frozen rules and electorate, the turnout, and the result when the caller may see it. */
export function ballotPage(ballot: BallotResponse): SafeHtml {
  const figures = resultFigures(ballot);
  const decided = ballot.decision !== undefined;
  const mine = ballot.yourOrganisation;
  return html`<p class="lead">${ballot.question}</p>
<dl class="facts">
  <dt>Status</dt><dd>${ballotStatus(ballot.status)}</dd>
  <dt>Subject</dt><dd>${words(ballot.subject.kind)}: ${subjectLink(ballot.subject)}${ballot.subject.reference ? html` <span class="muted">(${ballot.subject.reference})</span>` : ''}</dd>
  <dt>Channel</dt><dd>${ballot.channel === 'meeting' ? 'vote at a meeting' : 'electronic'}</dd>
  <dt>Opened</dt><dd>${instantElement(ballot.opensAt)}${ballot.openedBy ? html` by ${ballot.openedBy}` : ''}</dd>
  <dt>Deadline</dt><dd>${instantElement(ballot.closesAt)}</dd>
  ${ballot.closed ? html`<dt>Closed</dt><dd>${instantElement(ballot.closed.at)} (${closeCause(ballot.closed.cause)})${ballot.closed.reason ? html`: ${ballot.closed.reason}` : ''}</dd>` : ''}
  ${ballot.withdrawn ? html`<dt>Withdrawn</dt><dd>${instantElement(ballot.withdrawn.at)} by ${ballot.withdrawn.by}: ${ballot.withdrawn.reason}</dd>` : ''}
  <dt>Rules</dt><dd>${ballot.rules ? describeRules(ballot.rules) : '—'}${ballot.rulesSource
    ? html` <span class="muted">(${ballot.rulesSource.chosenBy === 'rule-table' ? `default for ${words(ballot.rulesSource.subjectKind)}, ${ballot.rulesSource.table} v${ballot.rulesSource.tableVersion}` : `chosen by the Secretariat: ${ballot.rulesSource.reason ?? ''}`}; ToR ${ballot.rulesSource.clauses.join(', ')})</span>`
    : ''}</dd>
  <dt>Electorate</dt><dd>${ballot.electorate.length} Partners${ballot.electorateAsOf ? html`, as registered at ${instantElement(ballot.electorateAsOf)}` : ''}: ${ballot.electorate.join(', ')}</dd>
  <dt>Turnout</dt><dd>${ballot.turnout.voted} of ${ballot.turnout.eligible} have voted</dd>
  ${mine ? html`<dt>Your organisation</dt><dd>${mine.partnerId}: ${!mine.eligible ? 'not in this ballot’s electorate' : mine.voted ? `voted ${mine.choice ?? ''}` : 'has not voted'}</dd>` : ''}
</dl>
<p class="muted">What you see: ${ballot.visibility.note}.</p>
${ballot.status === 'open' ? html`<p class="muted">While the ballot is open this page reloads itself every minute (with JavaScript); reload it yourself otherwise.</p>` : ''}
<h2 id="result-heading">${decided ? 'Result' : 'Count so far'}</h2>
${figures && ballot.rules
  ? html`${figures.outcome ? html`<p>Outcome: ${ballotStatus(figures.outcome)} — recorded ${instantElement(ballot.decision?.at)}.</p>` : ''}
${resultsChart(ballot, figures)}
${resultsTable(ballot, figures)}`
  : html`<p>${ballot.status === 'withdrawn'
      ? 'The ballot was withdrawn: its votes stay secret, since its question may be put again.'
      : 'The counts are secret while voting runs; they are shown to everyone once the ballot closes.'}</p>
${ballot.voted ? html`<p>Organisations that have voted: ${ballot.voted.length === 0 ? html`<span class="muted">none yet</span>` : ballot.voted.join(', ')}</p>` : ''}`}
${ballot.votes ? votesTable(ballot) : ''}
<p><a href="/registers/ballots">All ballots</a></p>`;
}

function closeCause(cause: NonNullable<BallotResponse['closed']>['cause']): string {
  return cause === 'all-voted' ? 'every Partner had voted' : cause === 'deadline' ? 'at the deadline' : 'closed early by the Secretariat';
}

function votesTable(ballot: BallotResponse): SafeHtml {
  const votes = ballot.votes ?? {};
  const history = ballot.voteHistory ?? [];
  return html`<h2 id="votes-heading">Votes</h2>
<div class="table-wrap"><table aria-labelledby="votes-heading">
<thead><tr><th scope="col">Partner</th><th scope="col">Vote</th><th scope="col">Cast</th><th scope="col">By</th></tr></thead>
<tbody>${ballot.electorate.map((partnerId) => {
    const last = history.filter((record) => record.partnerId === partnerId).at(-1);
    const changes = history.filter((record) => record.partnerId === partnerId && record.type === 'VoteChanged').length;
    return html`<tr>
  <th scope="row"><a href="/registers/partners/${encodeURIComponent(partnerId)}">${partnerId}</a></th>
  <td>${votes[partnerId] ?? html`<span class="muted">did not vote</span>`}${changes > 0 ? html` <span class="muted">(changed ${changes} ${changes === 1 ? 'time' : 'times'})</span>` : ''}</td>
  <td>${last ? instantElement(last.at) : ''}</td>
  <td>${last?.by ?? ''}</td>
</tr>`;
  })}</tbody>
</table></div>`;
}
