/**
 * Office seats (ToR ¶15, ¶19, ¶28, Annex I): one stream per seat, so that a seat's terms follow each other in one
 * history whoever holds it. A seat id names the office and, where the ToR allows several, which one.
 */
export const OFFICES = ['chair', 'vice-chair', 'leader', 'ip-leader'] as const;
export type Office = (typeof OFFICES)[number];

export interface Seat {
  /** `chair`, `vice-chair-1`, `leader-<thematic-group>`, `ip-leader`. */
  id: string;
  office: Office;
  /** The Vice-Chair seat's number (the ToR names no count: seats are numbered as the Partners Board fills them). */
  index?: number;
  /** The Thematic Group a Leader leads (¶19). */
  thematicGroup?: string;
}

const VICE_CHAIR = /^vice-chair-([1-9][0-9]?)$/;
const LEADER = /^leader-([a-z0-9](?:[a-z0-9-]{0,46}[a-z0-9])?)$/;

/** The seat a seat id names, or undefined when it names none. */
export function parseSeat(id: string): Seat | undefined {
  if (id === 'chair' || id === 'ip-leader') return { id, office: id };
  const vice = VICE_CHAIR.exec(id);
  if (vice) return { id, office: 'vice-chair', index: Number(vice[1]) };
  const leader = LEADER.exec(id);
  if (leader) return { id, office: 'leader', thematicGroup: leader[1]! };
  return undefined;
}

/** How the register names a seat to people. */
export function seatTitle(seat: Seat): string {
  switch (seat.office) {
    case 'chair':
      return 'Chair';
    case 'vice-chair':
      return `Vice-Chair (seat ${seat.index})`;
    case 'leader':
      return `Leader of the Thematic Group "${seat.thematicGroup}"`;
    case 'ip-leader':
      return 'IP Leader (U4SSC Implementation Programme)';
  }
}

/** The office's name in a sentence ("term as Chair ended"). */
export function officeName(office: Office): string {
  return { chair: 'Chair', 'vice-chair': 'Vice-Chair', leader: 'Thematic Group Leader', 'ip-leader': 'IP Leader' }[office];
}

/** The Partners nominate and the Partners Board appoints the Chair and the Vice-Chairs (¶13(a), ¶15). */
export function appointedByPartnersBoard(office: Office | null | undefined): boolean {
  return office === 'chair' || office === 'vice-chair';
}
