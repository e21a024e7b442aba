import type { AnyStateMachine } from 'xstate';
import { ballotMachine, BALLOT_MACHINE_VERSION } from './ballot/ballot.machine.js';
import { partnerMachine, PARTNER_MACHINE_VERSION } from './partner/partner.machine.js';
import { officeMachine, OFFICE_MACHINE_VERSION } from './office/office.machine.js';
import { workplanMachine, WORKPLAN_MACHINE_VERSION } from './workplan/workplan.machine.js';
import { signingKeysMachine, SIGNING_KEYS_MACHINE_VERSION } from './signing-keys/signing-keys.machine.js';

export interface RegisteredMachine {
  id: string;
  version: number;
  machine: AnyStateMachine;
  /** Folder (from the repository root) where its generated diagram is kept. */
  folder: string;
}

/** Every process machine, by id: the diagram writer, the verifier and the runner look them up here. */
export const MACHINES: readonly RegisteredMachine[] = [
  { id: 'partner', version: PARTNER_MACHINE_VERSION, machine: partnerMachine, folder: 'state-machines/partner' },
  { id: 'ballot', version: BALLOT_MACHINE_VERSION, machine: ballotMachine, folder: 'state-machines/ballot' },
  { id: 'office', version: OFFICE_MACHINE_VERSION, machine: officeMachine, folder: 'state-machines/office' },
  { id: 'workplan', version: WORKPLAN_MACHINE_VERSION, machine: workplanMachine, folder: 'state-machines/workplan' },
  { id: 'signing-keys', version: SIGNING_KEYS_MACHINE_VERSION, machine: signingKeysMachine, folder: 'state-machines/signing-keys' },
];
