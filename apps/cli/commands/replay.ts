import { replayStream } from '../../../libs/audit/index.js';
import { loadConfig } from '../../../libs/config/index.js';
import { closeStores, openStores } from '../../../libs/engine/index.js';
import { parse } from '../parse.js';
import { UsageError } from '../usage-error.js';
import { instantOption } from '../instant-option.js';

/** A process's state, next steps and history, now or as it stood at an instant or a position. */
export async function replayCommand(args: string[]): Promise<number> {
  const { values, positionals } = parse(args, { at: { type: 'string' }, position: { type: 'string' }, json: { type: 'boolean', default: false } }, true);
  const [stream, ...extra] = positionals;
  if (!stream || extra.length) throw new UsageError('replay takes one stream: u4ssc replay <stream> [--at ISO | --position N] [--json]');
  if (values.at !== undefined && values.position !== undefined) throw new UsageError('give --at or --position, not both');
  const at = instantOption(values.at, '--at');
  if (values.position !== undefined && !/^\d{1,16}$/.test(values.position)) throw new UsageError(`--position ${values.position} is not a log position`);
  const position = values.position !== undefined ? Number(values.position) : undefined;

  const stores = await openStores(loadConfig(process.env, { readOnly: true }), { readOnly: true });
  try {
    const { replay, history } = await replayStream(stores.events, stream, { at, position });
    if (values.json) {
      console.log(JSON.stringify({ ...replay, history }, null, 2));
      return 0;
    }
    const asOf = at ? ` at ${at.toISOString()}` : position !== undefined ? ` at position ${position}` : '';
    console.log(`${stream} (${replay.machine.id} machine v${replay.machine.version})${asOf}: ${replay.state}, revision ${replay.revision}${replay.done ? ' (final)' : ''}`);
    console.log(`context: ${JSON.stringify(replay.context)}`);
    for (const step of replay.next) {
      const clauses = step.clauses.length ? ` (ToR ${step.clauses.join(', ')})` : '';
      console.log(`next: ${step.event} → ${step.target}${step.guard ? ` [if ${step.guard}]` : ''}${clauses}`);
    }
    for (const entry of history) {
      const capacity = `${entry.capacity.role}${entry.capacity.org ? ` for ${entry.capacity.org}` : ''}`;
      console.log(
        `  #${entry.position} r${entry.revision} ${entry.occurredAt} ${entry.type} by ${entry.actor.id} as ${capacity}` +
          ` (ToR ${entry.clauses.join(', ') || '—'}; ${entry.torVersion}; machine v${entry.machine.version}) → ${entry.stateAfter}  ${entry.hash.slice(0, 16)}`,
      );
    }
    console.error(`${replay.events.folded} of ${replay.events.total} events folded`);
    return 0;
  } finally {
    await closeStores(stores);
  }
}
