import * as client from 'openid-client';
import type { OidcSettings } from '../../libs/config/index.js';

/** How long a started sign-in may take at the provider before its callback is refused: ten minutes. */
export const FLOW_SECONDS = 600;

/** How long to wait for the provider (discovery, token endpoint) before saying it cannot be reached. */
const PROVIDER_TIMEOUT_SECONDS = 10;

/**
 * What the browser keeps between leaving for the provider and coming back: the random `state` (the callback
 * must carry it), the `nonce` (the ID token must carry it) and the PKCE verifier (the token endpoint must get
 * it), plus where to go afterwards. All three are fresh per sign-in and never leave this browser and this server.
 */
export interface OidcFlow {
  state: string;
  nonce: string;
  verifier: string;
  next: string;
}

/** A sign-in that cannot go on, as the page should say it: an HTTP status, a title and a sentence. */
export class OidcSignInProblem extends Error {
  override readonly name = 'OidcSignInProblem';
  constructor(
    readonly status: number,
    readonly title: string,
    readonly detail: string,
  ) {
    super(detail);
  }
}

/**
 * The relying party's side of the authorization code flow with PKCE (S256), through `openid-client`: discovery
 * (once, retried after a failure), the authorization URL, and the code exchange with the state, nonce and ID
 * token checks. It returns the access token; whether the API accepts it is the caller's check.
 */
export class OidcClient {
  private discovered: Promise<client.Configuration> | undefined;

  constructor(private readonly settings: OidcSettings) {}

  /** The provider's metadata and this client, read from `<issuer>/.well-known/openid-configuration`. */
  configuration(): Promise<client.Configuration> {
    this.discovered ??= this.discover().catch((error: unknown) => {
      this.discovered = undefined;
      throw providerProblem(error, `the identity provider at ${this.settings.issuer} could not be reached`);
    });
    return this.discovered;
  }

  /** A fresh flow and the provider's authorization URL for it. */
  async start(redirectUri: string, next: string): Promise<{ url: URL; flow: OidcFlow }> {
    const config = await this.configuration();
    const flow: OidcFlow = { state: client.randomState(), nonce: client.randomNonce(), verifier: client.randomPKCECodeVerifier(), next };
    const url = client.buildAuthorizationUrl(config, {
      redirect_uri: redirectUri,
      scope: this.settings.scope,
      code_challenge: await client.calculatePKCECodeChallenge(flow.verifier),
      code_challenge_method: 'S256',
      state: flow.state,
      nonce: flow.nonce,
      ...(this.settings.resource !== undefined && { resource: this.settings.resource }),
    });
    return { url, flow };
  }

  /**
   * Checks the provider's answer at `callbackUrl` (the redirect URI with the query the browser brought) against
   * `flow`, exchanges the code with the PKCE verifier, checks the ID token (signature, issuer, audience, nonce)
   * and gives the access token.
   */
  async finish(callbackUrl: URL, flow: OidcFlow): Promise<string> {
    const config = await this.configuration();
    let tokens: Awaited<ReturnType<typeof client.authorizationCodeGrant>>;
    try {
      tokens = await client.authorizationCodeGrant(
        config,
        callbackUrl,
        { expectedState: flow.state, expectedNonce: flow.nonce, pkceCodeVerifier: flow.verifier, idTokenExpected: true },
        this.settings.resource !== undefined ? { resource: this.settings.resource } : undefined,
      );
    } catch (error) {
      throw providerProblem(error, 'the identity provider could not be reached to finish the sign-in');
    }
    return tokens.access_token;
  }

  private async discover(): Promise<client.Configuration> {
    const insecure = new URL(this.settings.issuer).protocol === 'http:';
    const { clientId, clientSecret } = this.settings;
    return client.discovery(
      new URL(this.settings.issuer),
      clientId,
      clientSecret === undefined ? { token_endpoint_auth_method: 'none' } : clientSecret,
      clientSecret === undefined ? client.None() : client.ClientSecretBasic(clientSecret),
      // Plain http is only ever allowed to this machine (load-config refuses it elsewhere).
      { timeout: PROVIDER_TIMEOUT_SECONDS, ...(insecure && { execute: [client.allowInsecureRequests] }) },
    );
  }
}

