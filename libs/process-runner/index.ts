export * from './process-definition.js';
export * from './fold.js';
export * from './load-process.js';
export * from './run-command.js';
