import { readFileSync } from 'node:fs';
import { CommandBus, QueryBus, type Command } from '@nestjs/cqrs';
import { ProcessCommands } from '../../../libs/engine/index.js';
import { DomainError } from '../../../libs/errors/index.js';
import type { CommandContext, CommandOutcome } from '../../../libs/process-runner/index.js';
import { Projector } from '../../../libs/projections/index.js';
import {
  AgreementBallotCommand,
  CompileWorkplanCommand,
  CYCLE_PATTERN,
  ListWorkplansQuery,
  OpenWorkplanCommand,
  PresentWorkplanCommand,
  ReopenWorkplanInputsCommand,
  ReviewWorkplanCommand,
  SubmitWorkplanInputCommand,
  WorkplanCallers,
} from '../../../libs/workplans/index.js';
import { CAPACITY_KINDS, REVIEW_DECISIONS, type CapacityKind, type ReviewDecision } from '../../../state-machines/workplan/workplan.events.js';
import { CHANNELS, type Channel } from '../../../state-machines/ballot/ballot.events.js';
import { openEngine } from '../open-engine.js';
import { ACTING, contextOf, oneOf, required, type Values } from '../acting.js';
import { parse } from '../parse.js';
import { UsageError } from '../usage-error.js';
import { workplanListLines, workplanShowLines } from './workplan-text.js';
import { instantOption } from '../instant-option.js';

export const WORKPLANS_USAGE = [
  'workplans list [--json] | show <cycle> [--at ISO] [--json]',
  '  open <cycle> --deadline ISO [--title T] | input <cycle> --title T (--text T | --file F) [--capacity partner|leader|ip-leader]',
  '  reopen-inputs <cycle> --deadline ISO --reason R | compile <cycle> (--text T | --file F) [--leave-out ID=REASON]...',
  '  review <cycle> --decision endorse|request-changes [--comment C]... | present <cycle> --meeting M',
  '  ballot <cycle> [--channel meeting|electronic] [--reason R] (--closes-at ISO | --ballot ID) [--question Q]',
  '  steps act --as ID [--role secretariat|partner|participant] [--org PARTNER] [--key IDEMPOTENCY-KEY]',
].join('\n');


/**
 * The workplan cycle from the command line (ToR ¶10(a)-(d)): every step the API offers, through the same command
 * bus, decide steps and registers. There is no step that records the agreement: the decided ballot does.
 */
export async function workplansCommand(args: string[]): Promise<number> {
  const [action, ...rest] = args;
  switch (action) {
    case 'list':
      return list(rest);
    case 'show':
      return show(rest);
    case 'open':
      return step(rest, { title: { type: 'string' }, deadline: { type: 'string' } }, (cycle, v, context) =>
        new OpenWorkplanCommand({ cycle, inputDeadline: required(v.deadline, '--deadline'), ...(typeof v.title === 'string' ? { title: v.title } : {}) }, context),
      );
    case 'input':
      return step(rest, { title: { type: 'string' }, text: { type: 'string' }, file: { type: 'string' }, capacity: { type: 'string' } }, (cycle, v, context) => {
        const capacity = v.capacity === undefined ? undefined : (oneOf(String(v.capacity), CAPACITY_KINDS, '--capacity') as CapacityKind);
        return new SubmitWorkplanInputCommand({ cycle, title: required(v.title, '--title'), text: textOf(v), ...(capacity ? { capacity } : {}) }, context);
      });
    case 'reopen-inputs':
      return step(rest, { deadline: { type: 'string' }, reason: { type: 'string' } }, (cycle, v, context) =>
        new ReopenWorkplanInputsCommand({ cycle, inputDeadline: required(v.deadline, '--deadline'), reason: required(v.reason, '--reason') }, context),
      );
    case 'compile':
      return step(rest, { text: { type: 'string' }, file: { type: 'string' }, 'leave-out': { type: 'string', multiple: true } }, (cycle, v, context) => {
        const leftOut = ((v['leave-out'] as string[] | undefined) ?? []).map((entry) => {
          const [inputId, ...reason] = entry.split('=');
          if (!inputId || reason.length === 0) throw new UsageError(`--leave-out takes INPUT-ID=REASON, not "${entry}"`);
          return { inputId, reason: reason.join('=') };
        });
        return new CompileWorkplanCommand({ cycle, text: textOf(v), leftOut }, context);
      });
    case 'review':
      return step(rest, { decision: { type: 'string' }, comment: { type: 'string', multiple: true } }, (cycle, v, context) =>
        new ReviewWorkplanCommand(
          { cycle, decision: oneOf(required(v.decision, '--decision'), REVIEW_DECISIONS, '--decision') as ReviewDecision, comments: (v.comment as string[] | undefined) ?? [] },
          context,
        ),
      );
    case 'present':
      return step(rest, { meeting: { type: 'string' } }, (cycle, v, context) => new PresentWorkplanCommand({ cycle, meeting: required(v.meeting, '--meeting') }, context));
    case 'ballot':
      return step(
        rest,
        { channel: { type: 'string', default: 'meeting' }, reason: { type: 'string' }, 'closes-at': { type: 'string' }, ballot: { type: 'string' }, question: { type: 'string' } },
        (cycle, v, context) => {
          if (!v.ballot && !v['closes-at']) throw new UsageError('ballot needs --closes-at ISO (a new ballot) or --ballot ID (link one)');
          const input = {
            cycle,
            channel: oneOf(v.channel as string, CHANNELS, '--channel') as Channel,
            ...(v.reason ? { channelReason: v.reason as string } : {}),
            ...(v.ballot ? { ballotId: v.ballot as string } : {}),
            ...(v['closes-at'] ? { closesAt: v['closes-at'] as string } : {}),
            ...(v.question ? { question: v.question as string } : {}),
          };
          return new AgreementBallotCommand(input, context);
        },
      );
    default:
      throw new UsageError(WORKPLANS_USAGE);
  }
}




