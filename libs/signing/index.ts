export * from './signing-key.js';
export * from './key-events.js';
export * from './key-ring.js';
export * from './key-publication.js';
export * from './signing-keys.process.js';
