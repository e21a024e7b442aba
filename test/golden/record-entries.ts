import request from 'supertest';
import type { StoredEvent } from '../../libs/envelope/index.js';
import type { ApiHarness } from '../support/api-harness.js';
import type { GoldenEntry } from './golden-log.js';

/**
 * Collects the events appended since the last call, each with the state the API gives its stream at that
 * event's position (GET /v1/processes/{stream}?position=): what the engine answered during the run.
 */
export function recordEntries(api: ApiHarness, auditor: string): (() => Promise<void>) & { entries: GoldenEntry[] } {
  const entries: GoldenEntry[] = [];
  let seen = 0;
  const record = async () => {
    for (;;) {
      const page = await api.stores.events.readAll({ after: seen });
      for (const event of page.events as StoredEvent[]) {
        const state = await request(api.server).get(`/v1/processes/${event.stream}?position=${event.position}`).set('Authorization', auditor).expect(200);
        entries.push({ event, state: { value: state.body.state, context: state.body.context } });
        seen = event.position;
      }
      if (page.end) return;
    }
  };
  return Object.assign(record, { entries });
}
