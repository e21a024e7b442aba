import { html, type SafeHtml } from '../../../libs/html/index.js';
import type { InputView, WorkplanResponse } from '../../../libs/workplans/index.js';
import { dayElement, instantElement } from '../time.js';
import { asOfForm, badge, tor, words, type Tone } from './format.js';

const TONES: Record<string, Tone> = { agreed: 'ok', notAgreed: 'bad', changesRequested: 'warn', voting: 'warn', collectingInputs: 'warn' };

function stateBadge(state: string): SafeHtml {
  return badge(words(state), TONES[state] ?? '');
}

function outcomeText(cycle: WorkplanResponse): SafeHtml {
  const deciding = cycle.decidingBallot;
  if (!deciding) return html`<span class="muted">not decided</span>`;
  return html`${badge(cycle.state === 'agreed' ? 'agreed' : 'not agreed', cycle.state === 'agreed' ? 'ok' : 'bad')} on ballot
<a href="/registers/ballots/${encodeURIComponent(deciding.ballotId)}">${deciding.ballotId}</a> (${words(deciding.outcome ?? '')}, ${dayElement(deciding.decidedAt)})`;
}

/** Every yearly cycle with its state, deadline, inputs, rounds, ballots and outcome (ToR ¶10). */
export function workplansPage(cycles: WorkplanResponse[]): SafeHtml {
  return html`<p>The U4SSC workplan is compiled by the Secretariat from the inputs of the Partners, the Thematic Group Leaders
and the IP Leader, reviewed by the Management Team, presented at the Annual Meeting and agreed to by the Partners (${tor('¶10(a)-(d)')}).</p>
<h2 id="cycles-heading">${cycles.length} ${cycles.length === 1 ? 'cycle' : 'cycles'}</h2>
${cycles.length === 0
  ? html`<p class="muted">No workplan cycle is on record yet.</p>`
  : html`<div class="table-wrap"><table aria-labelledby="cycles-heading">
<thead><tr><th scope="col">Cycle</th><th scope="col">State</th><th scope="col">Input deadline</th><th scope="col">Inputs</th><th scope="col">Review rounds</th><th scope="col">Ballots</th><th scope="col">Outcome</th></tr></thead>
<tbody>${cycles.map(
      (cycle) => html`<tr>
  <th scope="row"><a href="/registers/workplans/${encodeURIComponent(cycle.cycle)}">${cycle.title}</a></th>
  <td>${stateBadge(cycle.state)}</td>
  <td>${instantElement(cycle.inputDeadline)}</td>
  <td>${cycle.inputs.length}</td>
  <td>${cycle.rounds.length}</td>
  <td>${cycle.ballots.length === 0 ? html`<span class="muted">none</span>` : cycle.ballots.map((ballot, i) => html`${i > 0 ? ', ' : ''}<a href="/registers/ballots/${encodeURIComponent(ballot.ballotId)}">${ballot.ballotId}</a>`)}</td>
  <td>${outcomeText(cycle)}</td>
</tr>`,
    )}</tbody>
</table></div>`}`;
}

function capacityText(input: InputView): string {
  return input.capacity.kind === 'partner' ? `Partner ${input.capacity.partnerId}` : `${input.capacity.title} (term ${input.capacity.termNumber})`;
}

