import { QueryBus } from '@nestjs/cqrs';
import { GetBallotQuery, ListBallotsQuery, type BallotStatus } from '../../../libs/ballots/index.js';
import { Projector } from '../../../libs/projections/index.js';
import { openEngine } from '../open-engine.js';
import { parse } from '../parse.js';
import { UsageError } from '../usage-error.js';
import { ballotListLines, ballotShowLines } from './ballot-text.js';

const USAGE = 'ballots takes "list [--status S] [--json]" or "show <id> [--json]"';

/**
 * Partners Board ballots from the read model, brought up to date with the log first. The CLI reads the store
 * directly, so it shows what an auditor sees: every vote, even while a ballot is open.
 */
export async function ballotsCommand(args: string[]): Promise<number> {
  const [action, ...rest] = args;
  if (action === 'list') return list(rest);
  if (action === 'show') return show(rest);
  throw new UsageError(USAGE);
}

async function list(args: string[]): Promise<number> {
  const { values } = parse(args, { status: { type: 'string' }, json: { type: 'boolean', default: false } });
  const { app } = await openEngine({ create: false });
  try {
    await app.get(Projector).catchUp();
    const ballots = await app.get(QueryBus).execute(new ListBallotsQuery(values.status as BallotStatus | undefined));
    if (values.json) console.log(JSON.stringify(ballots, null, 2));
    else for (const line of ballotListLines(ballots)) console.log(line);
    console.error(`${ballots.length} ballots${values.status ? ` ${values.status}` : ''}`);
    return 0;
  } finally {
    await app.close();
  }
}

async function show(args: string[]): Promise<number> {
  const { values, positionals } = parse(args, { json: { type: 'boolean', default: false } }, true);
  if (positionals.length !== 1) throw new UsageError(USAGE);
  const { app } = await openEngine({ create: false });
  try {
    await app.get(Projector).catchUp();
    const view = await app.get(QueryBus).execute(new GetBallotQuery(positionals[0]!));
    if (!view) {
      console.error(`u4ssc ballots show: no ballot "${positionals[0]}" is on record`);
      return 1;
    }
    if (values.json) console.log(JSON.stringify(view, null, 2));
    else for (const line of ballotShowLines(view)) console.log(line);
    return 0;
  } finally {
    await app.close();
  }
}
