import { verifyLog } from '../../../libs/envelope/index.js';
import type { EventStore } from '../../../libs/event-store/index.js';
import { readKeyRing } from '../../../libs/signing/index.js';
import { closeStores, copyLog, openStores, type StoreSettings, type Stores } from '../../../libs/engine/index.js';
import { readAllEvents } from '../../../libs/event-store/read-all-events.js';
import { parse } from '../parse.js';
import { UsageError } from '../usage-error.js';

const FORMS =
  'sqlite:<file>, postgres://… (with --to-schema/--from-schema for a schema other than public), esdb://… (EventStoreDB; its read models go to U4SSC_SQLITE_FILE)';

/** A store named on the command line: `sqlite:<file>` or a PostgreSQL URL. */
export function storeSpec(spec: string, schema: string | undefined): StoreSettings {
  if (spec.startsWith('sqlite:')) {
    const file = spec.slice('sqlite:'.length);
    if (!file) throw new UsageError(`"${spec}" names no file; use ${FORMS}`);
    return { store: 'sqlite', sqliteFile: file };
  }
  if (/^postgres(ql)?:\/\//.test(spec) || spec.startsWith('postgres:')) {
    const databaseUrl = spec.startsWith('postgres:') && !spec.startsWith('postgres://') ? spec.slice('postgres:'.length) : spec;
    return { store: 'postgres', sqliteFile: '', databaseUrl, databaseSchema: schema ?? 'public' };
  }
  if (/^esdb(\+discover)?:\/\//.test(spec)) {
    return { store: 'eventstoredb', eventStoreUrl: spec, sqliteFile: process.env.U4SSC_SQLITE_FILE || './data/u4ssc.sqlite' };
  }
  throw new UsageError(`"${spec}" is not a store; use ${FORMS}`);
}

/**
 * Copies the whole log from one store to another (e.g. the embedded SQLite file to PostgreSQL or EventStoreDB),
 * then verifies
 * the target's chain. Read models are not copied: the target rebuilds them from its log (u4ssc rebuild, or the
 * API's projector at start-up).
 */
export async function migrateCommand(args: string[]): Promise<number> {
  const { values } = parse(args, {
    from: { type: 'string' },
    to: { type: 'string' },
    'from-schema': { type: 'string' },
    'to-schema': { type: 'string' },
  });
  if (!values.from || !values.to) throw new UsageError(`--from and --to are required: ${FORMS}`);
  // Read-only on both sides: nothing is signed or published here, the events keep the signatures they carry. The
  // source must exist; the target is created if it does not.
  const source = await openStores(storeSpec(values.from, values['from-schema']), { readOnly: true });
  let target: Stores | undefined;
  try {
    target = await openStores(storeSpec(values.to, values['to-schema']), { readOnly: true, create: true });
    const sourceReport = await verifyWithSignatures(source.events);
    if (!sourceReport.ok) {
      console.log(`migrate: the source does not verify (${sourceReport.fault!.detail}, event ${sourceReport.fault!.eventId}); nothing copied`);
      return 1;
    }
    const copied = await copyLog(source.events, target.events);
    const targetReport = await verifyWithSignatures(target.events);
    console.log(`migrate: ${copied.copied} events copied, ${copied.alreadyThere} already in the target`);
    if (!targetReport.ok || targetReport.events !== sourceReport.events || targetReport.streams !== sourceReport.streams) {
      console.log(`migrate: the target does not match: ${targetReport.events} events in ${targetReport.streams} streams (source: ${sourceReport.events} in ${sourceReport.streams})${targetReport.fault ? `; ${targetReport.fault.detail}` : ''}`);
      return 1;
    }
    console.log(`migrate: the target verifies: ${targetReport.events} events in ${targetReport.streams} streams; run u4ssc rebuild against it for the read models`);
    return 0;
  } finally {
    await closeStores(source);
    if (target) await closeStores(target);
  }
}

/** The chain and every signature against the log's own published keys (copied events keep their signatures). */
async function verifyWithSignatures(store: EventStore) {
  return verifyLog(readAllEvents(store), { signatures: await readKeyRing(store) });
}
