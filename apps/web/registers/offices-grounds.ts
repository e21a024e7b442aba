import { html, type SafeHtml } from '../../../libs/html/index.js';
import type { TermView } from '../../../libs/offices/index.js';
import { dayElement } from '../time.js';

/** The decision a term rests on, in words, with a link to its ballot where there is one (ToR ¶13(a), ¶15, ¶19, Annex I). */
export function groundsText(grounds: TermView['grounds']): SafeHtml {
  switch (grounds.kind) {
    case 'partners-board-ballot':
    case 'annual-meeting-election':
      return html`${grounds.kind === 'partners-board-ballot' ? 'Partners Board ballot' : 'Annual Meeting election'}
<a href="/registers/ballots/${encodeURIComponent(grounds.ballotId)}">${grounds.ballotId}</a>, decided ${dayElement(grounds.decidedAt)}`;
    case 'chair-appointment':
      return html`Appointed by the Chair (${grounds.chairId}, term ${grounds.chairTerm}); consultation: ${grounds.consultation}`;
    case 'imported':
      return html`Decision before go-live (${grounds.authority.replace('-', ' ')}): ${grounds.reference}${grounds.decidedOn ? html`, ${dayElement(grounds.decidedOn)}` : ''}`;
  }
}
