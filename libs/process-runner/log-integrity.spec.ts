import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import Database from 'better-sqlite3';
import { assign, setup } from 'xstate';
import { chainEvents, type EventMetadata, type NewEvent } from '../envelope/index.js';
import { IntegrityError } from '../errors/index.js';
import { SqliteEventStore, type EventStore } from '../event-store/index.js';
import { ManualClock } from '../kernel/clock.js';
import { newId } from '../kernel/ids.js';
import {
  keyProofBody,
  SIGNING_KEY_PUBLISHED,
  SIGNING_KEY_REVOKED,
  SIGNING_KEYS_STREAM,
  SigningKey,
  type SigningKeyPublishedData,
  type SigningKeyRevokedData,
} from '../signing/index.js';
import { MemorySnapshotStore, snapshotSignedBody, type ProcessSnapshot } from '../snapshots/index.js';
import { loadProcess } from './load-process.js';
import { LogIntegrity } from './log-integrity.js';
import type { ProcessDefinition } from './process-definition.js';
import { loadCurrent, type RunnerSnapshots } from './resume.js';
import { runCommand, type RunnerDeps } from './run-command.js';
import { SNAPSHOT_FORMAT } from './snapshot-state.js';
import { StateCache } from './state-cache.js';

const tally = setup({ types: { context: {} as { total: number }, events: {} as { type: 'Counted'; data: { by: number } } } }).createMachine({
  id: 'tally',
  initial: 'open',
  context: { total: 0 },
  states: { open: { on: { Counted: { actions: assign(({ context, event }) => ({ total: context.total + event.data.by })), meta: { clauses: ['¶13(b)'] } } } } },
});
const definition: ProcessDefinition = { id: 'tally', currentVersion: 1, versions: { 1: tally }, torVersion: 'test-tor', input: () => ({}) };
const actor = { id: 'sec-1', role: 'secretariat' };
const count = (by: number) => () => [{ type: 'Counted', data: { by } }];

const metadata = (commandId: string): EventMetadata => ({
  actor: { id: 'system', role: 'system' },
  commandId,
  correlationId: commandId,
  causationId: commandId,
  occurredAt: '2026-05-01T09:00:00.000Z',
  machine: { id: 'signing-keys', version: 1 },
  torVersion: 'test-tor',
  clauses: [],
});

/** A vote on the tally as another writer appends it (another instance, or an attacker through a store). */
const counted = (by: number): NewEvent => ({ id: newId(), type: 'Counted', data: { by }, metadata: { ...metadata(newId()), machine: { id: 'tally', version: 1 } } });

/** A key publication as the engine writes it; the store that appends it signs it (the key itself, or its endorser). */
function publication(key: SigningKey, endorsedBy: SigningKey | null, reason: string): NewEvent<SigningKeyPublishedData> {
  const { keyId, publicKey, fingerprint } = key.info;
  return {
    id: newId(),
    type: SIGNING_KEY_PUBLISHED,
    data: { keyId, algorithm: 'ed25519', publicKey, fingerprint, proof: key.sign('key-proof', keyProofBody(keyId, publicKey)), endorsedBy: endorsedBy?.keyId ?? null, reason },
    metadata: metadata(newId()),
  };
}

function revocation(key: SigningKey, fromPosition: number): NewEvent<SigningKeyRevokedData> {
  return { id: newId(), type: SIGNING_KEY_REVOKED, data: { keyId: key.keyId, fromPosition, reason: 'leaked' }, metadata: metadata(newId()) };
}

/** One SQLite log, with a connection per signer (as several instances, or an attacker with the file, would have). */
class Log {
  readonly dir = fs.mkdtempSync(path.join(os.tmpdir(), 'u4ssc-integrity-'));
  readonly file = path.join(this.dir, 'u4ssc.sqlite');
  private readonly opened: EventStore[] = [];

  store(signer?: SigningKey): SqliteEventStore {
    const store = SqliteEventStore.open(this.file, signer ? { signer } : {});
    this.opened.push(store);
    return store;
  }

  /** Raw SQL with the immutability triggers dropped: what anyone who can write the file can do. */
  sql(): Database.Database {
    const db = new Database(this.file);
    for (const { name } of db.prepare("SELECT name FROM sqlite_master WHERE type = 'trigger' AND tbl_name = 'events'").all() as { name: string }[]) {
      db.exec(`DROP TRIGGER "${name}"`);
    }
    return db;
  }

  async close(): Promise<void> {
    await Promise.all(this.opened.map((store) => store.close()));
    fs.rmSync(this.dir, { recursive: true, force: true });
  }
}

