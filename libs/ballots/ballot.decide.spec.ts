import { describe, expect, it } from '@jest/globals';
import type { Actor } from '../envelope/index.js';
import { CommandRejectedError, ForbiddenCommandError, InvalidCommandError, NotFoundError } from '../errors/index.js';
import { MemoryEventStore } from '../event-store/index.js';
import { ManualClock } from '../kernel/clock.js';
import { newId } from '../kernel/ids.js';
import { runCommand, type Decide } from '../process-runner/index.js';
import type { RuleSet } from '../../state-machines/ballot/ballot.rules.js';
import { decideClose, decideWithdraw } from './ballot.close.decide.js';
import { decideOpenBallot, type OpenBallot } from './ballot.open.decide.js';
import { ballotProcess, ballotStream } from './ballot.process.js';
import { decideVote } from './ballot.vote.decide.js';
import { BALLOT_RULE_TABLE } from './rule-table.js';

const DAY = 86_400_000;
const secretariat: Actor = { id: 'sec-1', role: 'secretariat' };
const scheduler: Actor = { id: 'u4ssc-scheduler', role: 'system' };
const rep = (org?: string): Actor => ({ id: `rep-${org}`, role: 'partner', ...(org ? { org } : {}) });
const electorate = ['FAO', 'ITU', 'UNDP'];

function world() {
  const store = new MemoryEventStore();
  const clock = new ManualClock('2026-04-01T09:00:00.000Z');
  const run = (actor: Actor, decide: Decide, ballotId = 'b-1') =>
    runCommand({ store, clock }, ballotProcess, ballotStream(ballotId), { commandId: newId(), actor }, decide);
  const open = (overrides: Partial<OpenBallot> = {}, actor = secretariat, voters = electorate) =>
    run(actor, decideOpenBallot(
      { ballotId: 'b-1', subject: { kind: 'workplan', title: 'Workplan 2026' }, question: 'Agree?', channel: 'electronic', closesAt: new Date(clock.now().getTime() + 7 * DAY).toISOString(), ...overrides },
      actor,
      { now: clock.now(), electorate: voters, table: BALLOT_RULE_TABLE },
    ));
  const vote = (org: string | undefined, choice: 'yes' | 'no' | 'abstain', partnerId = org ?? 'FAO', actor = rep(org)) =>
    run(actor, decideVote({ ballotId: 'b-1', partnerId, choice }, actor, clock.now()));
  /** Expects a refusal of this class, naming what is asked, and nothing appended. */
  const refused = async (attempt: Promise<unknown>, kind: new (...args: never[]) => Error, detail: RegExp, fields: object = {}) => {
    const head = await store.headPosition();
    await expect(attempt).rejects.toBeInstanceOf(kind);
    await expect(attempt).rejects.toThrow(detail);
    await expect(attempt).rejects.toMatchObject(fields);
    expect(await store.headPosition()).toBe(head);
  };
  return { store, clock, run, open, vote, refused };
}

