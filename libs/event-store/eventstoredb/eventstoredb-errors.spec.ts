import { SigningKey } from '../../signing/index.js';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  AccessDeniedError,
  convertToCommandError,
  DeadlineExceededError,
  MaxAppendSizeExceededError,
  NotLeaderError,
  StreamDeletedError,
  UnavailableError,
} from '@eventstore/db-client';
import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import { openStores } from '../../engine/open-stores.js';
import { ConcurrencyError, DuplicateEventIdError } from '../errors.js';
import { describeEndpoint, EventStoreDbError, mapEventStoreDbError } from './eventstoredb-errors.js';
import { EventStoreDbEventStore } from './eventstoredb-event-store.js';

/**
 * A gRPC error as the server sends it, turned into the client's error class by the client's own conversion
 * (`convertToCommandError`, which the client applies to every failed call): the server's `exception` header names
 * the error, gRPC status codes name connection failures.
 */
function serverError(code: number, headers: Record<string, string>, message = `${code} SERVER: failed`) {
  const error = Object.assign(new Error(message), {
    code,
    details: message,
    metadata: { getMap: () => headers },
  });
  return convertToCommandError(error);
}

const GRPC = { DEADLINE_EXCEEDED: 4, NOT_FOUND: 5, PERMISSION_DENIED: 7, UNAVAILABLE: 14, UNAUTHENTICATED: 16 };
const ENDPOINT = 'node1.example:2113,node2.example:2113';

function mapped(error: unknown): EventStoreDbError {
  const result = mapEventStoreDbError(error, ENDPOINT);
  expect(result).toBeInstanceOf(EventStoreDbError);
  expect((result as EventStoreDbError).cause).toBe(error);
  return result as EventStoreDbError;
}

describe('EventStoreDB errors (no EventStoreDB server here: mapping only)', () => {
  it('NotLeader: names the leader and says how to connect to it', () => {
    const error = serverError(GRPC.NOT_FOUND, {
      exception: 'not-leader',
      'leader-endpoint-host': 'node2.example',
      'leader-endpoint-port': '2113',
    });
    expect(error).toBeInstanceOf(NotLeaderError);

    const result = mapped(error);
    expect(result.problem).toBe('not-leader');
    expect(result.message).toContain(`EventStoreDB at ${ENDPOINT}: the node is not the leader`);
    expect(result.message).toContain('the leader is now node2.example:2113');
    expect(result.message).toContain(
      "connect with ?nodePreference=leader or through the cluster's gossip seeds (esdb+discover://",
    );
  });

  it('unavailable: the server is not reachable, with the reason and what to check', () => {
    const refused = serverError(
      GRPC.UNAVAILABLE,
      {},
      '14 UNAVAILABLE: No connection established. Last error: connect ECONNREFUSED 10.0.0.7:2113',
    );
    expect(refused).toBeInstanceOf(UnavailableError);
    const result = mapped(refused);
    expect(result.problem).toBe('unreachable');
    expect(result.message).toMatch(
      new RegExp(`^EventStoreDB at ${ENDPOINT} is not reachable: 14 UNAVAILABLE: .*ECONNREFUSED 10\\.0\\.0\\.7:2113`),
    );
    expect(result.message).toContain('?tls=false');

    expect(mapped(new Error('Failed to discover after 10 attempts.')).message).toContain(
      `EventStoreDB at ${ENDPOINT} is not reachable: Failed to discover after 10 attempts.`,
    );
  });

  it('deadline exceeded: the node did not answer in time, and how to wait longer', () => {
    const error = serverError(GRPC.DEADLINE_EXCEEDED, {}, '4 DEADLINE_EXCEEDED: Deadline exceeded');
    expect(error).toBeInstanceOf(DeadlineExceededError);
    const result = mapped(error);
    expect(result.problem).toBe('deadline');
    expect(result.message).toContain(`EventStoreDB at ${ENDPOINT} did not answer in time`);
    expect(result.message).toContain('?defaultDeadline=<ms>');
  });

  it('access denied: which user EVENTSTORE_URL needs, $all included', () => {
    for (const error of [
      serverError(GRPC.PERMISSION_DENIED, { exception: 'access-denied' }, '7 PERMISSION_DENIED: Access denied'),
      serverError(GRPC.UNAUTHENTICATED, {}, '16 UNAUTHENTICATED: Bad credentials'),
    ]) {
      expect(error).toBeInstanceOf(AccessDeniedError);
      const result = mapped(error);
      expect(result.problem).toBe('access-denied');
      expect(result.message).toContain(`EventStoreDB at ${ENDPOINT} refused access`);
      expect(result.message).toContain('esdb://user:password@host:2113');
      expect(result.message).toContain('$all');
    }
  });

  it("an append over the server's MaxAppendSize, and a stream deleted outside the engine", () => {
    const tooLarge = serverError(GRPC.PERMISSION_DENIED, {
      exception: 'maximum-append-size-exceeded',
      'maximum-append-size': '1048576',
    });
    expect(tooLarge).toBeInstanceOf(MaxAppendSizeExceededError);
    expect(mapped(tooLarge).message).toContain('larger than its MaxAppendSize (1048576 bytes)');
    expect(mapped(tooLarge).message).toContain('EVENTSTORE_MAX_APPEND_SIZE');

    const deleted = serverError(GRPC.NOT_FOUND, { exception: 'stream-deleted', 'stream-name': 'partner-ITU' });
    expect(deleted).toBeInstanceOf(StreamDeletedError);
    expect(mapped(deleted).message).toContain('stream "partner-ITU" was deleted in EventStoreDB, outside the engine');
  });

  it("leaves the port's own errors, and anything else, unchanged", () => {
    const concurrency = new ConcurrencyError('s', 0, 1);
    const duplicate = new DuplicateEventIdError('s', ['x']);
    const plain = new TypeError('a bug');
    expect(mapEventStoreDbError(concurrency, ENDPOINT)).toBe(concurrency);
    expect(mapEventStoreDbError(duplicate, ENDPOINT)).toBe(duplicate);
    expect(mapEventStoreDbError(plain, ENDPOINT)).toBe(plain);
    const already = mapped(new UnavailableError(undefined, 'gone'));
    expect(mapEventStoreDbError(already, ENDPOINT)).toBe(already);
    expect(mapEventStoreDbError('a string', ENDPOINT).message).toBe(`EventStoreDB at ${ENDPOINT} failed: a string`);
  });

  it('names the server by its hosts, never with the password of the connection string', () => {
    expect(describeEndpoint('esdb://admin:changeit@node1:2113,node2:2113?tls=false')).toBe('node1:2113,node2:2113');
    expect(describeEndpoint('esdb+discover://cluster.example.org:2113')).toBe('cluster.example.org:2113');
    expect(describeEndpoint('  esdb://localhost:2113/  ')).toBe('localhost:2113');
    expect(describeEndpoint('not a url')).toBe('(the address in EVENTSTORE_URL)');
  });
});

