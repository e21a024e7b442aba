/**
 * Partner membership events (ToR ¶12, Annex II). These are both the stored domain events and the events the
 * machine folds: the machine never sees anything that is not in the log.
 */

/**
 * Kinds of organisation a registration names. Only those of the United Nations system may become Partners
 * (ToR ¶12); the others are listed so that a refusal can say why and point to participation (ToR ¶21).
 */
export const UN_SYSTEM_ENTITY_TYPES = [
  'specialized-agency',
  'fund-or-programme',
  'regional-commission',
  'secretariat-office',
  'convention-secretariat',
  'research-and-training-institute',
  'other-un-entity',
] as const;

export const NON_UN_ENTITY_TYPES = [
  'national-government',
  'local-government',
  'intergovernmental-organization',
  'ngo',
  'private-sector',
  'academia',
  'individual',
] as const;

export const ENTITY_TYPES = [...UN_SYSTEM_ENTITY_TYPES, ...NON_UN_ENTITY_TYPES] as const;

export type UnSystemEntityType = (typeof UN_SYSTEM_ENTITY_TYPES)[number];
export type EntityType = (typeof ENTITY_TYPES)[number];

export function isUnSystemEntity(type: string): type is UnSystemEntityType {
  return (UN_SYSTEM_ENTITY_TYPES as readonly string[]).includes(type);
}

export interface PartnerRegisteredData {
  partnerId: string;
  name: string;
  entityType: UnSystemEntityType;
  /** Where the intent to join is on record (ToR ¶12, ¶24): a letter, an email, or "ToR Annex II". */
  intentReference: string;
  /** The day the organisation expressed its intent, when known. */
  intentExpressedOn?: string;
  /**
   * On an imported registration (metadata `imported: true`) only: the day the membership began, before the system
   * went live; the register counts the period from it rather than from the day it was recorded.
   */
  joinedOn?: string;
}

export interface PartnerWithdrawnData {
  partnerId: string;
  reason: string;
}

export type PartnerEvent =
  | { type: 'PartnerRegistered'; data: PartnerRegisteredData }
  | { type: 'PartnerWithdrawn'; data: PartnerWithdrawnData };
