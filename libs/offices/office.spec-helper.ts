/** Shared by the office specs: a seat driven through the real runner and decide steps on a memory store. */
import type { BallotView } from '../ballots/ballot.view.js';
import type { Actor } from '../envelope/index.js';
import { MemoryEventStore } from '../event-store/index.js';
import { ManualClock } from '../kernel/clock.js';
import { newId } from '../kernel/ids.js';
import type { PartnerView } from '../partners/partner.view.js';
import { runCommand, type CommandContext, type Decide } from '../process-runner/index.js';
import { appointmentReference } from '../../state-machines/office/office.events.js';
import { applyOfficeEvent } from './office-register.js';
import { officeProcess, officeStream } from './office.process.js';
import type { SeatView } from './office.view.js';

export const SECRETARIAT: Actor = { id: 'sec-bueti', role: 'secretariat' };
export const SCHEDULER: Actor = { id: 'u4ssc-scheduler', role: 'system' };
export const rep = (org: string): Actor => ({ id: `rep-${org}`, role: 'partner', org });

export const DAY = 86_400_000;

/** A Partner on the register since 2020, as the nomination's facts carry it (`partnerAt`'s answer). */
export function partner(partnerId: string): { partner: PartnerView; partnerNow: true } {
  return {
    partner: {
      partnerId,
      name: partnerId,
      entityType: 'specialized-agency',
      status: 'registered',
      periodCount: 1,
      latestPeriod: { from: '2020-01-01T00:00:00.000Z', to: null, intentReference: 'ToR Annex II', registeredBy: 'sec-1' },
      revision: 0,
      position: 1,
    },
    partnerNow: true,
  };
}

/** A ballot document as the ballots read model keeps it: by default an approved appointment of `personId` to `seat`. */
export function ballot(ballotId: string, seat: string, personId: string, over: Partial<BallotView> = {}): BallotView {
  const at = '2026-01-20T12:00:00.000Z';
  return {
    ballotId,
    stream: `ballot-${ballotId}`,
    status: 'approved',
    subject: { kind: 'appointment', reference: appointmentReference(seat, personId), title: `Appointment to ${seat}` },
    question: `Appoint ${personId}?`,
    channel: seat === 'ip-leader' ? 'meeting' : 'electronic',
    draftedAt: at,
    draftedBy: 'sec-1',
    electorate: ['FAO', 'ITU'],
    current: { FAO: 'yes', ITU: 'yes' },
    voteHistory: [],
    decision: { at, outcome: 'approved', tally: {} as never },
    revision: 4,
    position: 10,
    ...over,
  };
}

/** One store, one clock, commands on seats; `view(seat)` folds the register's document from the stream. */
export class Seats {
  readonly store = new MemoryEventStore();
  readonly clock: ManualClock;

  constructor(start = '2026-02-02T09:00:00.000Z') {
    this.clock = new ManualClock(start);
  }

  get now(): Date {
    return this.clock.now();
  }

  run(seat: string, actor: Actor, decide: Decide, context: Partial<CommandContext> = {}) {
    return runCommand({ store: this.store, clock: this.clock }, officeProcess, officeStream(seat), { commandId: newId(), actor, ...context }, decide);
  }

  async view(seat: string): Promise<SeatView | undefined> {
    let view: SeatView | undefined;
    for (const event of await this.store.readStream(officeStream(seat))) view = applyOfficeEvent(view, event);
    return view;
  }

  async views(...seats: string[]): Promise<SeatView[]> {
    return (await Promise.all(seats.map((seat) => this.view(seat)))).filter((view): view is SeatView => view !== undefined);
  }
}
