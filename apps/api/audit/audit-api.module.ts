import { Module } from '@nestjs/common';
import { AuditController } from './audit.controller.js';
import { DossierController } from './dossier.controller.js';
import { ProcessesController } from './processes.controller.js';

/** The auditors' endpoints (issue 6): `/v1/processes/{stream}` replay and history, `/v1/audit/verify|export`, `/v1/ballots/{id}/dossier`. */
@Module({ controllers: [ProcessesController, AuditController, DossierController] })
export class AuditApiModule {}
