import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { join } from 'node:path';
import request from 'supertest';
import { ManualClock } from '../libs/kernel/clock.js';
import { startApi } from './support/api-harness.js';
import { ANNEX_II, bearer, inDays, openBallot, registerPartners, representativeOf } from './support/ballots.js';
import { assertBuilt, runCli } from './support/cli.js';
import { tempDir } from './support/temp-dir.js';

describe('u4ssc ballots list | show, on the SQLite file the API wrote', () => {
  const dir = tempDir();
  const env = { U4SSC_STORE: 'sqlite', U4SSC_SQLITE_FILE: join(dir.path, 'u4ssc.sqlite'), U4SSC_TOKEN_SECRET: '' };
  let decided: string;
  let open: string;

  beforeAll(async () => {
    assertBuilt();
    const clock = new ManualClock('2026-11-02T09:00:00.000Z');
    const api = await startApi({ dir: dir.path, clock, ballotPollMs: 3_600_000 });
    try {
      const secretariat = await bearer(api, 'sec-1', ['secretariat']);
      await registerPartners(api, secretariat, ANNEX_II.slice(0, 4));
      decided = await openBallot(api, secretariat, { closesAt: inDays(clock.now(), 7) });
      const vote = async (org: string, choice: string) =>
        request(api.server).post(`/v1/ballots/${decided}/votes`).set('Authorization', await representativeOf(api, org)).send({ choice }).expect(201);
      await vote('ITU', 'no');
      await vote('ITU', 'yes');
      await vote('FAO', 'yes');
      await vote('CBD', 'abstain');
      await request(api.server).post(`/v1/ballots/${decided}/close`).set('Authorization', secretariat).send({ reason: 'Needed before the Annual Meeting' }).expect(200);
      clock.advance(60_000);
      open = await openBallot(api, secretariat, { subject: { kind: 'hub', title: 'Hub request: Valencia' }, closesAt: inDays(clock.now(), 7) });
    } finally {
      await api.close();
    }
  }, 60_000);
  afterAll(() => dir.remove());

  it('lists the ballots, newest first, and filters by status', () => {
    const listed = runCli(['ballots', 'list'], env);
    expect(listed.status).toBe(0);
    const lines = listed.stdout.trim().split('\n');
    expect(lines).toHaveLength(3);
    expect(lines[1]).toMatch(new RegExp(`^${open}\\s+open\\s+\\S+\\s+hub: Hub request: Valencia$`));
    expect(lines[2]).toMatch(new RegExp(`^${decided}\\s+approved\\s`));
    const approved = runCli(['ballots', 'list', '--status', 'approved'], env);
    expect(approved.stdout.trim().split('\n').slice(1).map((line) => line.split(/\s+/)[0])).toEqual([decided]);
  });

  it('shows a decided ballot with its frozen rules, every vote and change, and the tally table', () => {
    const shown = runCli(['ballots', 'show', decided], env);
    expect(shown.status).toBe(0);
    const text = shown.stdout;
    expect(text).toMatch(/status\s+approved \(closed .* by the Secretariat: Needed before the Annual Meeting\)/);
    expect(text).toMatch(/rules\s+quorum 1\/2 of the electorate \(abstentions count\); simple majority; votes may be changed/);
    expect(text).toMatch(/U4SSC-ballot-rules v1, default for workplan \(ToR ¶10\(d\), ¶13\(b\)\); ToR version U4SSC-ToR-2023/);
    expect(text).toMatch(/^ {2}ITU\s+yes\s+.* by rep-ITU\s+changed from no$/m);
    expect(text).toMatch(/^ {2}UNECE\s+-\s+\(did not vote\)$/m);
    expect(text).toMatch(/^\s+2\s+0\s+1\s+1\s+3 taking part, 2 needed \(met\)\s+approved$/m);
    const json = JSON.parse(runCli(['ballots', 'show', decided, '--json'], env).stdout);
    expect(json.decision.tally).toMatchObject({ yes: 2, no: 0, abstain: 1, notVoted: ['UNECE'] });
  });

  it('answers 1 for an unknown ballot and 2 for a wrong use', () => {
    const missing = runCli(['ballots', 'show', 'nope'], env);
    expect(missing.status).toBe(1);
    expect(missing.stderr).toMatch(/no ballot "nope" is on record/);
    expect(runCli(['ballots', 'count'], env).status).toBe(2);
  });
});
