import {
  AccessDeniedError,
  CancelledError,
  DeadlineExceededError,
  MaxAppendSizeExceededError,
  NotLeaderError,
  StreamDeletedError,
  UnavailableError,
} from '@eventstore/db-client';

/** What went wrong between the engine and EventStoreDB, for callers that act on it (e.g. health checks). */
export type EventStoreDbProblem =
  | 'bad-connection-string'
  | 'not-leader'
  | 'unreachable'
  | 'deadline'
  | 'access-denied'
  | 'append-too-large'
  | 'stream-deleted'
  | 'cancelled';

/** An EventStoreDB failure, said so that the person running the engine knows what to change. */
export class EventStoreDbError extends Error {
  override readonly name = 'EventStoreDbError';
  constructor(
    readonly problem: EventStoreDbProblem,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

/**
 * The hosts of a connection string, without the scheme, credentials or settings:
 * `esdb://admin:secret@node1:2113,node2:2113?tls=false` → `node1:2113,node2:2113`. Messages name the server this
 * way, never with its password.
 */
export function describeEndpoint(connectionString: string): string {
  const match = /^[a-z][a-z0-9+.-]*:\/\/(?:[^@/?]*@)?([^/?]*)/i.exec(connectionString.trim());
  return match?.[1] ? match[1] : '(the address in EVENTSTORE_URL)';
}

/**
 * The client's connection and server errors as messages a user can act on; anything else (the port's
 * ConcurrencyError and DuplicateEventIdError, programming errors) comes back unchanged.
 * `endpoint` is the server as `describeEndpoint` names it.
 */
export function mapEventStoreDbError(error: unknown, endpoint = '(the address in EVENTSTORE_URL)'): Error {
  if (!(error instanceof Error)) return new Error(`EventStoreDB at ${endpoint} failed: ${String(error)}`);
  if (error instanceof EventStoreDbError) return error;
  const at = `EventStoreDB at ${endpoint}`;
  const detail = error.message || error.constructor.name;
  const cause = { cause: error };

  if (error instanceof NotLeaderError) {
    const leader = error.leader ? ` (the leader is now ${error.leader.address}:${error.leader.port})` : '';
    return new EventStoreDbError(
      'not-leader',
      `${at}: the node is not the leader${leader}, and the engine writes and reads on the leader only; connect with ` +
        `?nodePreference=leader or through the cluster's gossip seeds (esdb+discover://seed1:2113,seed2:2113). ` +
        'The client has switched to the leader: retrying the request goes there',
      cause,
    );
  }
  if (error instanceof UnavailableError || isDiscoveryFailure(error)) {
    return new EventStoreDbError(
      'unreachable',
      `${at} is not reachable: ${detail}. Check that the server runs, the host and port in EVENTSTORE_URL, and its ` +
        'tls setting (?tls=false for a node started in insecure mode)',
      cause,
    );
  }
  if (error instanceof DeadlineExceededError) {
    return new EventStoreDbError(
      'deadline',
      `${at} did not answer in time (${detail}): the node may be overloaded or electing a leader; retry, or give ` +
        'EVENTSTORE_URL a longer ?defaultDeadline=<ms> (default 10000)',
      cause,
    );
  }
  if (error instanceof AccessDeniedError) {
    return new EventStoreDbError(
      'access-denied',
      `${at} refused access (${detail}): put a user in EVENTSTORE_URL (esdb://user:password@host:2113) who may ` +
        'read and write the engine\'s streams and read $all (by default only members of $admins may read $all)',
      cause,
    );
  }
  if (error instanceof MaxAppendSizeExceededError) {
    return new EventStoreDbError(
      'append-too-large',
      `${at} refused an append larger than its MaxAppendSize (${error.maxAppendSize} bytes): raise the server's ` +
        'MaxAppendSize (EVENTSTORE_MAX_APPEND_SIZE, at most 16 MiB) or append fewer or smaller events at once',
      cause,
    );
  }
  if (error instanceof StreamDeletedError) {
    return new EventStoreDbError(
      'stream-deleted',
      `${at}: stream "${error.streamName}" was deleted in EventStoreDB, outside the engine (the engine never ` +
        'deletes: events are immutable); its history can no longer be appended to or verified',
      cause,
    );
  }
  if (error instanceof CancelledError) {
    return new EventStoreDbError(
      'cancelled',
      `${at} cancelled the request (${detail}): the node may be shutting down or changing role; retry`,
      cause,
    );
  }
  return error;
}

/** Gossip discovery (esdb+discover://) gives up with a plain Error; a refused socket may surface the same way. */
function isDiscoveryFailure(error: Error): boolean {
  return (
    /^Failed to discover after \d+ attempts/.test(error.message) ||
    /\b(ECONNREFUSED|ENOTFOUND|EAI_AGAIN)\b/.test(error.message)
  );
}
