import { isRole, ROLES } from '../../libs/auth/index.js';
import { derivedId, newId } from '../../libs/kernel/ids.js';
import type { CommandContext } from '../../libs/process-runner/index.js';
import { UsageError } from './usage-error.js';

/**
 * Who acts in a CLI step, and with which command id: the same person, role and organisation the API takes from a
 * token, and `--key` as the Idempotency-Key (a rerun with the same key appends nothing).
 */
export const ACTING = {
  as: { type: 'string', default: 'secretariat-cli' },
  role: { type: 'string', default: 'secretariat' },
  org: { type: 'string' },
  key: { type: 'string' },
  json: { type: 'boolean', default: false },
} as const;

export type Values = Record<string, string | boolean | string[] | undefined>;

export function contextOf(values: Values): CommandContext {
  const role = values.role as string;
  if (!isRole(role)) throw new UsageError(`--role must be one of: ${ROLES.join(', ')}`);
  return {
    commandId: typeof values.key === 'string' ? derivedId('cli', values.as as string, values.key) : newId(),
    actor: { id: values.as as string, role, ...(typeof values.org === 'string' ? { org: values.org } : {}) },
  };
}

export function required(value: unknown, flag: string): string {
  if (typeof value !== 'string' || value.trim() === '') throw new UsageError(`${flag} is required`);
  return value;
}

export function oneOf(value: string, values: readonly string[], flag: string): string {
  if (!values.includes(value)) throw new UsageError(`${flag} must be one of: ${values.join(', ')}`);
  return value;
}
