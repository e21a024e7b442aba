import { Query, QueryHandler, type IQueryHandler } from '@nestjs/cqrs';
import { Inject } from '@nestjs/common';
import type { Clock } from '../kernel/clock.js';
import { CLOCK } from '../kernel/tokens.js';
import { OfficeRegister, type RegisterAnswer, type RegisterBasis, type UpcomingExpiry } from './office-register.service.js';
import type { SeatView } from './office.view.js';

export class ListOfficesQuery extends Query<RegisterAnswer> {
  constructor(
    /** Default: now. */
    readonly at?: Date,
    /** Default: `latest` for now, `recorded` for a past instant (what the register said then). */
    readonly basis?: RegisterBasis,
  ) {
    super();
  }
}

export class GetOfficeQuery extends Query<SeatView | undefined> {
  constructor(
    readonly seat: string,
    /** The seat as recorded up to this instant; default: everything. */
    readonly at?: Date,
  ) {
    super();
  }
}

export interface ExpiriesAnswer {
  at: string;
  withinDays: number;
  expiries: UpcomingExpiry[];
}

export class UpcomingExpiriesQuery extends Query<ExpiriesAnswer> {
  constructor(readonly withinDays: number) {
    super();
  }
}

@QueryHandler(ListOfficesQuery)
export class ListOfficesHandler implements IQueryHandler<ListOfficesQuery> {
  constructor(
    private readonly register: OfficeRegister,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  execute({ at, basis }: ListOfficesQuery): Promise<RegisterAnswer> {
    return this.register.registerAt(at ?? this.clock.now(), basis ?? (at ? 'recorded' : 'latest'));
  }
}

@QueryHandler(GetOfficeQuery)
export class GetOfficeHandler implements IQueryHandler<GetOfficeQuery> {
  constructor(private readonly register: OfficeRegister) {}

  execute({ seat, at }: GetOfficeQuery): Promise<SeatView | undefined> {
    return this.register.seatAt(seat, at);
  }
}

@QueryHandler(UpcomingExpiriesQuery)
export class UpcomingExpiriesHandler implements IQueryHandler<UpcomingExpiriesQuery> {
  constructor(
    private readonly register: OfficeRegister,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  async execute({ withinDays }: UpcomingExpiriesQuery): Promise<ExpiriesAnswer> {
    const now = this.clock.now();
    return { at: now.toISOString(), withinDays, expiries: await this.register.expiries(now, withinDays) };
  }
}
