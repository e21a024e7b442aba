import { Module } from '@nestjs/common';
import { ImportPartnerHandler, RegisterPartnerHandler, WithdrawPartnerHandler } from './partners.commands.js';
import { GetPartnerHandler, GetPartnerRecordHandler, ListPartnersHandler } from './partners.queries.js';

/** Partner membership (ToR ¶12, Annex II): commands and queries; the projection is given to the engine. */
@Module({
  providers: [RegisterPartnerHandler, ImportPartnerHandler, WithdrawPartnerHandler, ListPartnersHandler, GetPartnerHandler, GetPartnerRecordHandler],
})
export class PartnersModule {}