/** Turns what openid-client threw into what the person should read. */
export function providerProblem(error: unknown, unreachable: string): OidcSignInProblem {
  if (error instanceof OidcSignInProblem) return error;
  if (error instanceof client.AuthorizationResponseError) {
    const said = error.error_description ?? error.error;
    return new OidcSignInProblem(
      error.error === 'access_denied' ? 403 : 400,
      'Not signed in',
      `The identity provider did not sign you in: ${said}${said === error.error ? '' : ` (${error.error})`}. Nothing was changed here.`,
    );
  }
  if (error instanceof client.ResponseBodyError) {
    const said = error.error_description ?? error.error;
    return new OidcSignInProblem(400, 'Not signed in', `The identity provider refused to finish the sign-in: ${said}${said === error.error ? '' : ` (${error.error})`}. Start again from the sign-in page.`);
  }
  if (isNetworkFailure(error)) {
    return new OidcSignInProblem(502, 'Identity provider unreachable', `Sign-in is not possible right now: ${unreachable} (${describe(error)}). Try again in a moment; if it keeps failing, tell the administrators.`);
  }
  return new OidcSignInProblem(400, 'Not signed in', `The identity provider’s answer failed a check: ${describe(error)}. Nothing was changed here: start again from the sign-in page.`);
}

function isNetworkFailure(error: unknown): boolean {
  return causes(error).some(
    (cause) =>
      (cause.name === 'TypeError' && cause.message === 'fetch failed') ||
      cause.name === 'TimeoutError' ||
      cause.name === 'AbortError' ||
      /^(ECONNREFUSED|ENOTFOUND|ECONNRESET|EAI_AGAIN|ETIMEDOUT|EHOSTUNREACH|UND_ERR_\w+)$/.test(cause.code ?? '') ||
      // An answer that is not the provider's JSON (a proxy's error page, a 5xx) is as good as no answer.
      cause.code === 'OAUTH_RESPONSE_IS_NOT_CONFORM' ||
      cause.code === 'OAUTH_RESPONSE_IS_NOT_JSON',
  );
}

/** The innermost useful message: openid-client and fetch wrap the real reason in `cause`. */
function describe(error: unknown): string {
  const messages = causes(error).map(({ message, code }) => (code !== undefined && !message.includes(code) && !/^(OAUTH|ERR)_/.test(code) ? `${message} (${code})` : message));
  return messages.length === 0 ? String(error) : messages.join(': ');
}

/**
 * The error and its causes, outermost first. Duck-typed rather than `instanceof Error`: fetch's errors come from
 * Node's own realm, which is not the realm of a test's VM context.
 */
function causes(error: unknown): { name: string; message: string; code?: string }[] {
  const found: { name: string; message: string; code?: string }[] = [];
  for (let cause: unknown = error; typeof cause === 'object' && cause !== null && found.length < 5; cause = (cause as { cause?: unknown }).cause) {
    const { name, message, code } = cause as { name?: unknown; message?: unknown; code?: unknown };
    if (typeof message !== 'string') break;
    found.push({ name: typeof name === 'string' ? name : 'Error', message, ...(typeof code === 'string' && { code }) });
  }
  return found;
}

/** The flow as its cookie holds it: base64url JSON. */
export function encodeFlow(flow: OidcFlow): string {
  return Buffer.from(JSON.stringify(flow)).toString('base64url');
}

/** The flow a cookie holds, or undefined when it is missing or not one this server wrote. */
export function decodeFlow(value: string | undefined): OidcFlow | undefined {
  if (value === undefined || value === '') return undefined;
  try {
    const flow = JSON.parse(Buffer.from(value, 'base64url').toString('utf8')) as Partial<OidcFlow>;
    const random = (text: unknown): text is string => typeof text === 'string' && /^[A-Za-z0-9_-]{43}$/.test(text);
    if (!random(flow.state) || !random(flow.nonce) || !random(flow.verifier) || typeof flow.next !== 'string') return undefined;
    return { state: flow.state, nonce: flow.nonce, verifier: flow.verifier, next: flow.next };
  } catch {
    return undefined;
  }
}
