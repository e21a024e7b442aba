import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser } from 'playwright-core';
import { startApi, type ApiHarness } from '../support/api-harness.js';
import { expectAccessible, launchBrowser, newContext, screenshot, signInAs } from '../support/browser.js';

/** A form post as a browser sends it, with the cookies it holds. */
async function post(base: string, path: string, form: Record<string, string>, cookies: string): Promise<Response> {
  return fetch(base + path, {
    method: 'POST',
    redirect: 'manual',
    headers: { 'content-type': 'application/x-www-form-urlencoded', cookie: cookies },
    body: new URLSearchParams(form).toString(),
  });
}

/** The CSRF cookie and field value a fresh visit to the sign-in page hands out. */
async function visit(base: string): Promise<{ csrf: string; cookies: string }> {
  const response = await fetch(`${base}/sign-in`);
  const setCookie = response.headers.getSetCookie().find((c) => c.startsWith('u4ssc_csrf='))!;
  const csrf = decodeURIComponent(setCookie.split(';')[0]!.split('=')[1]!);
  expect(await response.text()).toContain(`name="_csrf" value="${csrf}"`);
  return { csrf, cookies: `u4ssc_csrf=${csrf}` };
}

function sessionCookie(response: Response): string | undefined {
  return response.headers.getSetCookie().find((c) => c.startsWith('u4ssc_session='));
}

