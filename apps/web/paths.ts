/**
 * The API keeps `/v1`, `/health` and `/docs`; every other path belongs to the web interface, whose problems are
 * HTML pages and whose forms post `application/x-www-form-urlencoded`.
 */
export function isPagePath(path: string): boolean {
  return !(path === '/v1' || path.startsWith('/v1/') || path === '/health' || path === '/docs' || path.startsWith('/docs/') || path.startsWith('/docs-json'));
}
