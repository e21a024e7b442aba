export * from './port.js';
export * from './memory/memory-snapshot-store.js';
export * from './sqlite/sqlite-snapshot-store.js';
export * from './signed-body.js';
