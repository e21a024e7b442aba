import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { CommandBus, EventBus } from '@nestjs/cqrs';
import request from 'supertest';
import { BallotDecided, ballotProcess, ballotStream, decideClose, sagaCommandContext } from '../libs/ballots/index.js';
import { closeStores, openStores } from '../libs/engine/index.js';
import { derivedId, newId } from '../libs/kernel/ids.js';
import { ManualClock } from '../libs/kernel/clock.js';
import { runCommand } from '../libs/process-runner/index.js';
import { AGREEMENT_SAGA, RecordWorkplanOutcomeCommand, WorkplanAgreementSaga } from '../libs/workplans/index.js';
import type { BallotDecidedData } from '../state-machines/ballot/ballot.events.js';
import { startApi, type ApiHarness } from './support/api-harness.js';
import { ANNEX_II, bearer, eventually, inDays, registerPartners, representativeOf } from './support/ballots.js';
import { tempDir } from './support/temp-dir.js';
import { cycleToPresented, getCycle, importOfficeHolder, postOn, type Cast } from './support/workplans.js';

/**
 * "Ballot decided → workplan agreed" survives a crash between the two: the ballot's decision is stored while no
 * saga hears it (appended straight to the store, the API down), and the catch-up leader task records the outcome
 * when the API starts again on the same SQLite file, once, with the saga's own derived command id.
 */
