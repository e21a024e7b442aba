import { RecentMap } from '../kernel/recent-map.js';
import type { Principal } from './principal.js';

/** A verified token: who it speaks for and until when it is valid (`exp`, seconds since the epoch). */
export interface VerifiedToken {
  principal: Principal;
  exp: number;
}

export interface TokenCacheOptions {
  /** Tokens remembered at most; the least recently used goes first. Default 1,000. */
  maxEntries?: number;
  /**
   * How long a token is trusted without checking its signature again, at most; default 60 s. Never past its
   * `exp`. Short, so that a provider's key rotation reaches tokens already seen within a minute.
   */
  maxAgeMs?: number;
  /** Milliseconds since the epoch; default Date.now (tests move it). */
  now?: () => number;
}

/**
 * Remembers tokens that verified, by their exact text, so that a client sending the same bearer token with each
 * request (a Partner's representative voting, a script) has its signature checked once, not per request: the jose
 * check was 6% of a vote's server CPU.
 *
 * Safe because an entry is only ever the result of a full verification of that very string (any other string,
 * however close, is verified afresh), it is dropped at the token's `exp` (jose accepts a token until then, and
 * external ones up to 30 s later: the cache is the stricter), and failures are never remembered: a token that
 * failed (expired, forged, or the key set unreachable) is verified again next time. Bounded, so a flood of
 * distinct tokens costs memory for `maxEntries` at most. Each caller gets its own copy of the principal.
 */
export function cachedTokens(
  verify: (token: string) => Promise<VerifiedToken>,
  options: TokenCacheOptions = {},
): (token: string) => Promise<Principal> {
  const maxEntries = options.maxEntries ?? 1000;
  const maxAgeMs = options.maxAgeMs ?? 60_000;
  const now = options.now ?? Date.now;
  const entries = new RecentMap<string, { principal: Principal; until: number }>(maxEntries);
  const copy = (principal: Principal): Principal => ({ ...principal, roles: [...principal.roles] });
  return async (token) => {
    const cached = entries.get(token);
    if (cached) {
      if (now() < cached.until) return copy(cached.principal);
      entries.delete(token);
    }
    const verified = await verify(token);
    const until = Math.min(verified.exp * 1000, now() + maxAgeMs);
    if (now() < until) entries.set(token, { principal: copy(verified.principal), until });
    return copy(verified.principal);
  };
}
