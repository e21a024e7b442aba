import { Inject, Injectable } from '@nestjs/common';
import type { EventStore } from '../event-store/index.js';
import { EVENT_STORE, READ_MODEL_STORE } from '../kernel/tokens.js';
import type { ReadModelStore } from '../read-models/port.js';
import { OFFICES, parseSeat, type Office } from '../../state-machines/office/office.seat.js';
import { applyOfficeEvent, bySeatOrder, registerEntry, termInForce, type RegisterEntry } from './office-register.js';
import { officeStream, seatOf } from './office.process.js';
import { OFFICES_COLLECTION, type SeatView } from './office.view.js';

/**
 * - `recorded`: the register as it stood at the instant: only what had been recorded by then (what the live register
 *   answered at that instant; a holder imported later is not there);
 * - `latest`: what is known now about that instant (imported history included).
 */
export type RegisterBasis = 'recorded' | 'latest';

export interface RegisterAnswer {
  at: string;
  basis: RegisterBasis;
  offices: RegisterEntry[];
}

export interface UpcomingExpiry {
  seat: string;
  office: Office;
  title: string;
  holder: { personId: string; name: string };
  termNumber: number;
  end: string;
  renewalDueAt: string;
  renewalDue: boolean;
  /** A renewed term is recorded to follow: the holder stays. */
  renewed: boolean;
  daysLeft: number;
}

/**
 * Reads of the office register: the read model for the current register (GET), the seats' streams, enumerated from
 * the log, for the past and for authority checks.
 */
@Injectable()
export class OfficeRegister {
  constructor(
    @Inject(EVENT_STORE) private readonly events: EventStore,
    @Inject(READ_MODEL_STORE) private readonly readModels: ReadModelStore,
  ) {}

  async seats(): Promise<SeatView[]> {
    return (await this.readModels.list<SeatView>(OFFICES_COLLECTION)).sort(bySeatOrder);
  }

  seat(seat: string): Promise<SeatView | undefined> {
    return this.readModels.get<SeatView>(OFFICES_COLLECTION, seat);
  }

  /** A seat folded from its stream: all of it, or only the events recorded up to `upTo` (inclusive). */
  async fold(seat: string, upTo?: Date): Promise<SeatView | undefined> {
    let view: SeatView | undefined;
    for (const event of await this.events.readStream(officeStream(seat))) {
      if (upTo && Date.parse(event.metadata.occurredAt) > upTo.getTime()) break;
      view = applyOfficeEvent(view, event);
    }
    return view;
  }

  /** The seats that can hold these offices, each folded from its own stream. */
  async seatsFromLog(offices: readonly string[]): Promise<SeatView[]> {
    const ids = new Set<string>();
    for (const spec of offices) if (parseSeat(spec)) ids.add(spec); // a seat named outright (`chair`, `leader-kpis`)
    const kinds = offices.filter((spec) => (OFFICES as readonly string[]).includes(spec));
    if (kinds.some((kind) => kind === 'vice-chair' || kind === 'leader')) {
      for (const seat of await this.seatIdsFromLog()) if (kinds.includes(parseSeat(seat)!.office)) ids.add(seat);
    }
    const views = await Promise.all([...ids].map((id) => this.fold(id)));
    return views.filter((view): view is SeatView => view !== undefined).sort(bySeatOrder);
  }

  /** Who holds which office at an instant. */
  async registerAt(at: Date, basis: RegisterBasis): Promise<RegisterAnswer> {
    const views = basis === 'latest' ? await this.seats() : await this.seatsRecordedBy(at);
    return { at: at.toISOString(), basis, offices: views.map((view) => registerEntry(view, at)) };
  }

  /** One seat with every term, as recorded up to `at` (or everything). */
  async seatAt(seat: string, at?: Date): Promise<SeatView | undefined> {
    return at ? this.fold(seat, at) : this.seat(seat);
  }

  /** Terms in force at `now` that end within `withinDays`, soonest first. */
  async expiries(now: Date, withinDays: number): Promise<UpcomingExpiry[]> {
    const horizon = now.getTime() + withinDays * 86_400_000;
    const found: UpcomingExpiry[] = [];
    for (const view of await this.seats()) {
      const term = termInForce(view, now);
      if (!term || Date.parse(term.end) > horizon) continue;
      const entry = registerEntry(view, now);
      found.push({
        seat: view.seat,
        office: view.office,
        title: view.title,
        holder: { personId: term.holderId, name: term.holderName },
        termNumber: term.number,
        end: term.end,
        renewalDueAt: term.renewalDueAt,
        renewalDue: entry.renewalDue,
        renewed: entry.nextTerm !== null,
        daysLeft: Math.ceil((Date.parse(term.end) - now.getTime()) / 86_400_000),
      });
    }
    return found.sort((a, b) => Date.parse(a.end) - Date.parse(b.end));
  }

  /** Every seat with a stream, from the log itself: a seat missing from the read model is still found. */
  private async seatIdsFromLog(): Promise<string[]> {
    const names = await this.events.streamNames(officeStream(''));
    return names.map(seatOf).filter((seat) => parseSeat(seat) !== undefined);
  }

  private async seatsRecordedBy(at: Date): Promise<SeatView[]> {
    const views = await Promise.all((await this.seatIdsFromLog()).map((seat) => this.fold(seat, at)));
    return views.filter((view): view is SeatView => view !== undefined).sort(bySeatOrder);
  }
}
