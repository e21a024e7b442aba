export * from './port.js';
export * from './memory/memory-read-model-store.js';
export * from './sqlite/sqlite-read-model-store.js';
