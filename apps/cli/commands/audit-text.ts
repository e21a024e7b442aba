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
  for (const { anchor, status } of report.anchors) lines.push(`${command}: anchor ${anchor}: ${status}`);
  if (report.anchor && anchorLabel) lines.push(`${command}: ${anchorLabel} ${report.anchor}`);
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
