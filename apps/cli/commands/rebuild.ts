import { Projector } from '../../../libs/projections/index.js';
import { openEngine } from '../open-engine.js';
import { parse } from '../parse.js';

/** Deletes every read model and replays the log from position 0 (read models are disposable). */
export async function rebuildCommand(args: string[]): Promise<number> {
  parse(args, {});
  const { app, stores } = await openEngine();
  try {
    const projector = app.get(Projector);
    await projector.rebuild();
    for (const projection of projector.projections) {
      console.log(`rebuild: ${projection.name} at position ${await stores.readModels.checkpoint(projection.name)}`);
    }
    return 0;
  } finally {
    await app.close();
  }
}
