export * from './open-stores.js';
export * from './event-appended.js';
export * from './process-commands.service.js';
export * from './engine.module.js';
export * from './leader-tasks.js';
export * from './leadership/leadership.js';
export * from './leadership/postgres-leadership.js';
export * from './copy-log.js';
