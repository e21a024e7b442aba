import type { EntityType } from '../../state-machines/partner/partner.events.js';

export interface MembershipPeriodView {
  from: string;
  to: string | null;
  intentReference: string;
  intentExpressedOn?: string;
  registeredBy: string;
  withdrawnBy?: string;
  withdrawalReason?: string;
}

/**
 * The Partner register's document for one organisation (collection `partners`): its summary and its latest
 * membership period. It stays the same size however often the organisation leaves and comes back; the periods
 * themselves are kept in `partner-periods` (see partner-periods.ts), so that projecting an event, answering a
 * command and asking "is it a Partner now" read and write a small document.
 */
export interface PartnerView {
  partnerId: string;
  name: string;
  entityType: EntityType;
  status: 'registered' | 'withdrawn';
  /** How many membership periods the organisation has had, the latest included. */
  periodCount: number;
  /** The latest membership period: the current one while `status` is `registered`. */
  latestPeriod: MembershipPeriodView;
  /** The stream revision and global position of the last event applied. */
  revision: number;
  position: number;
}

/** One organisation with every membership period, oldest first: what `GET /v1/partners/:id` answers. */
export interface PartnerRecord extends PartnerView {
  periods: MembershipPeriodView[];
}

/** One organisation as `GET /v1/partners?at=` answers it: the summary and the period in force at `at`. */
export interface PartnerAtView extends PartnerView {
  periodAt: MembershipPeriodView;
}

export const PARTNERS_COLLECTION = 'partners';

/** Is the instant (ms) within the period? Periods are half-open: [from, to). */
export function periodCovers(period: MembershipPeriodView, t: number): boolean {
  return Date.parse(period.from) <= t && (period.to === null || t < Date.parse(period.to));
}
