import type { StoredEvent } from '../envelope/index.js';

/** Published on Nest's EventBus after each append, for sagas that react to other processes' decisions. */
export class EventAppended {
  constructor(readonly event: StoredEvent) {}
}
