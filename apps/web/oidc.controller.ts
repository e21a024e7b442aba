import { Controller, Get, Inject, Query, Req, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { Public, TokenRejectedError } from '../../libs/auth/index.js';
import type { TokenVerifier } from '../../libs/auth/token-verifier.js';
import type { AppConfig } from '../../libs/config/index.js';
import { html } from '../../libs/html/index.js';
import { APP_CONFIG } from '../../libs/kernel/tokens.js';
import { readCookies, setCookie } from './cookies.js';
import { decodeFlow, encodeFlow, FLOW_SECONDS, OidcClient, OidcSignInProblem, type OidcFlow } from './oidc-client.js';
import { startSession } from './session.js';
import { safeNext } from './sign-in.controller.js';
import { WEB_TOKEN_VERIFIER, WebPages, type PageRequest } from './web-pages.js';

/** The started sign-in's cookie. Over HTTPS its `__Host-` name stops a sibling subdomain from planting one. */
export function flowCookieName(request: Request): string {
  return isHttps(request) ? '__Host-u4ssc_oidc' : 'u4ssc_oidc';
}

/**
 * Sign-in with the external OpenID Connect provider: the authorization code flow with PKCE (S256).
 *
 * `GET /sign-in/oidc?next=` keeps a fresh state, nonce and PKCE verifier in a ten-minute HttpOnly cookie and sends
 * the browser to the provider. `GET /sign-in/callback` checks the state against that cookie, exchanges the code
 * (with the verifier), checks the ID token's nonce, and then checks the **access token** exactly as the API will
 * (the provider's JWKS, issuer, audience, claims): only a token the API accepts starts a session, and the session
 * is that token, so it ends when the token expires. Anything wrong answers a page saying what, and changes nothing.
 *
 * Signing out (POST /sign-out) ends the session here only; the person may still be signed in at the provider.
 */
@ApiExcludeController()
@Public()
@Controller()
export class OidcController {
  private readonly client: OidcClient | undefined;

  constructor(
    private readonly pages: WebPages,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Inject(WEB_TOKEN_VERIFIER) private readonly verify: TokenVerifier,
  ) {
    this.client = config.oidc === undefined ? undefined : new OidcClient(config.oidc);
  }

  @Get('sign-in/oidc')
  async start(@Req() request: Request, @Res() response: Response, @Query('next') next?: string): Promise<void> {
    const context = await this.pages.open(request, response);
    if (this.client === undefined) return this.notConfigured(context);
    try {
      const { url, flow } = await this.client.start(this.redirectUri(request), safeNext(next));
      setCookie(request, response, flowCookieName(request), encodeFlow(flow), { maxAge: FLOW_SECONDS });
      response.setHeader('Cache-Control', 'no-store');
      response.redirect(303, url.href);
    } catch (error) {
      this.refuse(context, error);
    }
  }

  @Get('sign-in/callback')
  async callback(@Req() request: Request, @Res() response: Response): Promise<void> {
    const context = await this.pages.open(request, response);
    if (this.client === undefined) return this.notConfigured(context);
    try {
      const flow = this.checkState(request);
      const callbackUrl = new URL(this.redirectUri(request));
      callbackUrl.search = new URL(request.originalUrl, 'http://callback.invalid').search;
      const token = await this.client.finish(callbackUrl, flow);
      const principal = await this.accepted(token);
      startSession(request, response, token);
      setCookie(request, response, flowCookieName(request), '', { maxAge: 0 });
      context.redirect(safeNext(flow.next), `You are signed in as ${principal.name ?? principal.id} with ${this.config.oidc!.name ?? 'the identity provider'}.`);
    } catch (error) {
      this.refuse(context, error);
    }
  }

  /** The flow this browser started, when the provider's answer carries its state; else a refusal. */
  private checkState(request: Request): OidcFlow {
    const flow = decodeFlow(readCookies(request)[flowCookieName(request)]);
    if (flow === undefined) {
      throw new OidcSignInProblem(400, 'Sign-in refused', `This browser has no sign-in in progress: it was started elsewhere, or more than ${FLOW_SECONDS / 60} minutes ago. Nothing was changed: start again from the sign-in page.`);
    }
    const state = request.query.state;
    if (typeof state !== 'string' || state !== flow.state) {
      throw new OidcSignInProblem(400, 'Sign-in refused', `This answer from the identity provider does not belong to the sign-in this browser started (its state ${typeof state === 'string' ? 'does not match' : 'is missing'}). Nothing was changed: start again from the sign-in page.`);
    }
    return flow;
  }

  /** The person the access token speaks for, when the API will accept it. */
  private async accepted(token: string) {
    try {
      return await this.verify(token);
    } catch (error) {
      if (error instanceof TokenRejectedError) {
        throw new OidcSignInProblem(403, 'Sign-in refused', `The identity provider signed you in, but this service does not accept its access token: ${error.message}. Nothing was changed. The administrators must have the provider issue signed JWT access tokens for this service’s audience, carrying roles and org.`);
      }
      throw new OidcSignInProblem(502, 'Identity provider unreachable', `The identity provider’s keys could not be read to check your sign-in (${(error as { message?: unknown } | undefined)?.message ?? String(error)}). Try again in a moment; if it keeps failing, tell the administrators.`);
    }
  }

  /** The callback address as registered at the provider: configured, or this request's own origin. */
  private redirectUri(request: Request): string {
    return this.config.oidc?.redirectUri ?? `${isHttps(request) ? 'https' : 'http'}://${request.headers.host ?? 'localhost'}/sign-in/callback`;
  }

  /** A refused sign-in as a page: what went wrong, and the way back to try again. */
  private refuse(context: PageRequest, error: unknown): void {
    if (!(error instanceof OidcSignInProblem)) throw error;
    context.render(
      error.title,
      html`<div class="problem" role="alert">
  <p><strong>${error.status} ${error.title}</strong></p>
  <p>${error.detail}</p>
</div>
<p><a class="button" href="/sign-in">Back to sign-in</a> · <a href="/">Home</a></p>`,
      { status: error.status },
    );
  }

  private notConfigured(context: PageRequest): void {
    this.refuse(context, new OidcSignInProblem(404, 'Not available', 'This server has no OpenID Connect provider configured (U4SSC_OIDC_ISSUER is not set): sign in another way.'));
  }
}

function isHttps(request: Request): boolean {
  return request.secure || request.headers['x-forwarded-proto'] === 'https';
}
