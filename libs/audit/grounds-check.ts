import { canonicalJson, type Ground, type StoredEvent, type VerifyFault, type VerifyReport } from '../envelope/index.js';
import type { EventStore } from '../event-store/index.js';

/** The event stored in `stream` at `revision`; undefined when the log holds none, `outside` when this reader cannot know. */
export type CitedLookup = (stream: string, revision: number) => Promise<StoredEvent | undefined | 'outside'>;

export interface GroundsResult {
  /** The first citing event (in log order) whose grounds do not hold, or null. */
  fault: VerifyFault | null;
  /** Grounds checked and found as cited. */
  checked: number;
  /** Grounds whose cited event lies outside what was read (a partial bundle): neither confirmed nor refuted. */
  unchecked: number;
}

/** Does `data` contain `claim`: every key of the claim, with equal values (objects recursively, arrays whole)? */
export function containsClaim(data: unknown, claim: unknown): boolean {
  if (claim !== null && typeof claim === 'object' && !Array.isArray(claim)) {
    if (data === null || typeof data !== 'object' || Array.isArray(data)) return false;
    return Object.entries(claim).every(([key, value]) => Object.hasOwn(data, key) && containsClaim((data as Record<string, unknown>)[key], value));
  }
  return canonicalJson(data) === canonicalJson(claim);
}

function isGround(value: unknown): value is Ground {
  const g = value as Ground;
  return (
    g !== null &&
    typeof g === 'object' &&
    typeof g.stream === 'string' &&
    Number.isInteger(g.revision) &&
    g.revision >= 0 &&
    typeof g.hash === 'string' &&
    typeof g.type === 'string' &&
    (g.claim === undefined || (g.claim !== null && typeof g.claim === 'object' && !Array.isArray(g.claim)))
  );
}

/** Why this ground does not hold for the citing event, or null when it does. */
export function groundProblem(citing: StoredEvent, ground: unknown, cited: StoredEvent | undefined): string | null {
  if (!isGround(ground)) return `it cites a ground that is not one (stream, revision, hash, type, claim): ${JSON.stringify(ground)}`;
  const at = `${ground.stream}@${ground.revision}`;
  if (!cited) return `it cites ${ground.type} at ${at}, which the log does not hold`;
  if (cited.hash !== ground.hash) return `it cites ${ground.type} at ${at} with hash ${ground.hash.slice(0, 12)}…, but the event there has hash ${cited.hash.slice(0, 12)}…`;
  if (cited.type !== ground.type) return `it cites ${ground.type} at ${at}, but the event there is ${cited.type}`;
  if (cited.position >= citing.position) return `it cites ${ground.type} at ${at} (position ${cited.position}), which is not before it (position ${citing.position})`;
  if (ground.claim !== undefined && !containsClaim(cited.data, ground.claim)) {
    return `it cites ${ground.type} at ${at} as saying ${canonicalJson(ground.claim)}, which its data does not say`;
  }
  return null;
}

/**
 * Collects the events that cite grounds while verify walks the log (`observe`), then checks each ground against the
 * log (`check`): the cited event must be there with that hash and type, before the citing one, and say what is
 * claimed. The cited event's own bytes are checked by the walk, so its hash, once matched, vouches for its data.
 */
export class GroundsCheck {
  private readonly citing: StoredEvent[] = [];

  observe(event: StoredEvent): void {
    if (event.metadata?.grounds !== undefined) this.citing.push(event);
  }

  /** The events seen that cite grounds. */
  get count(): number {
    return this.citing.length;
  }

  async check(lookup: CitedLookup): Promise<GroundsResult> {
    let checked = 0;
    let unchecked = 0;
    for (const event of this.citing) {
      const grounds: unknown = event.metadata.grounds;
      if (!Array.isArray(grounds)) return { fault: fault(event, `its grounds are not a list: ${JSON.stringify(grounds)}`), checked, unchecked };
      for (const ground of grounds) {
        const cited = isGround(ground) ? await lookup(ground.stream, ground.revision) : undefined;
        if (cited === 'outside') {
          unchecked += 1;
          continue;
        }
        const problem = groundProblem(event, ground, cited);
        if (problem) return { fault: fault(event, problem), checked, unchecked };
        checked += 1;
      }
    }
    return { fault: null, checked, unchecked };
  }
}

function fault(event: StoredEvent, problem: string): VerifyFault {
  return {
    kind: 'grounds',
    position: event.position,
    stream: event.stream,
    revision: event.revision,
    eventId: event.id,
    detail: `${event.type} at ${event.stream}@${event.revision} rests on a fact the log does not hold as cited: ${problem}`,
  };
}

export interface GroundsSummary {
  /** Events that cite grounds. */
  citing: number;
  checked: number;
  unchecked: number;
}

/**
 * Adds the grounds check to a finished walk: run only when the walk found nothing (a fault there already stops the
 * report at an earlier or equally suspect place); a grounds fault makes the report fail, with no anchor to publish.
 */
export async function withGroundsChecked<R extends VerifyReport>(report: R, grounds: GroundsCheck, lookup: CitedLookup): Promise<R & { grounds: GroundsSummary }> {
  if (!report.ok) return { ...report, grounds: { citing: grounds.count, checked: 0, unchecked: 0 } };
  const result = await grounds.check(lookup);
  const summary = { citing: grounds.count, checked: result.checked, unchecked: result.unchecked };
  if (!result.fault) return { ...report, grounds: summary };
  return { ...report, ok: false, anchor: null, fault: result.fault, grounds: summary };
}

/** Looks cited events up in a store's log. */
export function storeLookup(store: Pick<EventStore, 'readStream'>): CitedLookup {
  return async (stream, revision) => (await store.readStream(stream, { fromRevision: revision, toRevision: revision }))[0];
}
