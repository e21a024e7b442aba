/**
 * Canonical JSON: object keys sorted by UTF-16 code units (as RFC 8785 does; JavaScript's default sort), no
 * insignificant white space, `undefined` members dropped.
 * The hash chain is computed over this form, so two stores (or an auditor's offline tool) holding the same
 * event derive the same hash whatever key order their driver returns.
 * Written with plain loops and string concatenation: it runs for every event on every append and verification.
 */
export function canonicalJson(value: unknown): string {
  switch (typeof value) {
    case 'string':
      return JSON.stringify(value);
    case 'number':
      if (!Number.isFinite(value)) throw new TypeError(`canonicalJson: ${value} has no JSON form`);
      return JSON.stringify(value);
    case 'boolean':
      return value ? 'true' : 'false';
    case 'bigint':
      throw new TypeError('canonicalJson: bigint has no JSON form');
    case 'object':
      if (value === null) return 'null';
      if (Array.isArray(value)) return canonicalArray(value);
      if (typeof (value as { toJSON?: unknown }).toJSON === 'function') {
        return canonicalJson((value as { toJSON: () => unknown }).toJSON());
      }
      return canonicalObject(value as Record<string, unknown>);
    default:
      // undefined, functions and symbols have no JSON form; JSON.stringify writes null for them in arrays.
      return 'null';
  }
}

function canonicalArray(items: readonly unknown[]): string {
  let out = '[';
  for (let index = 0; index < items.length; index += 1) {
    if (index > 0) out += ',';
    out += canonicalJson(items[index]);
  }
  return `${out}]`;
}

/**
 * Object keys as JSON strings, remembered: the same few dozen member names (actor, occurredAt, partnerId …) come
 * back in every event, and quoting them again each time was a third of the serialisation. Bounded, so keys that
 * are data (ids used as map keys) cannot grow it without limit; past the bound, keys are quoted each time.
 */
const quotedKeys = new Map<string, string>();
const QUOTED_KEYS_MAX = 10_000;

function quotedKey(key: string): string {
  let quoted = quotedKeys.get(key);
  if (quoted === undefined) {
    quoted = JSON.stringify(key);
    if (quotedKeys.size < QUOTED_KEYS_MAX) quotedKeys.set(key, quoted);
  }
  return quoted;
}

function canonicalObject(object: Record<string, unknown>): string {
  const keys = Object.keys(object);
  // Stored events are read back with their keys already in order (normaliseEvent): sort only when they are not.
  for (let index = 1; index < keys.length; index += 1) {
    if (keys[index - 1]! > keys[index]!) {
      keys.sort();
      break;
    }
  }
  let out = '{';
  let first = true;
  for (let index = 0; index < keys.length; index += 1) {
    const key = keys[index]!;
    const member = object[key];
    if (member === undefined) continue;
    if (!first) out += ',';
    out += `${quotedKey(key)}:${canonicalJson(member)}`;
    first = false;
  }
  return `${out}}`;
}
