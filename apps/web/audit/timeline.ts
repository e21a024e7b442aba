import type { HistoryEntry } from '../../../libs/audit/replay.js';
import { html, join, type SafeHtml } from '../../../libs/html/index.js';
import { instantElement } from '../time.js';

/** "partner for FAO", "secretariat", "system": the capacity a person acted in. */
export function capacityText(capacity: HistoryEntry['capacity']): string {
  return capacity.org ? `${capacity.role} for ${capacity.org}` : capacity.role;
}

/**
 * A process's events as a table, oldest first: when, what, who, in what capacity, under which ToR clauses, the
 * state it led to, and its place in the chain (revision, a shortened hash; the whole one in its title and in the
 * event's details, with the data recorded).
 */
export function renderTimeline(events: readonly HistoryEntry[], caption: string): SafeHtml {
  if (events.length === 0) return html`<p class="muted">No event is recorded up to this instant: the process had not begun.</p>`;
  return html`<div class="table-wrap"><table class="timeline">
<caption>${caption}</caption>
<thead><tr><th scope="col">Rev.</th><th scope="col">When</th><th scope="col">Event</th><th scope="col">Actor</th><th scope="col">Capacity</th><th scope="col">ToR</th><th scope="col">State after</th><th scope="col">Hash</th></tr></thead>
<tbody>${events.map(
    (event) => html`<tr data-revision="${event.revision}">
<td>${event.revision}</td>
<td>${instantElement(event.occurredAt, { exact: true })}</td>
<th scope="row"><code>${event.type}</code>${event.imported ? html` <span class="badge warn">imported</span>` : ''}
<details><summary>Recorded data<span class="muted"> (rev. ${event.revision})</span></summary>
<dl class="facts"><dt>Event id</dt><dd class="mono">${event.id}</dd><dt>Position</dt><dd>${event.position}</dd><dt>Command</dt><dd class="mono">${event.commandId}</dd>
<dt>Caused by</dt><dd class="mono">${event.causationId}</dd><dt>Machine</dt><dd>${event.machine.id} v${event.machine.version}</dd><dt>Rules</dt><dd>${event.torVersion}</dd>
<dt>Previous hash</dt><dd class="mono">${event.prevHash}</dd><dt>Hash</dt><dd class="mono">${event.hash}</dd></dl>
<pre class="json">${JSON.stringify(event.data, null, 2)}</pre></details></th>
<td>${event.actor.name ? html`${event.actor.name} <span class="muted">(${event.actor.id})</span>` : event.actor.id}</td>
<td>${capacityText(event.capacity)}</td>
<td>${event.clauses.length > 0 ? html`ToR ${join(event.clauses, ', ')}` : html`<span class="muted">—</span>`}</td>
<td>${event.stateAfter}</td>
<td><code class="mono" title="${event.hash}">${event.hash.slice(0, 12)}…</code></td>
</tr>`,
  )}</tbody>
</table></div>`;
}
