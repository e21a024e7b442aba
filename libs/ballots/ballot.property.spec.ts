import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import type { Actor } from '../envelope/index.js';
import { CommandRejectedError, DomainError, ForbiddenCommandError } from '../errors/index.js';
import { MemoryEventStore } from '../event-store/index.js';
import { ManualClock } from '../kernel/clock.js';
import { newId } from '../kernel/ids.js';
import { loadProcess, runCommand, type Decide } from '../process-runner/index.js';
import type { BallotDecidedData, BallotOpenedData, Choice } from '../../state-machines/ballot/ballot.events.js';
import { THRESHOLDS, type RuleSet } from '../../state-machines/ballot/ballot.rules.js';
import { decideClose } from './ballot.close.decide.js';
import { decideOpenBallot } from './ballot.open.decide.js';
import { ballotProcess, ballotStream } from './ballot.process.js';
import { decideVote } from './ballot.vote.decide.js';
import { BALLOT_RULE_TABLE, type RuleTable } from './rule-table.js';

const UNIVERSE = Array.from({ length: 20 }, (_, i) => `P${String(i).padStart(2, '0')}`);
const MINUTE = 60_000;
const secretariat: Actor = { id: 'sec-1', role: 'secretariat' };
const scheduler: Actor = { id: 'u4ssc-scheduler', role: 'system' };
const rep = (org: string): Actor => ({ id: `rep-${org}`, role: 'partner', org });

const ruleSet: fc.Arbitrary<RuleSet> = fc.record({
  quorum: fc.integer({ min: 1, max: 6 }).chain((denominator) =>
    fc.record({ numerator: fc.integer({ min: 0, max: denominator }), denominator: fc.constant(denominator) }),
  ),
  threshold: fc.constantFrom(...THRESHOLDS),
  abstentionsCountTowardQuorum: fc.boolean(),
  allowVoteChange: fc.boolean(),
  closeEarlyWhenAllVoted: fc.boolean(),
  revealTallyWhileOpen: fc.boolean(),
});

/** A rule table whose workplan default is `rules`: the table in force is swapped while ballot A runs. */
const tableWith = (rules: RuleSet, version: number): RuleTable => ({
  ...BALLOT_RULE_TABLE,
  version,
  defaults: { ...BALLOT_RULE_TABLE.defaults, workplan: { clauses: ['¶10(d)'], rules } },
});

/** An electorate and the vote attempts on it: mostly its members, sometimes outsiders or votes for another organisation. */
const electorateAndAttempts = fc.subarray(UNIVERSE.slice(0, 17), { minLength: 1 }).chain((electorate) =>
  fc.tuple(
    fc.constant(electorate),
    fc.array(
      fc.record({
        voter: fc.oneof({ weight: 8, arbitrary: fc.constantFrom(...electorate) }, { weight: 1, arbitrary: fc.constantFrom(...UNIVERSE) }),
        forOrg: fc.option(fc.constantFrom(...UNIVERSE), { freq: 12 }),
        choice: fc.constantFrom<Choice>('yes', 'no', 'abstain'),
      }),
      { maxLength: 40 },
    ),
  ),
);

/**
 * The independent recount, from the rule definitions (docs/architecture.md §2) and written apart from `tally`: cross-multiplied
 * quorum and thresholds, over the test's own record of each Partner's last accepted vote.
 */
function recount(electorate: string[], rules: RuleSet, final: Map<string, Choice>) {
  let yes = 0;
  let no = 0;
  let abstain = 0;
  for (const choice of final.values()) {
    if (choice === 'yes') yes += 1;
    else if (choice === 'no') no += 1;
    else abstain += 1;
  }
  const taking = yes + no + (rules.abstentionsCountTowardQuorum ? abstain : 0);
  const quorum = taking * rules.quorum.denominator >= rules.quorum.numerator * electorate.length;
  const passes = {
    'simple-majority': 2 * yes > yes + no,
    'two-thirds': yes > 0 && 3 * yes >= 2 * (yes + no),
    unanimity: yes > 0 && no === 0,
    'no-objection': no === 0,
  }[rules.threshold];
  return { yes, no, abstain, outcome: quorum ? (passes ? 'approved' : 'rejected') : 'failedQuorum' };
}

type Expected = 'recorded' | 'stands' | typeof CommandRejectedError | typeof ForbiddenCommandError;

