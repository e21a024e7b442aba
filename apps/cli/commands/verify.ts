import { verifyBundle, verifyStore, bundleFileLines } from '../../../libs/audit/index.js';
import { loadConfig } from '../../../libs/config/index.js';
import { parseAnchor, type Anchor } from '../../../libs/envelope/index.js';
import { closeStores, openStores } from '../../../libs/engine/index.js';
import { parse } from '../parse.js';
import { UsageError } from '../usage-error.js';
import { bundleReportLines, reportLines } from './audit-text.js';

/**
 * Checks the whole log (hashes, chain links, revisions, positions, every signature against the keys the log
 * published, every event replayed through its pinned machine) and any published anchors; or, with --bundle, an exported bundle with no database at all.
 * Exits 1 naming the first altered, removed, reordered or illegal event, or the first anchor the log no longer holds.
 */
export async function verifyCommand(args: string[]): Promise<number> {
  const { values } = parse(args, {
    json: { type: 'boolean', default: false },
    anchor: { type: 'string', multiple: true },
    bundle: { type: 'string' },
    'trust-key': { type: 'string', multiple: true },
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
  const stores = await openStores(loadConfig(), { readOnly: true });
  try {
    // The engine's own key, when configured, is pinned: whoever runs the engine vouches for it.
    const own = stores.signingKey ? [stores.signingKey.keyId] : [];
    const report = await verifyStore(stores.events, { anchors, trustKeys: [...trustKeys, ...own] });
    if (values.json) console.log(JSON.stringify(report, null, 2));
    else for (const line of reportLines('verify', report)) console.log(line);
    return report.ok ? 0 : 1;
  } finally {
    await closeStores(stores);
  }
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
