export * from './envelope.js';
export * from './canonical-json.js';
export * from './hash-chain.js';
export * from './event-text.js';
export * from './ledger.js';
export * from './verify.js';
