import { html, type SafeHtml } from '../../libs/html/index.js';

/*
 * How every web page reads and writes instants. The record keeps instants in UTC, the deadlines are enforced in UTC,
 * and the pages say so: every instant is read and shown in UTC. The text is built by hand, not with Intl or
 * toLocale*: the same words on every server and in every test, whatever the locale or the ICU data installed.
 */

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

/**
 * An instant typed in a `datetime-local` field, read as UTC (the fields say so): `2026-09-01T09:00` (Chromium leaves
 * out `:00` seconds) becomes `2026-09-01T09:00:00Z`, `2026-09-01T09:00:30.250` becomes `2026-09-01T09:00:30.250Z`.
 * A repeated form field counts by its last value. Anything else is passed on as typed, for the API to name what is
 * wrong with it; empty is undefined (the API then applies its default, or says the value is required).
 */
export function utcFromLocalInput(raw: unknown): string | undefined {
  const value = Array.isArray(raw) ? raw.at(-1) : raw;
  if (typeof value !== 'string' || value.trim() === '') return undefined;
  const text = value.trim();
  const local = /^(\d{4}-\d{2}-\d{2}T\d{2}:\d{2})(:\d{2}(?:\.\d{1,3})?)?$/.exec(text);
  return local ? `${local[1]}${local[2] ?? ':00'}Z` : text;
}

/** The value of a `datetime-local` field showing an instant in UTC, to the second ('' for what is not an instant). */
export function localInputValue(iso: string): string {
  const date = new Date(iso);
  return Number.isNaN(date.getTime()) ? '' : date.toISOString().slice(0, 19);
}

/** "2 Mar 2026": the UTC day of an instant (anything that is not an instant is shown as it is). */
export function dayText(iso: string): string {
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return iso;
  return `${date.getUTCDate()} ${MONTHS[date.getUTCMonth()]} ${date.getUTCFullYear()}`;
}

export interface InstantOptions {
  /**
   * Always to the second, and to the millisecond when there are some: what an auditor compares with the record.
   * Otherwise an instant is shown to the minute, to the second only when its seconds are not zero.
   */
  exact?: boolean;
}

/** "2 Mar 2026, 09:00 UTC", "2 Mar 2026, 09:00:30 UTC"; exact: "2 Mar 2026, 09:00:00 UTC", "2 Mar 2026, 09:00:00.125 UTC". */
export function instantText(iso: string, options: InstantOptions = {}): string {
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return iso;
  const time = date.toISOString().slice(11, 23); // HH:MM:SS.mmm, in UTC
  const seconds = time.slice(5, 8);
  const ms = time.slice(8);
  const shown = options.exact ? time.slice(0, ms === '.000' ? 8 : 12) : time.slice(0, seconds === ':00' ? 5 : 8);
  return `${dayText(iso)}, ${shown} UTC`;
}

/**
 * "in 14 days", "in 36 hours", "3 minutes ago", "in less than a minute", "just now": how far an instant is from `now`
 * (the server's clock, the one the deadlines are enforced by), in the largest unit that still reads well: days from
 * two days on, hours from two hours on, then minutes; rounded to the nearest.
 */
export function relativeText(iso: string, now: Date | number): string {
  const ms = Date.parse(iso) - (typeof now === 'number' ? now : now.getTime());
  if (Number.isNaN(ms)) return '';
  const abs = Math.abs(ms);
  if (abs < MINUTE) return ms > 0 ? 'in less than a minute' : 'just now';
  const [count, unit] = abs >= 2 * DAY ? [Math.round(abs / DAY), 'day'] : abs >= 2 * HOUR ? [Math.round(abs / HOUR), 'hour'] : [Math.round(abs / MINUTE), 'minute'];
  const amount = `${count} ${unit}${count === 1 ? '' : 's'}`;
  return ms > 0 ? `in ${amount}` : `${amount} ago`;
}

const NONE = html`<span class="muted">—</span>`;

/** A day for people and machines: `<time datetime>` with "2 Mar 2026"; a muted dash when there is none. */
export function dayElement(iso: string | null | undefined): SafeHtml {
  return iso ? html`<time datetime="${iso}">${dayText(iso)}</time>` : NONE;
}

/** An instant for people and machines: `<time datetime>` with "2 Mar 2026, 09:00 UTC"; a muted dash when there is none. */
export function instantElement(iso: string | null | undefined, options: InstantOptions = {}): SafeHtml {
  return iso ? html`<time datetime="${iso}">${instantText(iso, options)}</time>` : NONE;
}

/** An instant and, in brackets, how far it is from `now`: "2 Mar 2026, 09:00 UTC (in 14 days)". */
export function instantAndRelativeElement(iso: string, now: Date | number): SafeHtml {
  return html`${instantElement(iso)} <span class="muted">(${relativeText(iso, now)})</span>`;
}
