import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import request from 'supertest';
import { describePostgres } from '../libs/event-store/postgres/test-database.js';
import { ballotStream } from '../libs/ballots/index.js';
import type { BallotDecidedData, Choice } from '../state-machines/ballot/ballot.events.js';
import { startApi, type ApiHarness } from './support/api-harness.js';
import { ANNEX_II, bearer, inDays, openBallot, registerPartners, representativeOf } from './support/ballots.js';
import { tempDir } from './support/temp-dir.js';

/** 10 yes, 5 no, 2 abstain across the 17 Partners of Annex II: approved by simple majority, quorum met. */
const CHOICES: Choice[] = [...Array(10).fill('yes'), ...Array(5).fill('no'), 'abstain', 'abstain'];
const choiceOf = (index: number) => CHOICES[index]!;

function seventeenAtOnce(store: 'sqlite' | 'postgres') {
  const dir = tempDir();
  let api: ApiHarness;
  let secretariat: string;
  const reps: string[] = [];

  beforeAll(async () => {
    api = await startApi({ dir: dir.path, store });
    secretariat = await bearer(api, 'sec-1', ['secretariat']);
    await registerPartners(api, secretariat);
    for (const { partnerId } of ANNEX_II) reps.push(await representativeOf(api, partnerId));
  }, 60_000);
  afterAll(async () => {
    await api?.close();
    dir.remove();
  });

  const castAll = (ballotId: string, key: (partnerId: string) => string) =>
    ANNEX_II.map(({ partnerId }, index) =>
      request(api.server)
        .post(`/v1/ballots/${ballotId}/votes`)
        .set('Authorization', reps[index]!)
        .set('Idempotency-Key', key(partnerId))
        .send({ choice: choiceOf(index) }),
    );

  async function expectRecordedOnce(ballotId: string) {
    const events = await api.stores.events.readStream(ballotStream(ballotId));
    const votes = events.filter((event) => event.type === 'VoteCast').map((event) => (event.data as { partnerId: string }).partnerId);
    expect(votes.sort()).toEqual(ANNEX_II.map((partner) => partner.partnerId).sort());
    expect(events.map((event) => event.revision)).toEqual(events.map((_, index) => index));
    expect(events.slice(-2).map((event) => event.type)).toEqual(['BallotClosed', 'BallotDecided']);
    const decided = events.at(-1)!.data as BallotDecidedData;
    expect(decided).toMatchObject({ outcome: 'approved', tally: { yes: 10, no: 5, abstain: 2, notVoted: [], participating: 17, quorumRequired: 9 } });
    expect(decided.tally.votes.map((vote) => vote.choice)).toEqual(ANNEX_II.map((partner, index) => [partner.partnerId, choiceOf(index)] as const)
      .sort(([a], [b]) => (a < b ? -1 : 1))
      .map(([, choice]) => choice));
    return events;
  }

  it('records every vote once, none lost, closes on the last one and decides correctly', async () => {
    const ballotId = await openBallot(api, secretariat, { closesAt: inDays(new Date(), 7) });
    const responses = await Promise.all(castAll(ballotId, (partnerId) => `vote-${partnerId}`));
    expect(responses.map((response) => response.status)).toEqual(ANNEX_II.map(() => 201));
    // Exactly one of the seventeen answers carries the close: the vote that completed the turnout.
    const closers = responses.filter((response) => response.body.events.some((event: { type: string }) => event.type === 'BallotDecided'));
    expect(closers).toHaveLength(1);
    const events = await expectRecordedOnce(ballotId);
    expect(events).toHaveLength(2 + 17 + 2);

    // The same seventeen requests again, with their keys: the first answers come back, nothing is appended.
    const head = await api.stores.events.headPosition();
    const retried = await Promise.all(castAll(ballotId, (partnerId) => `vote-${partnerId}`));
    expect(retried.map((response) => response.headers['idempotency-replayed'])).toEqual(ANNEX_II.map(() => 'true'));
    expect(retried.map((response) => response.body)).toEqual(responses.map((response) => response.body));
    expect(await api.stores.events.headPosition()).toBe(head);
  });

  it('appends each vote once when every request is sent twice at the same instant with its key', async () => {
    const ballotId = await openBallot(api, secretariat, { closesAt: inDays(new Date(), 7) });
    const key = (partnerId: string) => `twin-${ballotId}-${partnerId}`;
    const responses = await Promise.all([...castAll(ballotId, key), ...castAll(ballotId, key)]);
    expect(responses.map((response) => response.status)).toEqual(responses.map(() => 201));
    expect(await expectRecordedOnce(ballotId)).toHaveLength(2 + 17 + 2);
  });
}

describe('17 Partners voting at the same instant over HTTP, on SQLite', () => seventeenAtOnce('sqlite'));
describePostgres('17 Partners voting at the same instant over HTTP, on PostgreSQL', () => seventeenAtOnce('postgres'));
