import { describe, expect, it } from '@jest/globals';
import { verifyLog } from '../envelope/index.js';
import { MemoryEventStore } from '../event-store/index.js';
import { readAllEvents } from '../event-store/read-all-events.js';
import { testEvent } from '../event-store/contract/test-events.js';
import { copyLog, MigrationError } from './copy-log.js';

async function sourceLog(): Promise<MemoryEventStore> {
  const store = new MemoryEventStore();
  for (let round = 0; round < 3; round += 1) {
    for (const stream of ['a', 'b', 'c']) {
      const last = await store.lastRevision(stream);
      await store.append(stream, [testEvent(), testEvent()], { expectedRevision: last === -1 ? 'no-stream' : last });
    }
  }
  return store;
}

const hashes = async (store: MemoryEventStore) => {
  const all = [];
  for await (const event of readAllEvents(store)) all.push(`${event.stream}@${event.revision}:${event.hash}`);
  return all;
};

describe('copyLog', () => {
  it('copies every event with the same hashes, and the target verifies', async () => {
    const source = await sourceLog();
    const target = new MemoryEventStore();
    expect(await copyLog(source, target)).toEqual({ copied: 18, alreadyThere: 0 });
    expect(await hashes(target)).toEqual(await hashes(source));
    expect(await verifyLog(readAllEvents(target))).toMatchObject({ ok: true, events: 18, streams: 3 });
  });

  it('resumes: a second run recognises what the target holds and appends nothing', async () => {
    const source = await sourceLog();
    const target = new MemoryEventStore();
    await copyLog(source, target);
    const head = await target.headPosition();
    expect(await copyLog(source, target)).toEqual({ copied: 0, alreadyThere: 18 });
    expect(await target.headPosition()).toBe(head);
  });

  it('refuses a target that holds another history for a stream', async () => {
    const source = await sourceLog();
    const target = new MemoryEventStore();
    await target.append('b', [testEvent()], { expectedRevision: 'no-stream' });
    await expect(copyLog(source, target)).rejects.toThrow(MigrationError);
  });
});
