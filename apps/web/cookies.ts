import type { Request, Response } from 'express';

/** The cookies a request carries (`Cookie: a=1; b=2`), values URI-decoded; a malformed value is skipped. */
export function readCookies(request: Request): Record<string, string> {
  const cookies: Record<string, string> = {};
  for (const pair of (request.headers.cookie ?? '').split(';')) {
    const at = pair.indexOf('=');
    if (at < 1) continue;
    const name = pair.slice(0, at).trim();
    try {
      cookies[name] = decodeURIComponent(pair.slice(at + 1).trim());
    } catch {
      // A value someone else wrote and mangled: ignoring it is the same as not having it.
    }
  }
  return cookies;
}

export interface CookieOptions {
  /** Seconds; 0 deletes the cookie. Without it the cookie lasts for the browser session. */
  maxAge?: number;
  /** Readable by the page's script (the CSRF cookie is not needed there either, so this is always false today). */
  httpOnly?: boolean;
}

/**
 * Sets a cookie the way every web cookie here is set: path `/`, `SameSite=Lax` (a cross-site form post never
 * carries it), `HttpOnly`, and `Secure` when the request came over HTTPS (directly or through a proxy that says so).
 */
export function setCookie(request: Request, response: Response, name: string, value: string, options: CookieOptions = {}): void {
  const parts = [`${name}=${encodeURIComponent(value)}`, 'Path=/', 'SameSite=Lax'];
  if (options.httpOnly ?? true) parts.push('HttpOnly');
  if (options.maxAge !== undefined) parts.push(`Max-Age=${Math.max(0, Math.floor(options.maxAge))}`);
  if (request.secure || request.headers['x-forwarded-proto'] === 'https') parts.push('Secure');
  response.append('Set-Cookie', parts.join('; '));
}