describe('opening a ballot', () => {
  it('freezes the electorate, the table’s default rules for the kind, their version and the ToR version', async () => {
    const { open } = world();
    const outcome = await open();
    expect(outcome.events.map((event) => event.type)).toEqual(['BallotDrafted', 'BallotOpened']);
    expect(outcome.state.value).toBe('open');
    expect(outcome.events[1]!.data).toMatchObject({
      electorate: ['FAO', 'ITU', 'UNDP'],
      electorateAsOf: '2026-04-01T09:00:00.000Z',
      rules: BALLOT_RULE_TABLE.defaults.workplan.rules,
      rulesSource: { table: 'U4SSC-ballot-rules', tableVersion: 1, subjectKind: 'workplan', chosenBy: 'rule-table', clauses: ['¶10(d)', '¶13(b)'] },
      torVersion: 'U4SSC-ToR-2023',
    });
  });

  it('records the Secretariat’s own rule set with its reason', async () => {
    const { open } = world();
    const rules: RuleSet = { ...BALLOT_RULE_TABLE.defaults.workplan.rules, threshold: 'unanimity' };
    const outcome = await open({ rules, rulesReason: 'agreed by the Management Team' });
    expect(outcome.events[1]!.data).toMatchObject({ rules, rulesSource: { chosenBy: 'secretariat', reason: 'agreed by the Management Team' } });
  });

  it.each([
    ['by a Partner', { actor: rep('FAO') }, ForbiddenCommandError, /only the Secretariat may open a ballot.*¶23\(a\)/],
    ['with a deadline not in the future', { closesAt: '2026-04-01T09:00:00.000Z' }, InvalidCommandError, /closesAt .* is not after the opening instant.*¶13\(b\)/],
    ['with no Partner registered', { voters: [] }, InvalidCommandError, /no Partner is registered.*¶13\)/],
    ['with unusable rules', { rules: { ...BALLOT_RULE_TABLE.defaults.workplan.rules, quorum: { numerator: 3, denominator: 2 } }, rulesReason: 'x' }, InvalidCommandError, /quorum.numerator/],
    ['with other rules but no reason', { rules: BALLOT_RULE_TABLE.defaults.workplan.rules }, InvalidCommandError, /needs a reason/],
  ] as const)('is refused %s, appending nothing', async (_name, variant, kind, detail) => {
    const { open, refused } = world();
    const { actor, voters, ...overrides } = { actor: secretariat, voters: electorate, ...variant } as { actor: Actor; voters: string[] } & Partial<OpenBallot>;
    await refused(open(overrides, actor, voters), kind, detail);
  });
});

