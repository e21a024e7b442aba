import { checkRebuild } from '../../../libs/audit/index.js';
import { loadConfig } from '../../../libs/config/index.js';
import { closeStores, openStores } from '../../../libs/engine/index.js';
import { PROJECTIONS } from '../../api/app.module.js';

/**
 * `u4ssc rebuild --check`: rebuilds every read model from position 0 into scratch memory and reports every live
 * document that differs; the live read models are only read. Exits 1 on any difference.
 */
export async function rebuildCheck(json: boolean): Promise<number> {
  const stores = await openStores(loadConfig(), { readOnly: true });
  try {
    const report = await checkRebuild(stores.events, stores.readModels, PROJECTIONS);
    if (json) {
      console.log(JSON.stringify(report, null, 2));
      return report.ok ? 0 : 1;
    }
    for (const { projection, checkpoint, documents } of report.projections) {
      const behind = checkpoint < report.headPosition ? ` (the log's head is at ${report.headPosition}: this read model is behind; its projector has not caught up)` : '';
      console.log(`rebuild --check: ${projection}: ${documents} documents rebuilt up to position ${checkpoint}${behind}`);
    }
    for (const { projection, collection, id, difference, paths } of report.differences) {
      const what = difference === 'changed' ? `differs in ${paths!.join(', ')}` : difference === 'missing' ? 'is missing from the live read model' : 'is in the live read model but no event produces it';
      console.log(`rebuild --check: DIFFERENT ${projection}: ${collection}/${id} ${what}`);
    }
    console.log(
      report.ok
        ? 'rebuild --check: OK: every read model equals its rebuild from position 0'
        : `rebuild --check: ${report.differences.length} document(s) differ from the rebuild; \`u4ssc rebuild\` replaces the read models with it`,
    );
    return report.ok ? 0 : 1;
  } finally {
    await closeStores(stores);
  }
}
