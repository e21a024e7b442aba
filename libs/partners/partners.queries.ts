import { Inject } from '@nestjs/common';
import { Query, QueryHandler, type IQueryHandler } from '@nestjs/cqrs';
import { READ_MODEL_STORE } from '../kernel/tokens.js';
import type { ReadModelStore } from '../read-models/port.js';
import { PARTNERS_COLLECTION, wasPartnerAt, type PartnerView } from './partner.view.js';

export class ListPartnersQuery extends Query<PartnerView[]> {
  constructor(
    /** Only those who were Partners at this instant; default: the current register. */
    readonly at?: Date,
    /** Include withdrawn organisations (ignored with `at`). */
    readonly includeWithdrawn = false,
  ) {
    super();
  }
}

export class GetPartnerQuery extends Query<PartnerView | undefined> {
  constructor(readonly partnerId: string) {
    super();
  }
}

@QueryHandler(ListPartnersQuery)
export class ListPartnersHandler implements IQueryHandler<ListPartnersQuery> {
  constructor(@Inject(READ_MODEL_STORE) private readonly readModels: ReadModelStore) {}

  async execute({ at, includeWithdrawn }: ListPartnersQuery): Promise<PartnerView[]> {
    const all = await this.readModels.list<PartnerView>(PARTNERS_COLLECTION);
    if (at) return all.filter((partner) => wasPartnerAt(partner, at));
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
