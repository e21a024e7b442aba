export * from './projection.js';
export * from './doc-session.js';
export * from './projector.js';
