/** Ready-made workplan events for the machine's specs and the model-based path tests. */
import { createHash } from 'node:crypto';
import type { WorkplanMachineEvent } from './workplan.machine.js';
import type { InputCapacity, LeftOutInput } from './workplan.events.js';

export const CYCLE = '2027';
export const T_OPEN = '2026-09-01T09:00:00.000Z';
export const T_INPUT = '2026-09-15T09:00:00.000Z';
export const T_DEADLINE = '2026-10-01T00:00:00.000Z';
export const T_LATE = '2026-10-02T09:00:00.000Z';
export const T_REOPENED_UNTIL = '2026-10-20T00:00:00.000Z';

export const sha256 = (text: string) => createHash('sha256').update(text, 'utf8').digest('hex');

const secretariat = { id: 'sec-1', role: 'secretariat' };
const meta = (occurredAt: string, actor: { id: string; role: string; org?: string } = secretariat) => ({ occurredAt, actor });

export const opened = (deadline = T_DEADLINE, occurredAt = T_OPEN): WorkplanMachineEvent => ({
  type: 'WorkplanOpened',
  data: { cycle: CYCLE, title: 'U4SSC workplan 2027', inputDeadline: deadline },
  meta: meta(occurredAt),
});

export const PARTNER: InputCapacity = { kind: 'partner', partnerId: 'FAO' };
export const LEADER: InputCapacity = { kind: 'leader', seat: 'leader-kpis', title: 'Leader of the Thematic Group "kpis"', termNumber: 1, termEnds: '2028-01-01T00:00:00.000Z' };

export const input = (inputId: string, occurredAt = T_INPUT, capacity: InputCapacity = PARTNER): WorkplanMachineEvent => ({
  type: 'WorkplanInputSubmitted',
  data: { cycle: CYCLE, inputId, submittedBy: 'rep-FAO', capacity, title: `input ${inputId}`, text: `text ${inputId}`, contentHash: sha256(`text ${inputId}`) },
  meta: meta(occurredAt, { id: 'rep-FAO', role: 'partner', org: 'FAO' }),
});

export const reopened = (occurredAt = T_LATE, deadline = T_REOPENED_UNTIL, reason = 'UNEP asked for a week more'): WorkplanMachineEvent => ({
  type: 'WorkplanInputsReopened',
  data: { cycle: CYCLE, inputDeadline: deadline, reason },
  meta: meta(occurredAt),
});

export const compiled = (round: number, taken: string[], leftOut: LeftOutInput[] = [], occurredAt = T_LATE): WorkplanMachineEvent => ({
  type: 'WorkplanCompiled',
  data: { cycle: CYCLE, round, version: `v${round}`, text: `draft ${round}`, contentHash: sha256(`draft ${round}`), taken, leftOut },
  meta: meta(occurredAt),
});

export const reviewed = (round: number, decision: 'endorse' | 'request-changes', comments: string[] = [], occurredAt = T_LATE): WorkplanMachineEvent => ({
  type: 'WorkplanReviewed',
  data: {
    cycle: CYCLE,
    round,
    contentHash: sha256(`draft ${round}`),
    decision,
    comments,
    reviewer: { personId: 'p-chair', office: 'chair', seat: 'chair', title: 'Chair', termNumber: 1, termEnds: '2028-01-01T00:00:00.000Z' },
  },
  meta: meta(occurredAt, { id: 'p-chair', role: 'participant' }),
});

export const presented = (round: number, occurredAt = T_LATE): WorkplanMachineEvent => ({
  type: 'WorkplanPresented',
  data: { cycle: CYCLE, round, contentHash: sha256(`draft ${round}`), meeting: 'U4SSC Annual Meeting 2026, Geneva' },
  meta: meta(occurredAt),
});

export const linked = (ballotId: string, channel: 'meeting' | 'electronic' = 'meeting', channelReason?: string, replaces?: string): WorkplanMachineEvent => ({
  type: 'AgreementBallotLinked',
  data: { cycle: CYCLE, ballotId, channel, ...(channelReason ? { channelReason } : {}), how: 'opened', ...(replaces ? { replaces } : {}) },
  meta: meta(T_LATE),
});

export const decided = (ballotId: string, outcome: 'approved' | 'rejected' | 'failedQuorum', round = 1): WorkplanMachineEvent => ({
  type: outcome === 'approved' ? 'WorkplanAgreed' : 'WorkplanNotAgreed',
  data: { cycle: CYCLE, ballotId, outcome, ballotEventId: `event-of-${ballotId}`, decidedAt: T_LATE, round, contentHash: sha256(`draft ${round}`) },
  meta: meta(T_LATE, { id: 'saga:workplan-agreement', role: 'system' }),
});
