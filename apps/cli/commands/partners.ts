import { readFileSync } from 'node:fs';
import { CommandBus, QueryBus } from '@nestjs/cqrs';
import { DomainError } from '../../../libs/errors/index.js';
import { derivedId } from '../../../libs/kernel/ids.js';
import { ListPartnersQuery, RegisterPartnerCommand } from '../../../libs/partners/index.js';
import type { EntityType } from '../../../state-machines/partner/partner.events.js';
import { openEngine } from '../open-engine.js';
import { packageRoot } from '../package-root.js';
import { parse } from '../parse.js';
import { UsageError } from '../usage-error.js';

interface AnnexFixture {
  intentReference: string;
  partners: { partnerId: string; name: string; entityType: EntityType }[];
}

export async function partnersCommand(args: string[]): Promise<number> {
  const [action, ...rest] = args;
  if (action === 'load-annex-ii') return loadAnnexII(rest);
  if (action === 'list') return list(rest);
  throw new UsageError('partners takes "list [--at ISO]" or "load-annex-ii [--file F] [--as ID]"');
}

/**
 * Registers the Partners of ToR Annex II, each through the ordinary register command. Command ids derive from
 * the fixture entry, so running it again appends nothing.
 */
async function loadAnnexII(args: string[]): Promise<number> {
  const { values } = parse(args, {
    file: { type: 'string', default: `${packageRoot()}/fixtures/annex-ii-partners.json` },
    as: { type: 'string', default: 'secretariat-cli' },
  });
  const fixture = JSON.parse(readFileSync(values.file!, 'utf8')) as AnnexFixture;
  const { app } = await openEngine();
  let registered = 0;
  let already = 0;
  let refused = 0;
  try {
    const commands = app.get(CommandBus);
    for (const partner of fixture.partners) {
      const context = {
        commandId: derivedId('fixture', 'annex-ii', partner.partnerId),
        actor: { id: values.as!, role: 'secretariat' },
      };
      try {
        const outcome = await commands.execute(
          new RegisterPartnerCommand({ ...partner, intentReference: fixture.intentReference }, context),
        );
        if (outcome.duplicate) already += 1;
        else registered += 1;
        console.log(`${outcome.duplicate ? 'already loaded' : 'registered'}: ${partner.partnerId}`);
      } catch (error) {
        if (!(error instanceof DomainError)) throw error;
        refused += 1;
        console.log(`refused: ${partner.partnerId}: ${error.message}`);
      }
    }
  } finally {
    await app.close();
  }
  console.log(`partners load-annex-ii: ${registered} registered, ${already} already loaded, ${refused} refused`);
  return refused > 0 ? 1 : 0;
}

async function list(args: string[]): Promise<number> {
  const { values } = parse(args, { at: { type: 'string' }, json: { type: 'boolean', default: false } });
  const at = values.at ? new Date(values.at) : undefined;
  if (at && Number.isNaN(at.getTime())) throw new UsageError(`--at ${values.at} is not an ISO 8601 date or date-time`);
  const { app } = await openEngine({ create: false });
  try {
    const partners = await app.get(QueryBus).execute(new ListPartnersQuery(at));
    if (values.json) console.log(JSON.stringify(partners, null, 2));
    else for (const partner of partners) console.log(`${partner.partnerId.padEnd(12)} ${partner.name}`);
    console.error(`${partners.length} Partners${at ? ` at ${at.toISOString()}` : ''}`);
    return 0;
  } finally {
    await app.close();
  }
}
