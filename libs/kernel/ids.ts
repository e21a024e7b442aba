import { createHash, randomUUID } from 'node:crypto';

/**
 * A UUID-shaped id derived from its inputs (SHA-256, version nibble 8 = "custom", RFC 9562).
 * Event ids derive from the command id, so a retried command produces the same ids and the store appends once.
 */
export function derivedId(...parts: readonly (string | number)[]): string {
  const hex = createHash('sha256').update(parts.map(String).join('\u0000')).digest('hex');
  const variant = ((parseInt(hex[16]!, 16) & 0x3) | 0x8).toString(16);
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-8${hex.slice(13, 16)}-${variant}${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}

export function newId(): string {
  return randomUUID();
}