describe('LogIntegrity: the runner decides only on events the engine signed', () => {
  const clock = new ManualClock('2026-05-01T10:00:00.000Z');
  const key = SigningKey.generate();
  let log: Log;
  let store: SqliteEventStore;
  let integrity: LogIntegrity;
  let deps: RunnerDeps;
  const run = (by: number, over: RunnerDeps = deps) => runCommand(over, definition, 'tally-1', { commandId: newId(), actor }, count(by));

  beforeEach(async () => {
    log = new Log();
    store = log.store(key);
    await store.append(SIGNING_KEYS_STREAM, [publication(key, null, 'first start')], { expectedRevision: 'no-stream' });
    integrity = new LogIntegrity(store, { trusted: [key.info.fingerprint] });
    deps = { store, clock, integrity, snapshots: { store: new MemorySnapshotStore(), key, every: 3, cache: new StateCache() } };
  });
  afterEach(async () => {
    await log.close();
  });

  async function refused(action: Promise<unknown>, detail: RegExp): Promise<void> {
    const head = await store.headPosition();
    const error = await action.then(() => undefined, (caught: unknown) => caught);
    expect(error).toBeInstanceOf(IntegrityError);
    expect((error as IntegrityError).message).toMatch(detail);
    expect((error as IntegrityError).message).toMatch(/u4ssc verify/);
    expect(await store.headPosition()).toBe(head);
  }

  it('accepts the events the engine signed, from a full fold, a snapshot and the cached state', async () => {
    for (let by = 1; by <= 7; by += 1) await run(by);
    const fresh: RunnerDeps = { ...deps, integrity: new LogIntegrity(store, { trusted: [key.info.fingerprint] }) };
    expect((await run(100, { ...fresh, snapshots: undefined })).state.context).toEqual({ total: 128 });
    expect((await run(1000)).state.context).toEqual({ total: 1128 });
    expect((await store.readStream('tally-1')).every((event) => event.signature?.keyId === key.keyId)).toBe(true);
  });

  it('refuses a command when an event after the cached state was altered, appending nothing', async () => {
    await run(1);
    await run(2);
    // Another instance's vote (as any writer with the engine's key would append), then edited in place with SQL.
    const [event] = (await log.store(key).append('tally-1', [counted(3)], { expectedRevision: 1 })).events;
    log.sql().prepare('UPDATE events SET data = ? WHERE id = ?').run(JSON.stringify({ by: 17 }), event!.id);
    await refused(run(4), /revision 2 of stream "tally-1" \(position \d+\) fails its integrity check: its stored hash .* differs from the recomputed .*: its content was altered/);
    // Without the cached state (another instance, a restart), the full fold refuses just the same.
    await refused(run(4, { ...deps, snapshots: undefined, integrity: new LogIntegrity(store) }), /revision 2 .* its content was altered/);
  });

  it('refuses an unsigned event after signing began, even one correctly chained', async () => {
    await run(1);
    await log.store().append('tally-1', [counted(17)], { expectedRevision: 0 });
    await refused(run(2), /revision 1 .* carries no signature, yet the log is signed from position 1/);
    await refused(loadProcess(store, definition, 'tally-1', {}, integrity), /carries no signature/);
    // Auditors' replays (no checker) still read it as it is: the runner is what refuses to decide on it.
    expect((await loadProcess(store, definition, 'tally-1')).state.context).toEqual({ total: 18 });
  });

  it('refuses an event signed by a key the log never published', async () => {
    await run(1);
    const stranger = SigningKey.generate();
    await log.store(stranger).append('tally-1', [counted(17)], { expectedRevision: 0 });
    await refused(run(2), new RegExp(`signed by key ${stranger.keyId}, which the log never published`));
  });

  it('follows another instance’s rotation (re-reading the key stream) and a revocation', async () => {
    await run(1);
    expect((await integrity.keyRing()).keys().map((record) => record.keyId)).toEqual([key.keyId]);
    const next = SigningKey.generate();
    // The old key endorses the new one, which then signs the other instance's events.
    await store.append(SIGNING_KEYS_STREAM, [publication(next, key, 'rotation')], { expectedRevision: 0 });
    const other = log.store(next);
    await other.append('tally-1', [counted(2)], { expectedRevision: 0 });
    expect((await run(3)).state.context).toEqual({ total: 6 });
    expect((await integrity.keyRing()).key(next.keyId)?.trust).toBe('endorsed');

    // The new key leaks and is revoked by the first from here on: what it signs after is refused.
    const from = (await store.headPosition()) + 1;
    await store.append(SIGNING_KEYS_STREAM, [revocation(next, from)], { expectedRevision: 1 });
    await other.append('tally-1', [counted(17)], { expectedRevision: 2 });
    await refused(run(4), new RegExp(`signed by key ${next.keyId}, which is revoked from position ${from}`));
  });

  it('accepts the unsigned events written before the first key was published (a legacy log)', async () => {
    const legacy = new Log();
    try {
      const old = legacy.store();
      await old.append('tally-1', [counted(5)], { expectedRevision: 'no-stream' });
      const signer = legacy.store(key);
      await signer.append(SIGNING_KEYS_STREAM, [publication(key, null, 'first start')], { expectedRevision: 'no-stream' });
      const outcome = await runCommand({ store: signer, clock, integrity: new LogIntegrity(signer) }, definition, 'tally-1', { commandId: newId(), actor }, count(1));
      expect(outcome.state.context).toEqual({ total: 6 });
    } finally {
      await legacy.close();
    }
  });

  it('refuses an event the log hides at position 0, which readStream returns and readAll never does', async () => {
    await run(1);
    const [first] = await store.readStream('tally-1');
    // A row the attacker could write: a copy of a signed event, chained at the stream's head, at position 0.
    const [chained] = chainEvents('tally-1', 0, first!.hash, [{ ...first!, id: newId() }], key);
    log
      .sql()
      .prepare('INSERT INTO events (position, id, stream, revision, type, data, metadata, prev_hash, hash, signature_key, signature) VALUES (0, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)')
      .run(chained!.id, 'tally-1', 1, chained!.type, JSON.stringify(chained!.data), JSON.stringify(chained!.metadata), chained!.prevHash, chained!.hash, key.keyId, chained!.signature!.value);
    expect((await store.readStream('tally-1')).map((event) => event.position)).toEqual([first!.position, 0]);
    await refused(run(2), /revision 1 of stream "tally-1" \(position 0\) .* it sits at position 0, where no reader of the whole log/);
  });

  it('uses a snapshot only when signed by a key valid at its event, else folds in full with a warning', async () => {
    const problems: string[] = [];
    const snapshots: RunnerSnapshots = { store: new MemorySnapshotStore(), key, every: 2, onProblem: (message) => problems.push(message) };
    // A second instance's key, endorsed by the first: its snapshots serve this instance too.
    const second = SigningKey.generate();
    await store.append(SIGNING_KEYS_STREAM, [publication(second, key, 'second instance')], { expectedRevision: 0 });
    for (let by = 1; by <= 4; by += 1) await run(by, { ...deps, snapshots });
    const good = (await snapshots.store.latest('tally-1', 'tally', SNAPSHOT_FORMAT))!;
    const bySecond = (snapshot: ProcessSnapshot): ProcessSnapshot => ({ ...snapshot, signature: { keyId: second.keyId, value: second.sign('snapshot', snapshotSignedBody(snapshot)) } });
    await snapshots.store.save(bySecond(good));
    expect((await loadCurrent(store, definition, 'tally-1', snapshots, integrity)).base).toBe(good.revision);
    expect(problems).toEqual([]);

    // The second key leaks and is revoked from its publication on: a snapshot it signed is not used, even one it
    // signed before (an attacker holding it can sign anything and date nothing).
    await store.append(SIGNING_KEYS_STREAM, [revocation(second, 1)], { expectedRevision: 1 });
    await snapshots.store.save(bySecond({ ...good, state: good.state.replace(/"total":\d+/, '"total":1000') }));
    const loaded = await loadCurrent(store, definition, 'tally-1', snapshots, integrity);
    expect([loaded.base, loaded.state.context]).toEqual([-1, { total: 10 }]);
    expect(problems.join('\n')).toMatch(new RegExp(`signed by key ${second.keyId}, which may not sign at position`));
  });

  it('checks a stream read as a fact only once per event: a second read verifies no signature again', async () => {
    for (let by = 1; by <= 5; by += 1) await run(by);
    const events = await store.readStream('tally-1');
    const fresh = new LogIntegrity(store);
    await fresh.checkStream('tally-1', events);
    // The signatures were verified; an altered signature value on an event already verified is not looked at again,
    // while its hash and chain still are: the hash proves it is the very event verified.
    const resigned = events.map((event) => ({ ...event, signature: { keyId: key.keyId, value: 'A'.repeat(86) } }));
    await expect(fresh.checkStream('tally-1', resigned)).resolves.toBeUndefined();
    await expect(new LogIntegrity(store).checkStream('tally-1', resigned)).rejects.toThrow(/does not match the event's hash/);
    const altered = events.map((event, index) => (index === 2 ? { ...event, data: { by: 99 } } : event));
    await expect(fresh.checkStream('tally-1', altered)).rejects.toThrow(/revision 2 .* its content was altered/);
  });
});
