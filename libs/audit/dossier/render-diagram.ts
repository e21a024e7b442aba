import { html, join, type SafeHtml } from '../../html/index.js';
import type { GraphTransition, MachineGraph, TakenPath } from './machine-graph.js';

/**
 * The machine drawn as a plain inline SVG (no script, no external asset) with the path taken highlighted, and the
 * same facts as a table of transitions for screen readers and for print. The layout is deliberately simple: states
 * in rows by their distance from the initial state, arrows between them, self-transitions as loops on the left.
 */

const BOX_W = 150;
const BOX_H = 38;
const COL = 200;
const ROW = 96;
const SIDE = 190; // room either side for loop and edge labels
const TOP = 16;

const TAKEN = '#0b4f8a';
const NOT_TAKEN = '#8c8c8c';

interface Placed {
  id: string;
  rank: number;
  x: number;
  y: number;
}

/** How often each transition was taken, and by which revisions. */
export function takenCounts(path: TakenPath): Map<string, number[]> {
  const taken = new Map<string, number[]>();
  for (const step of path.steps) for (const key of step.transitions) taken.set(key, [...(taken.get(key) ?? []), step.revision]);
  return taken;
}

function layout(graph: MachineGraph): { placed: Map<string, Placed>; width: number; height: number } {
  const rank = new Map<string, number>([[graph.initial, 0]]);
  for (let queue = [graph.initial]; queue.length > 0; ) {
    const from = queue.shift()!;
    for (const t of graph.transitions) {
      if (t.from === from && t.to !== from && !rank.has(t.to)) {
        rank.set(t.to, rank.get(from)! + 1);
        queue.push(t.to);
      }
    }
  }
  const deepest = Math.max(0, ...rank.values());
  const rows: string[][] = [];
  for (const state of graph.states) {
    const r = rank.get(state.id) ?? deepest + 1; // unreachable states go last, still shown
    (rows[r] ??= []).push(state.id);
  }
  const widest = Math.max(1, ...rows.map((row) => row?.length ?? 0));
  const width = SIDE * 2 + widest * COL;
  const placed = new Map<string, Placed>();
  rows.forEach((row, r) => {
    const left = SIDE + ((widest - row.length) * COL) / 2;
    row.forEach((id, i) => placed.set(id, { id, rank: r, x: left + i * COL + COL / 2, y: TOP + r * ROW + BOX_H / 2 }));
  });
  return { placed, width, height: TOP * 2 + (rows.length - 1) * ROW + BOX_H };
}

const eventLabel = (t: GraphTransition) => (t.guard ? `${t.event} [${t.guard}]` : t.event);

function labelLines(transitions: GraphTransition[], taken: Map<string, number[]>): string[] {
  return transitions
    .filter((t) => taken.has(t.key))
    .map((t) => {
      const times = taken.get(t.key)!.length;
      // The guard tells apart transitions on the same event between the same states (the three ways to close).
      const ambiguous = transitions.filter((other) => other.event === t.event).length > 1;
      return `${ambiguous ? eventLabel(t) : t.event}${times > 1 ? ` ×${times}` : ''}`;
    });
}

function text(lines: string[], x: number, y: number, anchor: 'start' | 'end' | 'middle'): SafeHtml {
  const first = y - ((lines.length - 1) * 15) / 2;
  return html`${lines.map(
    (line, i) => html`<text x="${x}" y="${first + i * 15}" text-anchor="${anchor}" dominant-baseline="middle" class="edge-label">${line}</text>`,
  )}`;
}

