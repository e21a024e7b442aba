export * from './clock.js';
export * from './ids.js';
export * from './tokens.js';
export * from './tor.js';
