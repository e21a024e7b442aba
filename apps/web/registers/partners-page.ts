import { html, type SafeHtml } from '../../../libs/html/index.js';
import type { PartnerAtView, PartnerRecord, PartnerView } from '../../../libs/partners/index.js';
import { dayElement, dayText } from '../time.js';
import { asOfForm, badge, tor, words } from './format.js';

export interface PartnersPageInput {
  /** The API's list: summaries, each with `periodAt` when asked `at`. */
  partners: (PartnerView & Partial<Pick<PartnerAtView, 'periodAt'>>)[];
  /** The instant asked for (end of the chosen day), absent for now. */
  at?: string;
  day?: string;
  error?: string;
  includeWithdrawn: boolean;
}

/** The Partner register now, or as it stood at the end of a day (ToR ¶12, Annex II). */
export function partnersPage(input: PartnersPageInput): SafeHtml {
  const { partners, at } = input;
  const caption = at
    ? `${partners.length} ${partners.length === 1 ? 'Partner' : 'Partners'} at the end of ${dayText(at)} (UTC)`
    : input.includeWithdrawn
      ? `${partners.length} organisations in the register, withdrawn ones included`
      : `${partners.length} current ${partners.length === 1 ? 'Partner' : 'Partners'}`;
  const withdrawnBox = html`<div class="field">
    <label class="choice"><input type="checkbox" name="includeWithdrawn" value="true"${input.includeWithdrawn ? html` checked` : ''}${at ? html` disabled` : ''}> Include organisations that have withdrawn (for today’s register)</label>
  </div>`;
  return html`<p>Every agency, entity and programme of the United Nations system may become a Partner by expressing its intent;
the Secretariat keeps the list of current Partners (${tor('¶12')}, Annex II). A withdrawn organisation keeps its history.</p>
${asOfForm('/registers/partners', {
  day: input.day,
  error: input.error,
  label: 'Register as of',
  hint: 'A day: the Partners at the end of that day (UTC). Leave empty for today.',
  extra: withdrawnBox,
})}
<h2 id="partners-heading">${caption}</h2>
${partners.length === 0
  ? html`<p class="muted">No Partner was in the register ${at ? html`at that date` : 'yet'}.</p>`
  : html`<div class="table-wrap"><table aria-labelledby="partners-heading">
  <thead><tr><th scope="col">Partner</th><th scope="col">Name</th><th scope="col">Type of entity</th><th scope="col">Status${at ? ' today' : ''}</th><th scope="col">Partner since</th><th scope="col">Withdrew</th></tr></thead>
  <tbody>${partners.map((partner) => {
    const period = (at && partner.periodAt) || partner.latestPeriod;
    return html`<tr>
    <th scope="row"><a href="/registers/partners/${encodeURIComponent(partner.partnerId)}">${partner.partnerId}</a></th>
    <td>${partner.name}</td>
    <td>${words(partner.entityType)}</td>
    <td>${statusBadge(partner)}</td>
    <td>${dayElement(period?.from)}</td>
    <td>${dayElement(period?.to)}</td>
  </tr>`;
  })}</tbody>
</table></div>`}`;
}

/** One organisation: every membership period with its intent and withdrawal. */
export function partnerPage(partner: PartnerRecord): SafeHtml {
  return html`<dl class="facts">
  <dt>Short id</dt><dd>${partner.partnerId}</dd>
  <dt>Type of entity</dt><dd>${words(partner.entityType)}</dd>
  <dt>Status</dt><dd>${statusBadge(partner)}</dd>
</dl>
<h2 id="periods-heading">Membership periods</h2>
<p class="muted">A period runs from its registration up to (not including) its withdrawal; a Partner that comes back has a new period.</p>
<div class="table-wrap"><table aria-labelledby="periods-heading">
  <thead><tr><th scope="col">From</th><th scope="col">To</th><th scope="col">Intent expressed (${tor('¶12, ¶24')})</th><th scope="col">Registered by</th><th scope="col">Withdrawal</th></tr></thead>
  <tbody>${partner.periods.map(
    (period) => html`<tr>
    <td>${dayElement(period.from)}</td>
    <td>${period.to ? dayElement(period.to) : html`<span class="muted">still a Partner</span>`}</td>
    <td>${period.intentReference}${period.intentExpressedOn ? html` (${dayElement(period.intentExpressedOn)})` : ''}</td>
    <td>${period.registeredBy}</td>
    <td>${period.to ? html`${period.withdrawalReason ?? ''}${period.withdrawnBy ? html` <span class="muted">(recorded by ${period.withdrawnBy})</span>` : ''}` : ''}</td>
  </tr>`,
  )}</tbody>
</table></div>
<p><a href="/registers/partners">All Partners</a></p>`;
}

function statusBadge(partner: PartnerView): SafeHtml {
  return partner.status === 'registered' ? badge('Partner', 'ok') : badge('withdrawn', 'warn');
}
