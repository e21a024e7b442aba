import { Controller, Get, Inject } from '@nestjs/common';
import { ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { Public } from '../../libs/auth/index.js';
import type { EventStore } from '../../libs/event-store/index.js';
import { EVENT_STORE } from '../../libs/kernel/tokens.js';

@ApiTags('health')
@Controller()
export class HealthController {
  constructor(@Inject(EVENT_STORE) private readonly store: EventStore) {}

  /** Answers 200 when the event store answers; the head position tells how far the log goes. */
  @Public()
  @Get('health')
  @ApiOkResponse({ description: 'The API and its event store answer' })
  async health(): Promise<{ status: 'ok'; store: string; headPosition: number }> {
    return { status: 'ok', store: this.store.kind, headPosition: await this.store.headPosition() };
  }
}
