import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { createInterface } from 'node:readline';
import { canonicalJson, verifyLog, type Anchor, type StoredEvent } from '../../envelope/index.js';
import { GroundsCheck, withGroundsChecked } from '../grounds-check.js';
import { machineLegality } from '../machine-legality.js';
import { PROCESS_REGISTRY, type ProcessRegistry } from '../process-registry.js';
import type { AuditReport } from '../verify-store.js';
import { BUNDLE_FORMAT, eventLine, sealOf, type BundleManifest } from './manifest.js';
import { KeyRing, keySummaries, sealedCheck, SIGNING_KEYS_STREAM } from '../../signing/index.js';

/** Events of a bundle kept for the grounds check (a bundle may be larger than memory). */
const GROUNDS_INDEX_CAP = 200_000;

export interface BundleProblem {
  /** What was checked: format, seal, digest, counts, positions, anchor, scope, machines. */
  check: string;
  detail: string;
}

export interface BundleReport {
  ok: boolean;
  manifest: BundleManifest | null;
  /** The events' own check: bytes, chains, ledger, machines (as `u4ssc verify` does on a store). */
  log: AuditReport | null;
  /** Where the bundle disagrees with its manifest, or cannot be read. */
  problems: BundleProblem[];
  /** What this bundle cannot prove on its own (from its scope). */
  notChecked: string[];
}

/** A bundle file's lines, streamed (a bundle may be larger than memory). */
export function bundleFileLines(file: string): AsyncIterable<string> {
  return createInterface({ input: createReadStream(file, { encoding: 'utf8' }), crlfDelay: Infinity });
}

/**
 * Checks a bundle with nothing but its own lines and this engine's machines: the manifest's seal, every event
 * (hash, chain, revision, position, machine legality), the events' digest and the manifest's counts, positions,
 * head hash and (whole-log bundles) ledger anchor, and any published anchors given.
 */
