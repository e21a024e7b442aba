import type { Principal, Role } from '../../libs/auth/index.js';
import type { Actor } from '../../libs/envelope/index.js';

/**
 * The envelope's actor for a command: the person, and the role they act in for it. A person holding several
 * roles acts in the one the command needs when they hold it; otherwise in their first, and the decide step
 * refuses with the clause.
 */
export function actorOf(principal: Principal, acting: Role): Actor {
  const role = principal.roles.includes(acting) ? acting : (principal.roles[0] ?? 'none');
  return {
    id: principal.id,
    role,
    ...(principal.org ? { org: principal.org } : {}),
    ...(principal.name ? { name: principal.name } : {}),
  };
}
