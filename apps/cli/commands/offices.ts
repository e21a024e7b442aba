import { readFileSync } from 'node:fs';
import { CommandBus, QueryBus, type Command } from '@nestjs/cqrs';
import { DomainError } from '../../../libs/errors/index.js';
import {
  AppointHolderCommand,
  EndTermCommand,
  GetOfficeQuery,
  ImportHolderCommand,
  ListOfficesQuery,
  NominateCandidateCommand,
  RenewTermCommand,
  requireSeatName,
  ResignOfficeCommand,
  UpcomingExpiriesQuery,
  type ImportHolder,
} from '../../../libs/offices/index.js';
import type { CommandContext, CommandOutcome } from '../../../libs/process-runner/index.js';
import { Projector } from '../../../libs/projections/index.js';
import { openEngine } from '../open-engine.js';
import { derivedId } from '../../../libs/kernel/ids.js';
import { ACTING, contextOf, required, type Values } from '../acting.js';
import { instantOption } from '../instant-option.js';
import { parse } from '../parse.js';
import { UsageError } from '../usage-error.js';
import { expiryLines, registerLines, seatLines } from './office-text.js';

export const OFFICES_USAGE = [
  'offices list [--at ISO] [--basis recorded|latest] [--json] | show <seat> [--at ISO] [--json] | expiries [--within 90d] [--json]',
  '  import <file.json> [--as ID]   (the holders serving at go-live, each with the decision that appointed them)',
  '  nominate <seat> --nominee ID --name N [--partner P] [--statement T]',
  '  appoint <seat> --holder ID --name N [--ballot B | --appointed-by CHAIR [--consultation T]] [--replace]',
  '  renew <seat> [--ballot B | --appointed-by CHAIR [--consultation T]] [--justification T]',
  '  resign <seat> --reason T | end <seat>   (end: record the expiry at the term\'s end, as the scheduler does)',
  'every step takes: --as ID [--role secretariat|partner|participant] [--org PARTNER] [--key IDEMPOTENCY-KEY] [--json]',
  'seats: chair, vice-chair-<n>, leader-<thematic-group>, ip-leader',
].join('\n');


type Options = Record<string, { type: 'string' | 'boolean'; default?: string | boolean }>;

/** The bootstrap file (`fixtures/offices-at-go-live.json` is an example). */
export interface GoLiveFile {
  description?: string;
  holders: ImportHolder[];
}

/**
 * Offices and tenures from the command line (ToR ¶13(a), ¶15, ¶19, ¶28, Annex I): the same commands, decide steps
 * and registers as the API. The scheduler runs with the API (`u4ssc serve`); `end` records an expiry by hand.
 */
export async function officesCommand(args: string[]): Promise<number> {
  const [action, ...rest] = args;
  switch (action) {
    case 'list':
      return list(rest);
    case 'show':
      return show(rest);
    case 'expiries':
      return expiries(rest);
    case 'import':
      return importHolders(rest);
    case 'nominate':
      return step(rest, { nominee: { type: 'string' }, name: { type: 'string' }, partner: { type: 'string' }, statement: { type: 'string' } }, (seat, v, context) =>
        new NominateCandidateCommand(
          {
            seat,
            nomineeId: required(v.nominee, '--nominee'),
            nomineeName: required(v.name, '--name'),
            ...(typeof v.partner === 'string' ? { partnerId: v.partner } : {}),
            ...(typeof v.statement === 'string' ? { statement: v.statement } : {}),
          },
          context,
        ),
      );
    case 'appoint':
      return step(rest, { holder: { type: 'string' }, name: { type: 'string' }, replace: { type: 'boolean', default: false }, ...AUTHORITY }, (seat, v, context) =>
        new AppointHolderCommand({ seat, holderId: required(v.holder, '--holder'), holderName: required(v.name, '--name'), ...authority(v), ...(v.replace ? { replace: true } : {}) }, context),
      );
    case 'renew':
      return step(rest, { justification: { type: 'string' }, ...AUTHORITY }, (seat, v, context) =>
        new RenewTermCommand({ seat, ...authority(v), ...(typeof v.justification === 'string' ? { justification: v.justification } : {}) }, context),
      );
    case 'resign':
      return step(rest, { reason: { type: 'string' } }, (seat, v, context) => new ResignOfficeCommand({ seat, reason: required(v.reason, '--reason') }, context));
    case 'end':
      return step(rest, {}, (seat, _v, context) => new EndTermCommand({ seat, cause: 'expired' }, context));
    default:
      throw new UsageError(OFFICES_USAGE);
  }
}

