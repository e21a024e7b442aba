import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { exportJWK, generateKeyPair, SignJWT, type CryptoKey, type JWK } from 'jose';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { AppConfig } from '../config/app-config.js';
import { issueLocalToken } from './local-token.js';
import { createTokenVerifier, TokenRejectedError, type TokenVerifier } from './token-verifier.js';

const SECRET = 'a-local-secret-that-is-long-enough-0123456789';
const local: AppConfig = { store: 'memory', sqliteFile: '/nonexistent/u4ssc.sqlite', port: 0, tokenSecret: SECRET };

const b64 = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');

async function rejection(verify: TokenVerifier, token: string): Promise<TokenRejectedError> {
  try {
    await verify(token);
  } catch (error) {
    if (error instanceof TokenRejectedError) return error;
    throw error;
  }
  throw new Error('the token was accepted');
}

function hs256(claims: Record<string, unknown>, secret = SECRET) {
  return new SignJWT(claims).setProtectedHeader({ alg: 'HS256' }).setIssuer('u4ssc-local').setIssuedAt().setExpirationTime('1h')
    .sign(new TextEncoder().encode(secret));
}

describe('local tokens (HS256)', () => {
  const verify = createTokenVerifier(local);

  it('turns a token from issueLocalToken into its principal', async () => {
    const token = await issueLocalToken(SECRET, { sub: 'p-1', roles: ['partner', 'auditor'], org: 'FAO', name: 'Ada' });
    expect(await verify(token)).toEqual({ id: 'p-1', name: 'Ada', roles: ['partner', 'auditor'], org: 'FAO' });
  });

  it('leaves out the claims a token does not carry', async () => {
    expect(await verify(await issueLocalToken(SECRET, { sub: 'p-2', roles: [] }))).toEqual({ id: 'p-2', roles: [] });
  });

  it('lasts 12 hours by default', async () => {
    const token = await issueLocalToken(SECRET, { sub: 'p-1', roles: ['partner'] });
    const { iat, exp } = JSON.parse(Buffer.from(token.split('.')[1]!, 'base64url').toString()) as { iat: number; exp: number };
    expect(exp - iat).toBe(12 * 3600);
  });

  it('refuses an expired token', async () => {
    const token = await issueLocalToken(SECRET, { sub: 'p-1', roles: ['partner'] }, { expiresIn: '-1m' });
    const error = await rejection(verify, token);
    expect(error.reason).toBe('expired');
    expect(error.message).toBe('the token has expired');
  });

  it('refuses a token signed with another secret', async () => {
    const token = await issueLocalToken('another-secret-just-as-long-as-the-first-one', { sub: 'p-1', roles: ['secretariat'] });
    expect((await rejection(verify, token)).message).toBe('the token signature does not verify');
  });

  it('refuses an unsigned token (alg: none)', async () => {
    const token = `${b64({ alg: 'none', typ: 'JWT' })}.${b64({ sub: 'p-1', roles: ['secretariat'], iss: 'u4ssc-local', exp: 4102444800 })}.`;
    expect((await rejection(verify, token)).message).toBe('the token is signed with an algorithm this service does not accept');
  });

  it('refuses a token signed with a key pair instead of the secret', async () => {
    const { privateKey } = await generateKeyPair('ES256');
    const token = await new SignJWT({ roles: ['secretariat'] }).setProtectedHeader({ alg: 'ES256' }).setSubject('p-1')
      .setIssuer('u4ssc-local').setExpirationTime('1h').sign(privateKey);
    expect((await rejection(verify, token)).message).toBe('the token is signed with an algorithm this service does not accept');
  });

  it.each(['garbage', 'a.b.c', '', 'eyJhbGciOiJIUzI1NiJ9.e30'])('refuses the malformed token %j', async (token) => {
    expect((await rejection(verify, token)).message).toBe('the token is not a well-formed signed JWT');
  });

  it('refuses a token of another issuer, and one without a subject or an expiry', async () => {
    const key = new TextEncoder().encode(SECRET);
    const otherIssuer = await new SignJWT({}).setProtectedHeader({ alg: 'HS256' }).setSubject('p').setIssuer('elsewhere').setExpirationTime('1h').sign(key);
    expect((await rejection(verify, otherIssuer)).message).toBe('the token\'s "iss" claim does not match what this service expects');
    const noSubject = await new SignJWT({}).setProtectedHeader({ alg: 'HS256' }).setIssuer('u4ssc-local').setExpirationTime('1h').sign(key);
    expect((await rejection(verify, noSubject)).message).toBe('the token\'s "sub" claim is missing');
    const noExpiry = await new SignJWT({}).setProtectedHeader({ alg: 'HS256' }).setSubject('p').setIssuer('u4ssc-local').sign(key);
    expect((await rejection(verify, noExpiry)).message).toBe('the token\'s "exp" claim is missing');
  });

  it('ignores roles it does not know, and refuses a roles claim that is not a list of strings', async () => {
    expect((await verify(await hs256({ sub: 'p', roles: ['partner', 'admin', 'offline_access', 'partner'] }))).roles).toEqual(['partner']);
    expect((await rejection(verify, await hs256({ sub: 'p', roles: 'secretariat' }))).message).toBe('the token\'s "roles" claim is not an array of strings');
    expect((await rejection(verify, await hs256({ sub: 'p', roles: [1] }))).message).toBe('the token\'s "roles" claim is not an array of strings');
    expect((await rejection(verify, await hs256({ sub: 'p', org: 7 }))).message).toBe('the token\'s "org" claim is not a string');
  });

  it('will not issue a token with a role the engine does not know', async () => {
    await expect(issueLocalToken(SECRET, { sub: 'p', roles: ['chair' as 'partner'] })).rejects.toThrow('unknown role(s): chair');
  });
});

