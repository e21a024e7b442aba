import { STATUS_CODES } from 'node:http';
import type { Duplex } from 'node:stream';
import { PROBLEM_CONTENT_TYPE, problemType, type ProblemDocument } from './problem.js';

/**
 * Node refuses some requests before Express sees them (headers over its 16 KB limit, a request it cannot parse)
 * and would answer with an empty body; answer them as problem documents like every other error.
 */
export function answerClientError(error: Error & { code?: string }, socket: Duplex): void {
  if (error.code === 'ECONNRESET' || !socket.writable) {
    socket.destroy();
    return;
  }
  const tooLarge = error.code === 'HPE_HEADER_OVERFLOW';
  const status = tooLarge ? 431 : 400;
  const problem: ProblemDocument = tooLarge
    ? {
        type: problemType('headers-too-large'),
        title: 'Request header fields too large',
        status,
        detail: 'The request line and headers together exceed the limit of 16 KB; send shorter headers or a shorter URL.',
      }
    : { type: problemType('malformed-request'), title: 'Bad request', status, detail: 'The request is not valid HTTP/1.1 and was not read.' };
  const body = JSON.stringify(problem);
  socket.end(
    `HTTP/1.1 ${status} ${STATUS_CODES[status]}\r\nContent-Type: ${PROBLEM_CONTENT_TYPE}\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`,
  );
}
