import { readFileSync } from 'node:fs';
import { CommandBus, QueryBus } from '@nestjs/cqrs';
import { DomainError } from '../../../libs/errors/index.js';
import { derivedId } from '../../../libs/kernel/ids.js';
import { ENTITY_TYPE_LABELS, ImportPartnerCommand, ListPartnersQuery, type PartnerAtView, type PartnerView } from '../../../libs/partners/index.js';
import type { EntityType } from '../../../state-machines/partner/partner.events.js';
import { openEngine } from '../open-engine.js';
import { packageRoot } from '../package-root.js';
import { parse } from '../parse.js';
import { UsageError } from '../usage-error.js';
import { instantOption } from '../instant-option.js';

/** fixtures/annex-ii-partners.json: each Partner with the day it joined, or the fixture's default (README). */
interface AnnexFixture {
  intentReference: string;
  defaultJoinedOn: string;
  partners: { partnerId: string; name: string; entityType: EntityType; joinedOn?: string }[];
}

export async function partnersCommand(args: string[]): Promise<number> {
  const [action, ...rest] = args;
  if (action === 'load-annex-ii') return loadAnnexII(rest);
  if (action === 'list') return list(rest);
  throw new UsageError('partners takes "list [--at ISO]" or "load-annex-ii [--file F] [--as ID]"');
}

/**
 * Records the Partners of ToR Annex II as history (ImportPartnerCommand): each from the day it joined, marked
 * imported. An organisation already on the register, by an earlier load or by hand, is left as it is, so running it
 * again appends nothing and exits 0.
 */
async function loadAnnexII(args: string[]): Promise<number> {
  const { values } = parse(args, {
    file: { type: 'string', default: `${packageRoot()}/fixtures/annex-ii-partners.json` },
    as: { type: 'string', default: 'secretariat-cli' },
  });
  const fixture = JSON.parse(readFileSync(values.file!, 'utf8')) as AnnexFixture;
  // History needs its day: a Partner with none, in a fixture with no default, is a mistake in the file, not a refusal.
  const undated = fixture.partners.filter((partner) => !partner.joinedOn && !fixture.defaultJoinedOn).map((partner) => partner.partnerId);
  if (undated.length) {
    throw new UsageError(`${values.file}: no joinedOn for ${undated.join(', ')} and no defaultJoinedOn: give the day each Partner joined (YYYY-MM-DD) or a default (README, The Partner register)`);
  }
  const { app } = await openEngine();
  let imported = 0;
  let already = 0;
  let refused = 0;
  try {
    const commands = app.get(CommandBus);
    for (const partner of fixture.partners) {
      const context = {
        commandId: derivedId('fixture', 'annex-ii', partner.partnerId),
        actor: { id: values.as!, role: 'secretariat' },
      };
      const { partnerId, name, entityType } = partner;
      const joinedOn = partner.joinedOn ?? fixture.defaultJoinedOn;
      try {
        const outcome = await commands.execute(
          new ImportPartnerCommand({ partnerId, name, entityType, joinedOn, intentReference: fixture.intentReference }, context),
        );
        if (outcome.duplicate || outcome.events.length === 0) {
          already += 1;
          console.log(`already on the register: ${partnerId}`);
        } else {
          imported += 1;
          console.log(`imported: ${partnerId}, a Partner since ${joinedOn}`);
        }
      } catch (error) {
        if (!(error instanceof DomainError)) throw error;
        refused += 1;
        console.log(`refused: ${partner.partnerId}: ${error.message}`);
      }
    }
  } finally {
    await app.close();
  }
  console.log(`partners load-annex-ii: ${imported} imported, ${already} already on the register, ${refused} refused`);
  return refused > 0 ? 1 : 0;
}

async function list(args: string[]): Promise<number> {
  const { values } = parse(args, { at: { type: 'string' }, json: { type: 'boolean', default: false } });
  const at = instantOption(values.at, '--at');
  const { app } = await openEngine({ create: false });
  try {
    const partners = await app.get(QueryBus).execute(new ListPartnersQuery(at));
    if (values.json) console.log(JSON.stringify(partners, null, 2));
    else for (const partner of partners) console.log(partnerLine(partner, at));
    console.error(`${partners.length} Partners${at ? ` at ${at.toISOString()}` : ''}`);
    return 0;
  } finally {
    await app.close();
  }
}

/** One Partner in text: id, name, kind of organisation by its label, and since when (the period in force at --at). */
function partnerLine(partner: PartnerView | PartnerAtView, at: Date | undefined): string {
  const period = at && 'periodAt' in partner ? partner.periodAt : partner.latestPeriod;
  return `${partner.partnerId.padEnd(12)} ${partner.name} (${ENTITY_TYPE_LABELS[partner.entityType]}), a Partner since ${period.from.slice(0, 10)}`;
}
