import { Module, type DynamicModule } from '@nestjs/common';
import { OfficeAuthority } from './office-authority.js';
import { OfficeRegister } from './office-register.service.js';
import { OfficeScheduler } from './office-scheduler.js';
import { OFFICE_OPTIONS, officeSettingsProvider } from './office-settings.provider.js';
import type { OfficeSettings } from './office-settings.js';
import {
  AppointHolderHandler,
  EndTermHandler,
  ImportHolderHandler,
  MarkRenewalDueHandler,
  NominateCandidateHandler,
  RenewTermHandler,
  ResignOfficeHandler,
} from './offices.commands.js';
import { GetOfficeHandler, ListOfficesHandler, UpcomingExpiriesHandler } from './offices.queries.js';

/**
 * Offices and two-year tenures (ToR ¶13(a), ¶15, ¶19, ¶28, Annex I): commands, queries, the office register, the
 * tenure-aware `OfficeAuthority` other processes' decide steps use, and the term scheduler (a leader task). The
 * projections (`officesProjection`, `officeDueDatesProjection`) are given to the engine. Ballots and Partners are
 * read from their read models, so no other process module is needed.
 */
@Module({
  providers: [
    officeSettingsProvider,
    OfficeRegister,
    OfficeAuthority,
    NominateCandidateHandler,
    AppointHolderHandler,
    RenewTermHandler,
    ImportHolderHandler,
    ResignOfficeHandler,
    EndTermHandler,
    MarkRenewalDueHandler,
    ListOfficesHandler,
    GetOfficeHandler,
    UpcomingExpiriesHandler,
    OfficeScheduler,
  ],
  exports: [OfficeAuthority, OfficeRegister, OfficeScheduler],
})
export class OfficesModule {
  /** With settings (the API, tests); import `OfficesModule` itself for the environment's (the CLI). */
  static forRoot(options: Partial<OfficeSettings> = {}): DynamicModule {
    return { module: OfficesModule, providers: [{ provide: OFFICE_OPTIONS, useValue: options }] };
  }
}
