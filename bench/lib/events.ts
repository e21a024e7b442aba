import { chainEvents, GENESIS_HASH, type NewEvent, type StoredEvent } from '../../libs/envelope/index.js';
import { normaliseEvent } from '../../libs/event-store/append-rules.js';
import { derivedId } from '../../libs/kernel/ids.js';
import { TOR_VERSION } from '../../libs/kernel/tor.js';
import { PARTNER_MACHINE_VERSION } from '../../state-machines/partner/partner.machine.js';

/**
 * Events of the shape the engine really stores: Partner membership events with the full envelope the runner
 * writes (actor, command id, correlation and causation, clock time, machine, ToR version, clauses). They are
 * legal for the Partner machine when a stream alternates register, withdraw, register, ... from revision 0.
 */

const ACTOR = { id: 'bench-secretariat', role: 'secretariat' };
const BASE_TIME = Date.parse('2026-01-01T00:00:00.000Z');

export function partnerEvent(partnerId: string, revision: number, salt: string): NewEvent {
  const commandId = derivedId('bench', salt, partnerId, revision);
  const occurredAt = new Date(BASE_TIME + revision * 60_000).toISOString();
  const registering = revision % 2 === 0;
  return {
    id: derivedId('event', `partner-${partnerId}`, commandId, 0),
    type: registering ? 'PartnerRegistered' : 'PartnerWithdrawn',
    data: registering
      ? {
          partnerId,
          name: `Benchmark Partner ${partnerId} of the United Nations system`,
          entityType: 'specialized-agency',
          intentReference: `Letter of 2025-12-01 to the Secretariat, reference ${partnerId}/${revision}`,
          intentExpressedOn: '2025-12-01',
        }
      : { partnerId, reason: `The organisation informed the Secretariat of its withdrawal (${revision})` },
    metadata: {
      actor: ACTOR,
      commandId,
      correlationId: commandId,
      causationId: commandId,
      occurredAt,
      machine: { id: 'partner', version: PARTNER_MACHINE_VERSION },
      torVersion: TOR_VERSION,
      clauses: registering ? ['¶12', 'Annex II'] : ['¶12', '¶27'],
    },
  };
}

/** `count` events of one Partner's stream starting at `fromRevision` (register on even revisions). */
export function partnerEvents(partnerId: string, fromRevision: number, count: number, salt: string): NewEvent[] {
  return Array.from({ length: count }, (_, index) => partnerEvent(partnerId, fromRevision + index, salt));
}

/** A raw row: what an adapter writes, with the text columns already serialised. */
export interface RawRow {
  id: string;
  stream: string;
  revision: number;
  type: string;
  data: string;
  metadata: string;
  prevHash: string;
  hash: string;
}

/**
 * Rows for raw-driver inserts: the same columns and sizes as the engine's, hashes included (a raw writer stores
 * a hash too, it just does not compute or check anything).
 */
export function rawRow(stream: string, revision: number, event: NewEvent, prevHash = GENESIS_HASH): RawRow {
  return {
    id: event.id,
    stream,
    revision,
    type: event.type,
    data: JSON.stringify(event.data),
    metadata: JSON.stringify(event.metadata),
    prevHash,
    // 64 hex characters like a SHA-256, without computing one: the raw side only stores.
    hash: event.id.replaceAll('-', '').padEnd(64, '0'),
  };
}

/**
 * A chunk of a valid log: `streams` Partner streams of `perStream` events each, chained with the engine's own
 * chainEvents, interleaved round-robin (revision 0 of every stream, then revision 1, ...) as concurrent processes
 * would leave them in a real log.
 */
export function chainedChunk(firstStream: number, streams: number, perStream: number, salt: string): Omit<StoredEvent, 'position'>[] {
  const chains = Array.from({ length: streams }, (_, index) => {
    const partnerId = `P${salt}-${firstStream + index}`;
    const stream = `partner-${partnerId}`;
    return chainEvents(stream, -1, GENESIS_HASH, partnerEvents(partnerId, 0, perStream, salt).map(normaliseEvent));
  });
  const out: Omit<StoredEvent, 'position'>[] = [];
  for (let revision = 0; revision < perStream; revision += 1) for (const chain of chains) out.push(chain[revision]!);
  return out;
}