/** One cycle, now or as recorded at the end of a day: every input, round, review, presentation and ballot. */
export function workplanPage(cycle: WorkplanResponse, options: { day?: string; error?: string; past: boolean }): SafeHtml {
  const inputTitle = new Map(cycle.inputs.map((input) => [input.inputId, input.title]));
  return html`${asOfForm(`/registers/workplans/${encodeURIComponent(cycle.cycle)}`, {
  day: options.day,
  error: options.error,
  label: 'Cycle as recorded on',
  hint: 'A day: the cycle as it stood at the end of that day (UTC). Leave empty for now.',
})}
${options.past ? html`<p class="warning">The cycle as recorded at ${instantElement(cycle.at)}, not as it is now.</p>` : ''}
<dl class="facts">
  <dt>State</dt><dd>${stateBadge(cycle.state)}</dd>
  <dt>Opened</dt><dd>${instantElement(cycle.openedAt)} by ${cycle.openedBy}</dd>
  <dt>Input deadline</dt><dd>${instantElement(cycle.inputDeadline)}${cycle.reopenings.length > 0 ? html` (reopened ${cycle.reopenings.length} ${cycle.reopenings.length === 1 ? 'time' : 'times'})` : ''}</dd>
  <dt>Inputs</dt><dd>${cycle.inputs.length}</dd>
  <dt>Review rounds</dt><dd>${cycle.rounds.length}</dd>
  <dt>Outcome</dt><dd>${outcomeText(cycle)}</dd>
  ${cycle.allowed.length > 0 ? html`<dt>You may next</dt><dd>${cycle.allowed.map((name) => words(name)).join(', ')}</dd>` : ''}
</dl>
${cycle.reopenings.length > 0
  ? html`<h2 id="reopenings-heading">Inputs reopened</h2>
<div class="table-wrap"><table aria-labelledby="reopenings-heading">
<thead><tr><th scope="col">On</th><th scope="col">New deadline</th><th scope="col">Reason</th><th scope="col">By</th></tr></thead>
<tbody>${cycle.reopenings.map((r) => html`<tr><td>${instantElement(r.at)}</td><td>${instantElement(r.inputDeadline)}</td><td>${r.reason}</td><td>${r.by}</td></tr>`)}</tbody>
</table></div>`
  : ''}
<h2 id="inputs-heading">Inputs (${tor('¶10(a), ¶20(b)')})</h2>
${cycle.inputs.length === 0
  ? html`<p class="muted">No input yet.</p>`
  : html`<div class="table-wrap"><table aria-labelledby="inputs-heading">
<thead><tr><th scope="col">Title</th><th scope="col">From</th><th scope="col">Submitted</th><th scope="col">SHA-256</th></tr></thead>
<tbody>${cycle.inputs.map(
      (input) => html`<tr>
  <th scope="row"><details><summary>${input.title}</summary><p class="pre">${input.text}</p></details></th>
  <td>${capacityText(input)} <span class="muted">(${input.submittedBy})</span></td>
  <td>${instantElement(input.at)}</td>
  <td><code title="${input.contentHash}">${input.contentHash.slice(0, 12)}…</code></td>
</tr>`,
    )}</tbody>
</table></div>`}
<h2>Compilation and review rounds (${tor('¶10(a)-(c)')})</h2>
${cycle.rounds.length === 0
  ? html`<p class="muted">Not compiled yet.</p>`
  : cycle.rounds.map(
      (round) => html`<section class="card" aria-labelledby="round-${round.round}">
<h3 id="round-${round.round}">Round ${round.round}: version ${round.version}</h3>
<dl class="facts">
  <dt>Compiled</dt><dd>${instantElement(round.compiledAt)} by ${round.compiledBy}</dd>
  <dt>SHA-256</dt><dd><code>${round.contentHash}</code></dd>
  <dt>Inputs taken</dt><dd>${round.taken.length === 0 ? 'none' : round.taken.map((id) => inputTitle.get(id) ?? id).join('; ')}</dd>
  ${round.leftOut.length > 0 ? html`<dt>Left out</dt><dd><ul>${round.leftOut.map((left) => html`<li>${inputTitle.get(left.inputId) ?? left.inputId}: ${left.reason}</li>`)}</ul></dd>` : ''}
  <dt>Review</dt><dd>${round.review
    ? html`${round.review.decision === 'endorse' ? badge('endorsed', 'ok') : badge('changes requested', 'warn')} by ${round.review.reviewer.title}
${round.review.reviewer.personId} (term ${round.review.reviewer.termNumber}), ${instantElement(round.review.at)}${round.review.comments.length > 0 ? html`<ul>${round.review.comments.map((c) => html`<li>${c}</li>`)}</ul>` : ''}`
    : html`<span class="muted">not reviewed yet</span>`}</dd>
  ${round.presented ? html`<dt>Presented</dt><dd>${round.presented.meeting}, ${instantElement(round.presented.at)}</dd>` : ''}
</dl>
<details><summary>The compiled text</summary><p class="pre">${round.text}</p></details>
</section>`,
    )}
<h2 id="wp-ballots-heading">Agreement ballots (${tor('¶10(d), ¶13(b)')})</h2>
${cycle.ballots.length === 0
  ? html`<p class="muted">Not put to the Partners yet.</p>`
  : html`<div class="table-wrap"><table aria-labelledby="wp-ballots-heading">
<thead><tr><th scope="col">Ballot</th><th scope="col">Round</th><th scope="col">Channel</th><th scope="col">Linked</th><th scope="col">Outcome</th></tr></thead>
<tbody>${cycle.ballots.map(
      (ballot) => html`<tr>
  <th scope="row"><a href="/registers/ballots/${encodeURIComponent(ballot.ballotId)}">${ballot.ballotId}</a></th>
  <td>${ballot.round}</td>
  <td>${ballot.channel}${ballot.channelReason ? html`: ${ballot.channelReason}` : ''}</td>
  <td>${ballot.how} ${instantElement(ballot.linkedAt)} by ${ballot.linkedBy}${ballot.replaces ? html`, replacing ${ballot.replaces}` : ''}</td>
  <td>${ballot.outcome ? html`${badge(words(ballot.outcome), ballot.outcome === 'approved' ? 'ok' : 'bad')} ${dayElement(ballot.decidedAt)}` : html`<span class="muted">pending</span>`}</td>
</tr>`,
    )}</tbody>
</table></div>`}
<p><a href="/registers/workplans">All cycles</a>${options.past ? html` · <a href="/registers/workplans/${encodeURIComponent(cycle.cycle)}">This cycle now</a>` : ''}</p>`;
}
