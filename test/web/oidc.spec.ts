import { afterAll, beforeAll, describe, expect, it, jest } from '@jest/globals';
import { createHash } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { decodeJwt, decodeProtectedHeader, exportJWK, generateKeyPair, SignJWT } from 'jose';
import Provider, { errors as providerErrors, type Configuration } from 'oidc-provider';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { startApi, type ApiHarness } from '../support/api-harness.js';
import { expectAccessible, launchBrowser, newContext, screenshot } from '../support/browser.js';

/** The API as the provider knows it: the RFC 8707 resource indicator, and so the access tokens' audience. */
const RESOURCE = 'https://u4ssc.test/api';
const CLIENT_ID = 'u4ssc-web';
const PROVIDER_NAME = 'Test IdP';

/** The provider's people, with the claims the API reads from its tokens. */
const ACCOUNTS: Record<string, { name: string; roles: string[]; org?: string }> = {
  ada: { name: 'Ada Lovelace', roles: ['auditor'] },
  fatima: { name: 'Fatima Diallo', roles: ['partner', 'offline_access'], org: 'FAO' },
};

/**
 * A real OpenID Connect provider (panva's oidc-provider) on 127.0.0.1: one public client that must use PKCE,
 * JWT access tokens for the API's resource indicator carrying name, roles and org, and the package's own
 * development login and consent pages, which the browser fills as a person would.
 */
interface TestProvider {
  issuer: string;
  server: Server;
  /** Starts answering, with the client's callback (known only once the app listens, and the app needs the issuer first). */
  serve(redirectUris: string[]): Promise<void>;
}

async function startProvider(): Promise<TestProvider> {
  let handler: (request: IncomingMessage, response: ServerResponse) => void = (_request, response) => response.writeHead(503).end();
  const server = createServer((request, response) => handler(request, response));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const issuer = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    issuer,
    server,
    serve: async (redirectUris) => {
      handler = new Provider(issuer, await providerConfiguration(redirectUris)).callback();
    },
  };
}

async function providerConfiguration(redirectUris: string[]): Promise<Configuration> {
  const { privateKey } = await generateKeyPair('RS256', { extractable: true });
  const jwk = { ...(await exportJWK(privateKey)), kid: 'provider-key-1', alg: 'RS256', use: 'sig' };
  return {
    clients: [{ client_id: CLIENT_ID, token_endpoint_auth_method: 'none', redirect_uris: redirectUris, grant_types: ['authorization_code'], response_types: ['code'] }],
    jwks: { keys: [jwk] },
    cookies: { keys: ['a-test-cookie-key-of-no-importance'] },
    pkce: { required: () => true },
    claims: { openid: ['sub'], profile: ['name'] },
    findAccount: (_ctx, sub) => {
      const account = ACCOUNTS[sub];
      if (account === undefined) return undefined;
      return { accountId: sub, claims: () => ({ sub, name: account.name }) };
    },
    features: {
      devInteractions: { enabled: true },
      resourceIndicators: {
        enabled: true,
        defaultResource: (_ctx, _client, oneOf) => oneOf ?? RESOURCE,
        useGrantedResource: () => true,
        getResourceServerInfo: (_ctx, resource) => {
          if (resource !== RESOURCE) throw new providerErrors.InvalidTarget();
          return { scope: 'api', audience: RESOURCE, accessTokenFormat: 'jwt', accessTokenTTL: 3600, jwt: { sign: { alg: 'RS256' } } };
        },
      },
    },
    extraTokenClaims: (_ctx, token) => {
      const accountId = 'accountId' in token ? token.accountId : undefined;
      const account = accountId === undefined ? undefined : ACCOUNTS[accountId];
      return account === undefined ? undefined : { name: account.name, roles: account.roles, ...(account.org !== undefined && { org: account.org }) };
    },
  };
}

/** oidc-provider's development notices (in-memory adapter, default TTLs, Node 20) say nothing about the tests. */
function quietProviderNotices(): void {
  for (const level of ['info', 'warn'] as const) {
    const original = console[level].bind(console);
    jest.spyOn(console, level).mockImplementation((...args: unknown[]) => {
      if (typeof args[0] !== 'string' || !args[0].startsWith('oidc-provider')) original(...args);
    });
  }
}

