import { IsString, Matches, MaxLength, ValidateBy, type ValidationArguments } from 'class-validator';

/**
 * What the engine records as text (docs/architecture.md §4): everything it takes from a request ends up in
 * signed events, in exports and on web pages, and cannot be taken back. Ids are plain tokens that can name a
 * stream or a file safely; names and free text are printable and not blank.
 */

/**
 * An id: starts with a letter or digit, then letters, digits and `.` `_` `-` `@` `:` `+` `|` (room for OIDC
 * subjects such as `auth0|abc` or `ada@example.org`, and references such as `office:chair:p-okafor`), never
 * `..`. No slashes, spaces or controls: an id never climbs out of a path or splits a line.
 */
export function idPattern(max = 128): RegExp {
  return new RegExp(`^(?!.*\\.\\.)[A-Za-z0-9][A-Za-z0-9._@:+|-]{0,${max - 1}}$`);
}
export const ID_PATTERN = idPattern();
const idDescription = (max: number) => `a letter or digit, then letters, digits or . _ - @ : + | (at most ${max}, no "..")`;

/** C0 and C1 controls, except the line breaks and tab long text may hold. */
const CONTROL = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F]/u;
const LINE_BREAK_OR_TAB = /[\t\n\r]/u;
/** Embeddings, overrides and isolates reorder how text reads on screen without changing what is recorded. */
const BIDI_CONTROL = /[\u202A-\u202E\u2066-\u2069]/u;
/** With the `u` flag a paired surrogate is one code point: only a lone half matches. */
const LONE_SURROGATE = /\p{Cs}/u;
/** Whitespace and invisible format characters (zero-width space and joiners, BOM, marks). */
const INVISIBLE = /^[\s\p{Cf}]*$/u;

export type TextKind = 'name' | 'text';

/** Why `value` is not acceptable text of this kind, or null if it is. Names are one line; text may have several. */
export function textFault(value: string, kind: TextKind): string | null {
  const control = value.match(CONTROL) ?? (kind === 'name' ? value.match(LINE_BREAK_OR_TAB) : null);
  if (control) return `must not contain control characters (${codePoint(control[0])} at position ${control.index})`;
  if (LONE_SURROGATE.test(value)) return 'must be valid Unicode text (it holds a lone surrogate)';
  const bidi = value.match(BIDI_CONTROL);
  if (bidi) return `must not contain bidirectional override or isolate characters (${codePoint(bidi[0])} at position ${bidi.index})`;
  if (INVISIBLE.test(value)) return 'must not be blank (only spaces or invisible characters)';
  return null;
}

function codePoint(character: string): string {
  return `U+${character.codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0')}`;
}

function cleanText(kind: TextKind, each: boolean): PropertyDecorator {
  return ValidateBy(
    {
      name: kind === 'name' ? 'isCleanName' : 'isCleanText',
      validator: {
        validate: (value: unknown) => typeof value !== 'string' || textFault(value, kind) === null,
        defaultMessage: (args?: ValidationArguments) =>
          `${args?.property ?? 'value'} ${typeof args?.value === 'string' ? textFault(args.value, kind) : 'must be text'}`,
      },
    },
    { each },
  );
}

function compose(...decorators: PropertyDecorator[]): PropertyDecorator {
  return (target, key) => decorators.forEach((decorate) => decorate(target, key));
}

/** A name or a title: one line of printable text, not blank, at most `max` characters. */
export function IsName(max: number, options: { each?: boolean } = {}): PropertyDecorator {
  const each = options.each ?? false;
  return compose(IsString({ each }), MaxLength(max, { each }), cleanText('name', each));
}

/** Free text (a reason, a statement, a document): printable, line breaks allowed, not blank, at most `max` characters. */
export function IsText(max: number, options: { each?: boolean; message?: string } = {}): PropertyDecorator {
  const each = options.each ?? false;
  const message = options.message === undefined ? {} : { message: options.message };
  return compose(IsString({ each, ...message }), MaxLength(max, { each }), cleanText('text', each));
}

/** An id (idPattern) of at most `max` characters, with a message naming the field and what it should be. */
export function IsSafeId(what: string, options: { each?: boolean; max?: number } = {}): PropertyDecorator {
  const max = options.max ?? 128;
  return Matches(idPattern(max), {
    each: options.each ?? false,
    message: (args: ValidationArguments) => `${args.property} must be ${what}: ${idDescription(max)}`,
  });
}
