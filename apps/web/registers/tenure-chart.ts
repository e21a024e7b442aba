import { html, type SafeHtml } from '../../../libs/html/index.js';
import type { SeatView, TermView } from '../../../libs/offices/index.js';
import { dayElement, dayText } from '../time.js';
import { words } from './format.js';
import { groundsText } from './offices-grounds.js';

const WIDTH = 960;
const LABEL = 190;
const RIGHT = 24;
const TOP = 34;
const ROW = 40;
const BAR = 18;
const PLOT = WIDTH - LABEL - RIGHT;

/** The seat as the chart's row label names it (short: the table beside gives the full title). */
function rowLabel(seat: SeatView): string {
  const label =
    seat.office === 'chair' ? 'Chair'
    : seat.office === 'vice-chair' ? `Vice-Chair ${seat.index ?? ''}`.trim()
    : seat.office === 'leader' ? `Leader: ${seat.thematicGroup ?? seat.seat}`
    : 'IP Leader';
  return label.length > 24 ? `${label.slice(0, 23)}…` : label;
}

/** When a term stops counting: its early end, else its scheduled end. */
const endOf = (term: TermView) => term.ended?.at ?? term.end;

/** How a term ended, in words, or undefined while it runs (or before it begins). */
function endedText(term: TermView): string | undefined {
  if (term.cancelled) return `cancelled before it began (${dayText(term.cancelled.at)})`;
  if (!term.ended) return undefined;
  return `${term.ended.cause === 'expired' ? 'expired' : term.ended.cause} on ${dayText(term.ended.at)}`;
}

/**
 * The tenure timeline (ToR ¶28: two-year terms, renewable): one row per seat, a bar per term from its start to its
 * end (its early end if it ended early), renewals and expiries marked, and a line at `now`. Server-rendered SVG with
 * `role="img"` and a name; the same facts are in the table `tenureTable` gives, for screen readers and for print.
 */
