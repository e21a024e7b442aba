import type { CheckpointMove, DocChange } from './port.js';

/**
 * Documents are kept as JSON text by every adapter, so a read model holds only what survives a rebuild from
 * the durable stores, and no caller can reach into the store through an object it passed or got back.
 */
export function docText(change: DocChange): string | null {
  if (change.doc === null) return null;
  const text = change.doc === undefined ? undefined : JSON.stringify(change.doc);
  if (text === undefined) {
    const where = `${change.collection}/${change.id}`;
    throw new TypeError(`read model ${where}: the document has no JSON form (use null to delete)`);
  }
  return text;
}

/** Code-point order, the order SQLite's BINARY collation gives UTF-8 text (JS's default sort compares UTF-16 units). */
export function compareIds(a: string, b: string): number {
  return Buffer.compare(Buffer.from(a, 'utf8'), Buffer.from(b, 'utf8'));
}

/** A projector named twice in one commit would compare-and-set its checkpoint against itself: refused up front. */
export function assertDistinctProjectors(moves: readonly CheckpointMove[]): void {
  const names = new Set<string>();
  for (const { projector } of moves) {
    if (names.has(projector)) throw new TypeError(`commit moves the checkpoint of projector "${projector}" twice`);
    names.add(projector);
  }
}
