import { createRequire } from 'node:module';
import { getMetadataStorage } from 'class-validator';
import type { FieldError } from './problem.js';

/** The one piece of class-transformer's bookkeeping needed here: the class an `@Type(() => X)` property holds. */
interface TypeLookup {
  findTypeMetadata(target: Function, property: string): { typeFunction: () => unknown } | undefined;
}
// The package publishes no types for its storage module; its main entry is this same CommonJS build.
const { defaultMetadataStorage } = createRequire(import.meta.url)('class-transformer/cjs/storage.js') as { defaultMetadataStorage: TypeLookup };

export const unknownFieldMessage = (field: string) => `${field} is an unknown field: remove it`;

/**
 * The fields of a parsed JSON body that its DTO does not declare, at any depth, whatever their name. The
 * whitelist after conversion cannot see them all: converting into the DTO assigns each key, and a key such as
 * `__proto__` or `constructor` then changes the object instead of becoming a field that could be refused.
 */
export function unknownFields(value: unknown, dto: Function, path = ''): FieldError[] {
  if (Array.isArray(value)) return value.flatMap((item, index) => unknownFields(item, dto, `${path}[${index}]`));
  if (value === null || typeof value !== 'object') return [];
  const known = declaredFields(dto);
  const keys = Object.keys(value);
  const at = (key: string) => (path ? `${path}.${key}` : key);
  // A level's own unknown fields first, then those nested in its known ones: the order the whitelist lists them.
  const own = keys.filter((key) => !known.has(key)).map((key) => ({ field: at(key), messages: [unknownFieldMessage(at(key))] }));
  const nested = keys.filter((key) => known.has(key)).flatMap((key) => {
    const type = defaultMetadataStorage.findTypeMetadata(dto, key)?.typeFunction();
    return typeof type === 'function' ? unknownFields((value as Record<string, unknown>)[key], type, at(key)) : [];
  });
  return [...own, ...nested];
}

function declaredFields(dto: Function): Set<string> {
  return new Set(getMetadataStorage().getTargetValidationMetadatas(dto, '', true, false).map((metadata) => metadata.propertyName));
}
