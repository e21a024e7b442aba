import type { Request, Response } from 'express';
import { readCookies, setCookie } from './cookies.js';

const FLASH_COOKIE = 'u4ssc_flash';

/**
 * A one-time message for the page a command redirects to ("Your vote was recorded"). Kept in a short-lived
 * cookie, not in the URL, so a link can never make the site say something it did not.
 */
export function setFlash(request: Request, response: Response, message: string): void {
  setCookie(request, response, FLASH_COOKIE, message.slice(0, 500), { maxAge: 60 });
}

/** The pending message, if any; reading it clears it. */
export function takeFlash(request: Request, response: Response): string | undefined {
  const message = readCookies(request)[FLASH_COOKIE];
  if (message === undefined || message === '') return undefined;
  setCookie(request, response, FLASH_COOKIE, '', { maxAge: 0 });
  return message;
}
