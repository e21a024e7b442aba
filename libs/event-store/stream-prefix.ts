/**
 * The half-open range [prefix, upper) that holds exactly the names starting with `prefix` when names compare by
 * code point (SQLite's BINARY collation on UTF-8, PostgreSQL's "C"): the last character, one code point up.
 * Undefined when there is no such bound (an empty prefix, or a last character with no successor): read everything.
 */
export function prefixUpperBound(prefix: string): string | undefined {
  const chars = [...prefix];
  const last = chars.pop();
  if (last === undefined) return undefined;
  const next = last.codePointAt(0)! + 1;
  if (next > 0x10ffff || (next >= 0xd800 && next <= 0xdfff)) return undefined;
  return chars.join('') + String.fromCodePoint(next);
}

/** The names that start with `prefix`, once, in code point order: what every adapter's `streamNames` answers. */
export function namesWithPrefix(names: Iterable<string>, prefix: string): string[] {
  const found = [...new Set([...names].filter((name) => name.startsWith(prefix)))];
  return found.sort(byCodePoint);
}

export function byCodePoint(a: string, b: string): number {
  const x = [...a];
  const y = [...b];
  for (let i = 0; i < Math.min(x.length, y.length); i += 1) {
    const d = x[i]!.codePointAt(0)! - y[i]!.codePointAt(0)!;
    if (d !== 0) return d;
  }
  return x.length - y.length;
}
