import { machineGraph, takenPath } from '../../../libs/audit/dossier/machine-graph.js';
import { pathSummary, renderDiagramSvg, renderTransitionsTable } from '../../../libs/audit/dossier/render-diagram.js';
import { DECIDED_STATES } from '../../../libs/audit/dossier/ballot-dossier.js';
import { PROCESS_REGISTRY } from '../../../libs/audit/process-registry.js';
import { storedEventOf, type HistoryEntry, type ProcessReplay } from '../../../libs/audit/replay.js';
import { html, join, type SafeHtml } from '../../../libs/html/index.js';
import { instantElement } from '../time.js';
import { exactInstant, renderAsOfControl } from './as-of.js';
import { renderTimeline } from './timeline.js';

/** What each process's streams are called on the pages, by machine id. */
const KIND: Record<string, string> = { partner: 'Partner', ballot: 'Ballot', office: 'Office', workplan: 'Workplan' };

/** "Workplan 2027" for `workplan-2027`; the stream's own name when it does not follow its machine's prefix. */
export function processTitle(stream: string, machineId: string): string {
  const kind = KIND[machineId] ?? machineId;
  return stream.startsWith(`${machineId}-`) ? `${kind} ${stream.slice(machineId.length + 1)}` : `${kind} ${stream}`;
}

export const processPath = (stream: string) => `/audit/processes/${encodeURIComponent(stream)}`;

export interface ProcessPageData {
  stream: string;
  /** The state as of the instant (or now). */
  replay: ProcessReplay;
  /** The events up to the instant. */
  history: HistoryEntry[];
  /** Every event, now: the instants to choose from. */
  all: HistoryEntry[];
  /** The instant asked for (normalised), when the API accepted it. */
  at?: string;
  /** What the API said was wrong with the instant asked for (the page then shows now). */
  atError?: string;
}

function scalar(value: unknown): string | undefined {
  if (value === null) return '—';
  if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean') return String(value);
  if (Array.isArray(value)) return `${value.length} item${value.length === 1 ? '' : 's'}`;
  return undefined;
}

/** The machine's context: its plain fields as facts, and all of it as JSON for whoever needs the detail. */
function renderContext(context: unknown, stream: string): SafeHtml {
  if (context === null || typeof context !== 'object') return html`<p class="muted">No context.</p>`;
  const facts = Object.entries(context as Record<string, unknown>)
    .map(([key, value]) => [key, scalar(value)] as const)
    .filter((entry): entry is readonly [string, string] => entry[1] !== undefined);
  // A ballot named in the context (a workplan's agreement ballot) opens as a process of its own.
  const shown = (key: string, value: string) => (key === 'ballotId' && value !== '—' && `ballot-${value}` !== stream ? html`<a href="${processPath(`ballot-${value}`)}">${value}</a>` : value);
  return html`${facts.length > 0 ? html`<dl class="facts">${facts.map(([key, value]) => html`<dt>${key}</dt><dd>${shown(key, value)}</dd>`)}</dl>` : ''}
<details><summary>The whole context (JSON)</summary><pre class="json">${JSON.stringify(context, null, 2)}</pre></details>`;
}

