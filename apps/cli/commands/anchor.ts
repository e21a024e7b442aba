import { verifyStore } from '../../../libs/audit/index.js';
import { loadConfig } from '../../../libs/config/index.js';
import { closeStores, openStores } from '../../../libs/engine/index.js';
import { parse } from '../parse.js';
import { faultLine } from './audit-text.js';

/**
 * Prints the log's anchor (`u4ssc-anchor:<n>:<32 hex>`) as the last line: the ledger over its first n events,
 * short enough for meeting minutes. The whole log is verified first: an anchor of a log that does not verify
 * would certify the damage.
 */
export async function anchorCommand(args: string[]): Promise<number> {
  const { values } = parse(args, { json: { type: 'boolean', default: false } });
  const stores = await openStores(loadConfig(), { readOnly: true });
  try {
    const report = await verifyStore(stores.events);
    if (!report.ok) {
      console.log(faultLine('anchor', report.fault!));
      console.log('anchor: no anchor printed: the log does not verify');
      return 1;
    }
    if (values.json) {
      console.log(JSON.stringify({ anchor: report.anchor, head: report.head, events: report.events, streams: report.streams }, null, 2));
      return 0;
    }
    if (!report.head) {
      console.log('anchor: the log is empty; there is nothing to anchor yet');
      return 0;
    }
    console.error(
      `anchor: the ledger over the log's ${report.events} events (head position ${report.head.position}); publish it, and check later with \`u4ssc verify --anchor <it>\`:`,
    );
    console.log(report.anchor);
    return 0;
  } finally {
    await closeStores(stores);
  }
}