function textOf(values: Values): string {
  if (typeof values.file === 'string') return readFileSync(values.file, 'utf8');
  return required(values.text, '--text or --file');
}


async function step(
  args: string[],
  options: Record<string, { type: 'string' | 'boolean'; multiple?: boolean; default?: string | boolean }>,
  build: (cycle: string, values: Values, context: CommandContext) => Command<CommandOutcome>,
): Promise<number> {
  const { values, positionals } = parse(args, { ...ACTING, ...options } as never, true) as unknown as { values: Values; positionals: string[] };
  if (positionals.length !== 1 || !CYCLE_PATTERN.test(positionals[0]!)) throw new UsageError(`name one cycle (e.g. 2027)\n${WORKPLANS_USAGE}`);
  const cycle = positionals[0]!;
  const command = build(cycle, values, contextOf(values));
  const { app } = await openEngine();
  try {
    const outcome = await app.get(CommandBus).execute(command);
    const actor = contextOf(values).actor;
    const view = await app.get(WorkplanCallers).get(cycle, { id: actor.id, roles: [actor.role], ...(actor.org ? { org: actor.org } : {}) }, app.get(ProcessCommands).now());
    if (values.json) console.log(JSON.stringify({ state: outcome.state.value, duplicate: outcome.duplicate, events: outcome.events.map((e) => ({ type: e.type, revision: e.revision, clauses: e.metadata.clauses })), resource: view }, null, 2));
    else {
      for (const event of outcome.events) console.log(`${event.type} → ${cycle}@${event.revision} (ToR ${event.metadata.clauses.join(', ')})`);
      if (outcome.duplicate) console.log('already applied (same --key): nothing appended');
      console.log(`workplan ${cycle} is ${outcome.state.value}; allowed next for ${actor.id}: ${view?.allowed.join(', ') || '(nothing)'}`);
    }
    return 0;
  } catch (error) {
    if (!(error instanceof DomainError)) throw error;
    console.error(`u4ssc workplans: refused (${error.kind}): ${error.message}`);
    return 1;
  } finally {
    await app.close();
  }
}

async function list(args: string[]): Promise<number> {
  const { values } = parse(args, { json: { type: 'boolean', default: false } });
  const { app } = await openEngine({ create: false });
  try {
    await app.get(Projector).catchUp();
    const views = await app.get(QueryBus).execute(new ListWorkplansQuery());
    if (values.json) console.log(JSON.stringify(views, null, 2));
    else for (const line of workplanListLines(views)) console.log(line);
    console.error(`${views.length} workplan cycles`);
    return 0;
  } finally {
    await app.close();
  }
}

async function show(args: string[]): Promise<number> {
  const { values, positionals } = parse(args, { ...ACTING, at: { type: 'string' } }, true);
  if (positionals.length !== 1) throw new UsageError(WORKPLANS_USAGE);
  const at = instantOption(values.at, '--at');
  const { actor } = contextOf(values as Values);
  const { app } = await openEngine({ create: false });
  try {
    await app.get(Projector).catchUp();
    const view = await app.get(WorkplanCallers).get(positionals[0]!, { id: actor.id, roles: [actor.role], ...(actor.org ? { org: actor.org } : {}) }, app.get(ProcessCommands).now(), at);
    if (!view) {
      console.error(`u4ssc workplans show: no workplan cycle "${positionals[0]}" is on record${at ? ` at ${at.toISOString()}` : ''}`);
      return 1;
    }
    if (values.json) console.log(JSON.stringify(view, null, 2));
    else for (const line of workplanShowLines(view)) console.log(line);
    return 0;
  } finally {
    await app.close();
  }
}
