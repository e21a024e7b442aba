import { Inject } from '@nestjs/common';
import { Query, QueryHandler, type IQueryHandler } from '@nestjs/cqrs';
import { READ_MODEL_STORE } from '../kernel/tokens.js';
import type { ReadModelStore } from '../read-models/port.js';
import { membershipAt, withPeriods } from './partner-periods.js';
import { PARTNERS_COLLECTION, type PartnerAtView, type PartnerRecord, type PartnerView } from './partner.view.js';

export class ListPartnersQuery extends Query<PartnerView[] | PartnerAtView[]> {
  constructor(
    /** Only those who were Partners at this instant, each with the period then in force; default: the current register. */
    readonly at?: Date,
    /** Include withdrawn organisations (ignored with `at`). */
    readonly includeWithdrawn = false,
  ) {
    super();
  }
}

/** One organisation's summary (its `partners` document): status, latest period, number of periods. */
export class GetPartnerQuery extends Query<PartnerView | undefined> {
  constructor(readonly partnerId: string) {
    super();
  }
}

/** One organisation with every membership period (its summary and its `partner-periods` chunks). */
export class GetPartnerRecordQuery extends Query<PartnerRecord | undefined> {
  constructor(readonly partnerId: string) {
    super();
  }
}

@QueryHandler(ListPartnersQuery)
export class ListPartnersHandler implements IQueryHandler<ListPartnersQuery> {
  constructor(@Inject(READ_MODEL_STORE) private readonly readModels: ReadModelStore) {}

  async execute({ at, includeWithdrawn }: ListPartnersQuery): Promise<PartnerView[] | PartnerAtView[]> {
    const all = await this.readModels.list<PartnerView>(PARTNERS_COLLECTION);
    if (at) {
      // Mostly answered by the summaries; an organisation whose latest period began after `at` reads its chunks.
      const periods = await Promise.all(all.map((partner) => membershipAt(this.readModels, partner, at)));
      return all.flatMap((partner, index) => (periods[index] ? [{ ...partner, periodAt: periods[index] }] : []));
    }
    return includeWithdrawn ? all : all.filter((partner) => partner.status === 'registered');
  }
}

@QueryHandler(GetPartnerQuery)
export class GetPartnerHandler implements IQueryHandler<GetPartnerQuery> {
  constructor(@Inject(READ_MODEL_STORE) private readonly readModels: ReadModelStore) {}

  execute({ partnerId }: GetPartnerQuery): Promise<PartnerView | undefined> {
    return this.readModels.get<PartnerView>(PARTNERS_COLLECTION, partnerId);
  }
}

@QueryHandler(GetPartnerRecordQuery)
export class GetPartnerRecordHandler implements IQueryHandler<GetPartnerRecordQuery> {
  constructor(@Inject(READ_MODEL_STORE) private readonly readModels: ReadModelStore) {}

  async execute({ partnerId }: GetPartnerRecordQuery): Promise<PartnerRecord | undefined> {
    const view = await this.readModels.get<PartnerView>(PARTNERS_COLLECTION, partnerId);
    return view && withPeriods(this.readModels, view);
  }
}
