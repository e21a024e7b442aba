import { Controller, Get, Header, Inject, Param } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiResponse, ApiTags } from '@nestjs/swagger';
import { BallotNotDecidedError, buildBallotDossier, renderBallotDossier } from '../../../libs/audit/dossier/index.js';
import { Roles } from '../../../libs/auth/index.js';
import { NotFoundError } from '../../../libs/errors/index.js';
import type { EventStore } from '../../../libs/event-store/index.js';
import { ProblemException, problemType } from '../../../libs/http/index.js';
import type { Clock } from '../../../libs/kernel/clock.js';
import { CLOCK, EVENT_STORE } from '../../../libs/kernel/tokens.js';

const BALLOT_ID = /^[A-Za-z0-9-]{1,64}$/;

/**
 * The decision dossier of a decided ballot (issue 6): one self-contained HTML file made from the ballot's events.
 * For auditors and the Secretariat, like the other audit endpoints. Served beside BallotsController on the same
 * prefix; a ballot not decided yet is a 409 naming its state (no provisional dossier: see BallotNotDecidedError).
 */
@ApiTags('audit')
@ApiBearerAuth()
@Roles('auditor', 'secretariat')
@Controller('v1/ballots')
export class DossierController {
  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  @Get(':ballotId/dossier')
  @ApiOkResponse({ description: 'The dossier: one HTML file, inline CSS and SVG, no script', content: { 'text/html': { schema: { type: 'string' } } } })
  @ApiResponse({ status: 404, description: 'No such ballot' })
  @ApiResponse({ status: 409, description: 'The ballot has no decision on record yet (draft, open, withdrawn): the problem names its `state`' })
  @Header('Content-Type', 'text/html; charset=utf-8')
  @Header('Content-Security-Policy', "default-src 'none'; style-src 'unsafe-inline'; img-src data:")
  @ApiOperation({
    summary:
      'A decided ballot’s dossier as one HTML file: subject, frozen rules and electorate, every vote with its actor, the outcome and a recount made now, the path through the machine, the chain proof and anchors',
  })
  async dossier(@Param('ballotId') ballotId: string): Promise<string> {
    if (!BALLOT_ID.test(ballotId)) throw new NotFoundError(`no ballot "${ballotId}" is on record`, { ballotId });
    try {
      return renderBallotDossier(await buildBallotDossier(this.store, ballotId, { now: this.clock.now() }));
    } catch (error) {
      if (error instanceof BallotNotDecidedError) {
        throw new ProblemException({
          type: problemType('ballot-not-decided'),
          title: 'Ballot not decided',
          status: 409,
          detail: `${error.message}. A dossier is made once the outcome is recorded (ToR ¶13(b)).`,
          ballotId,
          state: error.state,
        });
      }
      throw error;
    }
  }
}