describe('external tokens (JWKS)', () => {
  let server: Server;
  let jwksUrl: string;
  let privateKey: CryptoKey;
  let strangerKey: CryptoKey;
  let fetches = 0;

  beforeAll(async () => {
    const pair = await generateKeyPair('RS256');
    privateKey = pair.privateKey;
    strangerKey = (await generateKeyPair('RS256')).privateKey;
    const jwk: JWK = { ...(await exportJWK(pair.publicKey)), kid: 'k1', alg: 'RS256', use: 'sig' };
    server = createServer((_req, res) => {
      fetches++;
      res.setHeader('content-type', 'application/json');
      res.end(JSON.stringify({ keys: [jwk] }));
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    jwksUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/jwks.json`;
  });
  afterAll(async () => {
    await new Promise((resolve) => server.close(resolve));
  });

  const external = (claims: Record<string, unknown>, key: CryptoKey = privateKey, kid = 'k1') =>
    new SignJWT(claims).setProtectedHeader({ alg: 'RS256', kid }).setSubject('ext-1').setIssuer('https://idp.example/')
      .setAudience('u4ssc').setIssuedAt().setExpirationTime('5m').sign(key);

  it('accepts a token of the provider, checking issuer and audience', async () => {
    const verify = createTokenVerifier({ ...local, tokenSecret: undefined, jwksUrl, jwtIssuer: 'https://idp.example/', jwtAudience: 'u4ssc' });
    expect(await verify(await external({ roles: ['auditor'], name: 'Eve' }))).toEqual({ id: 'ext-1', name: 'Eve', roles: ['auditor'] });
    expect(fetches).toBeGreaterThan(0);
  });

  it('refuses another issuer or audience when they are configured', async () => {
    const wrongIssuer = createTokenVerifier({ ...local, jwksUrl, jwtIssuer: 'https://other.example/' });
    expect((await rejection(wrongIssuer, await external({ roles: [] }))).message).toContain('"iss"');
    const wrongAudience = createTokenVerifier({ ...local, jwksUrl, jwtAudience: 'someone-else' });
    expect((await rejection(wrongAudience, await external({ roles: [] }))).message).toContain('"aud"');
  });

  it('turns local tokens off: the local secret no longer verifies anything', async () => {
    const verify = createTokenVerifier({ ...local, jwksUrl });
    const token = await issueLocalToken(SECRET, { sub: 'p-1', roles: ['secretariat'] });
    expect((await rejection(verify, token)).message).toBe('the token is signed with an algorithm this service does not accept');
  });

  it('refuses a token signed by a key that is not in the set', async () => {
    const verify = createTokenVerifier({ ...local, jwksUrl });
    expect((await rejection(verify, await external({ roles: [] }, strangerKey))).message).toBe('the token signature does not verify');
    expect((await rejection(verify, await external({ roles: [] }, strangerKey, 'k2'))).message).toBe(
      "the token's key is not in the identity provider's key set",
    );
  });

  it('reports an unreachable key set as a server fault, not a bad token', async () => {
    const verify = createTokenVerifier({ ...local, jwksUrl: 'http://127.0.0.1:1/jwks.json' });
    const token = await external({ roles: [] });
    await expect(verify(token)).rejects.toThrow('fetch failed');
  });
});
