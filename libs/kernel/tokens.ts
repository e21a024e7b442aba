/** Nest injection tokens for the engine's ports. */
export const EVENT_STORE = Symbol('EVENT_STORE');
/** The key the event store signs with (a SigningKey), or null: verify pins it as the engine's own. */
export const SIGNING_KEY = Symbol('SIGNING_KEY');
export const READ_MODEL_STORE = Symbol('READ_MODEL_STORE');
export const CLOCK = Symbol('CLOCK');
export const APP_CONFIG = Symbol('APP_CONFIG');
/** The DeadlineBounds in force (libs/config): how near and how far a recorded deadline may fall. */
export const DEADLINE_BOUNDS = Symbol('DEADLINE_BOUNDS');