describe('web sign-in (ToR-independent plumbing: sessions, CSRF, refusals)', () => {
  let dir: string;
  let api: ApiHarness;
  let base: string;
  let browser: Browser;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'u4ssc-web-sign-in-'));
    api = await startApi({ dir, devSignIn: true });
    base = await api.listen();
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
    await api?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('serves an accessible landing page and sign-in page without JavaScript', async () => {
    const context = await browser.newContext({ baseURL: base, javaScriptEnabled: false });
    const page = await context.newPage();
    await page.goto('/');
    expect(await page.getByRole('heading', { level: 1 }).textContent()).toBe('U4SSC governance');
    await page.getByRole('link', { name: 'Sign in' }).first().click();
    expect(await page.getByRole('heading', { name: 'Development sign-in' }).count()).toBe(1);
    expect(await page.getByRole('heading', { name: 'With a local token' }).count()).toBe(1);
    await context.close();
    const withScripts = await newContext(browser, base);
    const checked = await withScripts.newPage();
    await checked.goto('/sign-in');
    await expectAccessible(checked);
    await screenshot(checked, 'sign-in');
    await withScripts.close();
  });

  it('signs a person in with the development form and shows who they are; signing out ends the session', async () => {
    const context = await newContext(browser, base);
    const page = await context.newPage();
    await signInAs(page, { sub: 'ada', name: 'Ada Lovelace', role: 'participant' }, '/sign-in');
    // next=/sign-in brings her back to a page that exists today, with her name in the header.
    expect(await page.locator('header .who').textContent()).toContain('Ada Lovelace (participant)');
    const cookie = (await context.cookies()).find((c) => c.name === 'u4ssc_session')!;
    expect(cookie.httpOnly).toBe(true);
    expect(cookie.sameSite).toBe('Lax');
    await page.getByRole('button', { name: 'Sign out' }).click();
    expect(await page.getByRole('status').textContent()).toBe('You are signed out.');
    expect((await context.cookies()).find((c) => c.name === 'u4ssc_session')).toBeUndefined();
    await context.close();
  });

  it('signs in with a pasted local token (as made by u4ssc token) and refuses a forged one', async () => {
    const { csrf, cookies } = await visit(base);
    const token = await api.token('grace', ['auditor'], { name: 'Grace' });
    const accepted = await post(base, '/sign-in/token', { _csrf: csrf, token, next: '/audit' }, cookies);
    expect(accepted.status).toBe(303);
    expect(accepted.headers.get('location')).toBe('/audit');
    expect(sessionCookie(accepted)).toMatch(/^u4ssc_session=[^;]+; Path=\/; SameSite=Lax; HttpOnly; Max-Age=\d+$/);

    const forged = `${token.slice(0, -4)}AAAA`;
    const refused = await post(base, '/sign-in/token', { _csrf: csrf, token: forged }, cookies);
    expect(refused.status).toBe(400);
    expect(refused.headers.get('content-type')).toMatch(/^text\/html/);
    expect(await refused.text()).toContain('This token was refused: the token signature does not verify.');
    expect(sessionCookie(refused)).toBeUndefined();
  });

  it('refuses a sign-in form posted without the CSRF token of its browser', async () => {
    const { csrf, cookies } = await visit(base);
    const missing = await post(base, '/sign-in/dev', { sub: 'mallory', role: 'secretariat' }, cookies);
    const wrong = await post(base, '/sign-in/dev', { _csrf: `${csrf.slice(0, -1)}x`, sub: 'mallory', role: 'secretariat' }, cookies);
    const noCookie = await post(base, '/sign-in/dev', { _csrf: csrf, sub: 'mallory', role: 'secretariat' }, '');
    for (const response of [missing, wrong, noCookie]) {
      expect(response.status).toBe(403);
      expect(await response.text()).toContain('This form was not sent from this site’s page');
      expect(sessionCookie(response)).toBeUndefined();
    }
  });

  it('names every invalid field of the development sign-in and issues nothing', async () => {
    const { csrf, cookies } = await visit(base);
    const response = await post(base, '/sign-in/dev', { _csrf: csrf, sub: 'has spaces', role: 'emperor', org: '' }, cookies);
    expect(response.status).toBe(400);
    const text = await response.text();
    expect(text).toContain('The sign-in has 2 invalid fields.');
    expect(text).toContain('give an id of letters, digits');
    expect(text).toContain('choose one of secretariat, partner, participant, auditor');
    expect(text).toContain('aria-invalid="true"');
    expect(sessionCookie(response)).toBeUndefined();
    const partner = await post(base, '/sign-in/dev', { _csrf: csrf, sub: 'p1', role: 'partner' }, cookies);
    expect(await partner.text()).toContain('a partner representative speaks for an organisation');
  });

  it('never redirects to another site after sign-in', async () => {
    const { csrf, cookies } = await visit(base);
    for (const next of ['https://evil.example/', '//evil.example/', '/\\evil.example']) {
      const response = await post(base, '/sign-in/dev', { _csrf: csrf, sub: 'ada', role: 'participant', next }, cookies);
      expect(response.status).toBe(303);
      expect(response.headers.get('location')).toBe('/');
    }
  });

  it('answers an unknown page with an HTML page, and the API with problem+json as before', async () => {
    const page = await fetch(`${base}/no-such-page`);
    expect(page.status).toBe(404);
    expect(page.headers.get('content-type')).toMatch(/^text\/html/);
    expect(await page.text()).toContain('<h1>Not Found</h1>');
    const apiAnswer = await fetch(`${base}/v1/no-such-resource`);
    expect(apiAnswer.status).toBe(404);
    expect(apiAnswer.headers.get('content-type')).toBe('application/problem+json');
    const form = await fetch(`${base}/v1/partners`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: 'a=1' });
    expect(form.status).toBe(415);
  });
});

describe('web sign-in with the development sign-in off', () => {
  let dir: string;
  let api: ApiHarness;
  let base: string;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'u4ssc-web-no-dev-'));
    api = await startApi({ dir });
    base = await api.listen();
  });
  afterAll(async () => {
    await api?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('offers only the token sign-in, and refuses a development sign-in posted anyway', async () => {
    const { csrf, cookies } = await visit(base);
    const form = await (await fetch(`${base}/sign-in`)).text();
    expect(form).not.toContain('Development sign-in');
    expect(form).toContain('With a local token');
    const response = await post(base, '/sign-in/dev', { _csrf: csrf, sub: 'mallory', role: 'secretariat' }, cookies);
    expect(response.status).toBe(404);
    expect(await response.text()).toContain('The development sign-in is off on this server');
    expect(sessionCookie(response)).toBeUndefined();
  });
});
