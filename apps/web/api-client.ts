import type { Request } from 'express';
import type { ProblemDocument } from '../../libs/http/index.js';

/** An API answer as a page needs it: the status, and the body or the problem document. */
export type ApiAnswer<T> =
  | { ok: true; status: number; body: T; headers: Headers }
  | { ok: false; status: number; problem: ProblemDocument; headers: Headers };

/**
 * The pages are a client of the API, over HTTP on the address the page request came in on: every read and every
 * command goes through the same validation, guards and handlers as any other client, so a page can never allow
 * what the API refuses (a Partner's vote for another organisation, a step the machine does not allow).
 */
export class ApiClient {
  constructor(
    private readonly base: string,
    private readonly token: string | undefined,
  ) {}

  /** The API of the server that received this request, called as the person signed in (or as nobody). */
  static for(request: Request, token: string | undefined): ApiClient {
    const address = request.socket.localAddress ?? '127.0.0.1';
    const host = address.includes(':') ? `[${address}]` : address;
    return new ApiClient(`http://${host}:${request.socket.localPort}`, token);
  }

  get<T>(path: string, query: Record<string, string | number | undefined> = {}): Promise<ApiAnswer<T>> {
    return this.call<T>('GET', withQuery(path, query));
  }

  /** A command; the idempotency key makes a repeated confirmation (double click, reload) append nothing twice. */
  post<T>(path: string, body: unknown, idempotencyKey?: string): Promise<ApiAnswer<T>> {
    return this.call<T>('POST', path, body, idempotencyKey);
  }

  /** The raw answer, for downloads passed through as they are (dossier, export bundle). */
  fetch(path: string, query: Record<string, string | number | undefined> = {}): Promise<Response> {
    return fetch(this.base + withQuery(path, query), { headers: this.headers() });
  }

  private async call<T>(method: string, path: string, body?: unknown, idempotencyKey?: string): Promise<ApiAnswer<T>> {
    const headers = this.headers();
    if (body !== undefined) headers['content-type'] = 'application/json';
    if (idempotencyKey !== undefined) headers['idempotency-key'] = idempotencyKey;
    const response = await fetch(this.base + path, { method, headers, ...(body !== undefined && { body: JSON.stringify(body) }) });
    const text = await response.text();
    const parsed: unknown = text === '' ? undefined : JSON.parse(text);
    if (response.ok) return { ok: true, status: response.status, body: parsed as T, headers: response.headers };
    return { ok: false, status: response.status, problem: parsed as ProblemDocument, headers: response.headers };
  }

  private headers(): Record<string, string> {
    return { accept: 'application/json', ...(this.token !== undefined && { authorization: `Bearer ${this.token}` }) };
  }
}

function withQuery(path: string, query: Record<string, string | number | undefined>): string {
  const entries = Object.entries(query).filter((entry): entry is [string, string | number] => entry[1] !== undefined && entry[1] !== '');
  if (entries.length === 0) return path;
  return `${path}${path.includes('?') ? '&' : '?'}${new URLSearchParams(entries.map(([k, v]): [string, string] => [k, String(v)])).toString()}`;
}
