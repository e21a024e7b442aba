import type { IncomingMessage, ServerResponse } from 'node:http';
import { ProblemException, problemType } from './problem.js';

/**
 * How deeply a JSON body may nest arrays and objects. The deepest DTO (a ballot's rules' quorum) is three levels;
 * converting a body into its DTO recurses once per level, so thousands of levels in a few kilobytes would
 * overflow the stack before validation could refuse them.
 */
export const MAX_JSON_DEPTH = 32;

const OPEN_OBJECT = 0x7b;
const CLOSE_OBJECT = 0x7d;
const OPEN_ARRAY = 0x5b;
const CLOSE_ARRAY = 0x5d;
const QUOTE = 0x22;
const BACKSLASH = 0x5c;

/**
 * The deepest nesting in a JSON text, read from its bytes without parsing it (brackets inside strings do not
 * count). Malformed text gets a number too; the parser refuses it afterwards.
 */
export function jsonDepth(text: Uint8Array): number {
  let depth = 0;
  let deepest = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const byte = text[i];
    if (inString) {
      if (byte === BACKSLASH) i++;
      else if (byte === QUOTE) inString = false;
    } else if (byte === QUOTE) {
      inString = true;
    } else if (byte === OPEN_OBJECT || byte === OPEN_ARRAY) {
      depth++;
      if (depth > deepest) deepest = depth;
    } else if (byte === CLOSE_OBJECT || byte === CLOSE_ARRAY) {
      depth--;
    }
  }
  return deepest;
}

/** body-parser's `verify` hook: refuses a body nested deeper than the limit before it is parsed or converted. */
export function refuseDeepJson(_request: IncomingMessage, _response: ServerResponse, body: Buffer): void {
  const depth = jsonDepth(body);
  if (depth <= MAX_JSON_DEPTH) return;
  throw new ProblemException({
    type: problemType('json-too-deep'),
    title: 'JSON nested too deeply',
    status: 400,
    detail: `The request body nests arrays and objects ${depth} levels deep; the limit is ${MAX_JSON_DEPTH} levels.`,
    limit: MAX_JSON_DEPTH,
  });
}
