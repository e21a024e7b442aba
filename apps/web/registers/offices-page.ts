import { html, type SafeHtml } from '../../../libs/html/index.js';
import type { ExpiriesAnswer, RegisterAnswer, SeatView } from '../../../libs/offices/index.js';
import { dayElement, dayText } from '../time.js';
import { asOfForm, badge, tor } from './format.js';
import { groundsText } from './offices-grounds.js';
import { tenureChart, tenureTable } from './tenure-chart.js';

export interface OfficesPageInput {
  register: RegisterAnswer;
  /** Each seat's terms, as recorded up to the instant asked (or everything). */
  seats: SeatView[];
  /** Terms ending soon: for today's register only. */
  expiries?: ExpiriesAnswer;
  day?: string;
  error?: string;
  past: boolean;
}

/** Who holds which office, the terms ending soon, and every term on a timeline (ToR ¶13(a), ¶15, ¶19, ¶28, Annex I). */
export function officesPage(input: OfficesPageInput): SafeHtml {
  const { register, seats, expiries } = input;
  const nowLabel = input.past ? 'As of' : 'Today';
  return html`<p>The Chair and the Vice-Chairs are appointed by the Partners Board (${tor('¶13(a), ¶15')}), the Leaders of the
Thematic Groups by the Chair in consultation with the Secretariat (${tor('¶19')}), the IP Leader at an Annual Meeting (Annex I).
A tenure is two years; it may be renewed (${tor('¶28')}).</p>
${asOfForm('/registers/offices', {
  day: input.day,
  error: input.error,
  label: 'Register as of',
  hint: 'A day: who held which office at the end of that day (UTC), as recorded then. Leave empty for today.',
})}
<h2 id="holders-heading">${input.past ? html`Office holders at the end of ${dayText(register.at)}` : 'Office holders today'}</h2>
${register.offices.length === 0
  ? html`<p class="muted">No seat had a nomination or a holder on record ${input.past ? 'by then' : 'yet'}.</p>`
  : html`<div class="table-wrap"><table aria-labelledby="holders-heading">
<thead><tr><th scope="col">Seat</th><th scope="col">Holder</th><th scope="col">Term</th><th scope="col">Decision</th><th scope="col">Renewal</th><th scope="col">Candidates</th></tr></thead>
<tbody>${register.offices.map(
      (entry) => html`<tr>
  <th scope="row"><a href="/registers/offices/${encodeURIComponent(entry.seat)}">${entry.title}</a></th>
  <td>${entry.holder ? html`${entry.holder.name} <span class="muted">(${entry.holder.personId})</span>` : badge('vacant', 'warn')}</td>
  <td>${entry.term ? html`${entry.term.number}: ${dayElement(entry.term.start)} to ${dayElement(entry.term.end)}${entry.term.kind === 'renewal' ? ' (renewed)' : ''}` : html`<span class="muted">—</span>`}</td>
  <td>${entry.term ? groundsText(entry.term.grounds) : ''}</td>
  <td>${entry.nextTerm
    ? html`${badge('renewed', 'ok')} term ${entry.nextTerm.number} from ${dayElement(entry.nextTerm.start)}`
    : entry.renewalDue
      ? html`${badge('renewal due', 'warn')} since ${dayElement(entry.term?.renewalDueAt)}`
      : entry.term ? html`due ${dayElement(entry.term.renewalDueAt)}` : ''}</td>
  <td>${entry.candidates.length === 0 ? html`<span class="muted">none</span>` : entry.candidates.map((c, i) => html`${i > 0 ? ', ' : ''}${c.nomineeName}${c.partnerId ? html` <span class="muted">(${c.partnerId})</span>` : ''}`)}</td>
</tr>`,
    )}</tbody>
</table></div>`}
${expiries ? expiriesSection(expiries) : ''}
<h2 id="timeline-heading">Tenure timeline</h2>
${tenureChart(seats, register.at, { nowLabel })}
<h2 id="terms-heading">Terms of office</h2>
${seats.some((seat) => seat.terms.length > 0) ? tenureTable(seats, register.at) : html`<p class="muted">No term recorded.</p>`}`;
}

