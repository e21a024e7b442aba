import type { FormValues } from '../forms.js';

/**
 * A deadline typed in a `datetime-local` field, read as UTC (the forms say so): `2026-12-01T17:00` becomes
 * `2026-12-01T17:00:00Z`. Anything else is passed as typed, for the API to name what is wrong with it.
 */
export function utcInstant(value: string | undefined): string | undefined {
  if (value === undefined || value === '') return undefined;
  const local = /^(\d{4}-\d{2}-\d{2}T\d{2}:\d{2})(:\d{2}(?:\.\d{1,3})?)?$/.exec(value);
  return local ? `${local[1]}${local[2] ?? ':00'}Z` : value;
}

/** The value for a `datetime-local` field showing an instant in UTC (to the second). */
export function utcLocalValue(instant: Date): string {
  return instant.toISOString().slice(0, 19);
}

/** Non-empty lines of a text area, trimmed (one comment, one input id per line). */
export function lines(value: string | undefined): string[] {
  return (value ?? '').split(/\r?\n/).map((line) => line.trim()).filter((line) => line !== '');
}

/** The value, or nothing when the field was left empty (the API then applies its default). */
export function given(values: FormValues, name: string): string | undefined {
  const value = values[name]?.trim();
  return value === undefined || value === '' ? undefined : value;
}

/** `yes`/`no` of a select as a boolean; anything else passed as typed, for the API to refuse. */
export function yesNo(value: string | undefined): boolean | string | undefined {
  if (value === undefined || value === '') return undefined;
  return value === 'yes' ? true : value === 'no' ? false : value;
}

/** Leaves out the keys whose value is undefined, so the API sees only what the person gave. */
export function defined<T extends Record<string, unknown>>(body: T): Partial<T> {
  return Object.fromEntries(Object.entries(body).filter(([, value]) => value !== undefined)) as Partial<T>;
}

export const YES_NO = [
  { value: 'yes', label: 'Yes' },
  { value: 'no', label: 'No' },
] as const;

/** How the pages show an instant: UTC, to the minute (to the second when it has seconds), unambiguous in every locale. */
export function showInstant(instant: string | undefined | null): string {
  if (!instant) return '—';
  const date = new Date(instant);
  if (Number.isNaN(date.getTime())) return instant;
  const iso = date.toISOString();
  return `${iso.slice(0, iso.slice(17, 19) === '00' ? 16 : 19).replace('T', ' ')} UTC`;
}

/** "in 3 days", "in 2 hours", "in 40 s", "3 hours ago": how far an instant is from now. */
export function fromNow(iso: string | undefined, now = Date.now()): string {
  if (!iso) return '';
  const ms = new Date(iso).getTime() - now;
  const abs = Math.abs(ms);
  const amount =
    abs >= 2 * 86_400_000 ? `${Math.round(abs / 86_400_000)} days`
    : abs >= 2 * 3_600_000 ? `${Math.round(abs / 3_600_000)} hours`
    : abs >= 120_000 ? `${Math.round(abs / 60_000)} minutes`
    : `${Math.max(0, Math.round(abs / 1000))} seconds`;
  return ms >= 0 ? `in ${amount}` : `${amount} ago`;
}
