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

/** The Partner register's document for one organisation (collection `partners`). */
export interface PartnerView {
  partnerId: string;
  name: string;
  entityType: EntityType;
  status: 'registered' | 'withdrawn';
  periods: MembershipPeriodView[];
  /** The stream revision and global position of the last event applied. */
  revision: number;
  position: number;
}

export const PARTNERS_COLLECTION = 'partners';

/** Was the organisation a Partner at this instant? Periods are half-open: [from, to). */
export function wasPartnerAt(view: PartnerView, at: Date): boolean {
  const t = at.getTime();
  return view.periods.some(
    (period) => Date.parse(period.from) <= t && (period.to === null || t < Date.parse(period.to)),
  );
}