describe('voting', () => {
  it('records a vote, a change as a new event, and nothing for the same choice again', async () => {
    const { open, vote, store } = world();
    await open();
    expect((await vote('FAO', 'no')).events.map((event) => event.type)).toEqual(['VoteCast']);
    const change = await vote('FAO', 'yes');
    expect(change.events.map((event) => [event.type, event.data])).toEqual([['VoteChanged', { ballotId: 'b-1', partnerId: 'FAO', choice: 'yes', previousChoice: 'no' }]]);
    expect((await vote('FAO', 'yes')).events).toEqual([]);
    expect(await store.readStream(ballotStream('b-1'))).toHaveLength(4);
  });

  it('closes and decides in the same command when the last eligible Partner votes (rules permitting)', async () => {
    const { open, vote } = world();
    await open();
    await vote('FAO', 'yes');
    await vote('ITU', 'no');
    const last = await vote('UNDP', 'yes');
    expect(last.events.map((event) => event.type)).toEqual(['VoteCast', 'BallotClosed', 'BallotDecided']);
    expect(last.state.value).toBe('approved');
    expect(last.events[2]!.data).toMatchObject({ outcome: 'approved', tally: { yes: 2, no: 1, notVoted: [], eligible: electorate } });
  });

  it('keeps a deliverable’s silence procedure open until its deadline even when all have voted', async () => {
    const { open, vote } = world();
    await open({ subject: { kind: 'deliverable', title: 'KPI guide' } });
    for (const org of electorate) await vote(org, 'abstain');
    expect((await vote('FAO', 'yes')).state.value).toBe('open');
  });

  it('refuses an unknown ballot (404), other roles and organisations (403), appending nothing', async () => {
    const { open, vote, refused } = world();
    await refused(vote('FAO', 'yes'), NotFoundError, /no ballot "b-1"/);
    await open();
    await refused(vote('FAO', 'yes', 'FAO', secretariat), ForbiddenCommandError, /only a Partner’s representative may vote.*¶13/);
    await refused(vote('ITU', 'yes', 'FAO'), ForbiddenCommandError, /you represent ITU.*not for FAO \(ToR ¶13\)/);
    await refused(vote(undefined, 'yes', 'FAO'), ForbiddenCommandError, /your token names no organisation/);
    await refused(vote('UNEP', 'yes'), ForbiddenCommandError, /UNEP is not in this ballot's electorate, frozen when it opened.*¶13/, { details: { state: 'open' } });
  });

  it('refuses a second vote where the rules allow one vote per Partner (409 naming the state)', async () => {
    const { open, vote, refused } = world();
    await open({ subject: { kind: 'appointment', title: 'Chair 2026-2028' } });
    await vote('FAO', 'yes');
    await refused(vote('FAO', 'no'), CommandRejectedError, /FAO has already voted \(yes\).*one vote per Partner; ballot "b-1" is open \(ToR ¶13\(b\)\)/, { state: 'open' });
  });

  it('refuses votes after the deadline and after the close (409 naming the state and the clause)', async () => {
    const { open, vote, clock, run, refused } = world();
    await open();
    clock.advance(7 * DAY);
    await refused(vote('FAO', 'yes'), CommandRejectedError, /voting ended at the deadline.*ballot "b-1" is open \(ToR ¶13\(b\)\)/, { state: 'open', clauses: ['¶13(b)'] });
    await run(scheduler, decideClose({ ballotId: 'b-1', cause: 'deadline' }, scheduler, clock.now()));
    await refused(vote('FAO', 'yes'), CommandRejectedError, /votes are taken only while a ballot is open; ballot "b-1" is failedQuorum/, { state: 'failedQuorum' });
  });
});

describe('closing and withdrawing', () => {
  it('the deadline close waits for the deadline, then records the recount', async () => {
    const { open, vote, clock, run, refused } = world();
    await open();
    await vote('FAO', 'yes');
    await vote('ITU', 'yes');
    const close = () => run(scheduler, decideClose({ ballotId: 'b-1', cause: 'deadline' }, scheduler, clock.now()));
    clock.advance(7 * DAY - 1);
    await refused(close(), CommandRejectedError, /its deadline .* has not come; ballot "b-1" is open/, { state: 'open' });
    clock.advance(1);
    const closed = await close();
    expect(closed.events.map((event) => [event.type, (event.data as { cause?: string }).cause])).toEqual([['BallotClosed', 'deadline'], ['BallotDecided', undefined]]);
    expect(closed.state.value).toBe('approved');
    await refused(close(), CommandRejectedError, /only an open ballot can be closed; ballot "b-1" is approved/, { state: 'approved' });
  });

  it('the Secretariat closes early with a reason; others may not', async () => {
    const { open, run, clock, refused } = world();
    await open();
    const close = (actor: Actor, reason?: string) => run(actor, decideClose({ ballotId: 'b-1', cause: 'secretariat', reason }, actor, clock.now()));
    await refused(close(rep('FAO'), 'mine'), ForbiddenCommandError, /only the Secretariat may close a ballot before its deadline.*¶23\(a\)/);
    await refused(close(secretariat, '  '), InvalidCommandError, /needs a reason/);
    const closed = await close(secretariat, 'the subject was settled');
    expect(closed.events[0]!.data).toEqual({ ballotId: 'b-1', cause: 'secretariat', reason: 'the subject was settled' });
    expect(closed.state.value).toBe('failedQuorum');
  });

  it('withdraws before the close only, by the Secretariat', async () => {
    const { open, run, vote, refused } = world();
    await refused(run(secretariat, decideWithdraw({ ballotId: 'b-1', reason: 'x' }, secretariat)), NotFoundError, /no ballot/);
    await open();
    await vote('FAO', 'yes');
    await refused(run(rep('FAO'), decideWithdraw({ ballotId: 'b-1', reason: 'x' }, rep('FAO'))), ForbiddenCommandError, /only the Secretariat may withdraw/);
    expect((await run(secretariat, decideWithdraw({ ballotId: 'b-1', reason: 'put to the Annual Meeting' }, secretariat))).state.value).toBe('withdrawn');
    await refused(run(secretariat, decideWithdraw({ ballotId: 'b-1', reason: 'again' }, secretariat)), CommandRejectedError, /withdrawn only before its close; ballot "b-1" is withdrawn \(ToR ¶13\(b\), ¶23\(a\)\)/);
  });
});
