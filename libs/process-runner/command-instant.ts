import { InvalidCommandError } from '../errors/index.js';
import { InstantFormatError, parseDay, parseInstant } from '../kernel/instant.js';

/*
 * The decide steps read their instants and days here, so that a command from the CLI or an imported file meets the
 * same rule as the API's validators (libs/kernel/instant.ts), refused as an invalid command naming the field.
 */

function read<T>(parse: (text: unknown) => T, value: unknown, field: string): T {
  try {
    return parse(value);
  } catch (error) {
    if (error instanceof InstantFormatError) throw new InvalidCommandError(`${field} ${error.message}`, { field });
    throw error;
  }
}

/** An instant a command carries, or an InvalidCommandError naming its field. */
export function commandInstant(value: unknown, field: string): Date {
  return read(parseInstant, value, field);
}

/** A calendar day a command carries (`YYYY-MM-DD`), or an InvalidCommandError naming its field. */
export function commandDay(value: unknown, field: string): string {
  return read(parseDay, value, field);
}

export interface Lead {
  /** The least time from `from` to the deadline, in ms; whatever it is, the deadline must be after `from`. */
  minMs: number;
  maxMs: number;
  /** The settings that fix each bound, named in a refusal so an operator knows where to change them. */
  minSetting?: string;
  maxSetting: string;
}

/**
 * A deadline after `from.at` (called `from.name`), no nearer than `lead.minMs` and no further than `lead.maxMs`, or an
 * InvalidCommandError naming the field, the bound and `why` the deadline matters.
 */
export function requireLead(deadline: Date, from: { at: Date; name: string }, lead: Lead, field: string, why: string, clauses: string[]): void {
  const ms = deadline.getTime() - from.at.getTime();
  const since = `${from.name} ${from.at.toISOString()}`;
  const problem =
    ms <= 0
      ? `is not after ${since}`
      : ms < lead.minMs
      ? `is only ${duration(ms)} after ${since}; the least is ${duration(lead.minMs)}${lead.minSetting ? ` (${lead.minSetting})` : ''}`
      : ms > lead.maxMs
      ? `is ${duration(ms)} after ${since}; the most is ${duration(lead.maxMs)} (${lead.maxSetting})`
      : undefined;
  if (problem) throw new InvalidCommandError(`${field} ${deadline.toISOString()} ${problem}: ${why}`, { clauses, field });
}

const UNITS: [number, string][] = [[86_400_000, 'day'], [3_600_000, 'hour'], [60_000, 'minute'], [1000, 'second']];

/** "1 hour", "90 minutes", "367 days": the largest unit that counts it whole or at least twice. */
function duration(ms: number): string {
  const [size, unit] = UNITS.find(([size]) => ms >= size && (ms % size === 0 || ms >= 2 * size)) ?? UNITS[UNITS.length - 1]!;
  const count = Math.floor((ms / size) * 10) / 10;
  return `${count} ${unit}${count === 1 ? '' : 's'}`;
}
