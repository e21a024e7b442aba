import type { ExpectedRevision } from './port.js';

/** The stream was not at the revision the writer expected: someone else appended first. */
export class ConcurrencyError extends Error {
  override readonly name = 'ConcurrencyError';
  constructor(
    readonly stream: string,
    readonly expected: ExpectedRevision,
    readonly actual: number,
  ) {
    super(
      `stream "${stream}" is at revision ${actual === -1 ? '(no stream)' : actual}, expected ${expected === 'no-stream' ? '(no stream)' : expected}`,
    );
  }
}

/** Some of the event ids are stored already, but not as this exact append: the retry does not match the original. */
export class DuplicateEventIdError extends Error {
  override readonly name = 'DuplicateEventIdError';
  constructor(
    readonly stream: string,
    readonly eventIds: string[],
  ) {
    super(`event id(s) ${eventIds.join(', ')} are already stored, but not as this append to stream "${stream}"`);
  }
}

/**
 * The database could not take the write in time (another writer held its lock): the append wrote nothing and may
 * simply be tried again. Adapters map their driver's lock errors to it, so callers stay store-agnostic.
 */
export class StoreBusyError extends Error {
  override readonly name = 'StoreBusyError';
  constructor(
    readonly stream: string,
    /** The driver's code, e.g. SQLITE_BUSY. */
    readonly code: string,
    options?: { cause?: unknown },
  ) {
    super(`the store was busy (${code}) and did not take the append to stream "${stream}"; nothing was written`, options);
  }
}
