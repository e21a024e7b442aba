import { html } from '../../../libs/html/index.js';
import { NON_UN_ENTITY_TYPES, UN_SYSTEM_ENTITY_TYPES } from '../../../state-machines/partner/partner.events.js';
import type { CommandForm } from '../forms.js';

/** The Partner register (ToR ¶12, Annex II): the Secretariat records who joins and who withdraws. */

const words = (kind: string) => kind.replace(/-/g, ' ').replace(/^un /, 'UN ').replace(/\bngo\b/, 'NGO');

export function registerPartnerForm(): CommandForm {
  return {
    title: 'Register a Partner',
    action: '/secretariat/partners/new',
    apiPath: '/v1/partners',
    intro: html`<p>Every agency, entity and programme of the United Nations system may become a Partner upon expressing its intent
(ToR ¶12); the Secretariat keeps the list (Annex II). Other organisations take part as participants (¶21): the register refuses them.</p>`,
    fields: [
      { name: 'partnerId', label: 'Short id', required: true, hint: 'As the Terms of Reference write it: ITU, UNECE, UN-Habitat (letters, digits, hyphens).' },
      { name: 'name', label: 'Full name', required: true },
      {
        name: 'entityType',
        label: 'Kind of organisation',
        type: 'select',
        required: true,
        hint: 'Only kinds of the United Nations system are eligible (ToR ¶12).',
        options: [...UN_SYSTEM_ENTITY_TYPES.map((t) => ({ value: t, label: `${words(t)} (UN system)` })), ...NON_UN_ENTITY_TYPES.map((t) => ({ value: t, label: `${words(t)} (not eligible)` }))],
      },
      { name: 'intentReference', label: 'Where the intent to join is on record', required: true, hint: 'For example: letter of 2026-03-02 to the Secretariat (ToR ¶12, ¶24).' },
      { name: 'intentExpressedOn', label: 'Date the intent was expressed (optional)', type: 'date' },
    ],
    submitLabel: 'Review the registration',
    done: (_answer, values) => ({ location: '/secretariat#partners', notice: `${values.partnerId ?? 'The organisation'} is registered as a Partner.` }),
  };
}

export function withdrawPartnerForm(partnerId: string, name: string): CommandForm {
  return {
    title: `Record the withdrawal of ${partnerId}`,
    action: `/secretariat/partners/${encodeURIComponent(partnerId)}/withdraw`,
    apiPath: `/v1/partners/${encodeURIComponent(partnerId)}/withdraw`,
    intro: html`<p>${name} stops being a Partner when you confirm; its history stays in the register and in the ballots it voted in
(ToR ¶12, ¶27). Ballots opened later no longer count it in their electorate.</p>`,
    fields: [{ name: 'reason', label: 'Reason', type: 'textarea', required: true, hint: 'For example: the organisation informed the Secretariat of its withdrawal by letter of 2026-05-01.' }],
    submitLabel: 'Review',
    done: () => ({ location: '/secretariat#partners', notice: `The withdrawal of ${partnerId} is recorded.` }),
  };
}
