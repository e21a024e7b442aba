import type { AuditReport } from '../../../libs/audit/verify-store.js';
import type { VerificationInfo } from '../../../libs/audit/checkpointed-verify.js';
import type { AnchorCheck, FaultKind } from '../../../libs/envelope/index.js';
import { html, type SafeHtml } from '../../../libs/html/index.js';

/** Which of the three checks a fault belongs to, in words. */
const CHECK_OF: Record<FaultKind, 'chain' | 'signature' | 'ledger' | 'machine'> = {
  hash: 'chain',
  signature: 'signature',
  chain: 'chain',
  revision: 'chain',
  position: 'chain',
  anchor: 'ledger',
  machine: 'machine',
  hidden: 'chain',
  visibility: 'chain',
  grounds: 'machine',
};

const FAULT_WORDS: Record<FaultKind, string> = {
  hash: 'an event’s content does not match its hash: it was changed after it was recorded',
  chain: 'an event does not link to the hash of the event before it in its stream: an event was changed, removed or inserted',
  revision: 'a stream’s revisions are not gap-free and in order: an event was removed or moved',
  position: 'the global positions are not increasing: the log was reordered',
  signature: 'an event is not signed by a key the log published and trusts where it stands: the engine did not write it',
  anchor: 'a published anchor no longer matches the log up to its event: the record before it was changed',
  machine: 'an event is not a step its process’s pinned machine allows from the state before it',
  hidden: 'the database holds events no reader of the log is given: they were inserted behind the engine’s back',
  visibility: 'events committed before the check began are still held back from readers by another transaction: the check covered fewer events than the log holds',
  grounds: 'an event cites a recorded fact (a ballot’s outcome, a Partner’s registration) that the log does not hold as cited',
};

const ANCHOR_WORDS: Record<AnchorCheck['status'], { text: string; badge: 'ok' | 'bad' | 'warn' }> = {
  matched: { text: 'matches: the record up to it is unchanged', badge: 'ok' },
  mismatch: { text: 'does not match: the record up to it was changed since it was published', badge: 'bad' },
  'beyond-head': { text: 'names an event beyond the head: the log now holds fewer events than when it was published', badge: 'bad' },
  unchecked: { text: 'not checked: an earlier fault stopped the check before its event', badge: 'warn' },
};

function verdict(ok: boolean, label: string, detail: SafeHtml | string): SafeHtml {
  return html`<li><span class="badge ${ok ? 'ok' : 'bad'}">${ok ? '✓ passes' : '✗ fails'}</span> <strong>${label}</strong>: ${detail}</li>`;
}

/** The verify report of `GET /v1/audit/verify`: what was checked, each check's verdict, the head anchor, any fault named plainly. */
export function renderVerifyStatus(report: AuditReport & { verification?: Pick<VerificationInfo, 'kind'> }): SafeHtml {
  const since = report.verification?.kind === 'incremental';
  const failing = report.fault ? CHECK_OF[report.fault.kind] : undefined;
  const mismatched = report.anchors.some((check) => check.status === 'mismatch' || check.status === 'beyond-head');
  const machines = report.machines.map((m) => `${m.id} v${m.version} (${m.events} event${m.events === 1 ? '' : 's'})`).join(', ');
  return html`<div class="card">
<p>${report.ok
    ? since
      ? html`<span class="badge ok">✓ Verified</span> Every one of the <strong>${report.events}</strong> events recorded since the checkpoint, in ${report.streams} stream${report.streams === 1 ? '' : 's'}, checks out.`
      : html`<span class="badge ok">✓ Verified</span> Every one of the <strong>${report.events}</strong> events in ${report.streams} stream${report.streams === 1 ? '' : 's'} checks out.`
    : html`<span class="badge bad">✗ Fault found</span> The first ${report.events} events${since ? ' since the checkpoint' : ''} check out; the check stopped at a fault.`}</p>
<ul>
  ${verdict(failing !== 'chain', 'Hash chain', failing === 'chain' ? 'see the fault below' : 'each event’s hash matches its content and links to the one before it in its stream; revisions and positions are in order')}
  ${verdict(failing !== 'signature', 'Signatures', failing === 'signature' ? 'see the fault below' : signatureWords(report))}
  ${verdict(failing !== 'ledger' && !mismatched, 'Ledger', report.anchors.length === 0 ? 'the running hash over the whole log is computed; no published anchor was given to compare' : 'see the anchors checked below')}
  ${verdict(failing !== 'machine', 'Machine legality', failing === 'machine' ? 'see the fault below' : html`every event was replayed through its process’s pinned machine${machines ? html`: ${machines}` : ''}`)}
</ul>
${report.fault
    ? html`<div class="problem" role="alert"><p><strong>Fault (${report.fault.kind})</strong>: ${FAULT_WORDS[report.fault.kind]}.</p>
<dl class="facts"><dt>Where</dt><dd>position ${report.fault.position}, stream <a href="/audit/processes/${encodeURIComponent(report.fault.stream)}">${report.fault.stream}</a>, revision ${report.fault.revision}</dd>
<dt>Event id</dt><dd class="mono">${report.fault.eventId}</dd><dt>Detail</dt><dd>${report.fault.detail}</dd></dl></div>`
    : ''}
${report.head
    ? html`<dl class="facts"><dt>Head</dt><dd>event ${report.head.seq} of the log, at position ${report.head.position}</dd>
<dt>Head anchor</dt><dd>${report.anchor
        ? html`<code class="anchor" id="head-anchor">${report.anchor}</code>
<p class="hint muted">Publish this anchor with the minutes: whoever holds it can later check, here or with <code>u4ssc verify --anchor</code>, that nothing recorded up to it has changed since.</p>`
        : html`<span class="muted">none: an anchor is given only when the whole log verifies</span>`}</dd></dl>`
    : html`<p class="muted">The log is empty: nothing is recorded yet.</p>`}
${report.anchors.length > 0
    ? html`<h3>Published anchors checked</h3><ul>${report.anchors.map(
        (check) => html`<li><code class="mono">${check.anchor}</code> <span class="badge ${ANCHOR_WORDS[check.status].badge}">${check.status}</span> ${ANCHOR_WORDS[check.status].text}</li>`,
      )}</ul>`
    : ''}
</div>`;
}

function signatureWords(report: AuditReport): string {
  const legacy = report.signatures?.legacyUnsigned ?? 0;
  const keys = report.keys ?? [];
  if (keys.length === 0) return 'no signing key is published: the log was written before signing began, and is vouched for by its hashes and anchors only';
  return `every event after the first key publication is signed by a published key valid at its position (${keys.length} key${keys.length === 1 ? '' : 's'}: ${keys.map((k) => `${k.keyId} ${k.trust}`).join(', ')})${legacy ? `; ${legacy} earlier events are unsigned (written before signing began)` : ''}`;
}
