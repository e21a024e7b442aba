import { html, type SafeHtml } from '../../../libs/html/index.js';

const ABSOLUTE = new Intl.DateTimeFormat('en-GB', {
  weekday: 'short',
  day: 'numeric',
  month: 'short',
  year: 'numeric',
  hour: '2-digit',
  minute: '2-digit',
  hourCycle: 'h23',
  timeZone: 'UTC',
});
const RELATIVE = new Intl.RelativeTimeFormat('en', { numeric: 'auto' });

/** "Tue, 12 May 2026, 14:00 UTC": every page gives instants in UTC, as the record keeps them. */
export function formatInstant(iso: string): string {
  return `${ABSOLUTE.format(new Date(iso))} UTC`;
}

/**
 * "in 14 days", "in 5 hours", "3 minutes ago": the largest unit that still reads well (days from two days on,
 * hours from two hours on), rounded, from the server's clock (the one the deadlines are enforced by).
 */
export function relativeTime(iso: string, now: Date): string {
  const ms = Date.parse(iso) - now.getTime();
  const abs = Math.abs(ms);
  if (abs >= 2 * 86_400_000) return RELATIVE.format(Math.round(ms / 86_400_000), 'day');
  if (abs >= 2 * 3_600_000) return RELATIVE.format(Math.round(ms / 3_600_000), 'hour');
  if (abs >= 60_000) return RELATIVE.format(Math.round(ms / 60_000), 'minute');
  return ms > 0 ? 'in less than a minute' : 'just now';
}

/** An instant for people and machines: `<time datetime>` with the UTC date and, in brackets, how far it is. */
export function when(iso: string, now: Date): SafeHtml {
  return html`<time datetime="${iso}">${formatInstant(iso)}</time> <span class="muted">(${relativeTime(iso, now)})</span>`;
}
