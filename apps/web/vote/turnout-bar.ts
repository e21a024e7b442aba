import { html, type SafeHtml } from '../../../libs/html/index.js';

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
