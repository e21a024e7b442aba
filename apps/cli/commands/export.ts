import { createWriteStream } from 'node:fs';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { bundleLines, completeHead, engineVersion, type BundleManifest } from '../../../libs/audit/index.js';
import { loadConfig } from '../../../libs/config/index.js';
import { closeStores, openStores } from '../../../libs/engine/index.js';
import { parse } from '../parse.js';
import { UsageError } from '../usage-error.js';
import { instantOption } from '../instant-option.js';

/** Writes the log, one stream or a time range as a bundle (libs/audit/bundle/manifest.ts) for offline checking. */
export async function exportCommand(args: string[]): Promise<number> {
  const { values } = parse(args, {
    out: { type: 'string' },
    stream: { type: 'string' },
    from: { type: 'string' },
    to: { type: 'string' },
  });
  if (!values.out) throw new UsageError('--out <file> is required: where to write the bundle (.jsonl), or - for standard output');
  const toStdout = values.out === '-';
  // With the bundle on stdout, the summary goes to stderr so that a pipe receives the bundle alone.
  const say = toStdout ? (line: string) => console.error(line) : (line: string) => console.log(line);
  const from = instantOption(values.from, '--from');
  const to = instantOption(values.to, '--to');
  if (from && to && from > to) throw new UsageError('--from is after --to');

  const stores = await openStores(loadConfig(process.env, { readOnly: true }), { readOnly: true });
  try {
    // Before the file is opened: a log readers see only in part is refused, leaving no file behind.
    const upTo = await completeHead(stores.events, 'export');
    let manifest: BundleManifest | undefined;
    const lines = async function* () {
      for await (const line of bundleLines(stores.events, { stream: values.stream, from, to, engine: engineVersion(), now: new Date(), upTo })) {
        manifest ??= JSON.parse(line) as BundleManifest;
        yield line;
      }
    };
    // stdout is not ended (it is the process's): main waits for it to drain (apps/cli/output.ts).
    if (toStdout) await pipeline(Readable.from(lines()), process.stdout, { end: false });
    else await pipeline(Readable.from(lines()), createWriteStream(values.out));
    const m = manifest!;
    const where = toStdout ? 'standard output' : values.out;
    say(
      `export: ${m.counts.events} events in ${m.counts.streams} streams (scope ${m.scope}) to ${where}` +
        (m.lastPosition !== null ? `; positions ${m.firstPosition} to ${m.lastPosition}, head hash ${m.headHash}` : ''),
    );
    if (m.anchor) say(`export: anchor ${m.anchor}`);
    say(`export: check it anywhere with \`u4ssc verify --bundle ${toStdout ? '<the file it went to>' : values.out}\``);
    return 0;
  } finally {
    await closeStores(stores);
  }
}
