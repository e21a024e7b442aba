import { verifyBundle, verifyWithCheckpoints, bundleFileLines, type VerificationInfo } from '../../../libs/audit/index.js';
import { loadConfig } from '../../../libs/config/index.js';
import { parseAnchor, type Anchor } from '../../../libs/envelope/index.js';
import { closeStores, openStores } from '../../../libs/engine/index.js';
import { parse } from '../parse.js';
import { UsageError } from '../usage-error.js';
import { bundleReportLines, reportLines } from './audit-text.js';

/**
 * Checks the whole log, or with --incremental only the events after the last verified checkpoint (hashes, chain links, revisions, positions, every signature against the keys the log
 * published, every event replayed through its pinned machine) and any published anchors; or, with --bundle, an exported bundle with no database at all.
 * Exits 1 naming the first altered, removed, reordered or illegal event, or the first anchor the log no longer holds.
 */
export async function verifyCommand(args: string[]): Promise<number> {
  const { values } = parse(args, {
    json: { type: 'boolean', default: false },
    anchor: { type: 'string', multiple: true },
    bundle: { type: 'string' },
    'trust-key': { type: 'string', multiple: true },
    incremental: { type: 'boolean', default: false },
  });
  const anchors = (values.anchor ?? []).map(anchorArgument);
  const trustKeys = (values['trust-key'] ?? []).map(trustKeyArgument);
  if (values.bundle) {
    // Offline: the configuration (and so the store) is never read.
    const report = await verifyBundle(bundleFileLines(values.bundle), { anchors, trustKeys });
    if (values.json) console.log(JSON.stringify(report, null, 2));
    else for (const line of bundleReportLines('verify', values.bundle, report)) console.log(line);
    return report.ok ? 0 : 1;
  }
  const stores = await openStores(loadConfig(process.env, { readOnly: true }), { readOnly: true });
  try {
    // The engine's own key, when configured, is pinned: whoever runs the engine vouches for it.
    const own = stores.signingKey ? [stores.signingKey.keyId] : [];
    const report = await verifyWithCheckpoints(stores.events, stores.readModels, {
      incremental: values.incremental,
      ...(stores.signingKey && { signingKey: stores.signingKey }),
      now: () => new Date(),
      anchors,
      trustKeys: [...trustKeys, ...own],
    });
    if (values.json) console.log(JSON.stringify(report, null, 2));
    else for (const line of [...reportLines('verify', report), ...verificationLines(report.verification)]) console.log(line);
    return report.ok ? 0 : 1;
  } finally {
    await closeStores(stores);
  }
}

/** What the check covered (the whole log, or the events after a verified checkpoint) and what the last full one found. */
function verificationLines(info: VerificationInfo): string[] {
  const covered =
    info.kind === 'incremental' && info.from
      ? `verify: incremental: only the events after event ${info.from.seq} (verified ${info.from.at}, ${info.from.kind}) were checked; run without --incremental to check the whole log`
      : `verify: full: the whole log was checked${info.fullBecause ? ` (${info.fullBecause})` : ''}`;
  const last = info.lastFull;
  const lastFull = !last
    ? 'verify: no full verification is recorded'
    : `verify: last full verification ${last.at}: ${last.ok ? `no fault, up to event ${last.seq}` : `FAULT (${last.fault?.kind}) at position ${last.fault?.position}`}`;
  return [covered, lastFull, ...(info.notRecorded ? [`verify: not recorded as a checkpoint: ${info.notRecorded}`] : [])];
}

/** A key to trust: its fingerprint (64 hex) or key id (ed25519:<16 hex>), as `keys list` and verify print them. */
export function trustKeyArgument(text: string): string {
  if (!/^([0-9a-fA-F]{64}|ed25519:[0-9a-fA-F]{16})$/.test(text)) {
    throw new UsageError(`--trust-key ${text} is neither a key fingerprint (64 hex digits) nor a key id (ed25519:<16 hex digits>)`);
  }
  return text.toLowerCase();
}

export function anchorArgument(text: string): Anchor {
  try {
    return parseAnchor(text);
  } catch (error) {
    throw new UsageError(error instanceof Error ? error.message : String(error));
  }
}
