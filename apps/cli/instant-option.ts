import { InstantFormatError, parseInstant } from '../../libs/kernel/instant.js';
import { UsageError } from './usage-error.js';

/** An instant from a flag (`--at`, `--from`, `--to`), read as the API reads one (libs/kernel/instant.ts); undefined when absent. */
export function instantOption(value: unknown, flag: string): Date | undefined {
  if (value === undefined) return undefined;
  try {
    return parseInstant(value);
  } catch (error) {
    if (error instanceof InstantFormatError) throw new UsageError(`${flag} ${error.message}`);
    throw error;
  }
}
