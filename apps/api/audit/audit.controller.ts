import { Controller, Get, Inject, Query, StreamableFile } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiProduces, ApiTags } from '@nestjs/swagger';
import { Readable } from 'node:stream';
import { bundleLines, completeHead, engineVersion, scopeOf, verifyWithCheckpoints, type CheckedAuditReport } from '../../../libs/audit/index.js';
import { CurrentPrincipal, Roles, type Principal } from '../../../libs/auth/index.js';
import { parseAnchor } from '../../../libs/envelope/index.js';
import type { EventStore } from '../../../libs/event-store/index.js';
import type { Clock } from '../../../libs/kernel/clock.js';
import { CLOCK, EVENT_STORE, READ_MODEL_STORE, SIGNING_KEY } from '../../../libs/kernel/tokens.js';
import type { ReadModelStore } from '../../../libs/read-models/port.js';
import type { SigningKey } from '../../../libs/signing/index.js';
import { ExportQueryDto, VerifyQueryDto } from './audit.dto.js';
import { refuseSecretBallots } from './secret-ballots.js';
import { parseInstant } from '../../../libs/kernel/instant.js';

/** The auditors' proofs: the whole log verified, and taken away as a bundle to check offline. */
@ApiTags('audit')
@ApiBearerAuth()
@Roles('auditor', 'secretariat')
@Controller('v1/audit')
export class AuditController {
  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(CLOCK) private readonly clock: Clock,
    @Inject(SIGNING_KEY) private readonly signingKey: SigningKey | null,
    @Inject(READ_MODEL_STORE) private readonly readModels: ReadModelStore,
  ) {}

  @Get('verify')
  @ApiOperation({
    summary:
      'Check the log: hashes, chains, revisions, positions, every signature against the keys the log published (and any `trustKey` pinned), every event replayed through its pinned machine, and any published `anchor`s. `ok: false` names the first fault. By default only the events after the last verified checkpoint are checked (`verification.kind: incremental`); `full=true` checks the whole log. `verification.lastFull` says when the last full check ran and what it found.',
  })
  verify(@Query() query: VerifyQueryDto): Promise<CheckedAuditReport> {
    const trustKeys = [...(query.trustKey ?? []), ...(this.signingKey ? [this.signingKey.keyId] : [])];
    return verifyWithCheckpoints(this.store, this.readModels, {
      incremental: query.full !== 'true',
      ...(this.signingKey && { signingKey: this.signingKey }),
      now: () => this.clock.now(),
      anchors: (query.anchor ?? []).map(parseAnchor),
      trustKeys,
    });
  }

  @Get('export')
  @ApiProduces('application/x-ndjson')
  @ApiOperation({
    summary:
      'The log (or one `stream`, or a `from`/`to` time range) as a bundle: JSON Lines, the manifest first; `u4ssc verify --bundle` checks it offline',
  })
  async export(@Query() query: ExportQueryDto, @CurrentPrincipal() principal: Principal): Promise<StreamableFile> {
    await refuseSecretBallots(this.store, principal, query.stream !== undefined ? [query.stream] : undefined);
    const selection = {
      ...(query.stream !== undefined && { stream: query.stream }),
      ...(query.from !== undefined && { from: parseInstant(query.from) }),
      ...(query.to !== undefined && { to: parseInstant(query.to) }),
    };
    const now = this.clock.now();
    const name = `u4ssc-${scopeOf(selection)}-${now.toISOString().replace(/[:.]/g, '-')}.jsonl`;
    // Checked before the response starts, so a log readers see only in part is refused as a problem document.
    const upTo = await completeHead(this.store, 'export');
    const lines = bundleLines(this.store, { ...selection, engine: engineVersion(), now, upTo });
    return new StreamableFile(Readable.from(lines), {
      type: 'application/x-ndjson; charset=utf-8',
      disposition: `attachment; filename="${name}"`,
    });
  }
}
