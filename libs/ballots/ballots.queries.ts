import { Inject } from '@nestjs/common';
import { Query, QueryHandler, type IQueryHandler } from '@nestjs/cqrs';
import { READ_MODEL_STORE } from '../kernel/tokens.js';
import type { ReadModelStore } from '../read-models/port.js';
import { BALLOTS_COLLECTION, type BallotStatus, type BallotView } from './ballot.view.js';

export class ListBallotsQuery extends Query<BallotView[]> {
  constructor(readonly status?: BallotStatus) {
    super();
  }
}

export class GetBallotQuery extends Query<BallotView | undefined> {
  constructor(readonly ballotId: string) {
    super();
  }
}

/** Unfiltered read-model documents: callers apply `presentBallot` for the person asking. */
@QueryHandler(ListBallotsQuery)
export class ListBallotsHandler implements IQueryHandler<ListBallotsQuery> {
  constructor(@Inject(READ_MODEL_STORE) private readonly readModels: ReadModelStore) {}

  async execute({ status }: ListBallotsQuery): Promise<BallotView[]> {
    const all = await this.readModels.list<BallotView>(BALLOTS_COLLECTION);
    const chosen = status ? all.filter((ballot) => ballot.status === status) : all;
    // Newest first: the ballot being voted on is the one people look for.
    return chosen.sort((a, b) => (a.draftedAt < b.draftedAt ? 1 : a.draftedAt > b.draftedAt ? -1 : 0));
  }
}

@QueryHandler(GetBallotQuery)
export class GetBallotHandler implements IQueryHandler<GetBallotQuery> {
  constructor(@Inject(READ_MODEL_STORE) private readonly readModels: ReadModelStore) {}

  execute({ ballotId }: GetBallotQuery): Promise<BallotView | undefined> {
    return this.readModels.get<BallotView>(BALLOTS_COLLECTION, ballotId);
  }
}
