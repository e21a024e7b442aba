import type { Actor } from '../envelope/index.js';
import { ForbiddenCommandError, InvalidCommandError } from '../errors/index.js';
import { commandDay, type Decision, type ProcessState } from '../process-runner/index.js';
import {
  isUnSystemEntity,
  type EntityType,
  type PartnerRegisteredData,
} from '../../state-machines/partner/partner.events.js';

export interface RegisterPartner {
  partnerId: string;
  name: string;
  entityType: EntityType;
  intentReference: string;
  intentExpressedOn?: string;
}

export interface WithdrawPartner {
  partnerId: string;
  reason: string;
}

/** "The Secretariat maintains a list of current Partners" (ToR ¶12): only the Secretariat writes the register. */
function requireSecretariat(actor: Actor, action: string): void {
  if (actor.role !== 'secretariat') {
    throw new ForbiddenCommandError(
      `only the Secretariat may ${action}: it maintains the list of current Partners (ToR ¶12)`,
      { clauses: ['¶12'], requiredRole: 'secretariat' },
    );
  }
}

export function decideRegister(command: RegisterPartner, actor: Actor, now: Date) {
  return (_state: ProcessState): Decision[] => {
    requireSecretariat(actor, 'register a Partner');
    if (!isUnSystemEntity(command.entityType)) {
      throw new InvalidCommandError(
        `only agencies, entities and programmes of the United Nations system may become Partners (ToR ¶12); ` +
          `a ${command.entityType} may take part as a Participant (ToR ¶21)`,
        { clauses: ['¶12', '¶21'], field: 'entityType' },
      );
    }
    if (command.intentExpressedOn !== undefined && commandDay(command.intentExpressedOn, 'intentExpressedOn') > now.toISOString().slice(0, 10)) {
      throw new InvalidCommandError(
        `intentExpressedOn ${command.intentExpressedOn} is in the future: a Partner is registered upon an intent already expressed (ToR ¶12)`,
        { clauses: ['¶12'], field: 'intentExpressedOn' },
      );
    }
    const data: PartnerRegisteredData = {
      partnerId: command.partnerId,
      name: command.name,
      entityType: command.entityType,
      intentReference: command.intentReference,
      ...(command.intentExpressedOn ? { intentExpressedOn: command.intentExpressedOn } : {}),
    };
    return [{ type: 'PartnerRegistered', data }];
  };
}

export function decideWithdraw(command: WithdrawPartner, actor: Actor) {
  return (_state: ProcessState): Decision[] => {
    requireSecretariat(actor, 'record a Partner’s withdrawal');
    return [{ type: 'PartnerWithdrawn', data: { partnerId: command.partnerId, reason: command.reason } }];
  };
}
