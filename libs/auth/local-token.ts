import { SignJWT } from 'jose';
import { isRole, type Role } from './principal.js';

export const LOCAL_TOKEN_ISSUER = 'u4ssc-local';

export interface LocalTokenClaims {
  sub: string;
  roles: readonly Role[];
  org?: string;
  name?: string;
}

export interface LocalTokenOptions {
  /** A jose time span ('12h', '30m', '-1h' for an already expired token), seconds since the epoch, or a Date. */
  expiresIn?: string | number | Date;
}

/** Signs a local HS256 token (issuer `u4ssc-local`) that `createTokenVerifier` accepts with the same secret. */
export async function issueLocalToken(
  secret: string,
  claims: LocalTokenClaims,
  { expiresIn = '12h' }: LocalTokenOptions = {},
): Promise<string> {
  if (claims.sub === '') throw new Error('a token needs a subject (sub)');
  const unknown = claims.roles.filter((role) => !isRole(role));
  // The verifier drops unknown roles; failing here tells the issuer at once instead of at first use.
  if (unknown.length > 0) throw new Error(`unknown role(s): ${unknown.join(', ')}`);
  return new SignJWT({
    roles: [...claims.roles],
    ...(claims.org !== undefined && { org: claims.org }),
    ...(claims.name !== undefined && { name: claims.name }),
  })
    .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
    .setSubject(claims.sub)
    .setIssuer(LOCAL_TOKEN_ISSUER)
    .setIssuedAt()
    .setExpirationTime(expiresIn)
    .sign(new TextEncoder().encode(secret));
}
