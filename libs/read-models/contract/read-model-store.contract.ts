import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import { CheckpointMovedError, type IdempotencyRecord, type ReadModelStore } from '../port.js';
import { failure } from '../../event-store/contract/test-helpers.js';

export interface ReadModelStoreFixture {
  store: ReadModelStore;
  dispose(): Promise<void>;
}

const record = (key: string, overrides: Partial<IdempotencyRecord> = {}): IdempotencyRecord => ({
  key,
  requestHash: 'a'.repeat(64),
  status: 201,
  body: { id: 'partner-1', links: { self: '/v1/partners/partner-1' } },
  createdAt: '2026-01-01T00:00:00.000Z',
  ...overrides,
});

/**
 * THE read-model store contract: every adapter runs this suite unchanged.
 * `open` must return an empty store; each test opens its own and disposes it.
 */
export function describeReadModelStoreContract(name: string, open: () => Promise<ReadModelStoreFixture>): void {
  describe(`ReadModelStore contract: ${name}`, () => {
    let fixture: ReadModelStoreFixture;
    let store: ReadModelStore;

    beforeEach(async () => {
      fixture = await open();
      store = fixture.store;
    });

    afterEach(async () => {
      await fixture.dispose();
    });

    describe('documents', () => {
      it('starts empty: checkpoint 0, no document, empty lists', async () => {
        expect(await store.checkpoint('partners')).toBe(0);
        expect(await store.get('partners', 'p1')).toBeUndefined();
        expect(await store.list('partners')).toEqual([]);
      });

      it('puts, replaces and deletes documents through commit, moving the checkpoint', async () => {
        await store.commit('partners', 0, 3, [
          { collection: 'partners', id: 'p1', doc: { id: 'p1', name: 'ITU', v: 1 } },
          { collection: 'partners', id: 'p2', doc: { id: 'p2', name: 'FAO' } },
        ]);
        expect(await store.checkpoint('partners')).toBe(3);
        expect(await store.get('partners', 'p1')).toEqual({ id: 'p1', name: 'ITU', v: 1 });

        await store.commit('partners', 3, 7, [
          { collection: 'partners', id: 'p1', doc: { id: 'p1', name: 'ITU', v: 2 } },
          { collection: 'partners', id: 'p2', doc: null },
          { collection: 'partners', id: 'never-existed', doc: null },
        ]);
        expect(await store.checkpoint('partners')).toBe(7);
        expect(await store.get('partners', 'p1')).toEqual({ id: 'p1', name: 'ITU', v: 2 });
        expect(await store.get('partners', 'p2')).toBeUndefined();
        expect(await store.list('partners')).toEqual([{ id: 'p1', name: 'ITU', v: 2 }]);
      });

      it('applies the changes of one commit in order: the last change to a document wins', async () => {
        await store.commit('p', 0, 1, [
          { collection: 'c', id: 'x', doc: { n: 1 } },
          { collection: 'c', id: 'x', doc: { n: 2 } },
          { collection: 'c', id: 'y', doc: { n: 1 } },
          { collection: 'c', id: 'y', doc: null },
          { collection: 'c', id: 'z', doc: null },
          { collection: 'c', id: 'z', doc: { n: 3 } },
        ]);
        expect(await store.list('c')).toEqual([{ n: 2 }, { n: 3 }]);
      });

      it('keeps collections apart: the same id in two collections is two documents', async () => {
        await store.commit('p', 0, 1, [
          { collection: 'partners', id: 'same', doc: { kind: 'partner' } },
          { collection: 'ballots', id: 'same', doc: { kind: 'ballot' } },
        ]);
        expect(await store.get('partners', 'same')).toEqual({ kind: 'partner' });
        expect(await store.get('ballots', 'same')).toEqual({ kind: 'ballot' });
        expect(await store.list('partners')).toEqual([{ kind: 'partner' }]);
      });

      it('lists a collection ordered by id in code-point order, whatever the insertion order or locale', async () => {
        // Code-point order: 'B' < 'a' < 'b' < 'é' < '～' (U+FF5E) < '😀' (U+1F600); JS's UTF-16 sort and locale
        // collations both disagree somewhere in this list.
        const ids = ['😀', 'b', '～', 'é', 'B', 'a', 'a10', 'a2'];
        await store.commit(
          'p',
          0,
          1,
          ids.map((id) => ({ collection: 'c', id, doc: { id } })),
        );
        const listed = (await store.list<{ id: string }>('c')).map((doc) => doc.id);
        expect(listed).toEqual(['B', 'a', 'a10', 'a2', 'b', 'é', '～', '😀']);
        const entries = await store.entries<{ id: string }>('c');
        expect(entries.map((entry) => entry.id)).toEqual(listed);
        expect(entries.every((entry) => entry.doc.id === entry.id)).toBe(true);
      });

      it('round-trips JSON documents exactly, unicode included', async () => {
        const doc = {
          name: 'Société Générale — 联合智慧城市 — مدينة ذكية — עיר חכמה — 🏙️👩🏽‍💻',
          numbers: [0, -1, 1.5, 1e21, Number.MAX_SAFE_INTEGER],
          flags: { yes: true, no: false, nothing: null },
          nested: { list: [[1, [2, [3, { deep: 'ß' }]]]], empty: {}, none: [] },
          'clé-ключ-鍵-🔑': 'value',
          escapes: 'quote " backslash \\ tab \t newline \n',
        };
        await store.commit('p', 0, 1, [
          { collection: 'docs', id: 'ünï-😀', doc },
          { collection: 'docs', id: 'string', doc: 'just a string' },
          { collection: 'docs', id: 'array', doc: [1, 'two'] },
          { collection: 'docs', id: 'zero', doc: 0 },
        ]);
        expect(await store.get('docs', 'ünï-😀')).toEqual(doc);
        expect(await store.get('docs', 'string')).toBe('just a string');
        expect(await store.get('docs', 'array')).toEqual([1, 'two']);
        expect(await store.get('docs', 'zero')).toBe(0);
      });

      it('is not changed by callers mutating what they committed or read', async () => {
        const doc = { name: 'original', tags: ['a'] };
        await store.commit('p', 0, 1, [{ collection: 'c', id: 'x', doc }]);
        doc.name = 'mutated after commit';
        const read = await store.get<typeof doc>('c', 'x');
        read!.tags.push('mutated after read');
        const [listed] = await store.list<typeof doc>('c');
        listed!.name = 'mutated after list';
        expect(await store.get('c', 'x')).toEqual({ name: 'original', tags: ['a'] });
      });
    });

    describe('checkpoints', () => {
      it('refuses a commit from a checkpoint that has moved, and applies none of it', async () => {
        await store.commit('partners', 0, 5, [{ collection: 'partners', id: 'p1', doc: { v: 1 } }]);

        for (const from of [0, 4, 6]) {
          const error = await failure(
            store.commit('partners', from, 9, [
              { collection: 'partners', id: 'p1', doc: { v: 2 } },
              { collection: 'partners', id: 'p2', doc: { v: 1 } },
            ]),
          );
          expect(error).toBeInstanceOf(CheckpointMovedError);
          expect(error).toMatchObject({ projector: 'partners', expected: from, actual: 5 });
        }
        const fresh = await failure(store.commit('other', 3, 4, [{ collection: 'partners', id: 'p1', doc: null }]));
        expect(fresh).toMatchObject({ name: 'CheckpointMovedError', projector: 'other', expected: 3, actual: 0 });

        expect(await store.checkpoint('partners')).toBe(5);
        expect(await store.checkpoint('other')).toBe(0);
        expect(await store.list('partners')).toEqual([{ v: 1 }]);
      });

      it('keeps one checkpoint per projector', async () => {
        await store.commit('a', 0, 10, []);
        await store.commit('b', 0, 4, []);
        await store.commit('a', 10, 12, []);
        expect(await store.checkpoint('a')).toBe(12);
        expect(await store.checkpoint('b')).toBe(4);
      });

      it('lets exactly one of several racing commits from the same checkpoint through', async () => {
        const attempts = Array.from({ length: 10 }, (_, i) =>
          store.commit('racer', 0, i + 1, [{ collection: 'race', id: 'winner', doc: { i } }]),
        );
        const outcomes = await Promise.allSettled(attempts);
        const won = outcomes.flatMap((outcome, i) => (outcome.status === 'fulfilled' ? [i] : []));
        expect(won).toHaveLength(1);
        for (const outcome of outcomes) {
          if (outcome.status === 'rejected') expect(outcome.reason).toBeInstanceOf(CheckpointMovedError);
        }
        expect(await store.checkpoint('racer')).toBe(won[0]! + 1);
        expect(await store.get('race', 'winner')).toEqual({ i: won[0] });
      });

      it('reset deletes the named collections and the projector’s checkpoint, and nothing else', async () => {
        await store.commit('partners', 0, 8, [
          { collection: 'partners', id: 'p1', doc: { v: 1 } },
          { collection: 'partner-members', id: 'm1', doc: { v: 1 } },
        ]);
        await store.commit('ballots', 0, 6, [{ collection: 'ballots', id: 'b1', doc: { v: 1 } }]);

        await store.reset('partners', ['partners', 'partner-members']);
        expect(await store.checkpoint('partners')).toBe(0);
        expect(await store.list('partners')).toEqual([]);
        expect(await store.list('partner-members')).toEqual([]);
        expect(await store.checkpoint('ballots')).toBe(6);
        expect(await store.list('ballots')).toEqual([{ v: 1 }]);

        // After a reset the projector replays from 0.
        await store.commit('partners', 0, 8, [{ collection: 'partners', id: 'p1', doc: { v: 1 } }]);
        expect(await store.get('partners', 'p1')).toEqual({ v: 1 });
      });
    });

    describe('commits of several projectors (commitAll)', () => {
      it('applies the changes and moves every checkpoint in one commit, each from its own position', async () => {
        await store.commit('a', 0, 4, [{ collection: 'as', id: 'x', doc: { v: 1 } }]);
        await store.commitAll(
          [
            { projector: 'a', from: 4, to: 9 },
            { projector: 'b', from: 0, to: 9 },
          ],
          [
            { collection: 'as', id: 'x', doc: { v: 2 } },
            { collection: 'bs', id: 'y', doc: { v: 1 } },
          ],
        );
        expect(await store.checkpoint('a')).toBe(9);
        expect(await store.checkpoint('b')).toBe(9);
        expect(await store.get('as', 'x')).toEqual({ v: 2 });
        expect(await store.get('bs', 'y')).toEqual({ v: 1 });
      });

      it('refuses the whole commit when any one checkpoint has moved: no checkpoint moves, no document changes', async () => {
        await store.commitAll(
          [
            { projector: 'a', from: 0, to: 5 },
            { projector: 'b', from: 0, to: 3 },
          ],
          [{ collection: 'as', id: 'x', doc: { v: 1 } }],
        );
        const error = await failure(
          store.commitAll(
            [
              { projector: 'a', from: 5, to: 8 },
              { projector: 'b', from: 5, to: 8 },
              { projector: 'c', from: 0, to: 8 },
            ],
            [
              { collection: 'as', id: 'x', doc: { v: 2 } },
              { collection: 'cs', id: 'z', doc: { v: 1 } },
            ],
          ),
        );
        expect(error).toBeInstanceOf(CheckpointMovedError);
        expect(error).toMatchObject({ projector: 'b', expected: 5, actual: 3 });
        expect(await store.checkpoint('a')).toBe(5);
        expect(await store.checkpoint('b')).toBe(3);
        expect(await store.checkpoint('c')).toBe(0);
        expect(await store.get('as', 'x')).toEqual({ v: 1 });
        expect(await store.list('cs')).toEqual([]);
      });

      it('refuses a document without a JSON form, or a projector named twice, applying nothing', async () => {
        await expect(
          store.commitAll(
            [{ projector: 'a', from: 0, to: 2 }],
            [
              { collection: 'as', id: 'ok', doc: { ok: true } },
              { collection: 'as', id: 'bad', doc: { n: 10n } },
            ],
          ),
        ).rejects.toThrow(TypeError);
        await expect(
          store.commitAll(
            [
              { projector: 'a', from: 0, to: 2 },
              { projector: 'a', from: 0, to: 3 },
            ],
            [{ collection: 'as', id: 'ok', doc: { ok: true } }],
          ),
        ).rejects.toThrow(TypeError);
        expect(await store.checkpoint('a')).toBe(0);
        expect(await store.list('as')).toEqual([]);
      });

      it('lets exactly one of several racing commits over the same projectors through, whatever their order', async () => {
        const projectors = ['p1', 'p2', 'p3'];
        const attempts = Array.from({ length: 8 }, (_, i) => {
          // Half name the projectors in reverse order: the stores must not deadlock on it.
          const names = i % 2 === 0 ? projectors : [...projectors].reverse();
          return store.commitAll(
            names.map((projector) => ({ projector, from: 0, to: i + 1 })),
            [{ collection: 'race', id: 'winner', doc: { i } }],
          );
        });
        const outcomes = await Promise.allSettled(attempts);
        const won = outcomes.flatMap((outcome, i) => (outcome.status === 'fulfilled' ? [i] : []));
        expect(won).toHaveLength(1);
        for (const outcome of outcomes) {
          if (outcome.status === 'rejected') expect(outcome.reason).toBeInstanceOf(CheckpointMovedError);
        }
        for (const projector of projectors) expect(await store.checkpoint(projector)).toBe(won[0]! + 1);
        expect(await store.get('race', 'winner')).toEqual({ i: won[0] });
      });
    });

    describe('idempotency records', () => {
      it('stores a record once: a second put with the same key returns false and keeps the first', async () => {
        expect(await store.getIdempotency('actor-1:key-1')).toBeUndefined();
        const first = record('actor-1:key-1');
        expect(await store.putIdempotency(first)).toBe(true);
        const other = record('actor-1:key-1', { requestHash: 'b'.repeat(64), status: 500, body: { other: true } });
        expect(await store.putIdempotency(other)).toBe(false);
        expect(await store.getIdempotency('actor-1:key-1')).toEqual(first);
      });

      it('keeps keys apart and round-trips bodies exactly, unicode and null included', async () => {
        const unicode = record('actor-2:clé-🔑', { body: { title: 'Réunion — 会议 — اجتماع — 🎉', list: [1, null, 'x'] } });
        const empty = record('actor-2:empty', { status: 204, body: null });
        expect(await store.putIdempotency(unicode)).toBe(true);
        expect(await store.putIdempotency(empty)).toBe(true);
        expect(await store.getIdempotency('actor-2:clé-🔑')).toEqual(unicode);
        expect(await store.getIdempotency('actor-2:empty')).toEqual(empty);
        expect(await store.getIdempotency('actor-3:clé-🔑')).toBeUndefined();
      });

      it('lets exactly one of several racing puts of one key win', async () => {
        const outcomes = await Promise.all(
          Array.from({ length: 10 }, (_, i) => store.putIdempotency(record('racing', { status: 200 + i }))),
        );
        expect(outcomes.filter(Boolean)).toHaveLength(1);
        const stored = await store.getIdempotency('racing');
        expect(stored!.status).toBe(200 + outcomes.indexOf(true));
      });

      it('survives a reset of the read models', async () => {
        await store.putIdempotency(record('kept'));
        await store.reset('partners', ['partners']);
        expect(await store.getIdempotency('kept')).toEqual(record('kept'));
      });
    });
  });
}
