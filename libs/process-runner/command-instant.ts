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
  /** The least time from `from` to the deadline, in ms (exclusive of 0: the deadline must be after `from`). */
  minMs: number;
  maxMs: number;
  /** The setting that fixes the bounds, named in the refusal so an operator knows where to change them. */
  settings: string;
}

/**
 * A deadline no nearer than `lead.minMs` and no further than `lead.maxMs` from `from.at` (called `from.name`), or an InvalidCommandError naming
 * the field, the bounds and `why` the deadline matters.
 */
export function requireLead(deadline: Date, from: { at: Date; name: string }, lead: Lead, field: string, why: string, clauses: string[]): void {
  const ms = deadline.getTime() - from.at.getTime();
  const since = `${from.name} ${from.at.toISOString()}`;
  if (ms > 0 && ms >= lead.minMs && ms <= lead.maxMs) return;
  const near = ms < lead.minMs || ms <= 0;
  const problem = near
    ? ms <= 0
      ? `is not after ${since}`
      : `is only ${duration(ms)} after ${since}; the least is ${duration(lead.minMs)}`
    : `is ${duration(ms)} after ${since}; the most is ${duration(lead.maxMs)}`;
  throw new InvalidCommandError(`${field} ${deadline.toISOString()} ${problem} (${lead.settings}): ${why}`, { clauses, field });
}

function duration(ms: number): string {
  const [count, unit] = ms >= 2 * 86_400_000 ? [ms / 86_400_000, 'day'] : ms >= 2 * 3_600_000 ? [ms / 3_600_000, 'hour'] : ms >= 120_000 ? [ms / 60_000, 'minute'] : [ms / 1000, 'second'];
  const rounded = Math.floor(count * 10) / 10;
  return `${rounded} ${unit}${rounded === 1 ? '' : 's'}`;
}
