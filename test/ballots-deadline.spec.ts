import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { CommandBus } from '@nestjs/cqrs';
import request from 'supertest';
import {
  BallotDeadlineScheduler,
  ballotStream,
  CloseBallotCommand,
  deadlineCommandId,
  SCHEDULER_ACTOR,
} from '../libs/ballots/index.js';
import { LeaderTasks } from '../libs/engine/index.js';
import { ManualClock } from '../libs/kernel/clock.js';
import { startApi, type ApiHarness } from './support/api-harness.js';
import { ANNEX_II, bearer, eventually, inDays, openBallot, registerPartners, representativeOf } from './support/ballots.js';
import { tempDir } from './support/temp-dir.js';

const THREE = ANNEX_II.slice(0, 3);
const HOUR = 3_600_000;

/** A ManualClock and a poll interval long enough that only the test's own `runOnce()` calls act. */
const startManual = (dir: string, clock: ManualClock) => startApi({ dir, clock, ballotPollMs: 24 * HOUR });

describe('the deadline closes a ballot without anyone acting (ManualClock)', () => {
  const dir = tempDir();
  const clock = new ManualClock('2026-09-01T10:00:00.000Z');
  let api: ApiHarness;
  let secretariat: string;

  beforeAll(async () => {
    api = await startManual(dir.path, clock);
    secretariat = await bearer(api, 'sec-1', ['secretariat']);
    await registerPartners(api, secretariat, THREE);
  });
  afterAll(async () => {
    await api?.close();
    dir.remove();
  });

  it('runs as a leader task of the engine', () => {
    expect(api.app.get(LeaderTasks).names).toContain('ballot-deadlines');
  });

  it('closes at the deadline, not a millisecond before, with a command id derived from the ballot and its deadline', async () => {
    const closesAt = inDays(clock.now(), 7);
    const id = await openBallot(api, secretariat, { closesAt });
    for (const org of ['ITU', 'CBD']) {
      await request(api.server).post(`/v1/ballots/${id}/votes`).set('Authorization', await representativeOf(api, org)).send({ choice: 'yes' }).expect(201);
    }
    const scheduler = api.app.get(BallotDeadlineScheduler);

    clock.set(new Date(Date.parse(closesAt) - 1));
    expect(await scheduler.runOnce()).toEqual([]);
    expect((await api.stores.events.readStream(ballotStream(id))).at(-1)!.type).toBe('VoteCast');

    clock.set(closesAt);
    expect(await scheduler.runOnce()).toEqual([{ ballotId: id, result: 'closed' }]);
    const events = await api.stores.events.readStream(ballotStream(id));
    const [closed, decided] = events.slice(-2);
    expect(closed).toMatchObject({ type: 'BallotClosed', data: { cause: 'deadline' }, metadata: { actor: SCHEDULER_ACTOR, commandId: deadlineCommandId({ ballotId: id, closesAt }), occurredAt: closesAt } });
    expect(decided).toMatchObject({ type: 'BallotDecided', data: { outcome: 'approved', tally: { yes: 2, notVoted: ['UNECE'], quorumRequired: 2 } } });

    // Another pass, or another instance issuing the same close, appends nothing.
    const head = await api.stores.events.headPosition();
    expect(await scheduler.runOnce()).toEqual([]);
    const twin = await api.app.get(CommandBus).execute(
      new CloseBallotCommand({ ballotId: id, cause: 'deadline' }, { commandId: deadlineCommandId({ ballotId: id, closesAt }), actor: SCHEDULER_ACTOR }),
    );
    expect(twin.duplicate).toBe(true);
    expect(await api.stores.events.headPosition()).toBe(head);
  });

  it('fails quorum at the deadline when too few took part', async () => {
    const closesAt = inDays(clock.now(), 1);
    const id = await openBallot(api, secretariat, { closesAt });
    await request(api.server).post(`/v1/ballots/${id}/votes`).set('Authorization', await representativeOf(api, 'ITU')).send({ choice: 'yes' }).expect(201);
    clock.set(closesAt);
    await api.app.get(BallotDeadlineScheduler).runOnce();
    const seen = await request(api.server).get(`/v1/ballots/${id}`).set('Authorization', await representativeOf(api, 'ITU')).expect(200);
    expect(seen.body).toMatchObject({ status: 'failedQuorum', closed: { cause: 'deadline', by: 'u4ssc-scheduler' }, decision: { tally: { participating: 1, quorumRequired: 2 } } });
  });
});

