import { Inject, Injectable, Logger, type CanActivate, type ExecutionContext } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { ProblemException, problemType } from '../http/problem.js';
import type { AuthenticatedRequest } from './authenticated-request.js';
import { IS_PUBLIC_KEY, ROLES_KEY } from './decorators.js';
import type { Principal, Role } from './principal.js';
import { TokenRejectedError, type TokenVerifier } from './token-verifier.js';

export const TOKEN_VERIFIER = Symbol('TOKEN_VERIFIER');

const REALM = 'u4ssc';

/**
 * The global gate: every route needs a valid bearer token unless marked @Public(); routes marked @Roles()
 * also need one of those roles. Sets `request.principal` for everything after it (interceptors, handlers).
 */
@Injectable()
export class AuthGuard implements CanActivate {
  private readonly logger = new Logger(AuthGuard.name);

  constructor(
    private readonly reflector: Reflector,
    @Inject(TOKEN_VERIFIER) private readonly verify: TokenVerifier,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    // Only HTTP is served; any other transport is refused rather than silently let through.
    if (context.getType() !== 'http') return false;
    const targets = [context.getHandler(), context.getClass()];
    if (this.reflector.getAllAndOverride<boolean>(IS_PUBLIC_KEY, targets)) return true;

    const request = context.switchToHttp().getRequest<AuthenticatedRequest>();
    request.principal = await this.authenticate(request.headers.authorization);

    const required = this.reflector.getAllAndOverride<Role[] | undefined>(ROLES_KEY, targets);
    if (required && required.length > 0 && !required.some((role) => request.principal!.roles.includes(role))) {
      throw missingRole(required, request.principal);
    }
    return true;
  }

  private async authenticate(header: string | undefined): Promise<Principal> {
    if (header === undefined || header.trim() === '') {
      throw unauthenticated('missing-token', 'Authentication required', 'This request needs a bearer token: send "Authorization: Bearer <token>".');
    }
    const match = /^Bearer +([A-Za-z0-9\-._~+/]+=*) *$/i.exec(header);
    if (!match) {
      const detail = /^Bearer\b/i.test(header)
        ? 'The Authorization header does not hold a bearer token: send "Authorization: Bearer <token>".'
        : 'The Authorization header must use the Bearer scheme: send "Authorization: Bearer <token>".';
      throw unauthenticated('invalid-token', 'Invalid token', detail, 'invalid_request');
    }
    try {
      return await this.verify(match[1]!);
    } catch (error) {
      if (error instanceof TokenRejectedError) {
        throw unauthenticated('invalid-token', 'Invalid token', `The bearer token was refused: ${error.message}.`, 'invalid_token', error.message);
      }
      // Not the client's fault (e.g. the identity provider's key set is unreachable): say so instead of 401.
      this.logger.error(`token verification failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
      throw new ProblemException({
        type: problemType('identity-provider-unavailable'),
        title: 'Identity provider unavailable',
        status: 503,
        detail: 'The bearer token could not be checked right now; try again later.',
      });
    }
  }
}

/** RFC 6750 §3: a 401 names the scheme, and when a token was sent, why it was refused. */
function unauthenticated(slug: string, title: string, detail: string, error?: string, description?: string): ProblemException {
  const challenge = [`Bearer realm="${REALM}"`];
  if (error) challenge.push(`error="${error}"`);
  if (description) challenge.push(`error_description="${description.replace(/["\\]/g, '')}"`);
  return new ProblemException(
    { type: problemType(slug), title, status: 401, detail },
    { 'WWW-Authenticate': challenge.join(', ') },
  );
}

function missingRole(required: readonly Role[], principal: Principal): ProblemException {
  const needs = required.length === 1 ? `the role ${required[0]}` : `one of the roles ${required.join(', ')}`;
  const has = principal.roles.length === 0 ? 'no role' : `${principal.roles.length === 1 ? 'the role' : 'the roles'} ${principal.roles.join(', ')}`;
  return new ProblemException({
    type: problemType('missing-role'),
    title: 'Forbidden',
    status: 403,
    detail: `This action needs ${needs}; you have ${has}.`,
    requiredRoles: [...required],
    roles: [...principal.roles],
  });
}
