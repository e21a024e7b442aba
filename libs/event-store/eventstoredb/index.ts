export * from './eventstoredb-event-store.js';
export * from './eventstoredb-errors.js';
export * from './eventstoredb-mapping.js';
