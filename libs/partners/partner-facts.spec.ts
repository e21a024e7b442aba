import { describe, expect, it } from '@jest/globals';
import { MemoryEventStore } from '../event-store/index.js';
import { ManualClock } from '../kernel/clock.js';
import { loadProcess, runCommand, type StreamFacts } from '../process-runner/index.js';
import { decideRegister, decideWithdraw } from './partner.decide.js';
import { partnerFactAt, partnerRegisterAt } from './partner-facts.js';
import { partnerProcess, partnerStream } from './partner.process.js';

const SECRETARIAT = { id: 'sec-1', role: 'secretariat' };

/** Partners registered and withdrawn through the real runner, on a memory store, at the clock's instants. */
function register() {
  const store = new MemoryEventStore();
  const clock = new ManualClock('2026-01-01T00:00:00.000Z');
  const facts: StreamFacts = { load: (definition, stream, options) => loadProcess(store, definition, stream, options), streamNames: (prefix) => store.streamNames(prefix) };
  let n = 0;
  const run = (partnerId: string, decide: ReturnType<typeof decideWithdraw>) =>
    runCommand({ store, clock }, partnerProcess, partnerStream(partnerId), { commandId: `c-${(n += 1)}`, actor: SECRETARIAT }, decide);
  const join = (partnerId: string) =>
    run(partnerId, decideRegister({ partnerId, name: partnerId, entityType: 'specialized-agency', intentReference: 'ToR Annex II' }, SECRETARIAT, clock.now()));
  const leave = (partnerId: string) => run(partnerId, decideWithdraw({ partnerId, reason: 'letter' }, SECRETARIAT));
  return { store, clock, facts, join, leave };
}

describe('partner facts, from the partner streams', () => {
  it('answers membership at an instant with the registration in force, and nothing for an organisation never registered', async () => {
    const { clock, facts, join, leave } = register();
    const first = await join('ITU');
    const t1 = clock.now();
    clock.advance(1000);
    await leave('ITU');
    const t2 = clock.now();
    clock.advance(1000);
    const again = await join('ITU');

    expect(await partnerFactAt(facts, 'ITU', t1)).toEqual({ partnerId: 'ITU', partnerNow: true, registered: first.events[0] });
    expect(await partnerFactAt(facts, 'ITU', t2)).toEqual({ partnerId: 'ITU', partnerNow: false });
    expect(await partnerFactAt(facts, 'ITU', clock.now())).toEqual({ partnerId: 'ITU', partnerNow: true, registered: again.events[0] });
    expect(await partnerFactAt(facts, 'ITU', new Date('2025-12-31T00:00:00.000Z'))).toBeUndefined();
    expect(await partnerFactAt(facts, 'WHO', clock.now())).toBeUndefined();
  });

  it('lists the register at an instant from every partner stream, the withdrawn and the later ones left out', async () => {
    const { clock, facts, join, leave } = register();
    await join('UNECE');
    await join('ITU');
    await join('CBD');
    clock.advance(1000);
    await leave('CBD');
    const t = clock.now();
    clock.advance(1000);
    await join('FAO');

    expect((await partnerRegisterAt(facts, t)).map((fact) => fact.partnerId)).toEqual(['ITU', 'UNECE']);
    const now = await partnerRegisterAt(facts, clock.now());
    expect(now.map((fact) => [fact.partnerId, fact.registered?.type, fact.registered?.stream])).toEqual([
      ['FAO', 'PartnerRegistered', 'partner-FAO'],
      ['ITU', 'PartnerRegistered', 'partner-ITU'],
      ['UNECE', 'PartnerRegistered', 'partner-UNECE'],
    ]);
  });
});
