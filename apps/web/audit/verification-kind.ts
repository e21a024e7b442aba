import type { VerificationInfo } from '../../../libs/audit/checkpointed-verify.js';
import { html, type SafeHtml } from '../../../libs/html/index.js';
import { instantText } from '../time.js';

/**
 * What a verification covered and when the whole log was last checked (docs/integrity.md, "Verified checkpoints"):
 * an incremental one vouches only for the events after its checkpoint, so the page says so, and what the last full
 * verification found, with a button to run one now.
 */
export function renderVerificationKind(info: VerificationInfo): SafeHtml {
  const covered =
    info.kind === 'incremental' && info.from
      ? html`<p id="verification-kind"><span class="badge warn">incremental</span> Only the events recorded after the verified checkpoint were checked now: the log up to event ${info.from.seq} (position ${info.from.position}) was verified by the ${info.from.kind} verification at ${instantText(info.from.at)}. A change made before it since then is found only by a full verification.</p>`
      : html`<p id="verification-kind"><span class="badge ok">full</span> The whole log was checked now, from its first event.${info.fullBecause ? html` <span class="muted">(A full check ran because ${info.fullBecause}.)</span>` : ''}</p>`;
  const last = info.lastFull;
  const lastFull = !last
    ? html`<p id="last-full">No full verification is recorded yet.</p>`
    : last.ok
      ? html`<p id="last-full">The last full verification, at ${instantText(last.at)}, found no fault (the log up to event ${last.seq}).</p>`
      : html`<p id="last-full" role="alert"><span class="badge bad">✗</span> The last full verification, at ${instantText(last.at)}, found a fault at position ${last.fault?.position ?? '?'}${last.fault ? html` (${last.fault.kind}, stream ${last.fault.stream}): ${last.fault.detail}` : ''}.</p>`;
  return html`<div class="card">${covered}${lastFull}
<form method="get" action="/audit" class="inline"><input type="hidden" name="full" value="true"><button type="submit" class="secondary">Verify the whole log now</button></form>
</div>`;
}
