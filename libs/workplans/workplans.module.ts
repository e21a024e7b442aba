import { Module, type DynamicModule } from '@nestjs/common';
import { OfficeAuthority } from '../offices/office-authority.js';
import { OfficeRegister } from '../offices/office-register.service.js';
import { WORKPLAN_CATCH_UP_OPTIONS, WorkplanAgreementSaga, type AgreementCatchUpOptions } from './workplan-agreement.saga.js';
import {
  AgreementBallotHandler,
  CompileWorkplanHandler,
  OpenWorkplanHandler,
  PresentWorkplanHandler,
  RecordWorkplanOutcomeHandler,
  ReopenWorkplanInputsHandler,
  ReviewWorkplanHandler,
  SubmitWorkplanInputHandler,
} from './workplans.commands.js';
import { GetWorkplanHandler, ListWorkplansHandler, WorkplanCallers } from './workplans.queries.js';

/**
 * The yearly workplan cycle (ToR ¶10(a)-(d), ¶17(b), ¶20(b)): commands, queries, the agreement saga and its
 * catch-up (a leader task). The projection (`workplansProjection`) is given to the engine. Who holds which office
 * comes from the offices library's `OfficeAuthority` (stateless readers of the office streams, provided here so this
 * module does not start a second office scheduler); the agreement ballot is opened through `OpenBallotCommand`, whose
 * handler the ballots module registers on the same command bus.
 */
@Module({
  providers: [
    OfficeRegister,
    OfficeAuthority,
    OpenWorkplanHandler,
    SubmitWorkplanInputHandler,
    ReopenWorkplanInputsHandler,
    CompileWorkplanHandler,
    ReviewWorkplanHandler,
    PresentWorkplanHandler,
    AgreementBallotHandler,
    RecordWorkplanOutcomeHandler,
    ListWorkplansHandler,
    GetWorkplanHandler,
    WorkplanCallers,
    WorkplanAgreementSaga,
  ],
  exports: [WorkplanCallers, WorkplanAgreementSaga],
})
export class WorkplansModule {
  /** With options for the catch-up (the API, tests); import `WorkplansModule` itself for the defaults (the CLI). */
  static forRoot(options: AgreementCatchUpOptions = {}): DynamicModule {
    return { module: WorkplansModule, providers: [{ provide: WORKPLAN_CATCH_UP_OPTIONS, useValue: options }] };
  }
}
