export * from './port.js';
export * from './errors.js';
export * from './subscription.js';
export * from './memory/memory-event-store.js';
export * from './sqlite/sqlite-event-store.js';
export * from './read-all-events.js';
