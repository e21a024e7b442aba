import { randomUUID } from 'node:crypto';
import type { EventMetadata, NewEvent } from '../../envelope/index.js';

/** Full metadata as a command handler would write it; tests override only what they look at. */
export function testMetadata(overrides: Partial<EventMetadata> = {}): EventMetadata {
  const commandId = overrides.commandId ?? randomUUID();
  return {
    actor: { id: 'person-1', role: 'secretariat', org: 'ITU', name: 'Ada Secretariat' },
    commandId,
    correlationId: commandId,
    causationId: commandId,
    occurredAt: '2026-01-01T00:00:00.000Z',
    machine: { id: 'partner', version: 1 },
    torVersion: '2023',
    clauses: ['¶12'],
    ...overrides,
  };
}

/** A valid NewEvent with a fresh id unless one is given. */
export function testEvent<D = unknown>(overrides: Partial<NewEvent<D>> = {}): NewEvent<D> {
  return {
    id: overrides.id ?? randomUUID(),
    type: overrides.type ?? 'PartnerRegistered',
    data: overrides.data ?? ({ name: 'Partner', seq: 0 } as D),
    metadata: overrides.metadata ?? testMetadata(),
  };
}

/** `count` valid events whose data carries their index, so order mistakes show up in comparisons. */
export function testEvents(count: number, type = 'TestHappened'): NewEvent[] {
  return Array.from({ length: count }, (_, seq) => testEvent({ type, data: { seq } }));
}
