import type { FormValues } from '../forms.js';

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
