import { Module } from '@nestjs/common';
import { AuditController } from './audit.controller.js';
import { ProcessesController } from './processes.controller.js';

/** The auditors' endpoints (issue 6): `/v1/processes/{stream}` replay and history, `/v1/audit/verify|export`. */
@Module({ controllers: [ProcessesController, AuditController] })
export class AuditApiModule {}
