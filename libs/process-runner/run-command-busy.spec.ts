import { describe, expect, it } from '@jest/globals';
import Database from 'better-sqlite3';
import { join } from 'node:path';
import { assign, setup } from 'xstate';
import { tempDir } from '../../test/support/temp-dir.js';
import { StoreUnavailableError } from '../errors/index.js';
import { SqliteEventStore, StoreBusyError } from '../event-store/index.js';
import { ManualClock } from '../kernel/clock.js';
import type { ProcessDefinition } from './process-definition.js';
import { runCommand } from './run-command.js';

const noted = setup({ types: { context: {} as { notes: number }, events: {} as { type: 'Noted'; data: object } } }).createMachine({
  id: 'note',
  initial: 'open',
  context: { notes: 0 },
  states: { open: { on: { Noted: { actions: assign(({ context }) => ({ notes: context.notes + 1 })), meta: { clauses: ['¶13(b)'] } } } } },
});

const definition: ProcessDefinition = { id: 'note', currentVersion: 1, versions: { 1: noted }, torVersion: 'test-tor', input: () => ({}) };
const actor = { id: 'sec-1', role: 'secretariat' };
const note = () => [{ type: 'Noted', data: {} }];

/**
 * A real SQLite store whose write lock another connection holds until the store has refused `busyTurns` appends;
 * the refusals seen are kept, so the test knows the retries happened.
 */
function lockedStore(file: string, busyTurns: number) {
  const store = SqliteEventStore.open(file, { busyTimeoutMs: 10 });
  const blocker = new Database(file);
  blocker.exec('BEGIN IMMEDIATE');
  const refused: unknown[] = [];
  const append = store.append.bind(store);
  store.append = async (...args) => {
    try {
      return await append(...args);
    } catch (error) {
      refused.push(error);
      if (refused.length === busyTurns && blocker.inTransaction) blocker.exec('ROLLBACK');
      throw error;
    }
  };
  return {
    store,
    refused,
    close: async () => {
      if (blocker.inTransaction) blocker.exec('ROLLBACK');
      blocker.close();
      await store.close();
    },
  };
}

describe('runCommand on a busy store', () => {
  it('retries an append the store was too busy to take, and appends once the lock is free', async () => {
    const dir = tempDir();
    const locked = lockedStore(join(dir.path, 'events.db'), 3);
    try {
      const outcome = await runCommand({ store: locked.store, clock: new ManualClock() }, definition, 'note-1', { commandId: 'cmd-1', actor }, note);
      expect(locked.refused).toHaveLength(3);
      for (const error of locked.refused) expect(error).toBeInstanceOf(StoreBusyError);
      expect(outcome.duplicate).toBe(false);
      expect((await locked.store.readStream('note-1')).map((event) => event.id)).toEqual(outcome.events.map((event) => event.id));
    } finally {
      await locked.close();
      dir.remove();
    }
  });

  it('gives up after its attempts with StoreUnavailableError (a 503), having appended nothing', async () => {
    const dir = tempDir();
    const locked = lockedStore(join(dir.path, 'events.db'), Number.POSITIVE_INFINITY);
    try {
      const error = await runCommand({ store: locked.store, clock: new ManualClock(), maxAttempts: 4 }, definition, 'note-1', { commandId: 'cmd-1', actor }, note).catch(
        (caught: unknown) => caught,
      );
      expect(error).toBeInstanceOf(StoreUnavailableError);
      expect(error).toMatchObject({ kind: 'unavailable', details: { stream: 'note-1' } });
      expect((error as Error).message).toMatch(/busy with other writers through 4 attempts.*retry/);
      expect(locked.refused).toHaveLength(4);
      await locked.close();
      const reopened = SqliteEventStore.open(join(dir.path, 'events.db'));
      expect(await reopened.census()).toMatchObject({ rows: 0 });
      await reopened.close();
    } finally {
      dir.remove();
    }
  });
});