export async function verifyBundle(
  lines: AsyncIterable<string> | Iterable<string>,
  options: { anchors?: readonly Anchor[]; registry?: ProcessRegistry; trustKeys?: readonly string[] } = {},
): Promise<BundleReport> {
  const problems: BundleProblem[] = [];
  const problem = (check: string, detail: string) => problems.push({ check, detail });
  const answer = (manifest: BundleManifest | null, log: AuditReport | null, notChecked: string[] = []): BundleReport => ({
    ok: problems.length === 0 && (log?.ok ?? false),
    manifest,
    log,
    problems,
    notChecked,
  });

  const iterator = (Symbol.asyncIterator in lines ? lines[Symbol.asyncIterator]() : lines[Symbol.iterator]()) as
    | AsyncIterator<string>
    | Iterator<string>;
  const head = await iterator.next();
  const manifest = head.done ? null : parseManifest(head.value, problem);
  if (!manifest) return answer(null, null);
  if (manifest.seal !== sealOf(manifest)) {
    problem('seal', 'the manifest was changed after export: its seal does not match its content');
  }
  const partial = manifest.scope !== 'log';
  if (partial && options.anchors?.length) {
    problem('anchor', `a ${manifest.scope} bundle is not the whole log, so it cannot be checked against a ledger anchor; check the live log with \`u4ssc verify --anchor\``);
    return answer(manifest, null);
  }

  const digest = createHash('sha256');
  const streams = new Set<string>();
  const seen = { events: 0, first: null as number | null, outside: null as StoredEvent | null, unreadable: null as number | null };
  const keyLines: string[] = [];
  const events = async function* (): AsyncGenerator<StoredEvent> {
    for (let line = 2; ; line += 1) {
      const next = await iterator.next();
      if (next.done) return;
      if (next.value === '') continue;
      digest.update(`${next.value}\n`);
      const event = parseEvent(next.value);
      if (!event) {
        seen.unreadable = line;
        return;
      }
      seen.events += 1;
      seen.first ??= event.position;
      if (event.stream === SIGNING_KEYS_STREAM) keyLines.push(eventLine(event));
      streams.add(event.stream);
      if (event.position > manifest.source.headPosition || (manifest.selection.stream && event.stream !== manifest.selection.stream)) {
        seen.outside ??= event;
      }
      yield event;
    }
  };
  const legality = machineLegality(options.registry ?? PROCESS_REGISTRY);
  const starts = new Map(manifest.starts.map(({ stream, revision, hash }) => [stream, { revision, hash }]));
  const keyEvents = Array.isArray(manifest.keyEvents) ? manifest.keyEvents : undefined;
  const ring = keyEvents && KeyRing.build(keyEvents, { trusted: options.trustKeys });
  // The bundle's events by stream and revision, for the grounds that cite them; past the cap, grounds are unchecked.
  const grounds = new GroundsCheck();
  const held = new Map<string, StoredEvent>();
  const keep = (event: StoredEvent) => {
    if (held.size < GROUNDS_INDEX_CAP) held.set(`${event.revision}\u0000${event.stream}`, event);
    grounds.observe(event);
  };
  // A whole-log bundle holds the unsigned events the first key sealed: their anchor and count are checked too.
  const sealed = ring && !partial ? sealedCheck(ring) : undefined;
  const walked = await verifyLog(events(), {
    anchors: [...(options.anchors ?? []), ...(sealed?.anchors ?? [])],
    legality: (event) => legality.check(event) ?? (keep(event), null),
    starts,
    ...(ring && { signatures: sealed?.signatures ?? ring }),
  });
  const report = await withGroundsChecked(walked, grounds, async (stream, revision) =>
    held.get(`${revision}\u0000${stream}`) ?? (partial || held.size >= GROUNDS_INDEX_CAP ? 'outside' : undefined),
  );
  const log: AuditReport = { ...report, machines: legality.machines(), ...(ring && { keys: keySummaries(ring) }) };
  const notChecked = partial ? [`ledger: ${manifest.checkable.ledger}`] : [];
  if (!ring) notChecked.push('signatures: the bundle carries no key events (exported before events were signed)');
  const unchecked = legality.unchecked();
  if (report.grounds.unchecked) notChecked.push(`grounds: ${report.grounds.unchecked} cited event(s) lie outside this bundle`);
  if (unchecked.length) notChecked.push(`machines: ${unchecked.length} stream(s) start mid-way (${unchecked.slice(0, 5).join(', ')}${unchecked.length > 5 ? ', …' : ''})`);
  if (seen.unreadable !== null) problem('format', `line ${seen.unreadable} is not a stored event in JSON`);
  if (!report.ok || seen.unreadable !== null) return answer(manifest, log, notChecked);

  if (digest.digest('hex') !== manifest.eventsDigest) {
    problem('digest', 'the event lines differ from those exported (eventsDigest): a byte was changed, added or removed');
  }
  const expect = (check: string, what: string, found: unknown, claimed: unknown) => {
    if (canonicalJson(found ?? null) !== canonicalJson(claimed ?? null)) {
      problem(check, `${what}: the bundle holds ${JSON.stringify(found)}, the manifest says ${JSON.stringify(claimed)}`);
    }
  };
  expect('counts', 'events', seen.events, manifest.counts.events);
  expect('counts', 'streams', streams.size, manifest.counts.streams);
  expect('positions', 'first position', seen.first, manifest.firstPosition);
  expect('positions', 'last position', report.head?.position ?? null, manifest.lastPosition);
  expect('head', 'head hash', report.head?.hash ?? null, manifest.headHash);
  expect('machines', 'machines', log.machines, manifest.machines);
  if (!partial) {
    expect('anchor', 'ledger anchor', report.anchor, manifest.anchor);
    // The keys signatures were checked against must be the key events the log itself holds.
    if (keyEvents) expect('keys', 'key events', keyLines, keyEvents.map((event) => eventLine(event)));
    if (manifest.starts.length) problem('scope', 'a whole-log bundle cannot start any stream mid-way');
  }
  if (seen.outside) {
    problem('scope', `event ${seen.outside.id} (stream ${seen.outside.stream}, position ${seen.outside.position}) lies outside the selection the manifest describes`);
  }
  return answer(manifest, log, notChecked);
}

function parseManifest(line: string, problem: (check: string, detail: string) => void): BundleManifest | null {
  let manifest: Partial<BundleManifest>;
  try {
    manifest = JSON.parse(line) as Partial<BundleManifest>;
  } catch {
    problem('format', 'line 1 is not JSON: a bundle starts with its manifest');
    return null;
  }
  if (manifest?.format !== BUNDLE_FORMAT) {
    problem('format', `line 1 is not a ${BUNDLE_FORMAT} manifest (format: ${JSON.stringify(manifest?.format)})`);
    return null;
  }
  const shaped =
    ['log', 'stream', 'range'].includes(manifest.scope as string) &&
    typeof manifest.source?.headPosition === 'number' &&
    typeof manifest.selection === 'object' &&
    manifest.selection !== null &&
    typeof manifest.counts === 'object' &&
    Array.isArray(manifest.starts) &&
    Array.isArray(manifest.machines) &&
    typeof manifest.checkable === 'object';
  if (!shaped) {
    problem('format', 'the manifest on line 1 lacks members a bundle manifest has (scope, source, selection, counts, machines, starts, checkable)');
    return null;
  }
  return manifest as BundleManifest;
}

function parseEvent(line: string): StoredEvent | null {
  try {
    const event = JSON.parse(line) as StoredEvent;
    const wellFormed =
      typeof event.id === 'string' &&
      typeof event.stream === 'string' &&
      Number.isSafeInteger(event.revision) &&
      Number.isSafeInteger(event.position) &&
      typeof event.type === 'string' &&
      typeof event.metadata === 'object' &&
      event.metadata !== null &&
      typeof event.prevHash === 'string' &&
      typeof event.hash === 'string';
    return wellFormed ? event : null;
  } catch {
    return null;
  }
}
