import { randomBytes, timingSafeEqual } from 'node:crypto';
import type { Request, Response } from 'express';
import { decodeJwt } from 'jose';
import type { Principal } from '../../libs/auth/index.js';
import type { TokenVerifier } from '../../libs/auth/token-verifier.js';
import { readCookies, setCookie } from './cookies.js';

/**
 * A signed-in person's session is their bearer token, kept in an HttpOnly cookie: the pages call the API with it,
 * so the API's own checks (roles, organisation, office register) decide every action, exactly as for curl or the
 * CLI. Nothing is kept on the server, so every instance of a multi-instance deployment serves every session.
 */
export const SESSION_COOKIE = 'u4ssc_session';
/** Double-submit CSRF token: a form posts it back, and it must equal this cookie. */
export const CSRF_COOKIE = 'u4ssc_csrf';
export const CSRF_FIELD = '_csrf';

export interface WebSession {
  token: string;
  principal: Principal;
}

/** The session of the request, or undefined when there is none or its token no longer verifies (expired, revoked key). */
export async function readSession(request: Request, verify: TokenVerifier): Promise<WebSession | undefined> {
  const token = readCookies(request)[SESSION_COOKIE];
  if (token === undefined || token === '') return undefined;
  try {
    return { token, principal: await verify(token) };
  } catch {
    return undefined;
  }
}

/** Starts a session that ends when the token expires (the token's `exp`), never later. */
export function startSession(request: Request, response: Response, token: string): void {
  const { exp } = decodeJwt(token);
  const maxAge = typeof exp === 'number' ? exp - Math.floor(Date.now() / 1000) : undefined;
  setCookie(request, response, SESSION_COOKIE, token, maxAge === undefined ? {} : { maxAge });
}

export function endSession(request: Request, response: Response): void {
  setCookie(request, response, SESSION_COOKIE, '', { maxAge: 0 });
}

/** The request's CSRF token, issuing one (as a cookie on the response) when the browser has none yet. */
export function csrfToken(request: Request, response: Response): string {
  const existing = readCookies(request)[CSRF_COOKIE];
  if (existing !== undefined && /^[A-Za-z0-9_-]{43}$/.test(existing)) return existing;
  // A second call in the same request must give the same value, not set a second cookie.
  const issued = issuedCsrf.get(request);
  if (issued !== undefined) return issued;
  const fresh = randomBytes(32).toString('base64url');
  setCookie(request, response, CSRF_COOKIE, fresh);
  issuedCsrf.set(request, fresh);
  return fresh;
}

/** The CSRF token issued while answering a request that came without one. */
const issuedCsrf = new WeakMap<Request, string>();

/** True when a posted form carries the CSRF token of its browser's cookie. */
export function csrfMatches(request: Request, posted: unknown): boolean {
  const cookie = readCookies(request)[CSRF_COOKIE];
  if (cookie === undefined || typeof posted !== 'string' || posted.length !== cookie.length) return false;
  return timingSafeEqual(Buffer.from(posted), Buffer.from(cookie));
}
