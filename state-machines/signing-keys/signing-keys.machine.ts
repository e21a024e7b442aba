import { assign, setup } from 'xstate';
import type { FoldedEvent } from '../tools/folded-event.js';

/** The key events as the machine folds them; libs/signing/key-events.ts has their full shape and meaning. */
export type SigningKeysEvent =
  | { type: 'SigningKeyPublished'; data: { keyId: string; endorsedBy: string | null } }
  | { type: 'SigningKeyRevoked'; data: { keyId: string; fromPosition: number } };

export interface SigningKeysContext {
  /** Every key id published, in order. */
  published: string[];
  /** Key ids revoked, each once. */
  revoked: string[];
}

export type SigningKeysMachineEvent = FoldedEvent<SigningKeysEvent>;

/**
 * The log's own record of the keys that sign it (docs/integrity.md): the engine, not a person, keeps it. No ToR
 * paragraph governs it, so its transitions cite none. The machine holds the shape of the record only (a key is
 * published once, only a published key is revoked, once); whether a key is trusted, and what it signed, is the
 * KeyRing's cryptographic check, which `verify` runs over the same events.
 */
export const signingKeysMachine = setup({
  types: {
    context: {} as SigningKeysContext,
    events: {} as SigningKeysMachineEvent,
  },
  guards: {
    newKey: ({ context, event }) => event.type === 'SigningKeyPublished' && !context.published.includes(event.data.keyId),
    publishedKeyNotRevoked: ({ context, event }) =>
      event.type === 'SigningKeyRevoked' &&
      context.published.includes(event.data.keyId) &&
      !context.revoked.includes(event.data.keyId),
  },
  actions: {
    publish: assign(({ context, event }) =>
      event.type === 'SigningKeyPublished' ? { published: [...context.published, event.data.keyId] } : {},
    ),
    revoke: assign(({ context, event }) =>
      event.type === 'SigningKeyRevoked' ? { revoked: [...context.revoked, event.data.keyId] } : {},
    ),
  },
}).createMachine({
  id: 'signing-keys',
  initial: 'unsigned',
  context: { published: [], revoked: [] },
  states: {
    unsigned: {
      description: 'No key published: events so far are legacy, unsigned',
      on: {
        SigningKeyPublished: { target: 'signed', guard: 'newKey', actions: 'publish', meta: { clauses: [] } },
      },
    },
    signed: {
      description: 'Every later event is signed by a published key valid at its position',
      on: {
        SigningKeyPublished: { guard: 'newKey', actions: 'publish', meta: { clauses: [] } },
        SigningKeyRevoked: { guard: 'publishedKeyNotRevoked', actions: 'revoke', meta: { clauses: [] } },
      },
    },
  },
});

export const SIGNING_KEYS_MACHINE_VERSION = 1;
