import type { AuditReport, BundleReport } from '../../../libs/audit/index.js';
import type { VerifyFault } from '../../../libs/envelope/index.js';

/** How the auditors' commands word a verification for people; `--json` prints the report itself. */

export function faultLine(command: string, fault: VerifyFault): string {
  return `${command}: FAULT (${fault.kind}) at position ${fault.position}, stream ${fault.stream}, revision ${fault.revision}, event ${fault.eventId}: ${fault.detail}`;
}

export function reportLines(command: string, report: AuditReport, anchorLabel = 'anchor now'): string[] {
  const lines: string[] = [];
  if (report.ok) {
    const head = report.head ? `head position ${report.head.position}, hash ${report.head.hash}` : 'the log is empty';
    lines.push(`${command}: OK: ${report.events} events in ${report.streams} streams; ${head}`);
  } else {
    lines.push(faultLine(command, report.fault!));
    lines.push(`${command}: ${report.events} events before it checked out`);
  }
  if (report.machines.length) {
    lines.push(`${command}: replayed through ${report.machines.map((m) => `${m.id} v${m.version} (${m.events} events)`).join(', ')}`);
  }
  lines.push(...keyLines(command, report));
  for (const { anchor, status } of report.anchors) lines.push(`${command}: anchor ${anchor}: ${status}`);
  if (report.anchor && anchorLabel) lines.push(`${command}: ${anchorLabel} ${report.anchor}`);
  return lines;
}

/** The signing keys verify judged, the genesis key's fingerprint first (what auditors pin), and the unsigned past. */
function keyLines(command: string, report: AuditReport): string[] {
  const keys = report.keys ?? [];
  if (keys.length === 0) return report.signatures ? [`${command}: signatures: none; no signing key is published, the log is vouched for by its hashes and anchors only`] : [];
  const lines = keys.map(
    (key) =>
      `${command}: key ${key.keyId} fingerprint ${key.fingerprint}: ${key.trust}, published at position ${key.publishedAt}` +
      `${key.endorsedBy ? `, endorsed by ${key.endorsedBy}` : ''}${key.revokedFrom !== undefined ? `, revoked from position ${key.revokedFrom}` : ''} (${key.reason})` +
      `${key.untrustedBecause ? `: ${key.untrustedBecause}` : ''}`,
  );
  if (report.signatures) {
    lines.push(`${command}: signatures: ${report.signatures.signed} events signed${report.signatures.legacyUnsigned ? `, ${report.signatures.legacyUnsigned} unsigned events from before signing began` : ''}`);
  }
  const genesis = keys.find((key) => key.trust === 'genesis');
  if (genesis) lines.push(`${command}: pin the genesis key with --trust-key ${genesis.fingerprint} (compare it with the fingerprint the operator published)`);
  return lines;
}

export function bundleReportLines(command: string, file: string, report: BundleReport): string[] {
  const lines: string[] = [];
  const manifest = report.manifest;
  if (manifest) {
    const selection = [manifest.selection.stream && `stream ${manifest.selection.stream}`, manifest.selection.from && `from ${manifest.selection.from}`, manifest.selection.to && `to ${manifest.selection.to}`]
      .filter(Boolean)
      .join(', ');
    lines.push(
      `${command}: bundle ${file}: scope ${manifest.scope}${selection ? ` (${selection})` : ''}, exported ${manifest.exportedAt} by ${manifest.engine.name} ${manifest.engine.version} from a ${manifest.source.store} store`,
    );
  }
  if (report.log) lines.push(...reportLines(command, report.log, manifest?.scope === 'log' ? 'anchor recomputed from the bundle:' : ''));
  for (const problem of report.problems) lines.push(`${command}: FAULT (bundle ${problem.check}): ${problem.detail}`);
  for (const item of report.notChecked) lines.push(`${command}: not checked: ${item}`);
  lines.push(`${command}: the bundle ${report.ok ? 'checks out' : 'does NOT check out'}`);
  return lines;
}
