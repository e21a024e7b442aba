import { loadConfig } from '../../../libs/config/index.js';
import { verifyLog } from '../../../libs/envelope/index.js';
import { closeStores, openStores } from '../../../libs/engine/index.js';
import { readAllEvents } from '../../../libs/event-store/read-all-events.js';
import { parse } from '../parse.js';

/** Walks the whole log; exits 1 naming the first altered, removed or reordered event. */
export async function verifyCommand(args: string[]): Promise<number> {
  const { values } = parse(args, { json: { type: 'boolean', default: false } });
  const stores = await openStores(loadConfig());
  try {
    const report = await verifyLog(readAllEvents(stores.events));
    if (values.json) {
      console.log(JSON.stringify(report, null, 2));
    } else if (report.ok) {
      const head = report.head ? `head position ${report.head.position}, hash ${report.head.hash}` : 'the log is empty';
      console.log(`verify: OK: ${report.events} events in ${report.streams} streams; ${head}`);
    } else {
      const fault = report.fault!;
      console.log(
        `verify: FAULT (${fault.kind}) at position ${fault.position}, stream ${fault.stream}, revision ${fault.revision}, event ${fault.eventId}: ${fault.detail}`,
      );
      console.log(`verify: ${report.events} events before it checked out`);
    }
    return report.ok ? 0 : 1;
  } finally {
    await closeStores(stores);
  }
}
