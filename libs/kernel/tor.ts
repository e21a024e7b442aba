/**
 * The Terms of Reference version the engine encodes (../shared/tor/U4SSC-Terms-of-Reference.txt). Every event
 * records it, so a later revision of the ToR (¶9) never re-interprets a past decision.
 */
export const TOR_VERSION = 'U4SSC-ToR-2023';
