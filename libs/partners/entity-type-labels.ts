import type { EntityType } from '../../state-machines/partner/partner.events.js';

/** How a kind of organisation is named to people (CLI text); the slugs stay in the data and in JSON. */
export const ENTITY_TYPE_LABELS: Record<EntityType, string> = {
  'specialized-agency': 'Specialized agency',
  'fund-or-programme': 'Fund or programme',
  'regional-commission': 'Regional commission',
  'secretariat-office': 'Secretariat office',
  'convention-secretariat': 'Convention secretariat',
  'research-and-training-institute': 'Research and training institute',
  'other-un-entity': 'Other UN entity',
  'national-government': 'National government',
  'local-government': 'Local government',
  'intergovernmental-organization': 'Intergovernmental organization',
  ngo: 'Non-governmental organization',
  'private-sector': 'Private sector',
  academia: 'Academia',
  individual: 'Individual',
};
