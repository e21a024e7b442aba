import type { StoredEvent } from '../envelope/index.js';
import type { StreamFacts } from '../process-runner/index.js';
import { partnerIdOf, partnerProcess, partnerStream } from './partner.process.js';

const PARTNER_STREAMS = 'partner-';

/** Was the organisation a Partner at an instant (ToR ¶12), as its own stream records it. */
export interface PartnerFact {
  partnerId: string;
  partnerNow: boolean;
  /** The `PartnerRegistered` that opened the period in force at the instant (the stream's head then): the ground. */
  registered?: StoredEvent;
}

/**
 * The organisation's membership at `at`, folded from its stream up to that instant; undefined when its stream
 * records nothing by then (never registered).
 */
export async function partnerFactAt(facts: StreamFacts, partnerId: string, at: Date): Promise<PartnerFact | undefined> {
  const { state, events } = await facts.load(partnerProcess, partnerStream(partnerId), { at });
  if (events.length === 0) return undefined;
  // Only a registration leads into `registered`, and only a withdrawal out of it: the head is that registration.
  const registered = state.value === 'registered' ? events.at(-1) : undefined;
  return { partnerId, partnerNow: registered !== undefined, ...(registered ? { registered } : {}) };
}

/** The Partner register at `at`: every `partner-*` stream whose fold up to `at` is registered, by Partner id. */
export async function partnerRegisterAt(facts: StreamFacts, at: Date): Promise<PartnerFact[]> {
  const streams = await facts.streamNames(PARTNER_STREAMS);
  const found = await Promise.all(streams.map((stream) => partnerFactAt(facts, partnerIdOf(stream), at)));
  return found.filter((fact): fact is PartnerFact => fact?.partnerNow === true);
}
