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
  if (!values.out) throw new UsageError('--out <file> is required: where to write the bundle (.jsonl)');
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
    await pipeline(Readable.from(lines()), createWriteStream(values.out));
    const m = manifest!;
    console.log(
      `export: ${m.counts.events} events in ${m.counts.streams} streams (scope ${m.scope}) to ${values.out}` +
        (m.lastPosition !== null ? `; positions ${m.firstPosition} to ${m.lastPosition}, head hash ${m.headHash}` : ''),
    );
    if (m.anchor) console.log(`export: anchor ${m.anchor}`);
    console.log(`export: check it anywhere with \`u4ssc verify --bundle ${values.out}\``);
    return 0;
  } finally {
    await closeStores(stores);
  }
}
