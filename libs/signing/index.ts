export * from './signing-key.js';
export * from './key-events.js';
export * from './key-ring.js';
