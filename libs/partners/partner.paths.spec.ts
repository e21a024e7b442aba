import { describe, expect, it } from '@jest/globals';
import { getSimplePaths } from 'xstate/graph';
import { MemoryEventStore } from '../event-store/index.js';
import { CommandRejectedError } from '../errors/index.js';
import { ManualClock } from '../kernel/clock.js';
import { newId } from '../kernel/ids.js';
import { runCommand, type Decide } from '../process-runner/index.js';
import { partnerMachine, type PartnerMachineEvent } from '../../state-machines/partner/partner.machine.js';
import { decideRegister, decideWithdraw } from './partner.decide.js';
import { partnerProcess, partnerStream } from './partner.process.js';

const secretariat = { id: 'sec-1', role: 'secretariat' };
const modelEvents: PartnerMachineEvent[] = [
  {
    type: 'PartnerRegistered',
    data: { partnerId: 'FAO', name: 'FAO', entityType: 'specialized-agency', intentReference: 'letter 2025-12-01', intentExpressedOn: '2025-12-01' },
    meta: { occurredAt: '2026-01-01T00:00:00.000Z', actor: secretariat },
  },
  {
    type: 'PartnerWithdrawn',
    data: { partnerId: 'FAO', reason: 'mandate ended' },
    meta: { occurredAt: '2026-01-01T00:00:00.000Z', actor: secretariat },
  },
];

/** The command that produces each machine event: the path tests drive the real runner, not the machine. */
function commandFor(type: string, clock: ManualClock): Decide {
  return type === 'PartnerRegistered'
    ? decideRegister(
        { partnerId: 'FAO', name: 'FAO', entityType: 'specialized-agency', intentReference: 'letter 2025-12-01', intentExpressedOn: '2025-12-01' },
        secretariat,
        clock.now(),
      )
    : decideWithdraw({ partnerId: 'FAO', reason: 'mandate ended' }, secretariat);
}

const paths = getSimplePaths(partnerMachine, {
  input: { partnerId: 'FAO' },
  events: modelEvents,
  serializeState: (snapshot) => JSON.stringify(snapshot.value),
});

describe('partner process: every simple path of the machine, through the runner', () => {
  it('the model yields the paths to every state', () => {
    expect(new Set(paths.map((path) => path.state.value))).toEqual(
      new Set(['unregistered', 'registered', 'withdrawn']),
    );
  });

  it.each(paths.map((path) => [path.steps.map((step): string => step.event.type).filter((type) => type !== 'xstate.init').join(' → ') || '(start: unregistered)', path] as const))(
    '%s',
    async (_name, path) => {
      const store = new MemoryEventStore();
      const clock = new ManualClock('2026-01-01T00:00:00.000Z');
      const deps = { store, clock };
      const stream = partnerStream('FAO');
      for (const step of path.steps.slice(1)) {
        clock.advance(86_400_000);
        const outcome = await runCommand(deps, partnerProcess, stream, { commandId: newId(), actor: secretariat }, commandFor(step.event.type, clock));
        expect(outcome.events.map((event) => event.type)).toEqual([step.event.type]);
      }
      const after = await store.readStream(stream);
      expect(after).toHaveLength(path.steps.length - 1);

      // Every event the model does not allow here is refused by the runner with the state and the clause.
      for (const event of modelEvents.filter((candidate) => !path.state.can(candidate))) {
        const refusal = runCommand(deps, partnerProcess, stream, { commandId: newId(), actor: secretariat }, commandFor(event.type, clock));
        await expect(refusal).rejects.toBeInstanceOf(CommandRejectedError);
        await expect(refusal).rejects.toMatchObject({ state: path.state.value, clauses: expect.arrayContaining(['¶12']) });
      }
      expect(await store.readStream(stream)).toHaveLength(path.steps.length - 1);
    },
  );
});
