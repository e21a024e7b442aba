import {
  PARTNERS_COLLECTION,
  periodCovers,
  type MembershipPeriodView,
  type PartnerRecord,
  type PartnerView,
} from './partner.view.js';

/**
 * A Partner's membership periods before its latest, in documents of at most PERIODS_PER_CHUNK periods each
 * (collection `partner-periods`, id `<partnerId>/<chunk index, zero-padded>`). Chunk k holds periods k·N … k·N+N−1,
 * oldest first; the latest period is in the summary only (`latestPeriod`) and joins its chunk when a new period
 * begins, so an event rewrites at most one chunk, and every chunk's id follows from the summary's `periodCount`
 * (the read-model store answers get, list and entries; no query by prefix is needed).
 */
export const PARTNER_PERIODS_COLLECTION = 'partner-periods';
export const PERIODS_PER_CHUNK = 100;

export interface PartnerPeriodsChunk {
  partnerId: string;
  /** The chunk's index: it holds periods chunk·PERIODS_PER_CHUNK onwards. */
  chunk: number;
  periods: MembershipPeriodView[];
}

/** What the helpers read with: a read-model store, or a projection's session. */
export interface DocReader {
  get<T>(collection: string, id: string): Promise<T | undefined>;
}

/** The chunk that holds period `index` (0-based). */
export function chunkOf(index: number): number {
  return Math.floor(index / PERIODS_PER_CHUNK);
}

/** Zero-padded, so that the collection's id order is the periods' order within a Partner. */
export function chunkId(partnerId: string, chunk: number): string {
  return `${partnerId}/${String(chunk).padStart(6, '0')}`;
}

/**
 * The membership period in force at `at`, if any. From the summary alone when `at` is at or after the latest
 * period began (the usual question: "is it a Partner now"); for an earlier instant, from the chunks, newest first,
 * stopping at the first chunk whose first period began at or before `at`: periods follow one another in time (a
 * Partner is registered again only after it withdrew), so no older chunk can hold it.
 */
export async function membershipAt(docs: DocReader, view: PartnerView, at: Date): Promise<MembershipPeriodView | undefined> {
  const t = at.getTime();
  if (Date.parse(view.latestPeriod.from) <= t) return periodCovers(view.latestPeriod, t) ? view.latestPeriod : undefined;
  // Chunks hold the periods before the latest: indexes 0 … periodCount − 2 (none for a first period).
  for (let chunk = chunkOf(view.periodCount - 2); chunk >= 0; chunk -= 1) {
    const doc = await docs.get<PartnerPeriodsChunk>(PARTNER_PERIODS_COLLECTION, chunkId(view.partnerId, chunk));
    if (!doc || doc.periods.length === 0) continue;
    for (let index = doc.periods.length - 1; index >= 0; index -= 1) {
      if (periodCovers(doc.periods[index]!, t)) return doc.periods[index];
    }
    if (Date.parse(doc.periods[0]!.from) <= t) return undefined;
  }
  return undefined;
}

/**
 * Was the organisation a Partner at `at` (ToR ¶12)? Its summary, if it is in the register at all, and the answer:
 * the one way the commands and queries that depend on the register ask it (workplan inputs, nominations).
 */
export async function partnerAt(docs: DocReader, partnerId: string, at: Date): Promise<{ partner: PartnerView; partnerNow: boolean } | undefined> {
  const partner = await docs.get<PartnerView>(PARTNERS_COLLECTION, partnerId);
  if (!partner) return undefined;
  return { partner, partnerNow: (await membershipAt(docs, partner, at)) !== undefined };
}

/**
 * The summary with every period, oldest first. The chunks may have been read after a later projection commit than
 * the summary: the summary's count and latest period are taken as the truth, so the answer is of one instant.
 */
export async function withPeriods(docs: DocReader, view: PartnerView): Promise<PartnerRecord> {
  const earlier = view.periodCount - 1;
  const chunks = await Promise.all(
    Array.from({ length: earlier > 0 ? chunkOf(earlier - 1) + 1 : 0 }, (_, chunk) =>
      docs.get<PartnerPeriodsChunk>(PARTNER_PERIODS_COLLECTION, chunkId(view.partnerId, chunk)),
    ),
  );
  const periods = chunks.flatMap((chunk) => chunk?.periods ?? []).slice(0, earlier);
  return { ...view, periods: [...periods, view.latestPeriod] };
}
