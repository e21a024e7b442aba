/**
 * The smallest safe way to build HTML without a template engine: the `html` tag escapes every interpolated
 * value unless it is already `SafeHtml` (a fragment built by this same tag). Everything a dossier or a web page
 * shows comes from stored events, and event data is whatever a person typed (a question, a Partner's name, a
 * token's name claim): escaping is the default, never something to remember.
 */
export class SafeHtml {
  constructor(readonly value: string) {}
  toString(): string {
    return this.value;
  }
}

const ENTITIES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

/** Text fit for an element's content or a quoted attribute value. */
export function escapeHtml(value: unknown): string {
  return String(value).replace(/[&<>"']/g, (char) => ENTITIES[char]!);
}

/** An interpolated value: safe fragments as they are, lists joined, nothing for null/undefined/false, the rest escaped. */
function part(value: unknown): string {
  if (value instanceof SafeHtml) return value.value;
  if (Array.isArray(value)) return value.map(part).join('');
  if (value === null || value === undefined || value === false) return '';
  return escapeHtml(value);
}

export function html(strings: TemplateStringsArray, ...values: unknown[]): SafeHtml {
  let out = strings[0]!;
  values.forEach((value, index) => {
    out += part(value) + strings[index + 1]!;
  });
  return new SafeHtml(out);
}

/** Trusted markup written in this code (CSS, constants): never pass it data. */
export function trusted(markup: string): SafeHtml {
  return new SafeHtml(markup);
}

/** A list of fragments joined by a separator (the separator is escaped like any value). */
export function join(items: readonly unknown[], separator: string): SafeHtml {
  return new SafeHtml(items.map(part).join(escapeHtml(separator)));
}
