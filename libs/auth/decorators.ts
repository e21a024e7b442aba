import { applyDecorators, createParamDecorator, SetMetadata, type ExecutionContext } from '@nestjs/common';
import { ApiSecurity } from '@nestjs/swagger';
import type { AuthenticatedRequest } from './authenticated-request.js';
import type { Role } from './principal.js';

export const IS_PUBLIC_KEY = 'u4ssc:public';
export const ROLES_KEY = 'u4ssc:roles';

/**
 * Exempts a route (or a whole controller) from the bearer token check: health, docs.
 * In the OpenAPI document its security becomes `[{}]`, i.e. no credentials needed.
 */
export const Public = (): ClassDecorator & MethodDecorator =>
  applyDecorators(SetMetadata(IS_PUBLIC_KEY, true), ApiSecurity({}));

/** Only people holding at least one of these roles may call the route; others get 403 naming them. */
export const Roles = (...roles: Role[]): ClassDecorator & MethodDecorator => SetMetadata(ROLES_KEY, roles);

/**
 * The verified person behind the request. Throws (a 500) on a route the guard did not check, e.g. a
 * @Public() one: reading a principal there is a programming error, not a missing token.
 */
export const CurrentPrincipal = createParamDecorator((_data: unknown, context: ExecutionContext) => {
  const principal = context.switchToHttp().getRequest<AuthenticatedRequest>().principal;
  if (!principal) throw new Error('@CurrentPrincipal() used on a route the AuthGuard did not authenticate');
  return principal;
});
