import { describe, expect, it } from '@jest/globals';
import { ForbiddenCommandError, InvalidCommandError } from '../errors/index.js';
import { MemoryEventStore } from '../event-store/index.js';
import { ManualClock } from '../kernel/clock.js';
import { newId } from '../kernel/ids.js';
import type { OfficeHolding } from '../offices/office-authority.js';
import type { PartnerView } from '../partners/partner.view.js';
import { loadProcess, runCommand } from '../process-runner/index.js';
import * as the from '../../state-machines/workplan/workplan.test-events.js';
import { allowedCommands, type Caller } from './workplan-allowed.js';
import { decideOutcome } from './workplan.ballot.decide.js';
import { capacityFor, decideCompile } from './workplan.decide.js';
import { workplanProcess, workplanStream } from './workplan.process.js';
import { applyWorkplanEvent, type WorkplanView } from './workplan.view.js';

const now = new Date('2026-09-10T00:00:00.000Z');
const leaderTerm: OfficeHolding = {
  personId: 'p-kpi',
  offices: ['leader'],
  at: now.toISOString(),
  held: { seat: 'leader-kpis', office: 'leader', title: 'Leader of the Thematic Group "kpis"', personId: 'p-kpi', name: 'K', termNumber: 2, start: '2025-01-01T00:00:00.000Z', end: '2027-01-01T00:00:00.000Z', grounds: { kind: 'imported', authority: 'chair', reference: 'letter' } },
};
const fao = { partnerId: 'FAO' } as PartnerView;

describe('workplan decide steps', () => {
  it('takes the capacity from the registers: an office held first, else the token’s Partner; a claimed capacity must be held', () => {
    const asLeader = { id: 'p-kpi', role: 'partner', org: 'FAO' };
    expect(capacityFor(undefined, asLeader, { now, partner: fao, partnerNow: true, leader: leaderTerm })).toEqual({
      kind: 'leader',
      seat: 'leader-kpis',
      title: 'Leader of the Thematic Group "kpis"',
      termNumber: 2,
      termEnds: '2027-01-01T00:00:00.000Z',
    });
    expect(capacityFor('partner', asLeader, { now, partner: fao, partnerNow: true, leader: leaderTerm })).toEqual({ kind: 'partner', partnerId: 'FAO' });
    expect(() => capacityFor('ip-leader', asLeader, { now, leader: leaderTerm })).toThrow(ForbiddenCommandError);
    expect(() => capacityFor(undefined, { id: 'rep', role: 'partner', org: 'FAO' }, { now, partner: fao, partnerNow: false })).toThrow(/not a registered Partner/);
  });

  it('compiles with every input not left out by default, and the text’s SHA-256', async () => {
    const store = new MemoryEventStore();
    const clock = new ManualClock(the.T_OPEN);
    const stream = workplanStream(the.CYCLE);
    for (const event of [the.opened(), the.input('a'), the.input('b')]) {
      clock.set(event.meta.occurredAt);
      await runCommand({ store, clock }, workplanProcess, stream, { commandId: newId(), actor: event.meta.actor }, () => [{ type: event.type, data: event.data }]);
    }
    const { state } = await loadProcess(store, workplanProcess, stream);
    const secretariat = { id: 'sec-1', role: 'secretariat' };
    const [compiled] = decideCompile({ cycle: the.CYCLE, text: 'draft', leftOut: [{ inputId: 'b', reason: 'duplicate' }] }, secretariat, new Date(the.T_LATE))(state);
    expect(compiled!.data).toMatchObject({ round: 1, version: 'v1', taken: ['a'], leftOut: [{ inputId: 'b', reason: 'duplicate' }], contentHash: the.sha256('draft') });
    expect(() => decideCompile({ cycle: the.CYCLE, text: 'draft', taken: ['a', 'a'] }, secretariat, new Date(the.T_LATE))(state)).toThrow(InvalidCommandError);
    expect(() => decideOutcome(secretariat, { state })(state)).toThrow(/only from the deciding ballot's outcome/);
  });

  it('offers each caller the commands the state and their registers allow', () => {
    const view = [the.opened(), the.input('a')].reduce<WorkplanView | undefined>(
      (folded, event, index) => applyWorkplanEvent(folded, { ...event, id: `e${index}`, stream: 'workplan-2027', revision: index, position: index + 1, hash: '', prevHash: '', metadata: { ...event.meta, machine: { id: 'workplan', version: 1 } } } as never),
      undefined,
    )!;
    const nobody: Caller = { roles: ['participant'], registeredPartner: false, leader: false, ipLeader: false, managementTeam: false };
    const before = new Date(the.T_INPUT);
    const after = new Date(the.T_LATE);
    expect(allowedCommands(view, { ...nobody, registeredPartner: true }, before)).toEqual(['inputs']);
    expect(allowedCommands(view, { ...nobody, registeredPartner: true }, after)).toEqual([]);
    expect(allowedCommands(view, nobody, before)).toEqual([]);
    expect(allowedCommands(view, { ...nobody, roles: ['secretariat'] }, after)).toEqual(['reopen-inputs', 'compile']);
    expect(allowedCommands({ ...view, state: 'underReview' }, { ...nobody, managementTeam: true }, after)).toEqual(['review']);
    expect(allowedCommands({ ...view, state: 'voting' }, { ...nobody, roles: ['secretariat'] }, after)).toEqual([]);
    expect(allowedCommands({ ...view, state: 'voting' }, { ...nobody, roles: ['secretariat'] }, after, true)).toEqual(['ballot']);
  });
});
