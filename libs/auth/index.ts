export * from './auth-providers.js';
export * from './auth.guard.js';
export * from './authenticated-request.js';
export * from './decorators.js';
export * from './local-token.js';
export * from './principal.js';
export * from './token-verifier.js';
