export * from './open-stores.js';
export * from './event-appended.js';
export * from './process-commands.service.js';
export * from './engine.module.js';