const AUTHORITY: Options = { ballot: { type: 'string' }, 'appointed-by': { type: 'string' }, consultation: { type: 'string' } };

function authority(v: Values) {
  return {
    ...(typeof v.ballot === 'string' ? { ballotId: v.ballot } : {}),
    ...(typeof v['appointed-by'] === 'string' ? { appointedBy: v['appointed-by'] } : {}),
    ...(typeof v.consultation === 'string' ? { consultation: v.consultation } : {}),
  };
}




/** Refusals print the reason and the clause and exit 1, as over HTTP they answer 4xx. */
async function execute(command: Command<CommandOutcome>, print: (outcome: CommandOutcome, seat: unknown) => void): Promise<number> {
  const { app } = await openEngine();
  try {
    const outcome = await app.get(CommandBus).execute(command);
    const seat = await app.get(QueryBus).execute(new GetOfficeQuery(outcome.stream.replace(/^office-/, '')));
    print(outcome, seat);
    return 0;
  } catch (error) {
    if (!(error instanceof DomainError)) throw error;
    console.error(`u4ssc offices: refused (${error.kind}): ${error.message}`);
    return 1;
  } finally {
    await app.close();
  }
}

async function step(args: string[], options: Options, build: (seat: string, values: Values, context: CommandContext) => Command<CommandOutcome>): Promise<number> {
  const { values, positionals } = parse(args, { ...ACTING, ...options } as never, true) as unknown as { values: Values; positionals: string[] };
  if (positionals.length !== 1) throw new UsageError(`name one seat\n${OFFICES_USAGE}`);
  let seat: string;
  try {
    seat = requireSeatName(positionals[0]!);
  } catch (error) {
    throw new UsageError(error instanceof Error ? error.message : String(error));
  }
  const command = build(seat, values, contextOf(values));
  return execute(command, (outcome, view) => {
    if (values.json) {
      const events = outcome.events.map((event) => ({ type: event.type, revision: event.revision, clauses: event.metadata.clauses }));
      console.log(JSON.stringify({ state: outcome.state.value, duplicate: outcome.duplicate, events, resource: view }, null, 2));
      return;
    }
    for (const event of outcome.events) console.log(`${event.type} → ${outcome.stream}@${event.revision} (ToR ${event.metadata.clauses.join(', ')})`);
    if (outcome.duplicate) console.log('already applied (same --key): nothing appended');
    console.log(`seat ${seat} is ${outcome.state.value}`);
  });
}

/**
 * Records the holders serving at go-live, each through the import command (its events marked `imported`), with the
 * decision reference that appointed them. Command ids derive from the file's entries, so running it again appends
 * nothing.
 */
