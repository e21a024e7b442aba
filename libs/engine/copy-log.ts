import type { StoredEvent } from '../envelope/index.js';
import type { EventStore } from '../event-store/index.js';
import { readAllEvents } from '../event-store/read-all-events.js';

export interface CopyReport {
  /** Events appended to the target by this run. */
  copied: number;
  /** Events the target already held (a resumed or repeated migration). */
  alreadyThere: number;
}

export class MigrationError extends Error {
  override readonly name = 'MigrationError';
}

/**
 * Copies the whole log, in global order, into another store. Every event keeps its id, stream, revision, data and
 * metadata, so the target derives the very same hashes; the copy checks each one and stops at the first that
 * differs. Event ids make it resumable: what the target already holds is recognised and skipped.
 * Positions are the target's own (each store numbers its log), which is why anchors name positions per store.
 */
export async function copyLog(
  source: EventStore,
  target: EventStore,
  options: { onProgress?: (report: CopyReport) => void } = {},
): Promise<CopyReport> {
  const report: CopyReport = { copied: 0, alreadyThere: 0 };
  let run: StoredEvent[] = [];
  const flush = async () => {
    if (run.length === 0) return;
    await appendRun(target, run, report);
    run = [];
    options.onProgress?.(report);
  };
  for await (const event of readAllEvents(source)) {
    const last = run.at(-1);
    if (last && (last.stream !== event.stream || run.length >= 500)) await flush();
    run.push(event);
  }
  await flush();
  return report;
}

async function appendRun(target: EventStore, run: StoredEvent[], report: CopyReport): Promise<void> {
  const first = run[0]!;
  const result = await target
    .append(
      first.stream,
      // Signatures travel with their events: the copy's hashes are the same, so they still verify.
      run.map(({ id, type, data, metadata, signature }) => ({ id, type, data, metadata, ...(signature && { signature }) })),
      { expectedRevision: first.revision === 0 ? 'no-stream' : first.revision - 1 },
    )
    .catch((error: unknown) => {
      throw new MigrationError(
        `cannot place ${first.stream}@${first.revision} in the target: ${error instanceof Error ? error.message : String(error)} (does the target hold another history?)`,
      );
    });
  run.forEach((event, index) => {
    const stored = result.events[index];
    if (stored?.hash !== event.hash) {
      throw new MigrationError(
        `event ${event.id} (${event.stream}@${event.revision}) hashes to ${stored?.hash ?? 'nothing'} in the target, not ${event.hash}: the source may have been altered; run u4ssc verify on it`,
      );
    }
  });
  if (result.duplicate) report.alreadyThere += run.length;
  else report.copied += run.length;
}
