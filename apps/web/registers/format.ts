import { InstantFormatError, parseDay, parseInstant } from '../../../libs/kernel/instant.js';
import { html, type SafeHtml } from '../../../libs/html/index.js';

export type Tone = 'ok' | 'bad' | 'warn' | '';

/** A status word in a badge: the tone is a colour and the word itself, never the colour alone. */
export function badge(text: string, tone: Tone = ''): SafeHtml {
  return html`<span class="badge${tone ? ` ${tone}` : ''}">${text}</span>`;
}

/** "collectingInputs" → "collecting inputs"; "failedQuorum" → "failed quorum". */
export function words(camel: string): string {
  return camel.replace(/([a-z])([A-Z])/g, '$1 $2').replace(/-/g, ' ').toLowerCase();
}

/**
 * The `at` a register page was asked for, read from its "as of" form: a day (`2026-06-30`) means the end of that day
 * in UTC (everything recorded that day counts); an RFC 3339 date-time is taken as it is (libs/kernel/instant.ts reads
 * both). Undefined for now; an error message for anything else, shown beside the form instead of sending the API a
 * value it would refuse anyway.
 */
export function asOf(raw: unknown): { at?: string; day?: string; error?: string } {
  if (typeof raw !== 'string' || raw.trim() === '') return {};
  const value = raw.trim();
  const dayShaped = /^\d{4}-\d{2}-\d{2}$/.test(value);
  try {
    const at = dayShaped ? parseInstant(`${parseDay(value)}T23:59:59.999Z`) : parseInstant(value);
    return { at: at.toISOString(), day: at.toISOString().slice(0, 10) };
  } catch (error) {
    if (!(error instanceof InstantFormatError)) throw error;
    return { error: `“${value}” is not a date${dayShaped ? ` (it ${error.reason})` : ''}: give a day such as 2026-06-30.` };
  }
}

/**
 * The "as of" form of a register: a GET form (the address can be bookmarked and shared) that submits itself when the
 * date changes with JavaScript, and has its own button without.
 */
export function asOfForm(action: string, options: { day?: string; error?: string; label: string; hint: string; extra?: SafeHtml }): SafeHtml {
  return html`<form method="get" action="${action}" class="as-of" data-auto-submit>
  <div class="field${options.error ? ' invalid' : ''}">
    <label for="as-of-day">${options.label}</label>
    <p class="hint" id="as-of-hint">${options.hint}</p>
    ${options.error ? html`<p class="error" id="as-of-error">${options.error}</p>` : ''}
    <input type="date" id="as-of-day" name="at" value="${options.day ?? ''}" aria-describedby="as-of-hint${options.error ? ' as-of-error' : ''}"${options.error ? html` aria-invalid="true"` : ''}>
  </div>
  ${options.extra ?? ''}
  <div class="actions"><button type="submit">Show</button>${options.day || options.error ? html`<a class="button secondary" href="${action}">Now</a>` : ''}</div>
</form>`;
}

/** A ToR citation as the pages write it. */
export function tor(paragraphs: string): SafeHtml {
  return html`<span class="tor">ToR ${paragraphs}</span>`;
}
