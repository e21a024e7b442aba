import { HttpException } from '@nestjs/common';

export const PROBLEM_CONTENT_TYPE = 'application/problem+json';
const PROBLEM_BASE = 'https://u4ssc.example/problems/';

/** An RFC 9457 problem document: the standard members plus any extension members. */
export interface ProblemDocument {
  type: string;
  title: string;
  status: number;
  detail: string;
  instance?: string;
  [extension: string]: unknown;
}

/** One invalid field of a request body; `field` is a path such as `contact.email` or `members[0].org`. */
export interface FieldError {
  field: string;
  messages: string[];
}

/** The type URI for one of the engine's documented problems. */
export function problemType(slug: string): string {
  return `${PROBLEM_BASE}${slug}`;
}

/**
 * An HTTP error that already knows its problem document (and any response headers, such as
 * WWW-Authenticate): guards, pipes and middleware throw it, the problem filter writes it out as is.
 */
export class ProblemException extends HttpException {
  constructor(
    readonly problem: ProblemDocument,
    readonly headers: Readonly<Record<string, string>> = {},
  ) {
    super(problem, problem.status);
  }
}
