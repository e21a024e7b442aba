/**
 * The roles a token may grant (docs/architecture.md §4). Offices (chair, vice-chair, leader, ip-leader) are not roles:
 * they come from the office register as of the command's time, never from the token.
 */
export const ROLES = ['secretariat', 'partner', 'participant', 'auditor'] as const;
export type Role = (typeof ROLES)[number];

export function isRole(value: unknown): value is Role {
  return typeof value === 'string' && (ROLES as readonly string[]).includes(value);
}

/** The person behind a verified token. */
export interface Principal {
  /** The token's `sub`. */
  id: string;
  name?: string;
  roles: Role[];
  /** The Partner a representative speaks for. */
  org?: string;
}
