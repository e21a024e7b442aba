import { assign, setup } from 'xstate';
import type { FoldedEvent } from '../tools/folded-event.js';
import type { PartnerEvent, UnSystemEntityType } from './partner.events.js';

export interface MembershipPeriod {
  from: string;
  to: string | null;
}

export interface PartnerContext {
  partnerId: string;
  name: string | null;
  entityType: UnSystemEntityType | null;
  periods: MembershipPeriod[];
}

export type PartnerMachineEvent = FoldedEvent<PartnerEvent>;

/**
 * Partner membership (ToR ¶12, Annex II): any agency, entity or programme of the UN system becomes a Partner
 * when the Secretariat registers its expressed intent, and stays one until it withdraws. A withdrawn Partner
 * may be registered again; each membership period is kept, so "who was a Partner on day D" stays answerable.
 */
export const partnerMachine = setup({
  types: {
    context: {} as PartnerContext,
    events: {} as PartnerMachineEvent,
    input: {} as { partnerId: string },
  },
  actions: {
    openPeriod: assign(({ context, event }) => {
      if (event.type !== 'PartnerRegistered') return {};
      return {
        name: event.data.name,
        entityType: event.data.entityType,
        periods: [...context.periods, { from: event.meta.occurredAt, to: null }],
      };
    }),
    closePeriod: assign(({ context, event }) => ({
      periods: context.periods.map((period, index) =>
        index === context.periods.length - 1 ? { ...period, to: event.meta.occurredAt } : period,
      ),
    })),
  },
}).createMachine({
  id: 'partner',
  initial: 'unregistered',
  // `input?.`: XState's pure transition() builds throwaway actors without input; throwing there costs every fold.
  context: ({ input }) => ({ partnerId: input?.partnerId ?? '', name: null, entityType: null, periods: [] }),
  states: {
    unregistered: {
      description: 'No membership on record',
      on: {
        PartnerRegistered: { target: 'registered', actions: 'openPeriod', meta: { clauses: ['¶12', 'Annex II'] } },
      },
    },
    registered: {
      description: 'A Partner of the U4SSC, member of the Partners Board (¶13)',
      on: {
        PartnerWithdrawn: { target: 'withdrawn', actions: 'closePeriod', meta: { clauses: ['¶12', '¶27'] } },
      },
    },
    withdrawn: {
      description: 'No longer a Partner; its history stays',
      on: {
        PartnerRegistered: { target: 'registered', actions: 'openPeriod', meta: { clauses: ['¶12', 'Annex II'] } },
      },
    },
  },
});

export const PARTNER_MACHINE_VERSION = 1;
