import type { IncomingHttpHeaders } from 'node:http';
import type { Principal } from './principal.js';

/** What the AuthGuard reads from and adds to the (Express) request. */
export interface AuthenticatedRequest {
  headers: IncomingHttpHeaders;
  principal?: Principal;
}
