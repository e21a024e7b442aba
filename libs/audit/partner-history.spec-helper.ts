import type { Actor, StoredEvent } from '../envelope/index.js';
import type { EventStore } from '../event-store/index.js';
import { ManualClock } from '../kernel/clock.js';
import { decideRegister, decideWithdraw, partnerProcess, partnerStream } from '../partners/index.js';
import { runCommand } from '../process-runner/index.js';

const secretariat: Actor = { id: 'sec-bueti', role: 'secretariat', name: 'Secretariat officer' };

/** The instants the history below moves through, for `at` questions. */
export const PARTNER_HISTORY_TIMES = {
  faoRegistered: '2026-01-05T09:00:00.000Z',
  ituRegistered: '2026-01-06T09:00:00.000Z',
  uneceRegistered: '2026-01-07T09:00:00.000Z',
  faoWithdrawn: '2026-02-01T09:00:00.000Z',
  faoRegisteredAgain: '2026-03-01T09:00:00.000Z',
  uneceWithdrawn: '2026-03-02T09:00:00.000Z',
} as const;

/**
 * A small Partner history written through the real runner and decide steps (ToR ¶12): three registrations, a
 * withdrawal, a re-registration and another withdrawal, with fixed command ids and a manual clock.
 */
export async function writePartnerHistory(store: EventStore): Promise<StoredEvent[]> {
  const clock = new ManualClock();
  const t = PARTNER_HISTORY_TIMES;
  const steps: [string, string, 'register' | 'withdraw', string][] = [
    [t.faoRegistered, 'FAO', 'register', 'Food and Agriculture Organization of the United Nations'],
    [t.ituRegistered, 'ITU', 'register', 'International Telecommunication Union'],
    [t.uneceRegistered, 'UNECE', 'register', 'United Nations Economic Commission for Europe'],
    [t.faoWithdrawn, 'FAO', 'withdraw', 'Letter of withdrawal'],
    [t.faoRegisteredAgain, 'FAO', 'register', 'Food and Agriculture Organization of the United Nations'],
    [t.uneceWithdrawn, 'UNECE', 'withdraw', 'Letter of withdrawal'],
  ];
  const events: StoredEvent[] = [];
  for (const [index, [at, partnerId, action, text]] of steps.entries()) {
    clock.set(at);
    const decide =
      action === 'register'
        ? decideRegister(
            { partnerId, name: text, entityType: partnerId === 'UNECE' ? 'regional-commission' : 'specialized-agency', intentReference: 'ToR Annex II' },
            secretariat,
            clock.now(),
          )
        : decideWithdraw({ partnerId, reason: text }, secretariat);
    const outcome = await runCommand({ store, clock }, partnerProcess, partnerStream(partnerId), { commandId: `history-${index + 1}`, actor: secretariat }, decide);
    events.push(...outcome.events);
  }
  return events;
}