function expiriesSection(expiries: ExpiriesAnswer): SafeHtml {
  return html`<h2 id="expiries-heading">Terms ending within ${expiries.withinDays} days</h2>
${expiries.expiries.length === 0
  ? html`<p class="muted">No term ends within ${expiries.withinDays} days of ${dayText(expiries.at)}.</p>`
  : html`<div class="table-wrap"><table aria-labelledby="expiries-heading">
<thead><tr><th scope="col">Seat</th><th scope="col">Holder</th><th scope="col">Term ends</th><th scope="col">Days left</th><th scope="col">Renewal</th></tr></thead>
<tbody>${expiries.expiries.map(
      (expiry) => html`<tr>
  <th scope="row"><a href="/registers/offices/${encodeURIComponent(expiry.seat)}">${expiry.title}</a></th>
  <td>${expiry.holder.name}</td>
  <td>${dayElement(expiry.end)}</td>
  <td>${expiry.daysLeft}</td>
  <td>${expiry.renewed ? badge('renewal recorded', 'ok') : expiry.renewalDue ? badge('renewal due', 'warn') : html`due ${dayElement(expiry.renewalDueAt)}`}</td>
</tr>`,
    )}</tbody>
</table></div>`}`;
}

/** One seat: its holder, every term on the timeline and in a table, and the nominations. */
export function seatPage(seat: SeatView, now: string, options: { day?: string; error?: string; past: boolean }): SafeHtml {
  return html`${asOfForm(`/registers/offices/${encodeURIComponent(seat.seat)}`, {
  day: options.day,
  error: options.error,
  label: 'Seat as recorded on',
  hint: 'A day: the seat’s history as recorded by the end of that day (UTC). Leave empty for everything.',
})}
<dl class="facts">
  <dt>Seat</dt><dd>${seat.seat}</dd>
  <dt>Holder${options.past ? ' then' : ''}</dt><dd>${seat.holder ? html`${seat.holder.name} (${seat.holder.personId})` : badge('vacant', 'warn')}</dd>
  <dt>State</dt><dd>${seat.status === 'renewalDue' ? badge('renewal due', 'warn') : seat.status === 'serving' ? badge('serving', 'ok') : badge(seat.status)}</dd>
  <dt>Terms</dt><dd>${seat.terms.length}</dd>
</dl>
<h2>Tenure timeline</h2>
${tenureChart([seat], now, { nowLabel: options.past ? 'As of' : 'Today' })}
<h2 id="terms-heading">Terms of office</h2>
${seat.terms.length > 0 ? tenureTable([seat], now) : html`<p class="muted">No term recorded.</p>`}
<h2 id="nominations-heading">Nominations</h2>
${seat.nominations.length === 0
  ? html`<p class="muted">No nomination recorded.</p>`
  : html`<div class="table-wrap"><table aria-labelledby="nominations-heading">
<thead><tr><th scope="col">Candidate</th><th scope="col">Nominated by</th><th scope="col">On</th><th scope="col">Statement</th><th scope="col">Outcome</th></tr></thead>
<tbody>${seat.nominations.map(
      (nomination) => html`<tr>
  <th scope="row">${nomination.nomineeName} <span class="muted">(${nomination.nomineeId})</span></th>
  <td>${nomination.partnerId ?? ''} <span class="muted">(recorded by ${nomination.by}, ${nomination.byRole})</span></td>
  <td>${dayElement(nomination.at)}</td>
  <td>${nomination.statement ?? ''}</td>
  <td>${nomination.outcome ? (nomination.outcome.appointed ? badge('appointed', 'ok') : badge('not appointed')) : badge('pending', 'warn')}</td>
</tr>`,
    )}</tbody>
</table></div>`}
<p><a href="/registers/offices">All offices</a></p>`;
}
