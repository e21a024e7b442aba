/**
 * Canonical JSON: object keys sorted by UTF-16 code units (as RFC 8785 does; JavaScript's default sort), no
 * insignificant white space, `undefined` members dropped.
 * The hash chain is computed over this form, so two stores (or an auditor's offline tool) holding the same
 * event derive the same hash whatever key order their driver returns.
 */
export function canonicalJson(value: unknown): string {
  if (value === null || typeof value !== 'object') {
    if (typeof value === 'number' && !Number.isFinite(value)) {
      throw new TypeError(`canonicalJson: ${value} has no JSON form`);
    }
    if (typeof value === 'bigint') throw new TypeError('canonicalJson: bigint has no JSON form');
    return JSON.stringify(value) ?? 'null';
  }
  if (Array.isArray(value)) {
    return `[${value.map((item) => (item === undefined ? 'null' : canonicalJson(item))).join(',')}]`;
  }
  if (typeof (value as { toJSON?: unknown }).toJSON === 'function') {
    return canonicalJson((value as { toJSON: () => unknown }).toJSON());
  }
  const entries = Object.keys(value)
    .filter((key) => (value as Record<string, unknown>)[key] !== undefined)
    .sort()
    .map((key) => `${JSON.stringify(key)}:${canonicalJson((value as Record<string, unknown>)[key])}`);
  return `{${entries.join(',')}}`;
}