/** The app's settings for the provider at `issuer`: a public client asking for JWT access tokens for RESOURCE. */
function oidcEnv(issuer: string): Record<string, string> {
  return { U4SSC_OIDC_ISSUER: issuer, U4SSC_OIDC_CLIENT_ID: CLIENT_ID, U4SSC_OIDC_NAME: PROVIDER_NAME, U4SSC_OIDC_RESOURCE: RESOURCE, U4SSC_JWKS_URL: `${issuer}/jwks` };
}

function cookiesOf(response: Response): Record<string, string> {
  return Object.fromEntries(response.headers.getSetCookie().map((c) => c.split(';')[0]!.split('=') as [string, string]));
}

function setCookieFor(response: Response, name: string): string | undefined {
  return response.headers.getSetCookie().find((c) => c.startsWith(`${name}=`));
}

/** The flow cookie's content (base64url JSON), as only this browser holds it. */
function flowOf(cookie: string): { state: string; nonce: string; verifier: string; next: string } {
  return JSON.parse(Buffer.from(decodeURIComponent(cookie), 'base64url').toString('utf8'));
}

describe('web sign-in with an OpenID Connect provider (a real oidc-provider started here; authorization code + PKCE)', () => {
  let dir: string;
  let provider: TestProvider;
  let api: ApiHarness;
  let base: string;
  let strict: ApiHarness;
  let strictBase: string;
  let browser: Browser;

  beforeAll(async () => {
    quietProviderNotices();
    dir = mkdtempSync(join(tmpdir(), 'u4ssc-web-oidc-'));
    provider = await startProvider();
    api = await startApi({ dir, env: oidcEnv(provider.issuer) });
    base = await api.listen();
    // A second instance, configured for another audience than the provider's tokens name.
    strict = await startApi({ store: 'memory', env: { ...oidcEnv(provider.issuer), U4SSC_JWT_AUDIENCE: 'https://someone-else.test/' } });
    strictBase = await strict.listen();
    await provider.serve([`${base}/sign-in/callback`, `${strictBase}/sign-in/callback`]);
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
    await api?.close();
    await strict?.close();
    await new Promise((resolve) => provider?.server.close(resolve));
    rmSync(dir, { recursive: true, force: true });
    jest.restoreAllMocks();
  });

  /** A browser profile that never tries the provider's web fonts (this network has no way out). */
  async function browserContext(): Promise<BrowserContext> {
    const context = await newContext(browser, base);
    await context.route(/^https:\/\/fonts\.(googleapis|gstatic)\.com\//, (route) => route.abort());
    return context;
  }

  /** From the sign-in page through the provider's login (and consent, the first time) back to this site. */
  async function signInAtProvider(page: Page, login: string, options: { screenshots?: boolean; consent?: 'Continue' | '[ Cancel ]' } = {}): Promise<void> {
    await page.getByRole('link', { name: `Sign in with ${PROVIDER_NAME}` }).click();
    await page.waitForURL((url) => url.origin === provider.issuer);
    await page.locator('input[name="login"]').fill(login);
    await page.locator('input[name="password"]').fill('any password: the development login takes any');
    if (options.screenshots) await screenshot(page, 'oidc-provider-login');
    await page.getByRole('button', { name: 'Sign-in' }).click();
    await page.waitForLoadState('load');
    if (new URL(page.url()).origin === provider.issuer) {
      if (options.consent === '[ Cancel ]') await page.getByRole('link', { name: '[ Cancel ]' }).click();
      else await page.getByRole('button', { name: 'Continue' }).click();
    }
    await page.waitForURL((url) => url.origin === base);
  }

  /**
   * A sign-in played over plain HTTP up to the provider's redirect back to the callback, which is not followed:
   * the code, and the flow cookie this "browser" holds. Cookies are kept by name only, which the provider's
   * development pages allow.
   */
  async function codeFromProvider(login: string, app = base): Promise<{ callback: URL; flowCookie: string }> {
    const started = await fetch(`${app}/sign-in/oidc`, { redirect: 'manual' });
    const flowCookie = cookiesOf(started).u4ssc_oidc!;
    const jar = new Map<string, string>();
    let url = new URL(started.headers.get('location')!);
    let form: Record<string, string> | undefined;
    for (let hop = 0; hop < 12; hop++) {
      const response = await fetch(url, {
        redirect: 'manual',
        method: form === undefined ? 'GET' : 'POST',
        headers: { cookie: [...jar].map(([name, value]) => `${name}=${value}`).join('; '), ...(form !== undefined && { 'content-type': 'application/x-www-form-urlencoded' }) },
        ...(form !== undefined && { body: new URLSearchParams(form).toString() }),
      });
      for (const [name, value] of Object.entries(cookiesOf(response))) jar.set(name, value);
      form = undefined;
      const location = response.headers.get('location');
      if (location !== null) {
        url = new URL(location, url);
        if (url.origin === app) return { callback: url, flowCookie };
        continue;
      }
      const page = await response.text();
      const action = /<form[^>]*action="([^"]+)"/.exec(page)?.[1];
      if (action === undefined) throw new Error(`the provider answered ${response.status} without a form: ${page.slice(0, 300)}`);
      url = new URL(action.replaceAll('&amp;', '&'), url);
      form = page.includes('name="login"') ? { prompt: 'login', login, password: 'x' } : { prompt: 'consent' };
    }
    throw new Error('the provider never sent the browser back');
  }

  it('the OIDC sign-in round trip: the provider signs Ada in, the session holds its access token, and the API verifies it against the provider’s JWKS', async () => {
    const context = await browserContext();
    const page = await context.newPage();
    await page.goto('/sign-in?next=%2Fsign-in');
    // A provider turns local tokens and the development sign-in off: only the provider's button is offered.
    expect(await page.getByRole('heading', { name: 'Development sign-in' }).count()).toBe(0);
    expect(await page.getByRole('heading', { name: 'With a local token' }).count()).toBe(0);
    await expectAccessible(page);
    await screenshot(page, 'oidc-sign-in');

    await signInAtProvider(page, 'ada', { screenshots: true });
    expect(new URL(page.url()).pathname).toBe('/sign-in');
    expect(await page.locator('header .who').textContent()).toContain('Ada Lovelace (auditor)');
    expect(await page.getByRole('status').textContent()).toBe(`You are signed in as Ada Lovelace with ${PROVIDER_NAME}.`);
    await expectAccessible(page);
    await screenshot(page, 'oidc-signed-in');

    const session = (await context.cookies()).find((c) => c.name === 'u4ssc_session')!;
    expect(session.httpOnly).toBe(true);
    expect((await context.cookies()).find((c) => c.name === 'u4ssc_oidc')).toBeUndefined();
    // The session is the provider's access token (not its ID token): RS256 with the provider's key, for the API.
    const token = decodeURIComponent(session.value);
    expect(decodeProtectedHeader(token)).toMatchObject({ alg: 'RS256', kid: 'provider-key-1' });
    expect(decodeJwt(token)).toMatchObject({ iss: provider.issuer, aud: RESOURCE, sub: 'ada', name: 'Ada Lovelace', roles: ['auditor'] });
    expect(decodeJwt(token).nonce).toBeUndefined();

    // The API itself accepts it, and reads the provider's roles: an auditor may verify, but may not vote.
    const verify = await fetch(`${base}/v1/audit/verify`, { headers: { authorization: `Bearer ${token}` } });
    expect(verify.status).toBe(200);
    const vote = await fetch(`${base}/v1/ballots/none/votes`, { method: 'POST', headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' }, body: '{}' });
    expect(vote.status).toBe(403);

    await page.getByRole('button', { name: 'Sign out' }).click();
    expect(await page.getByRole('status').textContent()).toBe('You are signed out.');
    expect((await context.cookies()).find((c) => c.name === 'u4ssc_session')).toBeUndefined();
    await context.close();
  });

  it('sends the browser to the provider with PKCE (S256), a fresh state and nonce, and the API as resource, kept in a ten-minute HttpOnly cookie', async () => {
    const first = await fetch(`${base}/sign-in/oidc?next=%2Fvote`, { redirect: 'manual' });
    expect(first.status).toBe(303);
    const location = new URL(first.headers.get('location')!);
    expect(`${location.origin}${location.pathname}`).toBe(`${provider.issuer}/auth`);
    const cookie = setCookieFor(first, 'u4ssc_oidc')!;
    expect(cookie).toMatch(/^u4ssc_oidc=[^;]+; Path=\/; SameSite=Lax; HttpOnly; Max-Age=600$/);
    const flow = flowOf(cookiesOf(first).u4ssc_oidc!);
    const query = Object.fromEntries(location.searchParams);
    expect(query).toMatchObject({
      client_id: CLIENT_ID,
      response_type: 'code',
      redirect_uri: `${base}/sign-in/callback`,
      scope: 'openid profile',
      code_challenge_method: 'S256',
      code_challenge: createHash('sha256').update(flow.verifier).digest('base64url'),
      state: flow.state,
      nonce: flow.nonce,
      resource: RESOURCE,
    });
    expect(flow.next).toBe('/vote');
    expect(query.code_verifier).toBeUndefined();

    const second = flowOf(cookiesOf(await fetch(`${base}/sign-in/oidc?next=https://evil.example/`, { redirect: 'manual' })).u4ssc_oidc!);
    expect(second.state).not.toBe(flow.state);
    expect(second.nonce).not.toBe(flow.nonce);
    expect(second.verifier).not.toBe(flow.verifier);
    expect(second.next).toBe('/');
  });

  it('refuses a real code brought back with the wrong state, with another verifier, without the flow cookie, or a second time; only the right one starts a session', async () => {
    const { callback, flowCookie } = await codeFromProvider('fatima');

    const get = (search: URLSearchParams, cookie = flowCookie) =>
      fetch(`${base}/sign-in/callback?${search}`, { redirect: 'manual', headers: cookie === '' ? {} : { cookie: `u4ssc_oidc=${cookie}` } });
    const params = callback.searchParams;
    expect(params.get('code')).toBeTruthy();

    const wrongState = new URLSearchParams(params);
    wrongState.set('state', 'A'.repeat(43));
    const noState = new URLSearchParams(params);
    noState.delete('state');
    for (const [search, cookie, message] of [
      [wrongState, flowCookie, 'its state does not match'],
      [noState, flowCookie, 'its state is missing'],
      [params, '', 'This browser has no sign-in in progress'],
    ] as const) {
      const refused = await get(search, cookie);
      expect(refused.status).toBe(400);
      expect(refused.headers.get('content-type')).toMatch(/^text\/html/);
      const text = await refused.text();
      expect(text).toContain(message);
      expect(text).toContain('Nothing was changed');
      expect(setCookieFor(refused, 'u4ssc_session')).toBeUndefined();
    }

    // The provider holds PKCE: the same code with a verifier other than this browser's is refused.
    const flow = flowOf(flowCookie);
    const otherVerifier = Buffer.from(JSON.stringify({ ...flow, verifier: 'B'.repeat(43) })).toString('base64url');
    const pkce = await get(params, otherVerifier);
    expect(pkce.status).toBe(400);
    expect(await pkce.text()).toContain('The identity provider refused to finish the sign-in');
    expect(setCookieFor(pkce, 'u4ssc_session')).toBeUndefined();

    const right = await get(params);
    expect(right.status).toBe(303);
    expect(right.headers.get('location')).toBe('/');
    const token = decodeURIComponent(cookiesOf(right).u4ssc_session!);
    expect(decodeJwt(token)).toMatchObject({ sub: 'fatima', roles: ['partner', 'offline_access'], org: 'FAO' });
    expect(setCookieFor(right, 'u4ssc_oidc')).toMatch(/Max-Age=0/);

    const again = await get(params);
    expect(again.status).toBe(400);
    expect(await again.text()).toContain('The identity provider refused to finish the sign-in');
    expect(setCookieFor(again, 'u4ssc_session')).toBeUndefined();
  });

  it('starts no session with an access token the API would refuse (here: another audience than the server expects)', async () => {
    const { callback, flowCookie } = await codeFromProvider('ada', strictBase);
    const response = await fetch(callback, { redirect: 'manual', headers: { cookie: `u4ssc_oidc=${flowCookie}` } });
    expect(response.status).toBe(403);
    const text = await response.text();
    expect(text).toContain('The identity provider signed you in, but this service does not accept its access token: the token&#39;s &quot;aud&quot; claim does not match what this service expects.');
    expect(setCookieFor(response, 'u4ssc_session')).toBeUndefined();
  });

  it('shows the provider’s refusal (the person cancels) as a page, and starts no session', async () => {
    const context = await browserContext();
    const page = await context.newPage();
    await page.goto('/sign-in');
    await signInAtProvider(page, 'ada', { consent: '[ Cancel ]' });
    expect(new URL(page.url()).pathname).toBe('/sign-in/callback');
    expect(await page.getByRole('alert').textContent()).toContain('The identity provider did not sign you in: End-User aborted interaction (access_denied).');
    expect(await page.locator('header .who').textContent()).toBe('Sign in');
    expect((await context.cookies()).find((c) => c.name === 'u4ssc_session')).toBeUndefined();
    await expectAccessible(page);
    await screenshot(page, 'oidc-refused');
    await context.close();
  });

  it('the API refuses tokens from any other key, and local tokens, even with the provider’s issuer, audience and key id', async () => {
    const claims = { sub: 'mallory', name: 'Mallory', roles: ['secretariat'] };
    const { privateKey } = await generateKeyPair('RS256');
    const forge = (kid: string) =>
      new SignJWT(claims).setProtectedHeader({ alg: 'RS256', kid }).setIssuer(provider.issuer).setAudience(RESOURCE).setIssuedAt().setExpirationTime('1h').sign(privateKey);
    const local = await api.token('mallory', ['secretariat']);
    for (const [token, why] of [
      [await forge('provider-key-1'), 'the token signature does not verify'],
      [await forge('another-key'), "the token's key is not in the identity provider's key set"],
      [local, 'algorithm'],
    ] as const) {
      const response = await fetch(`${base}/v1/audit/verify`, { headers: { authorization: `Bearer ${token}` } });
      expect(response.status).toBe(401);
      expect((await response.json() as { detail: string }).detail).toContain(why);
    }
    // Nor do the sign-in forms for local tokens exist here.
    const form = await fetch(`${base}/sign-in`);
    const csrf = cookiesOf(form).u4ssc_csrf!;
    const posted = await fetch(`${base}/sign-in/token`, {
      method: 'POST',
      redirect: 'manual',
      headers: { 'content-type': 'application/x-www-form-urlencoded', cookie: `u4ssc_csrf=${csrf}` },
      body: new URLSearchParams({ _csrf: decodeURIComponent(csrf), token: local }).toString(),
    });
    expect(posted.status).toBe(404);
    expect(setCookieFor(posted, 'u4ssc_session')).toBeUndefined();
  });
});

describe('web sign-in when the OpenID Connect provider cannot be reached', () => {
  let dir: string;
  let api: ApiHarness;
  let base: string;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'u4ssc-web-oidc-down-'));
    // A port that was free a moment ago: nothing answers there.
    const probe = createServer();
    await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
    const issuer = `http://127.0.0.1:${(probe.address() as AddressInfo).port}`;
    await new Promise((resolve) => probe.close(resolve));
    api = await startApi({ dir, store: 'memory', env: { U4SSC_OIDC_ISSUER: issuer, U4SSC_OIDC_CLIENT_ID: CLIENT_ID, U4SSC_OIDC_RESOURCE: RESOURCE, U4SSC_JWKS_URL: `${issuer}/jwks` } });
    base = await api.listen();
  });
  afterAll(async () => {
    await api?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('says so on a page, sends nobody anywhere and keeps no flow', async () => {
    for (let attempt = 0; attempt < 2; attempt++) {
      const response = await fetch(`${base}/sign-in/oidc`, { redirect: 'manual' });
      expect(response.status).toBe(502);
      expect(response.headers.get('content-type')).toMatch(/^text\/html/);
      const text = await response.text();
      expect(text).toContain('Identity provider unreachable');
      expect(text).toContain('Sign-in is not possible right now: the identity provider at http://127.0.0.1:');
      expect(response.headers.get('location')).toBeNull();
      expect(setCookieFor(response, 'u4ssc_oidc')).toBeUndefined();
    }
  });
});
