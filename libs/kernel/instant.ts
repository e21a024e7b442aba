/*
 * The one reader of every instant and day the engine accepts (bodies, query parameters, CLI options, imported files).
 * Only RFC 3339 forms: `Date.parse` takes far more (and reads a time without an offset in the server's own zone,
 * so one deadline would mean different instants on different servers), while the validators took ISO 8601 forms
 * `Date` cannot read at all (weeks, ordinal days, basic format, decimal commas). One strict rule for both ends.
 */

/** Instants outside these years are typing mistakes in a governance record, not plans: refused. */
export const INSTANT_YEARS = { min: 2000, max: 2199 } as const;

export const INSTANT_EXAMPLE = '2027-07-01T12:00:00Z';
export const DAY_EXAMPLE = '2027-07-01';

/** A text that is not an instant (or day) the engine accepts; the message says what to write instead. */
export class InstantFormatError extends Error {
  override readonly name = 'InstantFormatError';
  constructor(
    readonly text: string,
    /** Why, to follow "… is not accepted: " or a field's name. */
    readonly reason: string,
  ) {
    super(`${JSON.stringify(text.length > 64 ? `${text.slice(0, 64)}…` : text)} ${reason}`);
  }
}

const DATE_TIME = /^(\d{4})-(\d{2})-(\d{2})[Tt](\d{2}):(\d{2}):(\d{2})(?:\.(\d{1,9}))?([Zz]|[+-]\d{2}:\d{2})$/;
const DAY = /^(\d{4})-(\d{2})-(\d{2})$/;
const FORM = `an RFC 3339 date-time such as ${INSTANT_EXAMPLE}: the date, T, the time to the second, and Z (UTC) or an offset such as +02:00`;

/**
 * `YYYY-MM-DDTHH:MM:SS[.fraction](Z|±HH:MM)`, `t` and `z` also lower case (RFC 3339 §5.6). The offset is required.
 * A leap second (`:60`) is refused: the record and `Date` have none. A fraction finer than milliseconds is cut to
 * milliseconds, as the record keeps them. Years from INSTANT_YEARS only (the instant in UTC).
 */
export function parseInstant(text: unknown): Date {
  if (typeof text !== 'string') throw new InstantFormatError(String(text), `is not ${FORM}`);
  const match = DATE_TIME.exec(text);
  if (!match) throw new InstantFormatError(text, `is not ${FORM}${hint(text)}`);
  const [, year, month, day, hour, minute, second, fraction, offset] = match as unknown as string[];
  checkDay(text, +year!, +month!, +day!);
  if (+hour! > 23 || +minute! > 59) throw new InstantFormatError(text, `has no such time of day ${hour}:${minute}: hours run 00-23, minutes 00-59`);
  if (+second! === 60) throw new InstantFormatError(text, 'is a leap second (:60), which the record cannot hold: give :59 or the next minute');
  if (+second! > 59) throw new InstantFormatError(text, `has no such second ${second}: seconds run 00-59`);
  let offsetMinutes = 0;
  if (offset !== 'Z' && offset !== 'z') {
    const offsetHours = +offset!.slice(1, 3);
    const offsetMins = +offset!.slice(4, 6);
    if (offsetHours > 23 || offsetMins > 59) throw new InstantFormatError(text, `has no such offset ${offset}: use -23:59 to +23:59`);
    offsetMinutes = (offset!.startsWith('-') ? -1 : 1) * (offsetHours * 60 + offsetMins);
  }
  const ms = Number((fraction ?? '').padEnd(3, '0').slice(0, 3));
  const utc = Date.UTC(+year!, +month! - 1, +day!, +hour!, +minute!, +second!, ms) - offsetMinutes * 60_000;
  const at = new Date(utc);
  const utcYear = at.getUTCFullYear();
  if (utcYear < INSTANT_YEARS.min || utcYear > INSTANT_YEARS.max) {
    throw new InstantFormatError(text, `falls in the year ${utcYear} (UTC), outside ${INSTANT_YEARS.min}-${INSTANT_YEARS.max}, the years the engine accepts`);
  }
  return at;
}

/** A calendar day `YYYY-MM-DD` (RFC 3339 full-date), in INSTANT_YEARS; returned as written. */
export function parseDay(text: unknown): string {
  if (typeof text !== 'string') throw new InstantFormatError(String(text), `is not a day such as ${DAY_EXAMPLE}`);
  const match = DAY.exec(text);
  if (!match) throw new InstantFormatError(text, `is not a day such as ${DAY_EXAMPLE} (year-month-day, with hyphens)`);
  const [, year, month, day] = match as unknown as string[];
  checkDay(text, +year!, +month!, +day!);
  if (+year! < INSTANT_YEARS.min || +year! > INSTANT_YEARS.max) {
    throw new InstantFormatError(text, `falls in the year ${year}, outside ${INSTANT_YEARS.min}-${INSTANT_YEARS.max}, the years the engine accepts`);
  }
  return text;
}

/** Whether `text` is an instant `parseInstant` accepts. */
export function isInstant(text: unknown): boolean {
  return attempt(() => parseInstant(text));
}

/** Whether `text` is a day `parseDay` accepts. */
export function isDay(text: unknown): boolean {
  return attempt(() => parseDay(text));
}

function attempt(parse: () => unknown): boolean {
  try {
    parse();
    return true;
  } catch (error) {
    if (error instanceof InstantFormatError) return false;
    throw error;
  }
}

function checkDay(text: string, year: number, month: number, day: number): void {
  if (month < 1 || month > 12) throw new InstantFormatError(text, `has no such month ${month}: months run 01-12`);
  const days = new Date(Date.UTC(year, month, 0)).getUTCDate();
  if (day < 1 || day > days) throw new InstantFormatError(text, `has no such day: ${String(month).padStart(2, '0')}/${year} has ${days} days`);
}

/** What is wrong with a near miss, when it is one of the usual ones. */
function hint(text: string): string {
  if (/^\d{4}-\d{2}-\d{2}[Tt ]\d{2}:\d{2}(:\d{2}([.,]\d+)?)?$/.test(text)) {
    return '; it has no offset: add Z for UTC or an offset such as +02:00 (a time without one would be read in the server’s own time zone)';
  }
  if (/\d,\d/.test(text)) return '; write a fraction of a second with a decimal point, not a comma';
  if (/^\d{4}-\d{2}-\d{2}$/.test(text)) return '; a day alone is not an instant: add the time and the offset, e.g. T00:00:00Z';
  if (/^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}/.test(text)) return '; separate the date and the time with T';
  if (/^\d{4}-\d{2}-\d{2}[Tt]\d{2}(:\d{2})?([Zz]|[+-]\d{2}(:?\d{2})?)$/.test(text)) return '; give the time to the second (HH:MM:SS)';
  if (/[+-]\d{4}$|[+-]\d{2}$/.test(text)) return '; write the offset with a colon, as +02:00';
  return '';
}
