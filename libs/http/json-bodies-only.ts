import type { IncomingMessage, ServerResponse } from 'node:http';
import { ProblemException, problemType } from './problem.js';

/** The media types the API reads bodies in; the JSON body parser is installed for exactly these. */
export const JSON_MEDIA_TYPES = ['application/json', 'application/*+json'];

/**
 * Express middleware answering 415 to a request that carries a body in anything but JSON. Without it, the
 * JSON parser skips such a body and the handler sees none, which reads as "missing fields" — a misleading 400.
 */
export function jsonBodiesOnly(request: IncomingMessage, _response: ServerResponse, next: (error?: unknown) => void): void {
  if (!hasBody(request)) return next();
  const contentType = request.headers['content-type'];
  if (contentType !== undefined && isJson(contentType)) return next();
  next(
    new ProblemException({
      type: problemType('unsupported-media-type'),
      title: 'Unsupported media type',
      status: 415,
      detail:
        contentType === undefined
          ? 'The request has a body but no Content-Type; send JSON with "Content-Type: application/json".'
          : `The request body is ${JSON.stringify(contentType)}; send JSON with "Content-Type: application/json".`,
    }),
  );
}

function hasBody(request: IncomingMessage): boolean {
  const length = request.headers['content-length'];
  return request.headers['transfer-encoding'] !== undefined || (length !== undefined && length !== '0');
}

function isJson(contentType: string): boolean {
  const essence = contentType.split(';')[0]!.trim().toLowerCase();
  return essence === 'application/json' || /^application\/[^/\s]+\+json$/.test(essence);
}