describe('EventStoreDbEventStore.open (no EventStoreDB server here: the refused connection is real)', () => {
  it('fails at once with "not reachable", naming the address without its credentials', async () => {
    const failure = await EventStoreDbEventStore.open({
      connectionString: 'esdb://admin:changeit@127.0.0.1:1?tls=false',
    }).then(
      () => new Error('expected open to fail'),
      (error: unknown) => error,
    );
    expect(failure).toBeInstanceOf(EventStoreDbError);
    expect((failure as EventStoreDbError).problem).toBe('unreachable');
    expect((failure as Error).message).toMatch(/^EventStoreDB at 127\.0\.0\.1:1 is not reachable: .*ECONNREFUSED/);
    expect((failure as Error).message).not.toContain('changeit');
  });

  it('refuses a connection string the client cannot parse, saying what one looks like', async () => {
    await expect(EventStoreDbEventStore.open({ connectionString: 'http://localhost:2113' })).rejects.toThrow(
      /^EVENTSTORE_URL is not an EventStoreDB connection string \(esdb:\/\/host:2113\?tls=false/,
    );
    await expect(
      EventStoreDbEventStore.open({ connectionString: 'esdb://x:2113', streamPrefix: '$x' }),
    ).rejects.toThrow(/system streams/);
  });
});

describe('openStores with U4SSC_STORE=eventstoredb (no EventStoreDB server here: start-up failures only)', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'u4ssc-esdb-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('needs EVENTSTORE_URL', async () => {
    await expect(openStores({ store: 'eventstoredb', sqliteFile: join(dir, 'rm.sqlite') })).rejects.toThrow(
      'EVENTSTORE_URL is required when U4SSC_STORE=eventstoredb',
    );
  });

  it('needs a signing key', async () => {
    await expect(
      openStores({ store: 'eventstoredb', sqliteFile: join(dir, 'rm.sqlite'), eventStoreUrl: 'esdb://127.0.0.1:1?tls=false' }),
    ).rejects.toThrow(/U4SSC_STORE=eventstoredb needs a signing key: set U4SSC_SIGNING_KEY_FILE/);
    expect(readdirSync(dir)).toEqual([]);
  });

  it('stops start-up on an unreachable server before creating the read-model file', async () => {
    const sqliteFile = join(dir, 'data', 'read-models.sqlite');
    await expect(
      openStores({ store: 'eventstoredb', sqliteFile, eventStoreUrl: 'esdb://127.0.0.1:1?tls=false', signingKey: SigningKey.generate().toPem() }),
    ).rejects.toThrow(/^EventStoreDB at 127\.0\.0\.1:1 is not reachable/);
    expect(readdirSync(dir)).toEqual([]);
  });
});
