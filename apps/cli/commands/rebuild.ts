import { checkpointName, Projector } from '../../../libs/projections/index.js';
import { openEngine } from '../open-engine.js';
import { parse } from '../parse.js';
import { rebuildCheck } from './rebuild-check.js';

/**
 * Deletes every read model and replays the log from position 0, and drops every snapshot (read models and snapshots
 * are disposable: the next commands on a long stream write new snapshots); with --check, changes nothing and reports
 * where the live read models differ from such a rebuild.
 */
export async function rebuildCommand(args: string[]): Promise<number> {
  const { values } = parse(args, { check: { type: 'boolean', default: false }, json: { type: 'boolean', default: false } });
  if (values.check) return rebuildCheck(values.json!);
  const { app, stores } = await openEngine({ create: false });
  try {
    const projector = app.get(Projector);
    await projector.rebuild();
    for (const projection of projector.projections) {
      console.log(`rebuild: ${projection.name} at position ${await stores.readModels.checkpoint(checkpointName(projection))}`);
    }
    const dropped = await stores.snapshots.clear();
    console.log(`rebuild: ${dropped} snapshot${dropped === 1 ? '' : 's'} dropped (commands on long streams write new ones)`);
    return 0;
  } finally {
    await app.close();
  }
}
