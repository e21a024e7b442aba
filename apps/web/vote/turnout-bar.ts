import { html, type SafeHtml } from '../../../libs/html/index.js';

export interface ResultRow {
  label: string;
  count: number;
  /** The bar's fill; text stays in the page's ink colour so it keeps its contrast. */
  colour: string;
}

/**
 * A ballot's result as horizontal bars, drawn on the server (no script): an inline SVG with a <title>, role="img"
 * and an aria-label that says it all in words, and beside it the same figures as a table, for screen readers and
 * for anyone who prefers numbers.
 */
export function resultsChart(caption: string, rows: readonly ResultRow[], of: number): SafeHtml {
  const rowHeight = 30;
  const labelWidth = 110;
  const barWidth = 170;
  const height = rows.length * rowHeight + 6;
  const words = `${caption}: ${rows.map((row) => `${row.label} ${row.count}`).join(', ')} (of ${of})`;
  const bars = rows.map((row, index) => {
    const y = index * rowHeight + 4;
    const width = of === 0 ? 0 : Math.round((row.count / of) * barWidth);
    return html`<text x="0" y="${y + 17}" font-size="13" fill="#1b1f24">${row.label}</text>
<rect x="${labelWidth}" y="${y + 3}" width="${barWidth}" height="20" fill="#f4f6f8" stroke="#c9d1da"></rect>
<rect x="${labelWidth}" y="${y + 3}" width="${width}" height="20" fill="${row.colour}"></rect>
<text x="${labelWidth + barWidth + 8}" y="${y + 18}" font-size="13" font-weight="600" fill="#1b1f24">${row.count}</text>`;
  });
  return html`<figure class="results-chart">
<svg role="img" aria-label="${words}" viewBox="0 0 ${labelWidth + barWidth + 40} ${height}" width="100%" style="max-width:32rem">
<title>${words}</title>
${bars}
</svg>
<figcaption class="muted">${caption}</figcaption>
</figure>
<div class="table-wrap"><table>
<caption>${caption}</caption>
<thead><tr><th scope="col">Choice</th><th scope="col">Partners</th><th scope="col">Share of the ${of} eligible</th></tr></thead>
<tbody>${rows.map((row) => html`<tr><th scope="row">${row.label}</th><td>${row.count}</td><td>${of === 0 ? '—' : `${Math.round((row.count / of) * 100)}%`}</td></tr>`)}</tbody>
</table></div>`;
}

/** The turnout as one thin bar (its figures are always written beside it). */
export function turnoutBar(voted: number, eligible: number): SafeHtml {
  const words = `Turnout: ${voted} of ${eligible} Partners have voted`;
  const width = eligible === 0 ? 0 : Math.round((voted / eligible) * 200);
  return html`<svg class="turnout-bar" role="img" aria-label="${words}" viewBox="0 0 200 10" preserveAspectRatio="none" width="100%" height="10">
<title>${words}</title>
<rect x="0" y="0" width="200" height="10" fill="#f4f6f8" stroke="#c9d1da"></rect>
<rect x="0" y="0" width="${width}" height="10" fill="#0b4f8a"></rect>
</svg>`;
}
