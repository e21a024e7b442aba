import type { WorkplanView } from './workplan.view.js';

/** The commands of a cycle, by the API's name for them (`POST /v1/workplans/{cycle}/<command>`). */
export const WORKPLAN_COMMANDS = ['inputs', 'reopen-inputs', 'compile', 'review', 'present', 'ballot'] as const;
export type WorkplanCommandName = (typeof WORKPLAN_COMMANDS)[number];

/** Who is asking, at the instant asked about: token roles, and what the Partner and office registers said then. */
export interface Caller {
  roles: readonly string[];
  /** The token names a Partner that is registered at the instant. */
  registeredPartner: boolean;
  leader: boolean;
  ipLeader: boolean;
  /** A current Chair or Vice-Chair (the Management Team, ¶15). */
  managementTeam: boolean;
}

/**
 * The commands this caller may send next, from the cycle's state (the machine's) and the caller's roles and offices
 * at the instant: what the decide steps would accept, so a client can offer exactly these.
 */
export function allowedCommands(view: WorkplanView, caller: Caller, at: Date, currentBallotWithdrawn = false): WorkplanCommandName[] {
  const secretariat = caller.roles.includes('secretariat');
  const beforeDeadline = at.getTime() < Date.parse(view.inputDeadline);
  const allowed: WorkplanCommandName[] = [];
  const { state } = view;
  if (state === 'collectingInputs' && beforeDeadline && (caller.registeredPartner || caller.leader || caller.ipLeader)) allowed.push('inputs');
  if (secretariat && ['collectingInputs', 'changesRequested', 'notAgreed'].includes(state)) allowed.push('reopen-inputs');
  if (secretariat && ((state === 'collectingInputs' && !beforeDeadline) || state === 'changesRequested' || state === 'notAgreed')) allowed.push('compile');
  if (state === 'underReview' && caller.managementTeam) allowed.push('review');
  if (secretariat && state === 'endorsed') allowed.push('present');
  if (secretariat && (state === 'presented' || (state === 'voting' && currentBallotWithdrawn))) allowed.push('ballot');
  return allowed;
}
