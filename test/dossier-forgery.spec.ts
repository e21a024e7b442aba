import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { BallotNotDecidedError, buildBallotDossier, renderBallotDossier } from '../libs/audit/dossier/index.js';
import { ballotProcess, ballotStream, BALLOT_RULE_TABLE, decideClose, decideOpenBallot, decideVote } from '../libs/ballots/index.js';
import type { Actor, StoredEvent } from '../libs/envelope/index.js';
import { NotFoundError } from '../libs/errors/index.js';
import { MemoryEventStore, type EventStore } from '../libs/event-store/index.js';
import { ManualClock } from '../libs/kernel/clock.js';
import { runCommand } from '../libs/process-runner/index.js';
import type { Choice } from '../state-machines/ballot/ballot.events.js';
import { sqliteFixture, type TamperFixture } from './audit-tamper-kit.js';
import { assertBuilt, runCli } from './support/cli.js';
import { tempDir } from './support/temp-dir.js';

const secretariat: Actor = { id: 'sec-1', role: 'secretariat', name: 'Secretariat officer' };
const representative = (org: string): Actor => ({ id: `rep-${org}`, role: 'partner', org });
const BALLOT = 'b-forged';

/**
 * A ballot written through the real runner and decide steps (ToR ¶13(b)): FAO and ITU vote no, UNECE yes, under
 * the workplan defaults. Closed by the Secretariat unless `close` is false.
 */
async function writeBallot(store: EventStore, close = true): Promise<StoredEvent[]> {
  const clock = new ManualClock('2026-03-01T09:00:00.000Z');
  const deps = { store, clock };
  const stream = ballotStream(BALLOT);
  let n = 0;
  const run = (actor: Actor, decide: Parameters<typeof runCommand>[4]) => runCommand(deps, ballotProcess, stream, { commandId: `forgery-${++n}`, actor }, decide);
  await run(
    secretariat,
    decideOpenBallot(
      { ballotId: BALLOT, subject: { kind: 'workplan', reference: 'workplan-2027', title: 'Workplan 2027' }, question: 'Agree?', channel: 'electronic', closesAt: '2026-03-15T09:00:00.000Z' },
      secretariat,
      { now: clock.now(), electorate: ['FAO', 'ITU', 'UNECE', 'UNEP'], table: BALLOT_RULE_TABLE },
    ),
  );
  for (const [org, choice] of [['FAO', 'no'], ['ITU', 'no'], ['UNECE', 'yes']] as [string, Choice][]) {
    clock.advance(3_600_000);
    await run(representative(org), decideVote({ ballotId: BALLOT, partnerId: org, choice }, representative(org), clock.now()));
  }
  if (close) {
    clock.advance(3_600_000);
    await run(secretariat, decideClose({ ballotId: BALLOT, cause: 'secretariat', reason: 'Enough views' }, secretariat, clock.now()));
  }
  return store.readStream(stream);
}

const NOW = { now: new Date('2026-04-01T00:00:00.000Z') };

