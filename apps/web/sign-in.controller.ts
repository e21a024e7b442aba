import { Body, Controller, Get, Inject, Post, Query, Req, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { issueLocalToken, isRole, Public, ROLES } from '../../libs/auth/index.js';
import type { TokenVerifier } from '../../libs/auth/token-verifier.js';
import { resolveTokenSecret, type AppConfig } from '../../libs/config/index.js';
import { html } from '../../libs/html/index.js';
import { APP_CONFIG } from '../../libs/kernel/tokens.js';
import { problemSummary, renderFields, type FieldSpec, type FormValues } from './forms.js';
import { CSRF_FIELD, endSession, startSession } from './session.js';
import { WEB_TOKEN_VERIFIER, WebPages, type PageRequest } from './web-pages.js';

type FormBody = Record<string, unknown> | undefined;

/** How long a development sign-in lasts: a working day, like `u4ssc token`'s default. */
const DEV_SESSION = '12h';

const DEV_FIELDS: FieldSpec[] = [
  { name: 'sub', label: 'Person id', required: true, hint: 'Who you are in the record (the token’s subject), e.g. ada.lovelace.' },
  { name: 'name', label: 'Name', hint: 'Shown beside your actions.' },
  { name: 'role', label: 'Role', type: 'select', required: true, options: ROLES.map((role) => ({ value: role, label: role })) },
  { name: 'org', label: 'Organisation', hint: 'The Partner you represent (its id, e.g. FAO); required for the partner role.' },
];

/**
 * Sign-in and sign-out. Three ways in, each shown only where it can work:
 * - the external OpenID Connect provider (when configured; see oidc.controller.ts);
 * - a local token from `npx u4ssc token`, pasted (whenever local tokens are on);
 * - the development sign-in, which issues such a token from a form (only with U4SSC_DEV_SIGN_IN=on).
 */
@ApiExcludeController()
@Public()
@Controller()
export class SignInController {
  constructor(
    private readonly pages: WebPages,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Inject(WEB_TOKEN_VERIFIER) private readonly verify: TokenVerifier,
  ) {}

  @Get('sign-in')
  async form(@Req() request: Request, @Res() response: Response, @Query('next') next?: string): Promise<void> {
    this.render(await this.pages.open(request, response), safeNext(next));
  }

  @Post('sign-in/token')
  async withToken(@Req() request: Request, @Res() response: Response, @Body() body: FormBody): Promise<void> {
    const context = await this.pages.open(request, response);
    if (!this.pages.checkCsrf(context, body)) return;
    const next = safeNext(body?.next);
    const token = typeof body?.token === 'string' ? body.token.trim() : '';
    if (this.config.jwksUrl !== undefined) return this.render(context, next, { problem: refused(404, 'Local tokens are off on this server: sign in with the identity provider.') });
    try {
      await this.verify(token);
    } catch (error) {
      const why = error instanceof Error ? error.message : String(error);
      return this.render(context, next, { form: 'token', problem: refused(400, token === '' ? 'Paste a token first.' : `This token was refused: ${why}.`, [{ field: 'token', messages: [token === '' ? 'paste a token' : why] }]) });
    }
    startSession(request, response, token);
    response.redirect(303, next);
  }

  @Post('sign-in/dev')
  async development(@Req() request: Request, @Res() response: Response, @Body() body: FormBody): Promise<void> {
    const context = await this.pages.open(request, response);
    if (!this.pages.checkCsrf(context, body)) return;
    const next = safeNext(body?.next);
    if (!this.config.devSignIn) return this.render(context, next, { problem: refused(404, 'The development sign-in is off on this server (U4SSC_DEV_SIGN_IN is not "on").') });
    const values: FormValues = Object.fromEntries(DEV_FIELDS.map((f) => [f.name, typeof body?.[f.name] === 'string' ? (body[f.name] as string).trim() : '']));
    const errors = [
      ...(/^[A-Za-z0-9._@-]{1,100}$/.test(values.sub!) ? [] : [{ field: 'sub', messages: ['give an id of letters, digits, dots, dashes, underscores or @ (at most 100)'] }]),
      ...(isRole(values.role) ? [] : [{ field: 'role', messages: [`choose one of ${ROLES.join(', ')}`] }]),
      ...(values.role === 'partner' && values.org === '' ? [{ field: 'org', messages: ['a partner representative speaks for an organisation: give its id'] }] : []),
      ...(values.name!.length > 200 ? [{ field: 'name', messages: ['at most 200 characters'] }] : []),
      ...(values.org!.length > 100 ? [{ field: 'org', messages: ['at most 100 characters'] }] : []),
    ];
    if (errors.length > 0) return this.render(context, next, { form: 'dev', values, problem: refused(400, `The sign-in has ${errors.length} invalid field${errors.length > 1 ? 's' : ''}.`, errors) });
    const token = await issueLocalToken(
      resolveTokenSecret(this.config),
      { sub: values.sub!, roles: [values.role as (typeof ROLES)[number]], ...(values.org !== '' && { org: values.org }), ...(values.name !== '' && { name: values.name }) },
      { expiresIn: DEV_SESSION },
    );
    startSession(request, response, token);
    response.redirect(303, next);
  }

  @Post('sign-out')
  async signOut(@Req() request: Request, @Res() response: Response, @Body() body: FormBody): Promise<void> {
    const context = await this.pages.open(request, response);
    if (!this.pages.checkCsrf(context, body)) return;
    endSession(request, response);
    context.redirect('/', 'You are signed out.');
  }

  private render(context: PageRequest, next: string, posted: { form?: 'dev' | 'token'; values?: FormValues; problem?: ReturnType<typeof refused> } = {}): void {
    const { values = {}, problem } = posted;
    const local = this.config.jwksUrl === undefined;
    const hidden = html`<input type="hidden" name="${CSRF_FIELD}" value="${context.csrf}"><input type="hidden" name="next" value="${next}">`;
    const sections = [
      this.config.oidc !== undefined
        ? html`<section aria-labelledby="oidc"><h2 id="oidc">With your organisation’s account</h2>
<p><a class="button" href="/sign-in/oidc?next=${encodeURIComponent(next)}">Sign in with ${this.config.oidc.name ?? 'the identity provider'}</a></p></section>`
        : '',
      this.config.devSignIn
        ? html`<section aria-labelledby="dev"><h2 id="dev">Development sign-in</h2>
<p class="warning">This server lets anyone sign in as anyone (U4SSC_DEV_SIGN_IN=on). Use it on your own machine only.</p>
<form class="stacked" method="post" action="/sign-in/dev" novalidate>${hidden}${renderFields(DEV_FIELDS, values, posted.form === 'dev' ? problem : undefined)}
<div class="actions"><button type="submit">Sign in</button></div></form></section>`
        : '',
      local
        ? html`<section aria-labelledby="token"><h2 id="token">With a local token</h2>
<p>Make one on the server with <code>npx u4ssc token --sub YOUR-ID --role partner --org YOUR-ORG</code> and paste it here.</p>
<form class="stacked" method="post" action="/sign-in/token" novalidate>${hidden}${renderFields([{ name: 'token', label: 'Token', type: 'textarea', required: true }], {}, posted.form === 'token' ? problem : undefined)}
<div class="actions"><button type="submit">Sign in with the token</button></div></form></section>`
        : '',
    ];
    context.render('Sign in', html`${problemSummary(problem)}${sections}`, { status: problem?.status ?? 200 });
  }
}

function refused(status: number, detail: string, errors?: { field: string; messages: string[] }[]) {
  return { type: 'https://u4ssc.example/problems/sign-in', title: status === 404 ? 'Not available' : 'Sign-in refused', status, detail, ...(errors && { errors }) };
}

/** Where to go after signing in: a path on this site only, never another site (an open redirect). */
export function safeNext(next: unknown): string {
  return typeof next === 'string' && next.startsWith('/') && !next.startsWith('//') && !next.startsWith('/\\') ? next : '/';
}
