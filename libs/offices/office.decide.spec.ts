import { beforeEach, describe, expect, it } from '@jest/globals';
import { CommandRejectedError, DomainError, ForbiddenCommandError, InvalidCommandError, NotFoundError } from '../errors/index.js';
import { officeHolding } from './office-authority.js';
import { decideAppoint, decideImport, decideRenew, type TermFacts } from './office.appoint.decide.js';
import { decideExpire, decideRenewalDue, decideResign } from './office.end.decide.js';
import { decideNominate } from './office.nominate.decide.js';
import { officeStream } from './office.process.js';
import { ballot, DAY, partner, rep, SCHEDULER, SECRETARIAT, Seats } from './office.spec-helper.js';
import type { Decide } from '../process-runner/index.js';
import type { Actor } from '../envelope/index.js';
import type { BallotView } from '../ballots/ballot.view.js';

const NOTICE = 90;

describe('office decide steps (through the runner, on a memory store)', () => {
  let seats: Seats;
  beforeEach(() => {
    seats = new Seats();
  });

  const facts = (over: Partial<TermFacts> = {}): TermFacts => ({ now: seats.now, noticeDays: NOTICE, ...over });

  /** A refusal of the given kind whose message matches; nothing appended to the seat. */
  async function refused(seat: string, actor: Actor, decide: Decide, kind: new (...args: never[]) => DomainError, message: RegExp) {
    const before = (await seats.store.readStream(officeStream(seat))).length;
    const attempt = seats.run(seat, actor, decide);
    await expect(attempt).rejects.toBeInstanceOf(kind);
    await expect(attempt).rejects.toThrow(message);
    expect(await seats.store.readStream(officeStream(seat))).toHaveLength(before);
  }

  const nominate = (seat: string, nomineeId: string, actor: Actor = rep('ITU'), partnerId?: string) =>
    decideNominate({ seat, nomineeId, nomineeName: `Dr ${nomineeId}`, ...(partnerId ? { partnerId } : {}) }, actor, {
      now: seats.now,
      ...partner(partnerId ?? actor.org ?? 'ITU'),
    });

  async function chairServing(personId = 'p-okafor', ballotId = 'b-chair') {
    await seats.run('chair', rep('ITU'), nominate('chair', personId));
    const outcome = await seats.run('chair', SECRETARIAT, decideAppoint({ seat: 'chair', holderId: personId, holderName: `Dr ${personId}`, ballotId }, SECRETARIAT, facts({ ballot: ballot(ballotId, 'chair', personId) })));
    return outcome;
  }

  describe('nominations (ToR ¶13(a), ¶15)', () => {
    it('a Partner’s representative nominates for their own organisation', async () => {
      const outcome = await seats.run('chair', rep('FAO'), nominate('chair', 'p-okafor', rep('FAO')));
      expect(outcome.events[0]).toMatchObject({ type: 'OfficeNominated', data: { seat: 'chair', nomineeId: 'p-okafor', partnerId: 'FAO' }, metadata: { clauses: ['¶13(a)', '¶15', 'Annex I'] } });
    });
    it('the Secretariat records a Partner’s nomination, naming the Partner', async () => {
      const outcome = await seats.run('vice-chair-1', SECRETARIAT, nominate('vice-chair-1', 'p-v', SECRETARIAT, 'UNECE'));
      expect(outcome.events[0]!.data).toMatchObject({ partnerId: 'UNECE' });
    });
    it('refuses: for another organisation (403), no organisation named (403/422), another role (403), a non-Partner (422), twice (409), a Leader (422)', async () => {
      await refused('chair', rep('ITU'), nominate('chair', 'p-x', rep('ITU'), 'FAO'), ForbiddenCommandError, /you represent ITU.*not for FAO/);
      await refused('chair', { id: 'rep-x', role: 'partner' }, nominate('chair', 'p-x', { id: 'rep-x', role: 'partner' }), ForbiddenCommandError, /names no organisation/);
      await refused('chair', SECRETARIAT, decideNominate({ seat: 'chair', nomineeId: 'p-x', nomineeName: 'X' }, SECRETARIAT, { now: seats.now }), InvalidCommandError, /name the Partner.*¶13\(a\), ¶15/);
      await refused('chair', { id: 'p-1', role: 'participant' }, nominate('chair', 'p-x', { id: 'p-1', role: 'participant' }), ForbiddenCommandError, /nominated by the Partners/);
      await refused('chair', rep('ACME'), decideNominate({ seat: 'chair', nomineeId: 'p-x', nomineeName: 'X' }, rep('ACME'), { now: seats.now }), InvalidCommandError, /ACME is not a Partner at .*¶12/);
      await seats.run('chair', rep('ITU'), nominate('chair', 'p-x'));
      await refused('chair', rep('ITU'), nominate('chair', 'p-x'), CommandRejectedError, /already a candidate .* nominated by ITU/);
      await refused('leader-kpis', SECRETARIAT, nominate('leader-kpis', 'p-x', SECRETARIAT, 'ITU'), InvalidCommandError, /nobody nominates them \(ToR ¶19\)/);
    });
    it('a name that is no seat is a 404', async () => {
      await refused('president', SECRETARIAT, nominate('president', 'p-x', SECRETARIAT, 'ITU'), NotFoundError, /no office seat "president"/);
    });
  });

  describe('Chair and Vice-Chair appointments: a decided, approved Partners Board ballot (ToR ¶13(a), ¶15)', () => {
    beforeEach(async () => {
      await seats.run('chair', rep('ITU'), nominate('chair', 'p-okafor'));
    });
    /** `null`: the ballot named is not in the read model. */
    const appoint = (over: object = {}, ballotView: BallotView | null = ballot('b-1', 'chair', 'p-okafor'), actor: Actor = SECRETARIAT) =>
      decideAppoint({ seat: 'chair', holderId: 'p-okafor', holderName: 'Dr Okafor', ballotId: 'b-1', ...over }, actor, facts(ballotView ? { ballot: ballotView } : {}));

    it('refuses without a ballot, an unknown one, one about another subject or person, one not decided or not approved', async () => {
      await refused('chair', rep('ITU'), appoint({}, null, rep('ITU')), ForbiddenCommandError, /only the Secretariat may record the Partners Board's appointment/);
      await refused('chair', SECRETARIAT, appoint({ ballotId: undefined }, null), InvalidCommandError, /name the ballot .*¶13\(a\), ¶15/);
      await refused('chair', SECRETARIAT, appoint({}, null), InvalidCommandError, /no ballot "b-1" is on record/);
      await refused('chair', SECRETARIAT, appoint({}, ballot('b-1', 'chair', 'p-okafor', { subject: { kind: 'workplan', reference: 'office:chair:p-okafor', title: 'x' } })), InvalidCommandError, /decides a workplan, not an appointment/);
      await refused('chair', SECRETARIAT, appoint({}, ballot('b-1', 'chair', 'p-lind')), InvalidCommandError, /about "office:chair:p-lind", not "office:chair:p-okafor"/);
      await refused('chair', SECRETARIAT, appoint({}, ballot('b-1', 'vice-chair-1', 'p-okafor')), InvalidCommandError, /not "office:chair:p-okafor"/);
      await refused('chair', SECRETARIAT, appoint({}, ballot('b-1', 'chair', 'p-okafor', { status: 'open', decision: undefined })), CommandRejectedError, /ballot "b-1" is open: it is not decided yet \(ToR ¶13\(a\), ¶15\)/);
      await refused('chair', SECRETARIAT, appoint({}, ballot('b-1', 'chair', 'p-okafor', { status: 'rejected', decision: { at: 'x', outcome: 'rejected', tally: {} as never } })), CommandRejectedError, /is rejected: the Partners Board did not approve it/);
      await refused('chair', SECRETARIAT, appoint({ appointedBy: 'p-chair' }), InvalidCommandError, /appointed by the Partners Board, not by a Chair/);
    });

    it('refuses a person no Partner nominated (409, ¶15)', async () => {
      await refused('chair', SECRETARIAT, decideAppoint({ seat: 'chair', holderId: 'p-lind', holderName: 'L', ballotId: 'b-2' }, SECRETARIAT, facts({ ballot: ballot('b-2', 'chair', 'p-lind') })), CommandRejectedError, /p-lind has not been nominated by a Partner/);
    });

    it('appoints, citing the ballot, for a term of exactly two years whose renewal falls due 90 days before its end', async () => {
      const outcome = await seats.run('chair', SECRETARIAT, appoint());
      const start = seats.now.toISOString();
      expect(outcome.events[0]).toMatchObject({
        type: 'HolderAppointed',
        data: {
          holderId: 'p-okafor',
          term: { number: 1, start, end: '2028-02-02T09:00:00.000Z', renewalDueAt: '2027-11-04T09:00:00.000Z' },
          grounds: { kind: 'partners-board-ballot', ballotId: 'b-1', subjectReference: 'office:chair:p-okafor', decidedAt: '2026-01-20T12:00:00.000Z' },
        },
      });
      expect(outcome.state.value).toBe('serving');
    });

    it('refuses a second appointment while the seat is held, unless it replaces the holder; never with the same ballot', async () => {
      await seats.run('chair', SECRETARIAT, appoint());
      await seats.run('chair', rep('FAO'), nominate('chair', 'p-lind', rep('FAO')));
      const other = (ballotId: string, over: object = {}) =>
        decideAppoint({ seat: 'chair', holderId: 'p-lind', holderName: 'Dr Lind', ballotId, ...over }, SECRETARIAT, facts({ ballot: ballot(ballotId, 'chair', 'p-lind') }));
      await refused('chair', SECRETARIAT, other('b-2'), CommandRejectedError, /p-okafor holds this seat .* send replace: true/);
      seats.clock.advance(30 * DAY);
      const outcome = await seats.run('chair', SECRETARIAT, other('b-2', { replace: true }));
      expect(outcome.events.map((event) => [event.type, (event.data as { cause?: string }).cause])).toEqual([
        ['TermEnded', 'replaced'],
        ['HolderAppointed', undefined],
      ]);
      expect(outcome.events[1]!.data).toMatchObject({ holderId: 'p-lind', term: { number: 2 } });
    });

    it('records a term that reached its end as expired before appointing the next holder', async () => {
      await seats.run('chair', SECRETARIAT, appoint());
      await seats.run('chair', rep('FAO'), nominate('chair', 'p-lind', rep('FAO')));
      seats.clock.advance(731 * DAY);
      const outcome = await seats.run('chair', SECRETARIAT, decideAppoint({ seat: 'chair', holderId: 'p-lind', holderName: 'L', ballotId: 'b-3' }, SECRETARIAT, facts({ ballot: ballot('b-3', 'chair', 'p-lind') })));
      expect(outcome.events.map((event) => event.type)).toEqual(['TermEnded', 'HolderAppointed']);
      expect(outcome.events[0]!.data).toMatchObject({ cause: 'expired', endedAt: '2028-02-02T09:00:00.000Z' });
    });
  });

  describe('renewal (ToR ¶28; Annex I)', () => {
    it('renews from the current end on a new approved ballot; the appointment’s ballot cannot be used again', async () => {
      await chairServing();
      seats.clock.advance(650 * DAY);
      const renew = (ballotId: string) => decideRenew({ seat: 'chair', ballotId }, SECRETARIAT, facts({ ballot: ballot(ballotId, 'chair', 'p-okafor') }));
      await refused('chair', SECRETARIAT, renew('b-chair'), CommandRejectedError, /TermRenewed is not allowed while office "office-chair" is serving \(ToR ¶28, ¶13\(a\), ¶15, ¶19, Annex I\)/);
      const outcome = await seats.run('chair', SECRETARIAT, renew('b-renew'));
      expect(outcome.events[0]).toMatchObject({ type: 'TermRenewed', data: { term: { number: 2, start: '2028-02-02T09:00:00.000Z', end: '2030-02-02T09:00:00.000Z' } } });
      await refused('chair', SECRETARIAT, renew('b-renew-again'), CommandRejectedError, /a renewal is already recorded: term 2 begins at 2028-02-02/);
    });

    it('refuses a renewal after the end (appoint anew) and with nobody holding the seat', async () => {
      await refused('chair', SECRETARIAT, decideRenew({ seat: 'chair', ballotId: 'b' }, SECRETARIAT, facts()), CommandRejectedError, /nobody holds the seat/);
      await chairServing();
      seats.clock.advance(800 * DAY);
      await refused('chair', SECRETARIAT, decideRenew({ seat: 'chair', ballotId: 'b-r' }, SECRETARIAT, facts({ ballot: ballot('b-r', 'chair', 'p-okafor') })), CommandRejectedError, /ended at 2028-02-02.*appoint anew/);
    });

    it('elects the IP Leader at an Annual Meeting only, and renews them only with a recorded justification', async () => {
      const elect = (ballotView = ballot('b-am', 'ip-leader', 'p-ip')) =>
        decideAppoint({ seat: 'ip-leader', holderId: 'p-ip', holderName: 'Ms IP', ballotId: ballotView.ballotId }, SECRETARIAT, facts({ ballot: ballotView }));
      await refused('ip-leader', SECRETARIAT, elect(ballot('b-el', 'ip-leader', 'p-ip', { channel: 'electronic' })), InvalidCommandError, /elected at an Annual Meeting: ballot "b-el" was taken electronically.*Annex I/);
      await seats.run('ip-leader', SECRETARIAT, elect());
      seats.clock.advance(700 * DAY);
      const renew = (justification?: string) =>
        decideRenew({ seat: 'ip-leader', ballotId: 'b-am2', ...(justification ? { justification } : {}) }, SECRETARIAT, facts({ ballot: ballot('b-am2', 'ip-leader', 'p-ip') }));
      await refused('ip-leader', SECRETARIAT, renew(), InvalidCommandError, /needs a recorded justification.*at least biennially \(ToR Annex I\)/);
      const outcome = await seats.run('ip-leader', SECRETARIAT, renew('No other candidate stood at the Annual Meeting 2028'));
      expect(outcome.events[0]!.data).toMatchObject({ justification: 'No other candidate stood at the Annual Meeting 2028' });
      expect((await seats.view('ip-leader'))!.terms[1]!.flags).toEqual(['annex-i-renewal']);
    });
  });

  describe('Thematic Group Leaders: appointed by the Chair in office, in consultation with the Secretariat (ToR ¶19)', () => {
    const appointLeader = async (actor: Actor, over: object = {}) => {
      const input = { seat: 'leader-kpis', holderId: 'p-lead', holderName: 'Dr Lead', ...over };
      const chairId = (input as { appointedBy?: string }).appointedBy ?? (actor.role === 'secretariat' ? undefined : actor.id);
      const chair = chairId ? officeHolding(await seats.views('chair'), chairId, ['chair'], seats.now) : undefined;
      return decideAppoint(input, actor, facts(chair ? { chair } : {}));
    };

    it('the Secretariat records it naming the Chair, who must hold the Chair office at that instant', async () => {
      await chairServing();
      await refused('leader-kpis', SECRETARIAT, await appointLeader(SECRETARIAT), InvalidCommandError, /name the Chair who appointed/);
      await refused('leader-kpis', SECRETARIAT, await appointLeader(SECRETARIAT, { appointedBy: 'p-lind' }), ForbiddenCommandError, /p-lind does not hold the office of Chair at .* per the office register/);
      await refused('leader-kpis', SECRETARIAT, await appointLeader(SECRETARIAT, { appointedBy: 'p-okafor', ballotId: 'b' }), InvalidCommandError, /not by ballot/);
      const outcome = await seats.run('leader-kpis', SECRETARIAT, await appointLeader(SECRETARIAT, { appointedBy: 'p-okafor' }));
      expect(outcome.events[0]).toMatchObject({
        data: { grounds: { kind: 'chair-appointment', chairId: 'p-okafor', chairTerm: 1, chairTermEnds: '2028-02-02T09:00:00.000Z', consultation: 'recorded by the Secretariat (sec-bueti)' } },
        // The envelope cites the clauses that govern the event type (every appointing body's), as for every process.
        metadata: { clauses: ['¶19', '¶28', 'Annex I', '¶13(a)', '¶15'] },
      });
    });

    it('the Chair records their own appointment, naming the consultation; nobody else may', async () => {
      await chairServing();
      const chair: Actor = { id: 'p-okafor', role: 'participant' };
      await refused('leader-kpis', chair, await appointLeader(chair), InvalidCommandError, /say how the Secretariat was consulted/);
      const other: Actor = { id: 'p-lind', role: 'participant' };
      await refused('leader-kpis', other, await appointLeader(other, { appointedBy: 'p-okafor', consultation: 'x' }), ForbiddenCommandError, /only the Secretariat records a Leader's appointment made by someone else/);
      await refused('leader-kpis', other, await appointLeader(other, { consultation: 'email to the Secretariat' }), ForbiddenCommandError, /p-lind does not hold the office of Chair/);
      const outcome = await seats.run('leader-kpis', chair, await appointLeader(chair, { consultation: 'Secretariat call of 2026-02-01' }));
      expect(outcome.events[0]!.data).toMatchObject({ grounds: { chairId: 'p-okafor', consultation: 'Secretariat call of 2026-02-01' } });
    });

    it('a Chair whose term ended yesterday is refused with a 403 naming the office and the end date', async () => {
      await chairServing();
      seats.clock.set('2028-02-03T09:00:00.000Z'); // the term ended on 2028-02-02T09:00Z, a day ago; the expiry is not recorded yet
      const chair: Actor = { id: 'p-okafor', role: 'participant' };
      const attempt = seats.run('leader-kpis', chair, await appointLeader(chair, { consultation: 'x' }));
      await expect(attempt).rejects.toBeInstanceOf(ForbiddenCommandError);
      await expect(attempt).rejects.toThrow("p-okafor's term as Chair ended on 2028-02-02T09:00:00.000Z; at 2028-02-03T09:00:00.000Z they do not hold the office of Chair per the office register (ToR ¶15, ¶28)");
      await expect(attempt).rejects.toMatchObject({ details: { office: 'chair', endedAt: '2028-02-02T09:00:00.000Z', clauses: ['¶15', '¶28'] } });
      expect(await seats.store.readStream(officeStream('leader-kpis'))).toEqual([]);
    });
  });

  describe('ends (ToR ¶28)', () => {
    it('the holder resigns, or the Secretariat records it; nobody else; a reason is kept', async () => {
      await chairServing();
      await refused('chair', rep('ITU'), decideResign({ seat: 'chair', reason: 'x' }, rep('ITU'), seats.now), ForbiddenCommandError, /only p-okafor, who holds the seat, or the Secretariat/);
      const holder: Actor = { id: 'p-okafor', role: 'participant' };
      await refused('chair', holder, decideResign({ seat: 'chair', reason: ' ' }, holder, seats.now), InvalidCommandError, /needs a reason/);
      const outcome = await seats.run('chair', holder, decideResign({ seat: 'chair', reason: 'Letter of 2026-02-02' }, holder, seats.now));
      expect(outcome.events[0]!.data).toMatchObject({ cause: 'resigned', termNumber: 1, endedAt: seats.now.toISOString(), reason: 'Letter of 2026-02-02' });
      expect(outcome.state.value).toBe('vacant');
      await refused('chair', holder, decideResign({ seat: 'chair', reason: 'again' }, holder, seats.now), CommandRejectedError, /nobody holds the seat/);
    });

    it('expiry and renewal-due: by the scheduler or the Secretariat, at their dates only', async () => {
      await chairServing();
      await refused('chair', rep('ITU'), decideExpire({ seat: 'chair', cause: 'expired' }, rep('ITU'), seats.now), ForbiddenCommandError, /only the scheduler or the Secretariat/);
      await refused('chair', SCHEDULER, decideExpire({ seat: 'chair', cause: 'expired' }, SCHEDULER, seats.now), CommandRejectedError, /term 1 runs until 2028-02-02T09:00:00.000Z/);
      await refused('chair', SCHEDULER, decideRenewalDue({ seat: 'chair', termNumber: 1 }, SCHEDULER, seats.now), CommandRejectedError, /falls due at 2027-11-04T09:00:00.000Z/);
      seats.clock.set('2027-11-04T09:00:00.000Z');
      await refused('chair', SCHEDULER, decideRenewalDue({ seat: 'chair', termNumber: 2 }, SCHEDULER, seats.now), CommandRejectedError, /term 2 is not the seat's latest/);
      expect((await seats.run('chair', SCHEDULER, decideRenewalDue({ seat: 'chair', termNumber: 1 }, SCHEDULER, seats.now))).state.value).toBe('renewalDue');
      seats.clock.set('2028-02-02T09:00:00.000Z');
      const outcome = await seats.run('chair', SCHEDULER, decideExpire({ seat: 'chair', cause: 'expired', termNumber: 1 }, SCHEDULER, seats.now));
      expect(outcome.events[0]!.data).toMatchObject({ cause: 'expired', endedAt: '2028-02-02T09:00:00.000Z' });
    });
  });

  describe('bootstrap import', () => {
    const importing = (over: object = {}, actor: Actor = SECRETARIAT) =>
      decideImport({ seat: 'vice-chair-1', holderId: 'p-v', holderName: 'Ms V', termStart: '2025-06-01T00:00:00Z', reference: 'Annual Meeting 2025, minutes §4', decidedOn: '2025-05-30', ...over }, actor, { now: seats.now, noticeDays: NOTICE });

    it('records a holder still serving, with the decision, the events marked imported', async () => {
      const outcome = await seats.run('vice-chair-1', SECRETARIAT, importing(), { imported: true });
      expect(outcome.events[0]).toMatchObject({
        type: 'HolderAppointed',
        data: { term: { number: 1, start: '2025-06-01T00:00:00.000Z', end: '2027-06-01T00:00:00.000Z' }, grounds: { kind: 'imported', authority: 'partners-board', reference: 'Annual Meeting 2025, minutes §4', decidedOn: '2025-05-30' } },
        metadata: { imported: true },
      });
      const view = await seats.view('vice-chair-1');
      expect(view!.terms[0]).toMatchObject({ imported: true, kind: 'appointment' });
    });

    it('refuses: not the Secretariat (403), a term already over or not begun, no reference (422), a seat held (409)', async () => {
      await refused('vice-chair-1', rep('ITU'), importing({}, rep('ITU')), ForbiddenCommandError, /only the Secretariat may record the office holders serving at go-live/);
      await refused('vice-chair-1', SECRETARIAT, importing({ termStart: '2023-06-01T00:00:00Z' }), InvalidCommandError, /ended on 2025-06-01.*still serving at go-live/);
      await refused('vice-chair-1', SECRETARIAT, importing({ termStart: '2026-06-01T00:00:00Z' }), InvalidCommandError, /in the future/);
      await refused('vice-chair-1', SECRETARIAT, importing({ reference: ' ' }), InvalidCommandError, /name the decision/);
      await seats.run('vice-chair-1', SECRETARIAT, importing());
      await refused('vice-chair-1', SECRETARIAT, importing({ holderId: 'p-w' }), CommandRejectedError, /p-v already holds this seat/);
    });
  });
});
