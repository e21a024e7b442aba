export * from './app-config.js';
export * from './config-error.js';
export * from './load-config.js';
export * from './token-secret.js';
export * from './signing-key-file.js';