async function importHolders(args: string[]): Promise<number> {
  const { values, positionals } = parse(args, { as: { type: 'string', default: 'secretariat-cli' } }, true);
  if (positionals.length !== 1) throw new UsageError(`import takes one file\n${OFFICES_USAGE}`);
  let file: GoLiveFile;
  try {
    file = JSON.parse(readFileSync(positionals[0]!, 'utf8')) as GoLiveFile;
  } catch (error) {
    throw new UsageError(`cannot read ${positionals[0]}: ${error instanceof Error ? error.message : String(error)}`);
  }
  if (!Array.isArray(file.holders)) throw new UsageError(`${positionals[0]} has no "holders" list`);
  const { app } = await openEngine();
  const counts = { imported: 0, already: 0, refused: 0 };
  try {
    const commands = app.get(CommandBus);
    for (const holder of file.holders) {
      const what = `${holder.seat} ${holder.holderId}`;
      try {
        const context = { commandId: derivedId('offices-import', holder.seat, holder.holderId, holder.termStart), actor: { id: values.as!, role: 'secretariat' } };
        const outcome = await commands.execute(new ImportHolderCommand(holder, context));
        const term = (outcome.events[0]?.data as { term?: { number: number; start: string; end: string } } | undefined)?.term;
        if (outcome.duplicate) counts.already += 1;
        else counts.imported += 1;
        console.log(`${outcome.duplicate ? 'already imported' : 'imported'}: ${what}${term ? ` (term ${term.number}, ${term.start} → ${term.end})` : ''}`);
      } catch (error) {
        if (!(error instanceof DomainError)) throw error;
        counts.refused += 1;
        console.log(`refused: ${what}: ${error.message}`);
      }
    }
  } finally {
    await app.close();
  }
  console.log(`offices import: ${counts.imported} imported, ${counts.already} already imported, ${counts.refused} refused`);
  return counts.refused > 0 ? 1 : 0;
}

async function list(args: string[]): Promise<number> {
  const { values } = parse(args, { at: { type: 'string' }, basis: { type: 'string' }, json: { type: 'boolean', default: false } });
  const at = instantOption(values.at, '--at');
  if (values.basis !== undefined && values.basis !== 'recorded' && values.basis !== 'latest') throw new UsageError('--basis must be recorded or latest');
  const { app } = await openEngine({ create: false });
  try {
    await app.get(Projector).catchUp();
    const answer = await app.get(QueryBus).execute(new ListOfficesQuery(at, values.basis as 'recorded' | 'latest' | undefined));
    if (values.json) console.log(JSON.stringify(answer, null, 2));
    else for (const line of registerLines(answer)) console.log(line);
    return 0;
  } finally {
    await app.close();
  }
}

async function show(args: string[]): Promise<number> {
  const { values, positionals } = parse(args, { at: { type: 'string' }, json: { type: 'boolean', default: false } }, true);
  if (positionals.length !== 1) throw new UsageError(OFFICES_USAGE);
  const at = instantOption(values.at, '--at');
  const { app } = await openEngine({ create: false });
  try {
    await app.get(Projector).catchUp();
    const view = await app.get(QueryBus).execute(new GetOfficeQuery(positionals[0]!, at));
    if (!view) {
      console.error(`u4ssc offices show: nothing is recorded for seat "${positionals[0]}"${at ? ` by ${at.toISOString()}` : ''}`);
      return 1;
    }
    if (values.json) console.log(JSON.stringify(view, null, 2));
    else for (const line of seatLines(view)) console.log(line);
    return 0;
  } finally {
    await app.close();
  }
}

async function expiries(args: string[]): Promise<number> {
  const { values } = parse(args, { within: { type: 'string', default: '90d' }, json: { type: 'boolean', default: false } });
  if (!/^\d{1,4}d$/.test(values.within!)) throw new UsageError('--within must be a number of days such as 90d');
  const { app } = await openEngine({ create: false });
  try {
    await app.get(Projector).catchUp();
    const answer = await app.get(QueryBus).execute(new UpcomingExpiriesQuery(Number(values.within!.slice(0, -1))));
    if (values.json) console.log(JSON.stringify(answer, null, 2));
    else for (const line of expiryLines(answer.expiries)) console.log(line);
    console.error(`${answer.expiries.length} terms ending within ${answer.withinDays} days of ${answer.at}`);
    return 0;
  } finally {
    await app.close();
  }
}
