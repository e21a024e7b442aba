import { ValidationPipe, type ArgumentMetadata, type ValidationError } from '@nestjs/common';
import { ProblemException, problemType, type FieldError } from './problem.js';
import { unknownFieldMessage, unknownFields } from './unknown-fields.js';

/**
 * Request bodies become their DTO class (`transform`), unknown fields are refused rather than silently dropped
 * (`forbidNonWhitelisted`: a misspelt optional field would otherwise vanish; a body's are looked for before
 * conversion too, as conversion loses some), and every invalid field is listed
 * in one 400 problem so a client can fix them all at once.
 */
export function createValidationPipe(): ValidationPipe {
  return new DtoValidationPipe({
    whitelist: true,
    forbidNonWhitelisted: true,
    transform: true,
    exceptionFactory: (errors) => validationProblem(fieldErrors(errors)),
  });
}

/**
 * A DTO body must be a JSON object. class-validator would take an array's items for unknown fields ("[0] is
 * an unknown field") and a missing body for an "unknown value"; say plainly what is wrong instead.
 */
class DtoValidationPipe extends ValidationPipe {
  override async transform(value: unknown, metadata: ArgumentMetadata): Promise<unknown> {
    if (metadata.type === 'body' && this.toValidate(metadata)) {
      if (value === undefined) {
        throw validationProblem([{ field: '(body)', messages: ['the request body is missing: send a JSON object'] }]);
      }
      if (value === null || typeof value !== 'object' || Array.isArray(value)) {
        throw validationProblem([{ field: '(body)', messages: [`the request body must be a JSON object, not ${describe(value)}`] }]);
      }
      const unknown = unknownFields(value, metadata.metatype!);
      if (unknown.length > 0) throw validationProblem(unknown);
    }
    return super.transform(value, metadata);
  }
}

function describe(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  return `a ${typeof value}`;
}

export function validationProblem(errors: FieldError[]): ProblemException {
  const fields = errors.map((e) => e.field);
  return new ProblemException({
    type: problemType('invalid-request'),
    title: 'Invalid request',
    status: 400,
    detail:
      errors.length === 1 && fields[0] === '(body)'
        ? `${errors[0]!.messages.join('; ').replace(/^the/, 'The')}.`
        : errors.length === 1
        ? `The request has 1 invalid field: ${fields[0]}.`
        : `The request has ${errors.length} invalid fields: ${fields.join(', ')}.`,
    errors,
  });
}

/** Flattens class-validator's tree into one entry per field, with paths like `contact.email` and `members[0].org`. */
export function fieldErrors(errors: readonly ValidationError[], parent = ''): FieldError[] {
  return errors.flatMap((error) => {
    const field = join(parent, error.property);
    const own: FieldError[] = error.constraints
      ? [{ field: field || '(body)', messages: Object.entries(error.constraints).map(([name, text]) => message(name, text, field)) }]
      : [];
    const nested = error.children?.length ? fieldErrors(error.children, field) : [];
    return [...own, ...nested];
  });
}

function join(parent: string, property: string | undefined): string {
  if (property === undefined || property === '') return parent;
  if (/^\d+$/.test(property)) return `${parent}[${property}]`;
  return parent ? `${parent}.${property}` : property;
}

/** class-validator phrases two cases in ways a client cannot act on; say what happened instead. */
function message(constraint: string, text: string, field: string): string {
  if (constraint === 'whitelistValidation') return unknownFieldMessage(field);
  if (constraint === 'unknownValue') return 'the request body must be a JSON object';
  // Nested messages repeat only the last segment ("email must be an email"); name the whole path.
  const last = field.replace(/^.*[.\]]/, '');
  return last && text.startsWith(`${last} `) ? `${field}${text.slice(last.length)}` : text;
}