describe('workplan agreement saga: idempotent, and caught up after a restart', () => {
  const dir = tempDir();
  const clock = new ManualClock('2026-09-01T09:00:00.000Z');
  let api: ApiHarness;
  let cast: Cast;
  let auditor: string;
  let ballotId: string;

  const secretariatActor = { id: 'sec-1', role: 'secretariat' };

  beforeAll(async () => {
    api = await startApi({ dir: dir.path, clock, ballotPollMs: 3_600_000 });
    const secretariat = await bearer(api, 'sec-1', ['secretariat']);
    await registerPartners(api, secretariat, ANNEX_II.slice(0, 3));
    const rep: Record<string, string> = {};
    for (const { partnerId } of ANNEX_II.slice(0, 3)) rep[partnerId] = await representativeOf(api, partnerId);
    cast = { secretariat, chair: await bearer(api, 'p-chair', ['participant']), leader: await bearer(api, 'p-kpi', ['participant']), rep };
    auditor = await bearer(api, 'aud-1', ['auditor']);
    await importOfficeHolder(api, 'chair', 'p-chair', '2026-01-15T00:00:00.000Z');
    await importOfficeHolder(api, 'leader-kpis', 'p-kpi', '2025-11-01T00:00:00.000Z');
  });
  afterAll(async () => {
    await api?.close();
    dir.remove();
  });

  it('records the outcome of a ballot decided while no saga listened, when the API starts again', async () => {
    await cycleToPresented(api, clock, '2027', cast, ['ITU', 'UNECE']);
    const put = await postOn(api, '2027', 'ballot', cast.secretariat, { closesAt: inDays(clock.now(), 3) }).expect(201);
    ballotId = put.body.resource.ballots[0].ballotId;
    for (const partnerId of ['ITU', 'UNECE']) {
      await request(api.server).post(`/v1/ballots/${ballotId}/votes`).set('Authorization', cast.rep[partnerId]!).send({ choice: 'yes' }).expect(201);
    }
    await api.close();

    // The "crash": the ballot is closed and decided in the log, and nobody publishes BallotDecided.
    const stores = await openStores(api.config);
    const closed = await runCommand({ store: stores.events, clock }, ballotProcess, ballotStream(ballotId), { commandId: newId(), actor: secretariatActor }, decideClose({ ballotId, cause: 'secretariat', reason: 'settled at the Annual Meeting' }, secretariatActor, clock.now()));
    expect(closed.events.map((event) => event.type)).toEqual(['BallotClosed', 'BallotDecided']);
    const decided = closed.events[1]!;
    expect((decided.data as BallotDecidedData).outcome).toBe('approved');
    await closeStores(stores);

    // Restart: the catch-up task runs when this instance leads, and records the agreement.
    api = await startApi({ dir: dir.path, clock, ballotPollMs: 3_600_000 });
    await eventually(async () => (await getCycle(api, '2027', auditor)).state === 'agreed', 10_000, 'the catch-up recording the agreement');
    const agreed = (await api.stores.events.readStream('workplan-2027')).filter((event) => event.type === 'WorkplanAgreed');
    expect(agreed).toHaveLength(1);
    expect(agreed[0]!.metadata).toMatchObject({
      actor: { id: `saga:${AGREEMENT_SAGA}`, role: 'system' },
      commandId: derivedId('saga', AGREEMENT_SAGA, decided.id),
      causationId: decided.id,
    });
    expect(agreed[0]!.data).toMatchObject({ ballotId, outcome: 'approved', ballotEventId: decided.id });
  });

  it('appends nothing more: another catch-up pass, the notification again, the same command again', async () => {
    const head = await api.stores.events.headPosition();
    expect(await api.app.get(WorkplanAgreementSaga).runOnce()).toEqual([]);
    const decided = (await api.stores.events.readStream(ballotStream(ballotId))).find((event) => event.type === 'BallotDecided')!;
    const data = decided.data as BallotDecidedData;
    const notification = new BallotDecided(data.ballotId, data.subject, data.outcome, data.tally, decided);
    api.app.get(EventBus).publish(notification);
    const again = await api.app.get(CommandBus).execute(new RecordWorkplanOutcomeCommand({ ballotId }, sagaCommandContext(AGREEMENT_SAGA, notification)));
    expect(again.duplicate).toBe(true);
    await new Promise((resolve) => setTimeout(resolve, 200)); // let the re-published notification run through the saga
    expect(await api.stores.events.headPosition()).toBe(head);
  });

  it('a catch-up pass records a decision the in-process saga missed, once, even run twice at the same time', async () => {
    await cycleToPresented(api, clock, '2028', cast, ['ITU']);
    const put = await postOn(api, '2028', 'ballot', cast.secretariat, { closesAt: inDays(clock.now(), 3) }).expect(201);
    const id = put.body.resource.ballots[0].ballotId as string;
    for (const partnerId of ['ITU', 'UNECE']) {
      await request(api.server).post(`/v1/ballots/${id}/votes`).set('Authorization', cast.rep[partnerId]!).send({ choice: 'no' }).expect(201);
    }
    // Decided behind the saga's back (straight through the runner: no EventBus), on the running instance's store.
    await runCommand({ store: api.stores.events, clock }, ballotProcess, ballotStream(id), { commandId: newId(), actor: secretariatActor }, decideClose({ ballotId: id, cause: 'secretariat', reason: 'settled' }, secretariatActor, clock.now()));
    await eventually(async () => (await api.stores.readModels.get<{ status: string }>('ballots', id))?.status === 'rejected', 10_000, 'the ballots read model');
    const saga = api.app.get(WorkplanAgreementSaga);
    const passes = await Promise.all([saga.runOnce(), saga.runOnce()]);
    // The background pass may have got there first: whoever ran, nothing failed and one decision was recorded.
    const results = passes.flat().filter((result) => result.cycle === '2028').map((result) => result.result);
    expect(results.every((result) => result === 'recorded' || result === 'already-recorded')).toBe(true);
    expect(results.filter((result) => result === 'recorded').length).toBeLessThanOrEqual(1);
    const notAgreed = (await api.stores.events.readStream('workplan-2028')).filter((event) => event.type === 'WorkplanNotAgreed');
    expect(notAgreed).toHaveLength(1);
    expect((await getCycle(api, '2028', auditor)).state).toBe('notAgreed');
  });
});
