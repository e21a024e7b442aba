/**
 * Errors the engine's domain raises. They carry what a person needs to understand a refusal (the state met,
 * the ToR clause), not an HTTP status: the API maps them to RFC 9457 problems, the CLI to messages and exit codes.
 */
export type DomainErrorKind = 'invalid' | 'forbidden' | 'not-found' | 'rejected' | 'conflict' | 'integrity' | 'unavailable';

export abstract class DomainError extends Error {
  abstract readonly kind: DomainErrorKind;
  constructor(
    message: string,
    /** Extra members for the problem document (e.g. state, clause, stream). */
    readonly details: Record<string, unknown> = {},
  ) {
    super(message);
  }
}

/** The input is well-formed but not acceptable (e.g. not a UN-system entity). */
export class InvalidCommandError extends DomainError {
  override readonly name = 'InvalidCommandError';
  readonly kind = 'invalid' as const;
}

/** This person may not do this (role, organisation, office). */
export class ForbiddenCommandError extends DomainError {
  override readonly name = 'ForbiddenCommandError';
  readonly kind = 'forbidden' as const;
}

export class NotFoundError extends DomainError {
  override readonly name = 'NotFoundError';
  readonly kind = 'not-found' as const;
}

/** The process is not in a state that allows this command; names the state and the clause. */
export class CommandRejectedError extends DomainError {
  override readonly name = 'CommandRejectedError';
  readonly kind = 'rejected' as const;
  constructor(
    message: string,
    readonly state: string,
    readonly clauses: readonly string[],
    details: Record<string, unknown> = {},
  ) {
    super(message, { state, clauses, ...details });
  }
}

/** Concurrent change that retries could not resolve. */
export class ConflictError extends DomainError {
  override readonly name = 'ConflictError';
  readonly kind = 'conflict' as const;
}

/**
 * An event the command would decide on does not check out against the log's hashes and signatures (altered,
 * inserted, unsigned or signed by a key that may not sign there): the engine refuses to decide on it and appends
 * nothing. Not the caller's fault and not cured by retrying: the operator runs `u4ssc verify` (docs/integrity.md).
 */
export class IntegrityError extends DomainError {
  override readonly name = 'IntegrityError';
  readonly kind = 'integrity' as const;
}

/** The store stayed busy with other writers through every attempt: nothing was written, and a retry later may pass. */
export class StoreUnavailableError extends DomainError {
  override readonly name = 'StoreUnavailableError';
  readonly kind = 'unavailable' as const;
}