describe('ballot outcomes (property): the recorded outcome is the recount under the rules frozen at opening', () => {
  it('holds for random electorates, rule sets, rule-table changes after opening, and vote sequences with changes and refusals', async () => {
    await fc.assert(
      fc.asyncProperty(
        electorateAndAttempts,
        ruleSet,
        ruleSet,
        fc.option(ruleSet, { freq: 2 }),
        fc.constantFrom<'deadline' | 'secretariat'>('deadline', 'secretariat'),
        async ([electorate, attempts], v1Default, v2Default, chosen, closing) => {
          const store = new MemoryEventStore();
          const clock = new ManualClock('2026-02-01T00:00:00.000Z');
          const run = (ballotId: string, actor: Actor, decide: Decide) =>
            runCommand({ store, clock }, ballotProcess, ballotStream(ballotId), { commandId: newId(), actor }, decide);
          const closesAt = new Date(clock.now().getTime() + 7 * 86_400_000).toISOString();
          const open = (ballotId: string, table: RuleTable, rules: RuleSet | null) =>
            run(ballotId, secretariat, decideOpenBallot(
              { ballotId, subject: { kind: 'workplan', title: 'W' }, question: 'Q', channel: 'electronic', closesAt, ...(rules ? { rules, rulesReason: 'chosen' } : {}) },
              secretariat,
              { now: clock.now(), electorate, table },
            ));

          // A opens under table v1 (its default, or the Secretariat's choice); then table v2 comes into force and
          // governs the next ballot, B, while A runs on.
          await open('A', tableWith(v1Default, 1), chosen);
          const frozen = chosen ?? v1Default;
          const b = await open('B', tableWith(v2Default, 2), null);
          expect((b.events[1]!.data as BallotOpenedData).rules).toEqual(v2Default);

          const final = new Map<string, Choice>();
          let isOpen = true;
          for (const { voter, forOrg, choice } of attempts) {
            clock.advance(MINUTE);
            const partnerId = forOrg ?? voter;
            // In the order the refusals are checked: whose vote (403), the state (409), the electorate (403), once (409).
            const expected: Expected = partnerId !== voter
              ? ForbiddenCommandError
              : !isOpen
                ? CommandRejectedError
                : !electorate.includes(voter)
                  ? ForbiddenCommandError
                  : !final.has(voter)
                  ? 'recorded'
                  : final.get(voter) === choice
                    ? 'stands'
                    : !frozen.allowVoteChange
                      ? CommandRejectedError
                      : 'recorded';
            const head = await store.headPosition();
            const result = await run('A', rep(voter), decideVote({ ballotId: 'A', partnerId, choice }, rep(voter), clock.now())).catch(
              (error: unknown) => error,
            );
            if (typeof expected !== 'string') {
              expect(result).toBeInstanceOf(expected);
              expect(await store.headPosition()).toBe(head);
              continue;
            }
            expect(result).not.toBeInstanceOf(DomainError);
            if (expected === 'stands') {
              expect(await store.headPosition()).toBe(head);
              continue;
            }
            final.set(voter, choice);
            if (frozen.closeEarlyWhenAllVoted && electorate.every((member) => final.has(member))) isOpen = false;
          }
          if (isOpen) {
            if (closing === 'deadline') clock.set(closesAt);
            const actor = closing === 'deadline' ? scheduler : secretariat;
            await run('A', actor, decideClose({ ballotId: 'A', cause: closing, reason: 'enough' }, actor, clock.now()));
          }

          const events = await store.readStream(ballotStream('A'));
          const opened = events[1]!.data as BallotOpenedData;
          expect(opened.rules).toEqual(frozen);
          expect(opened.rulesSource).toMatchObject({ tableVersion: 1, chosenBy: chosen ? 'secretariat' : 'rule-table' });
          const decided = events.at(-1)!.data as BallotDecidedData;
          const expected = recount(electorate, frozen, final);
          expect({ yes: decided.tally.yes, no: decided.tally.no, abstain: decided.tally.abstain, outcome: decided.outcome }).toEqual(expected);
          const byId = [...final].sort(([x], [y]) => (x < y ? -1 : 1));
          expect(decided.tally.votes).toEqual(byId.map(([partnerId, choice]) => ({ partnerId, choice })));
          expect(decided.tally.notVoted).toEqual([...electorate].sort().filter((member) => !final.has(member)));
          // Replayed with table v2 long in force, the stream still folds to the same outcome.
          expect((await loadProcess(store, ballotProcess, ballotStream('A'))).state.value).toBe(expected.outcome);
        },
      ),
      { numRuns: 300 },
    );
  });
});
