import { canonicalJson } from '../envelope/index.js';
import type { EventStore } from '../event-store/index.js';
import { BufferedDocSession, checkpointName, type Projection } from '../projections/index.js';
import { MemoryReadModelStore } from '../read-models/memory/memory-read-model-store.js';
import type { ReadModelStore } from '../read-models/port.js';

export interface DocumentDifference {
  projection: string;
  collection: string;
  id: string;
  /** `changed`: both have it, with other content; `missing`: only the rebuild has it; `extra`: only the live one. */
  difference: 'changed' | 'missing' | 'extra';
  /** For `changed`: the JSON paths whose values differ (at most 10). */
  paths?: string[];
}

export interface ProjectionCheck {
  projection: string;
  /** The live checkpoint: the rebuild replays exactly as far, so a live model behind the head is no difference. */
  checkpoint: number;
  documents: number;
}

export interface RebuildCheckReport {
  ok: boolean;
  headPosition: number;
  projections: ProjectionCheck[];
  differences: DocumentDifference[];
}

/**
 * Rebuilds every projection from position 0 into a scratch in-memory store, up to the live checkpoint of each,
 * and compares every document with the live read models (docs/architecture.md §3 "Projections are disposable"). The live
 * models are only read. If a live projector moves on while the comparison runs, that projection is compared again.
 */
export async function checkRebuild(
  events: EventStore,
  live: ReadModelStore,
  projections: readonly Projection[],
): Promise<RebuildCheckReport> {
  const checks: ProjectionCheck[] = [];
  const differences: DocumentDifference[] = [];
  for (const projection of projections) {
    for (let attempt = 1; ; attempt += 1) {
      const checkpoint = await live.checkpoint(checkpointName(projection));
      const scratch = await replayInto(events, projection, checkpoint);
      const found = await compare(projection, scratch, live);
      if ((await live.checkpoint(checkpointName(projection))) !== checkpoint && attempt < 3) continue;
      const documents = (await Promise.all(projection.collections.map((c) => scratch.entries(c)))).flat().length;
      checks.push({ projection: projection.name, checkpoint, documents });
      differences.push(...found);
      break;
    }
  }
  return { ok: differences.length === 0, headPosition: await events.headPosition(), projections: checks, differences };
}

async function replayInto(events: EventStore, projection: Projection, upTo: number): Promise<MemoryReadModelStore> {
  const scratch = new MemoryReadModelStore();
  let after = 0;
  while (after < upTo) {
    const page = await events.readAll({ after, limit: 1000 });
    const included = page.events.filter((event) => event.position <= upTo);
    const session = new BufferedDocSession(scratch);
    for (const event of included) await projection.apply(event, session);
    const to = included.at(-1)?.position ?? after;
    await scratch.commit(projection.name, after, to, session.changes());
    if (page.end || included.length < page.events.length || page.events.length === 0) break;
    after = to;
  }
  return scratch;
}

async function compare(projection: Projection, scratch: ReadModelStore, live: ReadModelStore): Promise<DocumentDifference[]> {
  const differences: DocumentDifference[] = [];
  for (const collection of projection.collections) {
    const rebuilt = new Map((await scratch.entries(collection)).map((entry) => [entry.id, entry.doc]));
    const kept = new Map((await live.entries(collection)).map((entry) => [entry.id, entry.doc]));
    const ids = [...new Set([...rebuilt.keys(), ...kept.keys()])].sort();
    for (const id of ids) {
      const where = { projection: projection.name, collection, id };
      if (!kept.has(id)) differences.push({ ...where, difference: 'missing' });
      else if (!rebuilt.has(id)) differences.push({ ...where, difference: 'extra' });
      else if (canonicalJson(rebuilt.get(id)) !== canonicalJson(kept.get(id))) {
        differences.push({ ...where, difference: 'changed', paths: differingPaths(rebuilt.get(id), kept.get(id)).slice(0, 10) });
      }
    }
  }
  return differences;
}

/** JSON paths (`name`, `periods[0].to`) where two documents differ. */
export function differingPaths(a: unknown, b: unknown, path = ''): string[] {
  if (canonicalJson(a) === canonicalJson(b)) return [];
  const bothObjects = a !== null && b !== null && typeof a === 'object' && typeof b === 'object';
  if (!bothObjects || Array.isArray(a) !== Array.isArray(b)) return [path || '(document)'];
  const keys = [...new Set([...Object.keys(a as object), ...Object.keys(b as object)])].sort();
  return keys.flatMap((key) => {
    const child = Array.isArray(a) ? `${path}[${key}]` : path ? `${path}.${key}` : key;
    return differingPaths((a as Record<string, unknown>)[key], (b as Record<string, unknown>)[key], child);
  });
}
