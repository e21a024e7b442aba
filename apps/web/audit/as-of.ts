import { html, type SafeHtml } from '../../../libs/html/index.js';
import type { HistoryEntry } from '../../../libs/audit/replay.js';
import { instantText, localInputValue } from '../time.js';

/** The auditor's pages give every instant exactly (to the second, to the millisecond when there are some): as recorded. */
export const exactInstant = (iso: string): string => instantText(iso, { exact: true });

/** The instants at which a process's events were recorded, with the events recorded at each (several may share one). */
export interface RecordedInstant {
  at: string;
  events: HistoryEntry[];
}

export function recordedInstants(history: readonly HistoryEntry[]): RecordedInstant[] {
  const instants: RecordedInstant[] = [];
  for (const entry of history) {
    const last = instants.at(-1);
    if (last && Date.parse(last.at) === Date.parse(entry.occurredAt)) last.events.push(entry);
    else instants.push({ at: entry.occurredAt, events: [entry] });
  }
  return instants;
}

function instantLabel(instant: RecordedInstant): string {
  const first = instant.events[0]!;
  const last = instant.events.at(-1)!;
  const revisions = first === last ? `revision ${first.revision}` : `revisions ${first.revision}–${last.revision}`;
  const types = [...new Set(instant.events.map((event) => event.type))].join(', ');
  return `${exactInstant(instant.at)} · ${revisions}: ${types}`;
}

export interface AsOfControlOptions {
  /** The page the forms and links lead to (the process page, without a query). */
  action: string;
  /** Every event of the process, now. */
  all: readonly HistoryEntry[];
  /** The instant asked for (normalised), or undefined for now. */
  at?: string;
  /** What the API said was wrong with `at`. */
  error?: string;
}

/**
 * The "as of" control: a list of the instants the events were recorded at (picking one reloads the page, or its
 * button does without JavaScript), any instant to the second, and links one recorded instant earlier or later.
 */
export function renderAsOfControl(options: AsOfControlOptions): SafeHtml {
  const instants = recordedInstants(options.all);
  const cut = options.at === undefined || options.error !== undefined ? Number.POSITIVE_INFINITY : Date.parse(options.at);
  // The recorded instant the page stands at: the last one at or before the cut (-1: before the first event).
  const index = instants.reduce((found, instant, i) => (Date.parse(instant.at) <= cut ? i : found), -1);
  const asked = options.at !== undefined && options.error === undefined ? options.at : undefined;
  const exact = asked !== undefined && instants.some((instant) => Date.parse(instant.at) === Date.parse(asked));
  const href = (at?: string) => (at === undefined ? options.action : `${options.action}?at=${encodeURIComponent(at)}`);

  const earlier =
    index > 0
      ? html`<a href="${href(instants[index - 1]!.at)}" rel="prev">← One recorded instant earlier (${exactInstant(instants[index - 1]!.at)})</a>`
      : index === 0
        ? html`<a href="${href(new Date(Date.parse(instants[0]!.at) - 1).toISOString())}" rel="prev">← Just before the first event</a>`
        : '';
  const later =
    asked === undefined
      ? ''
      : index + 1 < instants.length
        ? html`<a href="${href(instants[index + 1]!.at)}" rel="next">One recorded instant later (${exactInstant(instants[index + 1]!.at)}) →</a>`
        : html`<a href="${href()}">Now →</a>`;

  const errorId = 'as-of-any-error';
  return html`<div class="as-of">
<form method="get" action="${options.action}" data-auto-submit>
  <div class="field">
    <label for="as-of-recorded">Recorded instant</label>
    <p class="hint" id="as-of-recorded-hint">Each instant at which an event was recorded; the page shows the process as it stood then.</p>
    <select id="as-of-recorded" name="at" aria-describedby="as-of-recorded-hint">
      <option value=""${asked === undefined ? html` selected` : ''}>Now (every event)</option>
      ${asked !== undefined && !exact ? html`<option value="${asked}" selected>${exactInstant(asked)} (the instant you gave)</option>` : ''}
      ${instants
        .map((instant) => html`<option value="${instant.at}"${exact && Date.parse(instant.at) === Date.parse(asked!) ? html` selected` : ''}>${instantLabel(instant)}</option>`)
        .reverse()}
    </select>
  </div>
  <div class="actions"><button type="submit">Show as of this instant</button></div>
</form>
<form method="get" action="${options.action}">
  <div class="field${options.error ? ' invalid' : ''}">
    <label for="as-of-any">Any instant (UTC, to the second)</label>
    ${options.error ? html`<p class="error" id="${errorId}">${options.error}</p>` : ''}
    <input type="datetime-local" step="1" id="as-of-any" name="at" value="${asked !== undefined ? localInputValue(asked) : ''}"${options.error ? html` aria-invalid="true" aria-describedby="${errorId}"` : ''}>
  </div>
  <div class="actions"><button type="submit" class="secondary">Show as of the instant given</button></div>
</form>
${earlier || later ? html`<nav aria-label="Step through the record" class="actions">${earlier}${later}</nav>` : ''}
</div>`;
}
