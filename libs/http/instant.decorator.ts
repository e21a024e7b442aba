import { registerDecorator, type ValidationArguments, type ValidationOptions } from 'class-validator';
import { InstantFormatError, parseDay, parseInstant } from '../kernel/instant.js';

/** The reason `parse` gives for refusing `value`, prefixed by the field's name. */
function refusal(parse: (value: unknown) => unknown, args: ValidationArguments): string {
  try {
    parse(args.value);
  } catch (error) {
    if (error instanceof InstantFormatError) return `${args.property} ${error.message}`;
    throw error;
  }
  return `${args.property} is not accepted`;
}

function strictly(parse: (value: unknown) => unknown, name: string, options?: ValidationOptions): PropertyDecorator {
  return (target: object, propertyName: string | symbol) =>
    registerDecorator({
      name,
      target: target.constructor,
      propertyName: String(propertyName),
      ...(options !== undefined && { options }),
      validator: {
        validate: (value: unknown) => {
          try {
            parse(value);
            return true;
          } catch (error) {
            if (error instanceof InstantFormatError) return false;
            throw error;
          }
        },
        defaultMessage: (args?: ValidationArguments) => (args ? refusal(parse, args) : 'is not accepted'),
      },
    });
}

/** An instant field or query parameter: what `parseInstant` reads (RFC 3339, offset required); the message says what is wrong. */
export function IsInstant(options?: ValidationOptions): PropertyDecorator {
  return strictly(parseInstant, 'isInstant', options);
}

/** A calendar-day field: what `parseDay` reads (`YYYY-MM-DD`). */
export function IsDay(options?: ValidationOptions): PropertyDecorator {
  return strictly(parseDay, 'isDay', options);
}
