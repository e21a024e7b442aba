import type { Principal } from '../../libs/auth/index.js';
import { html } from '../../libs/html/index.js';
import type { ProblemDocument } from '../../libs/http/index.js';
import { page } from './layout.js';

/**
 * A problem (RFC 9457) as a page: the same title, status and detail an API client gets, and a way on.
 * Used for the pages' own refusals and, through the problem filter, for any error on a page's path.
 */
export function problemPage(problem: ProblemDocument, context: { principal?: Principal; csrf?: string; path?: string } = {}): string {
  const signIn = problem.status === 401 || (problem.status === 403 && context.principal === undefined);
  const body = html`<div class="problem" role="alert">
  <p><strong>${problem.status} ${problem.title}</strong></p>
  <p>${problem.detail}</p>
  ${typeof problem.reference === 'string' ? html`<p class="muted">Reference for the administrators: ${problem.reference}</p>` : ''}
</div>
<p>${signIn ? html`<a href="/sign-in">Sign in</a> · ` : ''}<a href="/">Home</a></p>`;
  return page({ title: problem.title, body, principal: context.principal, csrf: context.csrf ?? '', path: context.path });
}
