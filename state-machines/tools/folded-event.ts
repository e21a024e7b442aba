/**
 * What a machine folds: a stored event's type and data, plus the facts of its envelope a machine may record
 * (when, by whom). Machines stay pure: they never read a clock, the envelope brings the time.
 */
export interface FoldMeta {
  occurredAt: string;
  actor: { id: string; role: string; org?: string };
}

export type FoldedEvent<E extends { type: string; data: unknown }> = E & { meta: FoldMeta };