/** The auditor's page of one process: state and context, the "as of" control, the diagram with the path taken, the timeline, downloads. */
export function renderProcessPage(data: ProcessPageData): { title: string; body: SafeHtml } {
  const { stream, replay, history, all } = data;
  const title = processTitle(stream, replay.machine.id);
  const subject = `this ${(KIND[replay.machine.id] ?? 'process').toLowerCase()}`;
  const later = all.length - history.length;

  const statement =
    data.at !== undefined
      ? html`<p class="warning" role="status" id="as-of-statement"><strong>As of ${instantElement(data.at, { exact: true })}.</strong> The state, the path and the timeline below are as recorded up to that instant: ${history.length} of ${all.length} event${all.length === 1 ? '' : 's'}${later > 0 ? html`; ${later} recorded later ${later === 1 ? 'is' : 'are'} not shown` : ''}. <a href="${processPath(stream)}">Show it as it stands now</a>.</p>`
      : html`<p class="muted" id="as-of-statement">As of now: every one of the ${all.length} event${all.length === 1 ? '' : 's'} recorded.</p>`;

  const definition = PROCESS_REGISTRY.get(replay.machine.id);
  const machine = definition?.versions[replay.machine.version];
  let diagram: SafeHtml;
  if (definition && machine) {
    const { graph } = machineGraph(machine);
    const path = takenPath(machine, definition.input(stream), history.map((entry) => storedEventOf(stream, entry)));
    diagram = html`<figure class="diagram" aria-labelledby="diagram-caption">
${renderDiagramSvg(graph, path, subject)}
<figcaption id="diagram-caption">${pathSummary(graph, path)} Current state${data.at !== undefined ? html` as of ${instantElement(data.at, { exact: true })}` : ''}: <strong>${path.state}</strong> (filled); states passed through are shaded, transitions taken drawn solid, the others dashed.</figcaption>
</figure>
<div class="table-wrap">${renderTransitionsTable(graph, path, subject)}</div>`;
  } else {
    diagram = html`<p class="problem">This engine does not know the ${replay.machine.id} machine v${replay.machine.version}: no diagram can be drawn.</p>`;
  }

  // The dossier is of the ballot as recorded now: offered once a decision is on record, whatever the instant shown.
  const decided = replay.machine.id === 'ballot' && (DECIDED_STATES as readonly string[]).includes(all.at(-1)?.stateAfter ?? replay.state);
  const ballotId = stream.slice('ballot-'.length);

  const body = html`${statement}
<section aria-labelledby="state-heading">
<h2 id="state-heading">State</h2>
<dl class="facts">
  <dt>Stream</dt><dd class="mono">${stream}</dd>
  <dt>Machine</dt><dd>${replay.machine.id} v${replay.machine.version} <span class="muted">(pinned by the first event)</span></dd>
  <dt>State</dt><dd><span class="badge ${replay.done ? 'ok' : 'warn'}" id="process-state">${replay.state}</span>${replay.done ? ' (final: nothing can follow)' : ''}</dd>
  <dt>Events</dt><dd>${replay.events.folded} of ${replay.events.total}${replay.revision >= 0 ? `, up to revision ${replay.revision}` : ''}</dd>
  ${replay.lastEvent ? html`<dt>Last event</dt><dd><code>${replay.lastEvent.type}</code> at ${instantElement(replay.lastEvent.occurredAt, { exact: true })}, position ${replay.lastEvent.position}, hash <code class="mono" title="${replay.lastEvent.hash}">${replay.lastEvent.hash.slice(0, 12)}…</code></dd>` : ''}
  ${replay.torVersion ? html`<dt>Rules</dt><dd>${replay.torVersion}</dd>` : ''}
  <dt>Allowed next</dt><dd>${replay.next.length === 0
    ? html`<span class="muted">nothing</span>`
    : html`<ul>${replay.next.map((step) => html`<li><code>${step.event}</code> → ${step.target}${step.guard ? html` <span class="muted">if ${step.guard}</span>` : ''}${step.clauses.length > 0 ? html` (ToR ${join(step.clauses, ', ')})` : ''}</li>`)}</ul>`}</dd>
</dl>
<h3>Context</h3>
${renderContext(replay.context, stream)}
</section>
<section aria-labelledby="as-of-heading">
<h2 id="as-of-heading">As of</h2>
${renderAsOfControl({ action: processPath(stream), all, ...(data.at !== undefined && { at: data.at }), ...(data.atError !== undefined && { error: data.atError }) })}
</section>
<section aria-labelledby="diagram-heading">
<h2 id="diagram-heading">State diagram</h2>
${diagram}
</section>
<section aria-labelledby="timeline-heading">
<h2 id="timeline-heading">Timeline</h2>
${renderTimeline(history, `The events of ${stream}${data.at !== undefined ? ` recorded up to ${exactInstant(data.at)}` : ''}, oldest first`)}
</section>
<section aria-labelledby="downloads-heading">
<h2 id="downloads-heading">Downloads</h2>
<ul>
  <li><a href="/audit/export?stream=${encodeURIComponent(stream)}" download>Export bundle of this process</a> <span class="muted">(JSON Lines, the manifest first; check it offline with <code>u4ssc verify --bundle</code>)</span></li>
  ${replay.machine.id === 'ballot'
    ? decided
      ? html`<li><a href="/audit/ballots/${encodeURIComponent(ballotId)}/dossier" download>Decision dossier of this ballot</a> <span class="muted">(one HTML file: the rules and electorate frozen at opening, every vote, a recount and the chain proof; ToR ¶13(b))</span></li>`
      : html`<li class="muted">The decision dossier is made once the ballot’s outcome is recorded; it is not yet.</li>`
    : ''}
</ul>
</section>`;
  return { title, body };
}
