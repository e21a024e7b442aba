import { Inject, Injectable } from '@nestjs/common';
import type { Request, Response } from 'express';
import type { Principal, Role } from '../../libs/auth/index.js';
import type { TokenVerifier } from '../../libs/auth/token-verifier.js';
import type { SafeHtml } from '../../libs/html/index.js';
import type { ProblemDocument } from '../../libs/http/index.js';
import { ApiClient, type ApiAnswer } from './api-client.js';
import { setFlash, takeFlash } from './flash.js';
import { page } from './layout.js';
import { problemPage } from './problem-page.js';
import { CSRF_FIELD, csrfMatches, csrfToken, readSession, type WebSession } from './session.js';

export const WEB_TOKEN_VERIFIER = Symbol('WEB_TOKEN_VERIFIER');

/** Everything a page handler needs for one request. */
export interface PageRequest {
  request: Request;
  response: Response;
  session?: WebSession;
  principal?: Principal;
  csrf: string;
  /** The API, called as the signed-in person (or anonymously). */
  api: ApiClient;
  /** Sends a whole page (200 unless `status`). */
  render(title: string, body: SafeHtml, options?: { status?: number; refreshSeconds?: number }): void;
  /** 303 to `location`, with a one-time notice shown there. */
  redirect(location: string, notice?: string): void;
  /** Sends a problem as a page, with this person's header. */
  problem(problem: ProblemDocument): void;
}

/** The body of an API answer, or undefined after showing its problem (a 403 for this role, a 404) as the page. */
export function bodyOr<T>(context: PageRequest, answer: ApiAnswer<T>): T | undefined {
  if (answer.ok) return answer.body;
  context.problem(answer.problem);
  return undefined;
}

/**
 * The pages' request plumbing: the session from its cookie, the CSRF token, the API client, and sign-in and
 * role checks that answer as a browser expects (a redirect to sign in, a readable 403 page).
 */
@Injectable()
export class WebPages {
  constructor(@Inject(WEB_TOKEN_VERIFIER) private readonly verify: TokenVerifier) {}

  async open(request: Request, response: Response): Promise<PageRequest> {
    const session = await readSession(request, this.verify);
    const csrf = csrfToken(request, response);
    const notice = takeFlash(request, response);
    const principal = session?.principal;
    const send = (status: number, markup: string) => {
      response.status(status).type('html').setHeader('Cache-Control', 'no-store');
      response.send(markup);
    };
    return {
      request,
      response,
      ...(session !== undefined && { session, principal }),
      csrf,
      api: ApiClient.for(request, session?.token),
      render: (title, body, options = {}) =>
        send(options.status ?? 200, page({ title, body, principal, csrf, path: request.path, notice, refreshSeconds: options.refreshSeconds })),
      redirect: (location, message) => {
        if (message !== undefined) setFlash(request, response, message);
        response.redirect(303, location);
      },
      problem: (problem) => send(problem.status, problemPage(problem, { principal, csrf, path: request.path })),
    };
  }

  /**
   * The page for a signed-in person holding one of `roles` (any role when empty), or undefined after answering:
   * a redirect to the sign-in page (coming back here afterwards), or a 403 page naming the roles needed.
   */
  async signedIn(request: Request, response: Response, roles: Role[] = []): Promise<PageRequest | undefined> {
    const context = await this.open(request, response);
    if (context.principal === undefined) {
      response.redirect(303, `/sign-in?next=${encodeURIComponent(request.originalUrl)}`);
      return undefined;
    }
    if (roles.length > 0 && !roles.some((role) => context.principal!.roles.includes(role))) {
      context.problem({
        type: 'https://u4ssc.example/problems/missing-role',
        title: 'Forbidden',
        status: 403,
        detail: `This page is for the ${roles.join(' or ')} role; you are signed in with ${context.principal.roles.join(', ') || 'no role'}.`,
      });
      return undefined;
    }
    return context;
  }

  /** True when the posted form carries this browser's CSRF token; otherwise answers 403 and returns false. */
  checkCsrf(context: PageRequest, body: Record<string, unknown> | undefined): boolean {
    if (csrfMatches(context.request, body?.[CSRF_FIELD])) return true;
    context.problem({
      type: 'https://u4ssc.example/problems/csrf',
      title: 'Forbidden',
      status: 403,
      detail: 'This form was not sent from this site’s page, or the page is too old: go back, reload the page and send it again.',
    });
    return false;
  }
}