/** `subject` names what took the path, in the diagram's title ("this ballot", "this workplan"). */
export function renderDiagramSvg(graph: MachineGraph, path: TakenPath, subject = 'this ballot'): SafeHtml {
  const { placed, width, height } = layout(graph);
  const taken = takenCounts(path);
  const visited = new Set([graph.initial, ...path.steps.flatMap((step) => [step.from, step.to])]);

  const pairs = new Map<string, GraphTransition[]>();
  for (const t of graph.transitions) pairs.set(`${t.from}\u0000${t.to}`, [...(pairs.get(`${t.from}\u0000${t.to}`) ?? []), t]);

  const edges: SafeHtml[] = [];
  const labels: SafeHtml[] = [];
  // Untaken edges first, so the path taken is drawn on top of them.
  const ordered = [...pairs.values()].sort((a, b) => Number(a.some((t) => taken.has(t.key))) - Number(b.some((t) => taken.has(t.key))));
  for (const transitions of ordered) {
    const from = placed.get(transitions[0]!.from);
    const to = placed.get(transitions[0]!.to);
    if (!from || !to) continue;
    const isTaken = transitions.some((t) => taken.has(t.key));
    const style = isTaken
      ? html`stroke="${TAKEN}" stroke-width="3" marker-end="url(#arrow-taken)"`
      : html`stroke="${NOT_TAKEN}" stroke-width="1.5" stroke-dasharray="5 4" marker-end="url(#arrow-not-taken)"`;
    const lines = isTaken ? labelLines(transitions, taken) : [];
    let d: string;
    if (from.id === to.id) {
      const x = from.x - BOX_W / 2;
      d = `M ${x} ${from.y - 10} C ${x - 62} ${from.y - 44}, ${x - 62} ${from.y + 44}, ${x - 2} ${from.y + 10}`;
      labels.push(text(lines, x - 54, from.y, 'end'));
    } else if (to.rank > from.rank) {
      const [x1, y1, x2, y2] = [from.x, from.y + BOX_H / 2, to.x, to.y - BOX_H / 2 - 2];
      d = `M ${x1} ${y1} L ${x2} ${y2}`;
      // The label sits on the side the arrow leans away from, so that it never lies across its own line.
      const leansLeft = x2 < x1 - 1;
      labels.push(text(lines, (x1 + x2) / 2 + (leansLeft ? -10 : 10), (y1 + y2) / 2, leansLeft ? 'end' : 'start'));
    } else if (to.rank === from.rank) {
      const direction = to.x > from.x ? 1 : -1;
      const [x1, x2] = [from.x + (direction * BOX_W) / 2, to.x - (direction * BOX_W) / 2 - direction * 2];
      d = `M ${x1} ${from.y} L ${x2} ${to.y}`;
      labels.push(text(lines, (x1 + x2) / 2, from.y - 12, 'middle'));
    } else {
      // Back to an earlier row: around the right-hand side.
      const x = Math.max(from.x, to.x) + BOX_W / 2;
      d = `M ${from.x + BOX_W / 2} ${from.y} C ${x + 70} ${from.y}, ${x + 70} ${to.y}, ${to.x + BOX_W / 2 + 2} ${to.y}`;
      labels.push(text(lines, x + 60, (from.y + to.y) / 2, 'start'));
    }
    edges.push(html`<path d="${d}" fill="none" ${style}><title>${transitions.map(eventLabel).join('; ')}</title></path>`);
  }

  const nodes = graph.states.map((state) => {
    const at = placed.get(state.id)!;
    const current = state.id === path.state;
    const passed = visited.has(state.id);
    const cls = current ? 'state current' : passed ? 'state visited' : 'state';
    const [x, y] = [at.x - BOX_W / 2, at.y - BOX_H / 2];
    const inner = state.final
      ? html`<rect x="${x + 4}" y="${y + 4}" width="${BOX_W - 8}" height="${BOX_H - 8}" rx="5" class="final-ring"/>`
      : '';
    return html`<g class="${cls}"><title>${state.id}${state.final ? ' (final)' : ''}${state.description ? `: ${state.description}` : ''}</title><rect x="${x}" y="${y}" width="${BOX_W}" height="${BOX_H}" rx="8"/>${inner}<text x="${at.x}" y="${at.y}" text-anchor="middle" dominant-baseline="central">${state.id}</text></g>`;
  });

  const route = pathSummary(graph, path);
  return html`<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${width} ${height}" width="${width}" height="${height}" role="img" aria-labelledby="diagram-title diagram-desc" class="diagram">
<title id="diagram-title">The ${graph.machineId} machine, with the path ${subject} took</title>
<desc id="diagram-desc">${route}</desc>
<defs>
<marker id="arrow-taken" viewBox="0 0 10 10" refX="9" refY="5" markerUnits="userSpaceOnUse" markerWidth="13" markerHeight="13" orient="auto-start-reverse"><path d="M0,0 L10,5 L0,10 z" fill="${TAKEN}"/></marker>
<marker id="arrow-not-taken" viewBox="0 0 10 10" refX="9" refY="5" markerUnits="userSpaceOnUse" markerWidth="10" markerHeight="10" orient="auto-start-reverse"><path d="M0,0 L10,5 L0,10 z" fill="${NOT_TAKEN}"/></marker>
</defs>
${edges}
${nodes}
${labels}
</svg>`;
}

/** "none → draft → open (4 events) → closed → approved": the states passed through, in words. */
export function pathSummary(graph: MachineGraph, path: TakenPath): string {
  const stops: { state: string; stays: number }[] = [{ state: graph.initial, stays: 0 }];
  for (const step of path.steps) {
    if (step.to === stops.at(-1)!.state) stops.at(-1)!.stays += 1;
    else stops.push({ state: step.to, stays: 0 });
  }
  const words = stops.map(({ state, stays }) => (stays > 0 ? `${state} (${stays} event${stays > 1 ? 's' : ''} recorded there)` : state));
  return `Path taken: ${words.join(' → ')}${path.refused ? `; then ${path.refused.event} (revision ${path.refused.revision}) was refused by the machine in state ${path.refused.state}` : ''}.`;
}

/** Every transition of the machine, the ones taken marked with how often and by which revisions. */
export function renderTransitionsTable(graph: MachineGraph, path: TakenPath, subject = 'this ballot'): SafeHtml {
  const taken = takenCounts(path);
  const rows = graph.transitions.map((t) => {
    const revisions = taken.get(t.key);
    const mark = revisions
      ? html`<strong>✓ taken${revisions.length > 1 ? ` ×${revisions.length}` : ''}</strong> (revision${revisions.length > 1 ? 's' : ''} ${join(revisions, ', ')})`
      : html`<span class="muted">not taken</span>`;
    return html`<tr class="${revisions ? 'taken' : 'not-taken'}" data-transition="${t.key}"><th scope="row">${t.from}</th><td><code>${t.event}</code></td><td>${t.guard ? html`<code>${t.guard}</code>` : '—'}</td><td>${t.to === t.from ? html`${t.to} <span class="muted">(stays)</span>` : t.to}</td><td>${t.clauses.length ? join(t.clauses, ', ') : '—'}</td><td>${mark}</td></tr>`;
  });
  return html`<table class="transitions">
<caption>Every transition of the ${graph.machineId} machine; those ${subject} took are marked and shaded</caption>
<thead><tr><th scope="col">From</th><th scope="col">Event</th><th scope="col">Guard (checked on the event)</th><th scope="col">To</th><th scope="col">ToR</th><th scope="col">${subject.charAt(0).toUpperCase()}${subject.slice(1)}</th></tr></thead>
<tbody>${rows}</tbody>
</table>`;
}
