/** Nest injection tokens for the engine's ports. */
export const EVENT_STORE = Symbol('EVENT_STORE');
export const READ_MODEL_STORE = Symbol('READ_MODEL_STORE');
export const CLOCK = Symbol('CLOCK');
export const APP_CONFIG = Symbol('APP_CONFIG');
