import { Module, type DynamicModule } from '@nestjs/common';
import { BallotDecidedPublisher } from './ballot-decided.js';
import { BALLOT_SCHEDULER_OPTIONS, BallotDeadlineScheduler, type BallotSchedulerOptions } from './ballot-scheduler.js';
import { CastVoteHandler, CloseBallotHandler, OpenBallotHandler, RULE_TABLE, WithdrawBallotHandler } from './ballots.commands.js';
import { GetBallotHandler, ListBallotsHandler } from './ballots.queries.js';
import { BALLOT_RULE_TABLE } from './rule-table.js';
import { PartnersModule } from '../partners/partners.module.js';

/**
 * Partners Board ballots (ToR ¶13(b), ¶19): commands, queries, the deadline scheduler (a leader task) and the
 * `BallotDecided` notification. The projections (`ballotsProjection`, `ballotDeadlinesProjection`) are given to the
 * engine. The electorate is read through `ListPartnersQuery`, so the Partner register's module is imported.
 */
@Module({
  imports: [PartnersModule],
  providers: [
    { provide: RULE_TABLE, useValue: BALLOT_RULE_TABLE },
    OpenBallotHandler,
    CastVoteHandler,
    CloseBallotHandler,
    WithdrawBallotHandler,
    ListBallotsHandler,
    GetBallotHandler,
    BallotDecidedPublisher,
    BallotDeadlineScheduler,
  ],
  exports: [BallotDeadlineScheduler],
})
export class BallotsModule {
  /** With options for the scheduler (the API); import `BallotsModule` itself for the defaults (the CLI). */
  static forRoot(options: BallotSchedulerOptions = {}): DynamicModule {
    return { module: BallotsModule, providers: [{ provide: BALLOT_SCHEDULER_OPTIONS, useValue: options }] };
  }
}
