import { describe, expect, it } from '@jest/globals';
import { chainEvents, GENESIS_HASH, type NewEvent, type StoredEvent } from '../../envelope/index.js';
import { ballotMachine } from '../../../state-machines/ballot/ballot.machine.js';
import { toMermaid } from '../../../state-machines/tools/mermaid.js';
import { cast, changed, closed, decided, drafted, FLEXIBLE, opened, T_VOTE } from '../../../state-machines/ballot/ballot.test-events.js';
import type { BallotContext, BallotMachineEvent } from '../../../state-machines/ballot/ballot.machine.js';
import { foldEvents } from '../../process-runner/index.js';
import { machineGraph, takenPath } from './machine-graph.js';
import { pathSummary, renderDiagramSvg, renderTransitionsTable } from './render-diagram.js';

/** Folded test events as stored events of one stream (the fold reads only type, data and the envelope's time and actor). */
function stored(events: BallotMachineEvent[]): StoredEvent[] {
  const fresh: NewEvent[] = events.map((event, index) => ({
    id: `e${index}`,
    type: event.type,
    data: event.data,
    metadata: {
      actor: event.meta.actor,
      commandId: `c${index}`,
      correlationId: `c${index}`,
      causationId: `c${index}`,
      occurredAt: event.meta.occurredAt,
      machine: { id: 'ballot', version: 1 },
      torVersion: 'U4SSC-ToR-2023',
      clauses: [],
    },
  }));
  return chainEvents('ballot-b-1', -1, GENESIS_HASH, fresh).map((event, index) => ({ ...event, position: index + 1 }));
}

describe('machineGraph', () => {
  it('has every state and transition the Mermaid diagram shows, with guards and clauses', () => {
    const { graph } = machineGraph(ballotMachine);
    expect(graph.initial).toBe('none');
    expect(graph.states.map((state) => state.id)).toEqual(['none', 'draft', 'open', 'closed', 'approved', 'rejected', 'failedQuorum', 'withdrawn']);
    expect(graph.states.filter((state) => state.final).map((state) => state.id)).toEqual(['approved', 'rejected', 'failedQuorum', 'withdrawn']);
    const lines = graph.transitions.map(
      (t) => `${t.from} --> ${t.to}: ${t.event}${t.guard ? ` [${t.guard}]` : ''}${t.clauses.length ? ` (${t.clauses.join(', ')})` : ''}`,
    );
    const mermaid = toMermaid(ballotMachine).split('\n').map((line) => line.trim()).filter((line) => line.includes(': '));
    expect(lines).toEqual(mermaid);
  });
});

describe('takenPath', () => {
  it('names the transition each event took, the guarded branch included', () => {
    const before = [drafted(), opened(FLEXIBLE), cast('FAO', 'no'), changed('FAO', 'no', 'yes'), cast('ITU', 'yes'), closed('secretariat', T_VOTE, 'urgent')];
    const context = foldEvents(ballotMachine, { ballotId: 'b-1' }, stored(before), 1).context as BallotContext;
    const events = stored([...before, decided(context)]);
    const path = takenPath(ballotMachine, { ballotId: 'b-1' }, events);
    expect(path.refused).toBeNull();
    expect(path.state).toBe('approved');
    expect(path.steps.map((step) => `${step.revision} ${step.from}->${step.to} ${step.transitions.join()}`)).toEqual([
      '0 none->draft none:BallotDrafted:0',
      '1 draft->open draft:BallotOpened:0',
      '2 open->open open:VoteCast:0',
      '3 open->open open:VoteChanged:0',
      '4 open->open open:VoteCast:0',
      '5 open->closed open:BallotClosed:2',
      '6 closed->approved closed:BallotDecided:0',
    ]);
    const { graph } = machineGraph(ballotMachine);
    expect(pathSummary(graph, path)).toBe('Path taken: none → draft → open (3 events recorded there) → closed → approved.');
    const svg = renderDiagramSvg(graph, path).value;
    expect(svg).toContain('<g class="state current"><title>approved (final)');
    expect(svg).toContain('<g class="state"><title>rejected (final)');
    expect(svg).toMatch(/class="edge-label">VoteCast ×2<\/text>/);
    expect(svg).toMatch(/class="edge-label">BallotClosed \[secretariatGaveReason\]<\/text>/);
    const table = renderTransitionsTable(graph, path).value;
    expect(table.match(/<tr class="taken"/g)).toHaveLength(6);
    expect(table).toMatch(/data-transition="open:VoteCast:0">.*✓ taken ×2<\/strong> \(revisions 2, 4\)/);
    expect(svg).toContain('with the path this ballot took</title>');
    // Another subject for the same drawing (the auditors' web page of any process).
    expect(renderDiagramSvg(graph, path, 'this process').value).toContain('with the path this process took</title>');
    const named = renderTransitionsTable(graph, path, 'this process').value;
    expect(named).toContain('those this process took are marked and shaded</caption>');
    expect(named).toContain('<th scope="col">This process</th>');
  });

  it('stops at the first event the machine refuses, naming it and the state', () => {
    const events = stored([drafted(), opened(FLEXIBLE), cast('FAO', 'yes'), cast('FAO', 'no')]);
    const path = takenPath(ballotMachine, { ballotId: 'b-1' }, events);
    expect(path.steps).toHaveLength(3);
    expect(path.refused).toEqual({ revision: 3, position: 4, event: 'VoteCast', state: 'open' });
    expect(path.state).toBe('open');
  });
});
