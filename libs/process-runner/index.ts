export * from './process-definition.js';
export * from './fold.js';
export * from './load-process.js';
export * from './snapshot-state.js';
export * from './log-integrity.js';
export * from './resume.js';
export * from './state-cache.js';
export * from './run-command.js';
