import type { Actor } from '../envelope/index.js';
import { InvalidCommandError } from '../errors/index.js';
import type { Decision, ProcessState } from '../process-runner/index.js';
import type { PartnerRegisteredData } from '../../state-machines/partner/partner.events.js';
import { decideRegister, type RegisterPartner } from './partner.decide.js';

/** The day the U4SSC was launched (ToR ¶2): nobody was a Partner before it. */
export const U4SSC_LAUNCHED_ON = '2016-05-18';

export interface ImportPartner extends RegisterPartner {
  /** The day the organisation became a Partner (YYYY-MM-DD): the register counts its membership from it. */
  joinedOn: string;
}

/**
 * Records a membership from before the system went live (ToR ¶12, Annex II) as history: the registration carries
 * the day it began, and the command runs with `imported: true`, as an imported office holder does. An organisation
 * whose stream already holds anything (registered by hand, by an earlier load, or withdrawn since) is left as its
 * own stream records it: nothing is decided, so loading again, or after a hand registration, appends nothing.
 */
export function decideImportPartner(command: ImportPartner, actor: Actor, now: Date) {
  return (state: ProcessState): Decision[] => {
    if (state.revision >= 0) return [];
    const joinedOn = command.joinedOn;
    if (!/^\d{4}-\d{2}-\d{2}$/.test(joinedOn) || Number.isNaN(Date.parse(`${joinedOn}T00:00:00Z`)) || new Date(`${joinedOn}T00:00:00Z`).toISOString().slice(0, 10) !== joinedOn) {
      throw new InvalidCommandError(`joinedOn ${joinedOn} is not a calendar date (YYYY-MM-DD)`, { field: 'joinedOn' });
    }
    if (joinedOn < U4SSC_LAUNCHED_ON) {
      throw new InvalidCommandError(`joinedOn ${joinedOn} is before the U4SSC was launched on ${U4SSC_LAUNCHED_ON} (ToR ¶2)`, { clauses: ['¶2'], field: 'joinedOn' });
    }
    if (joinedOn > now.toISOString().slice(0, 10)) {
      throw new InvalidCommandError(`joinedOn ${joinedOn} is in the future: only memberships already begun are imported; register a new Partner instead`, { field: 'joinedOn' });
    }
    const { joinedOn: _, ...registration } = command;
    return decideRegister(registration, actor, now)(state).map((decision) => ({
      ...decision,
      data: { ...(decision.data as PartnerRegisteredData), joinedOn } satisfies PartnerRegisteredData,
    }));
  };
}
