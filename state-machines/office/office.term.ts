/**
 * Term arithmetic (ToR ¶28: "the Chairman, Vice-Chairs, and Leaders' tenure is two years"; Annex I: the IP Leader
 * "as for all other leaders"). Pure: the machine's guards and the decide steps compute the same dates.
 */

export const TERM_YEARS = 2;
const DAY_MS = 86_400_000;

/**
 * The instant exactly two calendar years after `start`, in UTC, to the millisecond. A term begun on 29 February
 * ends on 28 February two years later (the last day of that month), not on 1 March.
 */
export function termEndFor(start: string): string {
  const from = new Date(start);
  const year = from.getUTCFullYear() + TERM_YEARS;
  const month = from.getUTCMonth();
  const lastDay = new Date(Date.UTC(year, month + 1, 0)).getUTCDate();
  const end = new Date(
    Date.UTC(year, month, Math.min(from.getUTCDate(), lastDay), from.getUTCHours(), from.getUTCMinutes(), from.getUTCSeconds(), from.getUTCMilliseconds()),
  );
  return end.toISOString();
}

/** When a renewal falls due: the notice period before the term's end (frozen into the term when it begins). */
export function renewalDueFor(end: string, noticeDays: number): string {
  return new Date(Date.parse(end) - noticeDays * DAY_MS).toISOString();
}

/** Is this a canonical ISO-8601 instant (what `Date#toISOString` writes)? Terms store only those. */
export function isInstant(value: unknown): value is string {
  return typeof value === 'string' && !Number.isNaN(Date.parse(value)) && new Date(value).toISOString() === value;
}