describe('a restart of the API before the deadline does not lose the closing (same SQLite file)', () => {
  const dir = tempDir();
  const clock = new ManualClock('2026-10-01T10:00:00.000Z');
  let api: ApiHarness;
  afterAll(async () => {
    await api?.close();
    dir.remove();
  });

  it('closes the ballot after a restart, once the clock reaches the deadline', async () => {
    api = await startManual(dir.path, clock);
    const secretariat = await bearer(api, 'sec-1', ['secretariat']);
    await registerPartners(api, secretariat, THREE);
    const closesAt = inDays(clock.now(), 3);
    const id = await openBallot(api, secretariat, { closesAt });
    await request(api.server).post(`/v1/ballots/${id}/votes`).set('Authorization', await representativeOf(api, 'UNECE')).send({ choice: 'no' }).expect(201);
    await request(api.server).post(`/v1/ballots/${id}/votes`).set('Authorization', await representativeOf(api, 'CBD')).send({ choice: 'no' }).expect(201);
    await api.close();

    clock.advance(HOUR); // still before the deadline
    api = await startManual(dir.path, clock);
    const scheduler = api.app.get(BallotDeadlineScheduler);
    expect(await scheduler.runOnce()).toEqual([]);
    clock.set(closesAt);
    expect(await scheduler.runOnce()).toEqual([{ ballotId: id, result: 'closed' }]);
    const events = await api.stores.events.readStream(ballotStream(id));
    expect(events.filter((event) => event.type === 'BallotClosed')).toHaveLength(1);
    expect(events.at(-1)).toMatchObject({ type: 'BallotDecided', data: { outcome: 'rejected' } });
  });
});

describe('a real short deadline with the real clock and the polling scheduler', () => {
  const dir = tempDir();
  let api: ApiHarness;
  afterAll(async () => {
    await api?.close();
    dir.remove();
  });

  it('closes a ballot a few seconds after it opened, with nobody acting', async () => {
    // A deadline seconds away: allowed by the setting, as an operator could for a vote taken in a meeting.
    api = await startApi({ dir: dir.path, ballotPollMs: 100, env: { U4SSC_BALLOT_MIN_LEAD_SECONDS: '1' } });
    const secretariat = await bearer(api, 'sec-1', ['secretariat']);
    await registerPartners(api, secretariat, THREE);
    const id = await openBallot(api, secretariat, { closesAt: new Date(Date.now() + 2000).toISOString() });
    await request(api.server).post(`/v1/ballots/${id}/votes`).set('Authorization', await representativeOf(api, 'ITU')).send({ choice: 'yes' }).expect(201);
    await request(api.server).post(`/v1/ballots/${id}/votes`).set('Authorization', await representativeOf(api, 'CBD')).send({ choice: 'abstain' }).expect(201);
    const status = async () => (await request(api.server).get(`/v1/ballots/${id}`).set('Authorization', secretariat)).body.status as string;
    await eventually(async () => (await status()) !== 'open', 15_000, 'the scheduler closing the ballot');
    const seen = await request(api.server).get(`/v1/ballots/${id}`).set('Authorization', secretariat).expect(200);
    expect(seen.body).toMatchObject({ status: 'approved', closed: { cause: 'deadline', by: 'u4ssc-scheduler' } });
  }, 30_000);
});
