import type { RegisterAnswer, SeatView, UpcomingExpiry } from '../../../libs/offices/index.js';
import type { OfficeGrounds } from '../../../state-machines/office/office.events.js';

const day = (iso: string) => iso.slice(0, 10);

export function groundsText(grounds: OfficeGrounds): string {
  switch (grounds.kind) {
    case 'partners-board-ballot':
      return `Partners Board ballot ${grounds.ballotId} (${day(grounds.decidedAt)})`;
    case 'annual-meeting-election':
      return `Annual Meeting election, ballot ${grounds.ballotId} (${day(grounds.decidedAt)})`;
    case 'chair-appointment':
      return `appointed by Chair ${grounds.chairId} (term ${grounds.chairTerm}); consultation: ${grounds.consultation}`;
    case 'imported':
      return `imported decision: ${grounds.reference}${grounds.decidedOn ? ` (${grounds.decidedOn})` : ''}`;
  }
}

export function registerLines(answer: RegisterAnswer): string[] {
  const lines = [`office register at ${answer.at} (${answer.basis === 'recorded' ? 'as recorded then' : 'as known now'})`];
  for (const entry of answer.offices) {
    const who = entry.holder ? `${entry.holder.personId} (${entry.holder.name})` : 'vacant';
    const term = entry.term ? `  term ${entry.term.number} ${day(entry.term.start)} → ${day(entry.term.end)}  ${groundsText(entry.term.grounds)}` : '';
    const notes = [
      entry.renewalDue ? 'renewal due' : '',
      entry.nextTerm ? `renewed to ${day(entry.nextTerm.end)}` : '',
      entry.term?.imported ? 'imported' : '',
      ...(entry.term?.flags ?? []),
      entry.candidates.length ? `candidates: ${entry.candidates.map((c) => c.nomineeId).join(', ')}` : '',
    ].filter(Boolean);
    lines.push(`${entry.seat.padEnd(22)} ${who}${term}${notes.length ? `  [${notes.join('; ')}]` : ''}`);
  }
  return lines;
}

export function seatLines(view: SeatView): string[] {
  const lines = [`${view.title} (${view.seat}): ${view.status}${view.holder ? `, held by ${view.holder.personId} (${view.holder.name})` : ''}`];
  for (const term of view.terms) {
    const end = term.cancelled ? 'cancelled before it began' : term.ended ? `ended ${term.ended.at} (${term.ended.cause}${term.ended.reason ? `: ${term.ended.reason}` : ''})` : `ends ${term.end}`;
    lines.push(`  term ${term.number} ${term.kind}: ${term.holderId} from ${term.start}, ${end}; renewal due ${term.renewalDueAt}${term.renewalDueMarkedAt ? ' (marked)' : ''}`);
    lines.push(`    grounds: ${groundsText(term.grounds)}${term.imported ? ' [imported]' : ''}${term.justification ? `; justification: ${term.justification}` : ''}${term.flags.length ? ` [${term.flags.join(', ')}]` : ''}`);
  }
  for (const nomination of view.nominations) {
    const outcome = nomination.outcome ? (nomination.outcome.appointed ? ' → appointed' : ' → not appointed') : '';
    lines.push(`  nominated ${nomination.nomineeId} (${nomination.nomineeName})${nomination.partnerId ? ` by ${nomination.partnerId}` : ''} on ${nomination.at}${outcome}`);
  }
  return lines;
}

export function expiryLines(expiries: UpcomingExpiry[]): string[] {
  return expiries.map(
    (expiry) =>
      `${expiry.seat.padEnd(22)} ${expiry.holder.personId}  term ${expiry.termNumber} ends ${expiry.end} (${expiry.daysLeft} days)${expiry.renewed ? '  renewed' : expiry.renewalDue ? '  renewal due' : ''}`,
  );
}
