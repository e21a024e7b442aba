import { Controller, Get, Inject, Param, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { replayStream, UnknownProcessError, type HistoryEntry, type ProcessReplay, type StreamReplay } from '../../../libs/audit/index.js';
import { CurrentPrincipal, Roles, type Principal } from '../../../libs/auth/index.js';
import type { EventStore } from '../../../libs/event-store/index.js';
import { ProblemException, problemType, validationProblem } from '../../../libs/http/index.js';
import { EVENT_STORE } from '../../../libs/kernel/tokens.js';
import { IllegalHistoryError } from '../../../libs/process-runner/index.js';
import { AsOfQueryDto } from './audit.dto.js';
import { secretBallotsRefused } from './secret-ballots.js';
import { seesEveryVote } from '../../../libs/ballots/ballot-visibility.js';
import { parseInstant } from '../../../libs/kernel/instant.js';

/**
 * Point-in-time replay of any process (docs/architecture.md §1, item 2): its state, context and next steps, and its
 * history with who acted, in what capacity, under which clause and rule version.
 *
 * Who may read: auditors and the Secretariat. The full history names every person and every vote, before the
 * process has ended; Partners and participants see decisions through each process's own views (e.g.
 * `GET /v1/partners?at=`), which show what their role may see.
 */
@ApiTags('audit')
@ApiBearerAuth()
@Roles('auditor', 'secretariat')
@Controller('v1/processes')
export class ProcessesController {
  constructor(@Inject(EVENT_STORE) private readonly store: EventStore) {}

  @Get(':stream')
  @ApiOperation({ summary: 'A process’s state, context and allowed next steps, now or `at` an instant or `position`' })
  async state(@Param('stream') stream: string, @Query() query: AsOfQueryDto, @CurrentPrincipal() principal: Principal): Promise<ProcessReplay> {
    // The state and the steps allowed next are the Secretariat's to see (its forms ask them); a running ballot's
    // context holds the votes, which stay secret from it until the close.
    const { replay, secret } = await this.replay(stream, query, principal);
    return secret ? { ...replay, context: { redacted: 'the votes stay secret until the ballot is closed (ToR ¶13(b)); auditors see them' } } : replay;
  }

  @Get(':stream/history')
  @ApiOperation({ summary: 'Every event of a process (up to `at` or `position`): actor, capacity, clauses, machine and ToR versions, hashes' })
  async history(
    @Param('stream') stream: string,
    @Query() query: AsOfQueryDto,
    @CurrentPrincipal() principal: Principal,
  ): Promise<{ stream: string; machine: ProcessReplay['machine']; state: string; events: HistoryEntry[] }> {
    const { replay, history, secret } = await this.replay(stream, query, principal);
    if (secret) throw secretBallotsRefused([`${stream} (${secret})`]);
    return { stream, machine: replay.machine, state: replay.state, events: history };
  }

  /** The replay, and, for a ballot whose votes are secret from this person as it stands now, its state now. */
  private async replay(stream: string, query: AsOfQueryDto, principal: Principal): Promise<StreamReplay & { secret: string | null }> {
    if (query.at !== undefined && query.position !== undefined) {
      throw validationProblem([{ field: 'position', messages: ['give at or position, not both'] }]);
    }
    try {
      const asOf = {
        ...(query.at !== undefined && { at: parseInstant(query.at) }),
        ...(query.position !== undefined && { position: Number(query.position) }),
      };
      const found = await replayStream(this.store, stream, asOf);
      if (found.replay.machine.id !== 'ballot' || seesEveryVote('open', principal)) return { ...found, secret: null };
      // Secret as the ballot stands now, whatever instant is asked for.
      const now = asOf.at !== undefined || asOf.position !== undefined ? await replayStream(this.store, stream) : found;
      return { ...found, secret: seesEveryVote(now.replay.state, principal) ? null : now.replay.state };
    } catch (error) {
      if (error instanceof UnknownProcessError || error instanceof IllegalHistoryError) {
        throw new ProblemException({
          type: problemType('unreplayable-history'),
          title: 'History cannot be replayed',
          status: 500,
          detail: `${error.message}; run \`u4ssc verify\` for the whole log.`,
          stream,
        });
      }
      throw error;
    }
  }
}
