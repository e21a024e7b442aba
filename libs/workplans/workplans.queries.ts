import { Inject, Injectable } from '@nestjs/common';
import { Query, QueryBus, QueryHandler, type IQueryHandler } from '@nestjs/cqrs';
import { BALLOTS_COLLECTION, type BallotView } from '../ballots/ballot.view.js';
import type { EventStore } from '../event-store/index.js';
import { EVENT_STORE, READ_MODEL_STORE } from '../kernel/tokens.js';
import { OfficeAuthority } from '../offices/office-authority.js';
import { partnerAt } from '../partners/partner-periods.js';
import type { ReadModelStore } from '../read-models/port.js';
import { allowedCommands, type Caller, type WorkplanCommandName } from './workplan-allowed.js';
import { workplanStream } from './workplan.process.js';
import { applyWorkplanEvent, WORKPLANS_COLLECTION, type WorkplanView } from './workplan.view.js';

export class ListWorkplansQuery extends Query<WorkplanView[]> {
  constructor(
    /** Every cycle as recorded up to this instant (those not yet opened then are left out); default: now. */
    readonly at?: Date,
  ) {
    super();
  }
}

export class GetWorkplanQuery extends Query<WorkplanView | undefined> {
  constructor(
    readonly cycle: string,
    /** The cycle as recorded up to this instant (time travel); default: the read model now. */
    readonly at?: Date,
  ) {
    super();
  }
}

@QueryHandler(ListWorkplansQuery)
export class ListWorkplansHandler implements IQueryHandler<ListWorkplansQuery> {
  constructor(
    @Inject(READ_MODEL_STORE) private readonly readModels: ReadModelStore,
    private readonly queries: QueryBus,
  ) {}

  async execute({ at }: ListWorkplansQuery): Promise<WorkplanView[]> {
    const now = await this.readModels.list<WorkplanView>(WORKPLANS_COLLECTION);
    const views = at ? await Promise.all(now.map((view) => this.queries.execute(new GetWorkplanQuery(view.cycle, at)))) : now;
    // Newest cycle first.
    return views.filter((view): view is WorkplanView => view !== undefined).sort((a, b) => (a.cycle < b.cycle ? 1 : a.cycle > b.cycle ? -1 : 0));
  }
}

@QueryHandler(GetWorkplanQuery)
export class GetWorkplanHandler implements IQueryHandler<GetWorkplanQuery> {
  constructor(
    @Inject(READ_MODEL_STORE) private readonly readModels: ReadModelStore,
    @Inject(EVENT_STORE) private readonly events: EventStore,
  ) {}

  /** Now: the read model. At an instant: the same fold over the cycle's events recorded up to it. */
  async execute({ cycle, at }: GetWorkplanQuery): Promise<WorkplanView | undefined> {
    if (!at) return this.readModels.get<WorkplanView>(WORKPLANS_COLLECTION, cycle);
    let view: WorkplanView | undefined;
    for (const event of await this.events.readStream(workplanStream(cycle))) {
      if (Date.parse(event.metadata.occurredAt) > at.getTime()) break;
      view = applyWorkplanEvent(view, event);
    }
    return view;
  }
}

/** The person asking, as the token says (roles, org) and as the registers said at the instant. */
export interface Asker {
  id: string;
  roles: readonly string[];
  org?: string;
}

/** A cycle as answered to a caller: the read model plus the commands this caller may send next. */
export type WorkplanResponse = WorkplanView & { at: string; allowed: WorkplanCommandName[] };

/** Works out what a caller may do next on a cycle, from the Partner and office registers at the instant. */
@Injectable()
export class WorkplanCallers {
  constructor(
    @Inject(READ_MODEL_STORE) private readonly readModels: ReadModelStore,
    private readonly authority: OfficeAuthority,
    private readonly queries: QueryBus,
  ) {}

  async caller(asker: Asker, at: Date): Promise<Caller> {
    const partner = asker.org && asker.roles.includes('partner') ? await partnerAt(this.readModels, asker.org, at) : undefined;
    const [leader, ipLeader, team] = await Promise.all([
      this.authority.holding(asker.id, ['leader'], at),
      this.authority.holding(asker.id, ['ip-leader'], at),
      this.authority.holding(asker.id, ['chair', 'vice-chair'], at),
    ]);
    return {
      roles: asker.roles,
      registeredPartner: partner?.partnerNow === true,
      leader: leader.held !== undefined,
      ipLeader: ipLeader.held !== undefined,
      managementTeam: team.held !== undefined,
    };
  }

  async present(view: WorkplanView, asker: Asker, at: Date): Promise<WorkplanResponse> {
    const current = view.ballots.at(-1);
    const ballot = current && view.state === 'voting' ? await this.readModels.get<BallotView>(BALLOTS_COLLECTION, current.ballotId) : undefined;
    const allowed = allowedCommands(view, await this.caller(asker, at), at, ballot?.status === 'withdrawn');
    return { ...view, at: at.toISOString(), allowed };
  }

  async get(cycle: string, asker: Asker, now: Date, at?: Date): Promise<WorkplanResponse | undefined> {
    const view = await this.queries.execute(new GetWorkplanQuery(cycle, at));
    return view ? this.present(view, asker, at ?? now) : undefined;
  }
}
