import { Controller, Get, Inject } from '@nestjs/common';
import { ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { Public } from '../../libs/auth/index.js';
import type { EventStore } from '../../libs/event-store/index.js';
import { EVENT_STORE } from '../../libs/kernel/tokens.js';
import { LeaderTasks } from '../../libs/engine/index.js';

@ApiTags('health')
@Controller()
export class HealthController {
  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    private readonly tasks: LeaderTasks,
  ) {}

  /**
   * Answers 200 when the event store answers; the head position tells how far the log goes, and `background`
   * whether this instance runs the projector and schedulers (the leader) or leaves them to another.
   */
  @Public()
  @Get('health')
  @ApiOkResponse({ description: 'The API and its event store answer' })
  async health(): Promise<{ status: 'ok'; store: string; headPosition: number; background: 'leader' | 'follower' }> {
    return {
      status: 'ok',
      store: this.store.kind,
      headPosition: await this.store.headPosition(),
      background: this.tasks.isRunning ? 'leader' : 'follower',
    };
  }
}