export function tenureChart(seats: SeatView[], now: string, options: { nowLabel: string }): SafeHtml {
  const terms = seats.flatMap((seat) => seat.terms);
  const nowMs = Date.parse(now);
  const label = `Tenure timeline of ${seats.length} ${seats.length === 1 ? 'seat' : 'seats'} and ${terms.length} ${terms.length === 1 ? 'term' : 'terms'}, with a line at ${options.nowLabel.toLowerCase()} (${dayText(now)}); the table “Terms of office” gives the same facts.`;
  if (terms.length === 0) {
    return html`<p class="muted">No term of office is recorded yet, so there is no timeline to draw.</p>`;
  }
  const times = terms.flatMap((term) => [Date.parse(term.start), Date.parse(term.end)]).concat(nowMs);
  const from = Date.UTC(new Date(Math.min(...times)).getUTCFullYear(), 0, 1);
  const to = Date.UTC(new Date(Math.max(...times)).getUTCFullYear() + 1, 0, 1);
  const x = (iso: string | number) => LABEL + ((typeof iso === 'number' ? iso : Date.parse(iso)) - from) / (to - from) * PLOT;
  const height = TOP + seats.length * ROW + 34;
  const years: number[] = [];
  for (let year = new Date(from).getUTCFullYear(); Date.UTC(year, 0, 1) <= to; year += 1) years.push(year);
  const step = years.length > 12 ? 2 : 1;

  const grid = years.map((year, index) => {
    const at = x(Date.UTC(year, 0, 1));
    return html`<line x1="${at.toFixed(1)}" y1="${TOP - 8}" x2="${at.toFixed(1)}" y2="${height - 26}" class="grid"/>${index % step === 0 && index < years.length - 1
      ? html`<text x="${(at + 4).toFixed(1)}" y="${TOP - 14}" class="axis">${year}</text>`
      : ''}`;
  });

  const rows = seats.map((seat, index) => {
    const y = TOP + index * ROW + (ROW - BAR) / 2;
    const bars = seat.terms.map((term) => {
      const x1 = x(term.start);
      const x2 = Math.max(x(endOf(term)), x1 + 2);
      const width = x2 - x1;
      const ended = endedText(term);
      const tip = `${seat.title}, term ${term.number}: ${term.holderName}, ${term.kind}, ${dayText(term.start)} to ${dayText(term.end)}${ended ? `, ${ended}` : ''}`;
      const name = term.holderName;
      const fits = width > name.length * 8 + 12;
      if (term.cancelled) {
        return html`<g><title>${tip}</title><rect x="${x1.toFixed(1)}" y="${y}" width="${(x(term.end) - x1).toFixed(1)}" height="${BAR}" class="term cancelled"/></g>`;
      }
      return html`<g><title>${tip}</title>
<rect x="${x1.toFixed(1)}" y="${y}" width="${width.toFixed(1)}" height="${BAR}" rx="3" class="term ${term.kind}"/>
${fits ? html`<text x="${(x1 + 6).toFixed(1)}" y="${y + BAR - 4}" class="holder">${name}</text>` : ''}
${term.kind === 'renewal' ? html`<path d="M${x1.toFixed(1)} ${y - 6} l5 -6 l5 6 l-5 6 z" transform="translate(-5 0)" class="mark renewed"/>` : ''}
${!term.ended && Date.parse(term.renewalDueAt) < Date.parse(term.end)
  ? html`<line x1="${x(term.renewalDueAt).toFixed(1)}" y1="${y + BAR}" x2="${x(term.renewalDueAt).toFixed(1)}" y2="${y + BAR + 6}" class="mark due"/>`
  : ''}
${term.ended?.cause === 'expired'
  ? html`<path d="M${(x2 - 5).toFixed(1)} ${y - 9} l10 10 m0 -10 l-10 10" class="mark expired"/>`
  : term.ended
    ? html`<line x1="${x2.toFixed(1)}" y1="${y - 6}" x2="${x2.toFixed(1)}" y2="${y + BAR + 6}" class="mark ended"/>`
    : ''}
</g>`;
    });
    return html`<g class="seat-row">
<text x="8" y="${y + BAR - 4}" class="seat">${rowLabel(seat)}</text>
<line x1="${LABEL}" y1="${y + BAR / 2}" x2="${WIDTH - RIGHT}" y2="${y + BAR / 2}" class="lane"/>
${bars}
</g>`;
  });

  const nowX = x(nowMs);
  return html`<figure class="chart">
<div class="chart-scroll" tabindex="0" role="region" aria-label="Tenure timeline (scrolls sideways on a small screen)">
<svg class="tenure" role="img" aria-label="${label}" viewBox="0 0 ${WIDTH} ${height}" width="${WIDTH}" height="${height}" preserveAspectRatio="xMinYMin meet" xmlns="http://www.w3.org/2000/svg">
<title>${label}</title>
${grid}
${rows}
<line x1="${nowX.toFixed(1)}" y1="${TOP - 8}" x2="${nowX.toFixed(1)}" y2="${height - 4}" class="now"/>
<text x="${(nowX + (nowX > WIDTH - 200 ? -6 : 6)).toFixed(1)}" y="${height - 8}" class="now-label"${nowX > WIDTH - 200 ? html` text-anchor="end"` : ''}>${options.nowLabel} ${dayText(now)}</text>
</svg>
</div>
<figcaption>
<ul class="legend">
  <li><svg aria-hidden="true" width="28" height="14"><rect width="28" height="14" rx="3" class="term appointment"/></svg> Term on appointment</li>
  <li><svg aria-hidden="true" width="28" height="14"><rect width="28" height="14" rx="3" class="term renewal"/></svg> Renewed term, <svg aria-hidden="true" width="14" height="14"><path d="M2 7 l5 -6 l5 6 l-5 6 z" class="mark renewed"/></svg> where the renewal begins</li>
  <li><svg aria-hidden="true" width="14" height="14"><line x1="7" y1="2" x2="7" y2="12" class="mark due"/></svg> Renewal due (notice date)</li>
  <li><svg aria-hidden="true" width="14" height="14"><path d="M2 2 l10 10 m0 -10 l-10 10" class="mark expired"/></svg> Expired, not renewed</li>
  <li><svg aria-hidden="true" width="14" height="14"><line x1="7" y1="0" x2="7" y2="14" class="mark ended"/></svg> Ended early (resigned or replaced)</li>
  <li><svg aria-hidden="true" width="14" height="14"><line x1="7" y1="0" x2="7" y2="14" class="now"/></svg> ${options.nowLabel}</li>
</ul>
</figcaption>
</figure>`;
}

/** The chart's facts as a table: every term of every seat, with its dates, how it ended and its decision. */
export function tenureTable(seats: SeatView[], now: string): SafeHtml {
  const nowMs = Date.parse(now);
  return html`<div class="table-wrap"><table aria-labelledby="terms-heading">
<thead><tr><th scope="col">Seat</th><th scope="col">Term</th><th scope="col">Holder</th><th scope="col">Kind</th><th scope="col">Start</th><th scope="col">End</th><th scope="col">Renewal due</th><th scope="col">Status</th><th scope="col">Decision</th></tr></thead>
<tbody>${seats.flatMap((seat) =>
    seat.terms.map(
      (term) => html`<tr>
  <th scope="row"><a href="/registers/offices/${encodeURIComponent(seat.seat)}">${seat.title}</a></th>
  <td>${term.number}</td>
  <td>${term.holderName} <span class="muted">(${term.holderId})</span></td>
  <td>${term.kind}${term.imported ? html` <span class="badge">imported</span>` : ''}${term.flags.map((flag) => html` <span class="badge warn">${words(flag)}</span>`)}</td>
  <td>${dayElement(term.start)}</td>
  <td>${dayElement(term.end)}</td>
  <td>${dayElement(term.renewalDueAt)}</td>
  <td>${termStatus(term, nowMs)}</td>
  <td>${groundsText(term.grounds)}</td>
</tr>`,
    ),
  )}</tbody>
</table></div>`;
}

function termStatus(term: TermView, nowMs: number): string {
  const ended = endedText(term);
  if (ended) return ended;
  if (Date.parse(term.start) > nowMs) return 'begins later';
  if (Date.parse(term.end) <= nowMs) return 'past its end';
  return Date.parse(term.renewalDueAt) <= nowMs ? 'serving, renewal due' : 'serving';
}
