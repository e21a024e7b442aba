export * from './clock.js';
export * from './ids.js';
export * from './recent-map.js';
export * from './tokens.js';
export * from './tor.js';
export * from './instant.js';
