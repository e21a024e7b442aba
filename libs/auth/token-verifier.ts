import { createRemoteJWKSet, errors, jwtVerify, type JWTPayload, type JWTVerifyGetKey, type JWTVerifyOptions } from 'jose';
import type { AppConfig } from '../config/app-config.js';
import { resolveTokenSecret } from '../config/token-secret.js';
import { LOCAL_TOKEN_ISSUER } from './local-token.js';
import { isRole, type Principal } from './principal.js';
import { cachedTokens, type TokenCacheOptions, type VerifiedToken } from './token-cache.js';

/** Turns a bearer token into the person it speaks for, or throws TokenRejectedError. */
export type TokenVerifier = (token: string) => Promise<Principal>;

/**
 * The token itself is at fault (expired, forged, malformed, missing claims): the client must get a new one.
 * Anything else a verifier throws (the identity provider's key set unreachable) is the server's problem.
 */
export class TokenRejectedError extends Error {
  override readonly name = 'TokenRejectedError';
  constructor(
    message: string,
    readonly reason: 'expired' | 'invalid',
  ) {
    super(message);
  }
}

/** Asymmetric only: an external provider publishes public keys, and HS* against a JWKS would be a confusion attack. */
const EXTERNAL_ALGORITHMS = ['RS256', 'RS384', 'RS512', 'PS256', 'PS384', 'PS512', 'ES256', 'ES384', 'ES512', 'EdDSA', 'Ed25519'];

/**
 * Local HS256 tokens with the configured (or generated) secret, or, when U4SSC_JWKS_URL is set, tokens of the
 * external identity provider checked against its key set (and its issuer and audience when configured).
 *
 * Claims (docs/architecture.md §4): `sub` (required), `name`, `roles`, `org`. Roles the engine does not know are ignored,
 * not refused: external providers mix in their own (`offline_access`, ...), and ignoring one grants nothing.
 * A `roles` claim that is not an array of strings is refused, since its meaning cannot be known.
 */
export interface TokenVerifierOptions {
  /** Verified tokens remembered until their `exp` (token-cache.ts); false to check every token every time. */
  cache?: TokenCacheOptions | false;
  /** The time tokens are checked against, in ms since the epoch; default Date.now (tests move it). */
  now?: () => number;
}

export function createTokenVerifier(config: AppConfig, verifierOptions: TokenVerifierOptions = {}): TokenVerifier {
  let key: Uint8Array | JWTVerifyGetKey;
  let options: JWTVerifyOptions;
  if (config.jwksUrl !== undefined) {
    key = createRemoteJWKSet(new URL(config.jwksUrl));
    options = {
      algorithms: EXTERNAL_ALGORITHMS,
      requiredClaims: ['sub', 'exp'],
      // Another machine's clock: allow it to be a little ahead or behind.
      clockTolerance: 30,
      ...(config.jwtIssuer !== undefined && { issuer: config.jwtIssuer }),
      ...(config.jwtAudience !== undefined && { audience: config.jwtAudience }),
    };
  } else {
    key = new TextEncoder().encode(resolveTokenSecret(config));
    options = { algorithms: ['HS256'], issuer: LOCAL_TOKEN_ISSUER, requiredClaims: ['sub', 'exp'] };
  }
  const now = verifierOptions.now;
  const verify = async (token: string): Promise<VerifiedToken> => {
    let payload: JWTPayload;
    const checked = now ? { ...options, currentDate: new Date(now()) } : options;
    try {
      // Two call shapes (key vs. key getter) only to satisfy jwtVerify's overloads.
      ({ payload } = typeof key === 'function' ? await jwtVerify(token, key, checked) : await jwtVerify(token, key, checked));
    } catch (error) {
      throw asTokenRejection(error) ?? error;
    }
    // `exp` is a required claim, and jwtVerify has checked that it is a number in the future.
    return { principal: principalFrom(payload), exp: payload.exp! };
  };
  if (verifierOptions.cache === false) return async (token) => (await verify(token)).principal;
  return cachedTokens(verify, { now, ...verifierOptions.cache });
}

function asTokenRejection(error: unknown): TokenRejectedError | undefined {
  if (error instanceof errors.JWTExpired) return new TokenRejectedError('the token has expired', 'expired');
  if (error instanceof errors.JWTClaimValidationFailed) {
    const problem = error.reason === 'missing' ? 'is missing' : error.reason === 'invalid' ? 'is malformed' : 'does not match what this service expects';
    return new TokenRejectedError(`the token's "${error.claim}" claim ${problem}`, 'invalid');
  }
  if (error instanceof errors.JWSSignatureVerificationFailed) {
    return new TokenRejectedError('the token signature does not verify', 'invalid');
  }
  if (error instanceof errors.JOSEAlgNotAllowed || error instanceof errors.JOSENotSupported) {
    return new TokenRejectedError('the token is signed with an algorithm this service does not accept', 'invalid');
  }
  if (error instanceof errors.JWKSNoMatchingKey || error instanceof errors.JWKSMultipleMatchingKeys) {
    return new TokenRejectedError("the token's key is not in the identity provider's key set", 'invalid');
  }
  if (error instanceof errors.JWSInvalid || error instanceof errors.JWTInvalid) {
    return new TokenRejectedError('the token is not a well-formed signed JWT', 'invalid');
  }
  return undefined;
}

function principalFrom(payload: JWTPayload): Principal {
  const { sub, name, org, roles } = payload;
  if (typeof sub !== 'string' || sub === '') throw new TokenRejectedError('the token has no subject ("sub")', 'invalid');
  if (name !== undefined && typeof name !== 'string') throw new TokenRejectedError('the token\'s "name" claim is not a string', 'invalid');
  if (org !== undefined && typeof org !== 'string') throw new TokenRejectedError('the token\'s "org" claim is not a string', 'invalid');
  if (roles !== undefined && !(Array.isArray(roles) && roles.every((role) => typeof role === 'string'))) {
    throw new TokenRejectedError('the token\'s "roles" claim is not an array of strings', 'invalid');
  }
  return {
    id: sub,
    ...(name !== undefined && { name }),
    roles: [...new Set((roles ?? []).filter(isRole))],
    ...(org !== undefined && { org }),
  };
}