describe('a dossier says when the record does not hold: a forged outcome (memory store)', () => {
  it('recounts a BallotDecided appended behind the runner’s back: DOES NOT MATCH, and the machine refused it', async () => {
    const store = new MemoryEventStore();
    const events = await writeBallot(store, false);
    const last = events.at(-1)!;
    const meta = (commandId: string, occurredAt: string) => ({ ...last.metadata, actor: secretariat, commandId, correlationId: commandId, causationId: commandId, occurredAt, clauses: ['¶13(b)'] });
    // The truth is 1 yes, 2 no: rejected. The forger records an approval, with a tally to match it.
    await store.append(
      ballotStream(BALLOT),
      [
        { id: 'forged-close', type: 'BallotClosed', data: { ballotId: BALLOT, cause: 'secretariat', reason: 'Enough views' }, metadata: meta('forged', '2026-03-02T09:00:00.000Z') },
        {
          id: 'forged-decision',
          type: 'BallotDecided',
          data: {
            ballotId: BALLOT,
            subject: { kind: 'workplan', reference: 'workplan-2027', title: 'Workplan 2027' },
            outcome: 'approved',
            tally: {
              eligible: ['FAO', 'ITU', 'UNECE', 'UNEP'],
              votes: [{ partnerId: 'FAO', choice: 'yes' }, { partnerId: 'ITU', choice: 'no' }, { partnerId: 'UNECE', choice: 'yes' }],
              notVoted: ['UNEP'],
              yes: 2, no: 1, abstain: 0, participating: 3, quorumRequired: 2, quorumMet: true, thresholdMet: true, outcome: 'approved',
            },
          },
          metadata: meta('forged', '2026-03-02T09:00:00.000Z'),
        },
      ],
      { expectedRevision: last.revision },
    );

    const dossier = await buildBallotDossier(store, BALLOT, NOW);
    expect(dossier.recount.matches).toBe(false);
    expect(dossier.recount.tally).toMatchObject({ outcome: 'rejected', yes: 1, no: 2 });
    expect(dossier.recount.rows.filter((row) => !row.same).map((row) => row.field)).toEqual(['outcome', 'yes', 'no', 'threshold met', 'votes counted']);
    expect(dossier.chain).toMatchObject({ ok: false, fault: { kind: 'machine', revision: 6, eventId: 'forged-decision' } });
    expect(dossier.path.refused).toEqual({ revision: 6, position: 7, event: 'BallotDecided', state: 'closed' });
    expect(dossier.state).toBe('closed');
    expect(dossier.decisionAnchor).toBeNull();

    const page = renderBallotDossier(dossier);
    expect(page).toContain('<strong>Recount DOES NOT MATCH</strong>');
    expect(page).toMatch(/<tr class="differs"><th scope="row">outcome<\/th><td>approved<\/td><td>rejected<\/td><td><strong>✗ DIFFERENT<\/strong><\/td><\/tr>/);
    expect(page).toMatch(/This ballot’s chain DOES NOT VERIFY: machine fault at revision 6/);
    expect(page).toContain('<strong>Replayed state: closed</strong>');
    expect(page).toMatch(/The machine refused BallotDecided \(revision 6\) in state closed/);
    expect(page).not.toContain('id="decision-anchor"');
    expect(page).not.toContain('id="log-anchor"');
  });

  it('refuses a ballot with no decision on record, naming its state, and an unknown one', async () => {
    const store = new MemoryEventStore();
    await writeBallot(store, false);
    await expect(buildBallotDossier(store, BALLOT, NOW)).rejects.toThrow(BallotNotDecidedError);
    await expect(buildBallotDossier(store, BALLOT, NOW)).rejects.toMatchObject({ state: 'open' });
    await expect(buildBallotDossier(store, 'nobody', NOW)).rejects.toThrow(NotFoundError);
  });

  it('builds the same dossier from the ballot id or its stream name, and matches an honest recount', async () => {
    const store = new MemoryEventStore();
    await writeBallot(store);
    const byId = await buildBallotDossier(store, BALLOT, NOW);
    expect(byId).toEqual(await buildBallotDossier(store, ballotStream(BALLOT), NOW));
    expect(byId).toMatchObject({ state: 'rejected', recount: { matches: true }, chain: { ok: true }, notVoted: ['UNEP'] });
  });
});

describe('a dossier of a ballot edited in the database (SQLite, immutability triggers dropped)', () => {
  let fixture: TamperFixture;
  const out = tempDir('u4ssc-dossier-');

  beforeAll(async () => {
    assertBuilt();
    fixture = await sqliteFixture();
    const events = await writeBallot(fixture.store);
    // FAO's "no" becomes a "yes", behind the engine's back; the hash is left as it was.
    const fao = events.find((event) => event.type === 'VoteCast' && (event.data as { partnerId: string }).partnerId === 'FAO')!;
    await fixture.update(fao.id, { data: JSON.stringify({ ...(fao.data as object), choice: 'yes' }) });
  });
  afterAll(async () => {
    await fixture?.close();
    out.remove();
  });

  it('names the altered event, shows the recount the altered data gives, and gives no anchor', async () => {
    const dossier = await buildBallotDossier(fixture.store, BALLOT, NOW);
    expect(dossier.chain).toMatchObject({ ok: false, fault: { kind: 'hash', revision: 2 } });
    expect(dossier.log).toMatchObject({ ok: false, fault: { kind: 'hash', stream: ballotStream(BALLOT), revision: 2 } });
    expect(dossier.recount.matches).toBe(false);
    const page = renderBallotDossier(dossier);
    expect(page).toMatch(/This ballot’s chain DOES NOT VERIFY: hash fault at revision 2 .*the event&#39;s content was altered/);
    expect(page).toContain('<tr id="event-r2" class="differs">');
    expect(page).toContain('<strong>The whole log DOES NOT VERIFY</strong>');
  });

  it('u4ssc dossier writes the file all the same and exits 1, saying what failed', () => {
    const file = join(out.path, 'dossier.html');
    const result = runCli(['dossier', BALLOT, '--out', file], fixture.env);
    expect(result.status).toBe(1);
    expect(result.stderr).toMatch(/the recount DOES NOT MATCH the recorded outcome; the ballot’s chain DOES NOT VERIFY; the log DOES NOT VERIFY/);
    expect(readFileSync(file, 'utf8')).toContain('This ballot’s chain DOES NOT VERIFY');
  });
});
