import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import request from 'supertest';
import { ManualClock } from '../libs/kernel/clock.js';
import { startApi } from './support/api-harness.js';
import { ANNEX_II, bearer, eventually, registerPartners, representativeOf } from './support/ballots.js';
import { assertBuilt, runCli } from './support/cli.js';
import { tempDir } from './support/temp-dir.js';
import { importOfficeHolder, postOn, sha256 } from './support/workplans.js';

/**
 * Every step of the workplan cycle through `u4ssc workplans ...` as a child process, on the SQLite file the API
 * uses: the same commands, decide steps and registers (Partners and offices) as over HTTP. The Partners' votes and
 * the saga that records their agreement run in the API.
 */
describe('u4ssc workplans: every step from the command line', () => {
  const dir = tempDir();
  const env = { U4SSC_STORE: 'sqlite', U4SSC_SQLITE_FILE: join(dir.path, 'u4ssc.sqlite'), U4SSC_TOKEN_SECRET: '' };
  const secretariat = ['--as', 'sec-cli', '--role', 'secretariat'];
  const wp = (...args: string[]) => runCli(['workplans', ...args], env);
  const ok = (result: ReturnType<typeof runCli>) => {
    expect([result.status, result.stderr]).toEqual([0, expect.not.stringContaining("refused")]);
    return result.stdout;
  };

  beforeAll(async () => {
    assertBuilt();
    // Ten days ago, through the API: the registers the cycle reads (two Partners, a Chair and a Thematic Group
    // Leader, by bootstrap import) and cycle 2028 opened, with inputs, its deadline five days ago. The CLI runs now,
    // on the wall clock, so no step below races a deadline however slowly the processes start.
    const now = Date.now();
    const clock = new ManualClock(new Date(now - 10 * 86_400_000));
    const api = await startApi({ dir: dir.path, clock, ballotPollMs: 3_600_000 });
    try {
      const secretariatToken = await bearer(api, 'sec-1', ['secretariat']);
      await registerPartners(api, secretariatToken, ANNEX_II.slice(0, 2));
      await importOfficeHolder(api, 'chair', 'p-chair', new Date(now - 30 * 86_400_000).toISOString());
      await importOfficeHolder(api, 'leader-kpis', 'p-kpi', new Date(now - 30 * 86_400_000).toISOString());
      await request(api.server).post('/v1/workplans').set('Authorization', secretariatToken).send({ cycle: '2028', inputDeadline: new Date(now - 5 * 86_400_000).toISOString() }).expect(201);
      await postOn(api, '2028', 'inputs', await representativeOf(api, 'ITU'), { title: 'ITU priorities', text: 'ITU: KPI cities' }).expect(201);
      await postOn(api, '2028', 'inputs', await bearer(api, 'p-kpi', ['participant']), { title: 'KPI deliverables', text: 'KPI guide' }).expect(201);
    } finally {
      await api.close();
    }
  }, 60_000);
  afterAll(() => dir.remove());

  it('opens a cycle, takes a Partner’s and a Leader’s inputs, refuses someone else’s, reopens inputs', () => {
    const deadline = new Date(Date.now() + 86_400_000).toISOString();
    expect(ok(wp('open', '2027', '--deadline', deadline, ...secretariat))).toMatch(/WorkplanOpened → 2027@0 \(ToR ¶10\(a\), ¶23\(a\)\)\nworkplan 2027 is collectingInputs; allowed next for sec-cli: reopen-inputs/);
    expect(ok(wp('input', '2027', '--title', 'ITU priorities', '--text', 'ITU: KPI cities', '--as', 'rep-ITU', '--role', 'partner', '--org', 'ITU'))).toMatch(/WorkplanInputSubmitted/);
    expect(ok(wp('input', '2027', '--title', 'KPI deliverables', '--text', 'KPI guide', '--as', 'p-kpi', '--role', 'participant'))).toMatch(/WorkplanInputSubmitted/);
    const refused = wp('input', '2027', '--title', 'x', '--text', 'x', '--as', 'p-nobody', '--role', 'participant');
    expect([refused.status, refused.stderr]).toEqual([1, expect.stringMatching(/refused \(forbidden\): .*¶10\(a\)/)]);
    expect(ok(wp('reopen-inputs', '2027', '--deadline', new Date(Date.now() + 2 * 86_400_000).toISOString(), '--reason', 'UNECE asked for a day more', ...secretariat))).toMatch(/WorkplanInputsReopened/);
    expect(ok(wp('show', '2027'))).toMatch(/reopened .* by sec-cli until .*: UNECE asked for a day more/);
  }, 60_000);

  it('refuses a late input, compiles from a file, reviews twice, presents and opens the ballot; the agreement follows the vote', async () => {
    const late = wp('input', '2028', '--title', 'late', '--text', 'late', '--as', 'rep-UNECE', '--role', 'partner', '--org', 'UNECE');
    expect([late.status, late.stderr]).toEqual([1, expect.stringMatching(/refused \(rejected\): The input deadline .* has passed.*\(ToR ¶10\(a\)\)/i)]);

    const shown = JSON.parse(ok(wp('show', '2028', '--json')));
    const [itu, kpi] = shown.inputs.map((input: { inputId: string }) => input.inputId);
    const file = join(dir.path, 'draft-1.md');
    writeFileSync(file, '# U4SSC workplan 2028\n\nDraft 1\n');
    expect(ok(wp('compile', '2028', '--file', file, '--leave-out', `${kpi}=to the KPI group's own plan`, ...secretariat))).toMatch(/WorkplanCompiled → 2028@\d+ \(ToR ¶10\(a\)\)\nworkplan 2028 is underReview/);
    const notTeam = wp('review', '2028', '--decision', 'endorse', '--as', 'p-kpi', '--role', 'participant');
    expect([notTeam.status, notTeam.stderr]).toEqual([1, expect.stringMatching(/refused \(forbidden\): p-kpi does not hold the office of Chair or Vice-Chair/)]);
    ok(wp('review', '2028', '--decision', 'request-changes', '--comment', 'Take the KPI input', '--as', 'p-chair', '--role', 'participant'));
    const early = wp('present', '2028', '--meeting', 'AM 2026', ...secretariat);
    expect([early.status, early.stderr]).toEqual([1, expect.stringMatching(/changesRequested \(ToR ¶10\(b\), ¶10\(c\)\)/)]);
    ok(wp('compile', '2028', '--text', 'Draft 2 with the KPI input', ...secretariat));
    ok(wp('review', '2028', '--decision', 'endorse', '--as', 'p-chair', '--role', 'participant'));
    ok(wp('present', '2028', '--meeting', 'U4SSC Annual Meeting 2026', ...secretariat));
    const put = wp('ballot', '2028', '--closes-at', new Date(Date.now() + 86_400_000).toISOString(), '--key', 'ballot-2028', ...secretariat, '--json');
    const answer = JSON.parse(ok(put));
    expect(answer).toMatchObject({ state: 'voting', resource: { ballots: [{ channel: 'meeting', how: 'opened' }] } });
    // The same --key again: nothing opened or linked twice.
    expect(JSON.parse(ok(wp('ballot', '2028', '--closes-at', new Date(Date.now() + 86_400_000).toISOString(), '--key', 'ballot-2028', ...secretariat, '--json')))).toMatchObject({ duplicate: true });

    const text = ok(wp('show', '2028'));
    expect(text).toMatch(/^ {2}state {11}voting$/m);
    expect(text).toContain(`round 1 (v1)  compiled`);
    expect(text).toContain(`sha256 ${sha256('# U4SSC workplan 2028\n\nDraft 1\n')}`);
    expect(text).toMatch(/left out {2}\S+: to the KPI group's own plan/);
    expect(text).toMatch(/review {4}request-changes by p-chair, Chair \(term 1 until .*\)/);
    expect(text).toMatch(/ {6}- Take the KPI input/);
    expect(text).toMatch(/rep-ITU, Partner ITU: ITU priorities/);
    expect(text).toMatch(/p-kpi, Leader of the Thematic Group "kpis" \(term 1\): KPI deliverables/);
    expect(ok(wp('list'))).toMatch(/^2028\s+voting\s+\S+\s+2\s+2\s+\S+$/m);

    // The Partners vote in the API; the saga records the agreement; the CLI shows it.
    const api = await startApi({ dir: dir.path, ballotPollMs: 3_600_000 });
    try {
      const ballotId = answer.resource.ballots[0].ballotId;
      for (const { partnerId } of ANNEX_II.slice(0, 2)) {
        await request(api.server).post(`/v1/ballots/${ballotId}/votes`).set('Authorization', await representativeOf(api, partnerId)).send({ choice: 'yes' }).expect(201);
      }
      const auditor = await bearer(api, 'aud-1', ['auditor']);
      await eventually(async () => (await request(api.server).get('/v1/workplans/2028').set('Authorization', auditor)).body.state === 'agreed', 10_000, 'the agreement');
    } finally {
      await api.close();
    }
    expect(ok(wp('show', '2028'))).toMatch(/ballot {10}\S+ on channel meeting, opened .*; approved \(decided /);
    const past = ok(wp('show', '2028', '--at', shown.openedAt));
    expect(past).toMatch(/^ {2}state {11}collectingInputs$/m);
  }, 120_000);

  it('answers a usage error (exit 2) for a missing option', () => {
    const result = wp('open', '2029', ...secretariat);
    expect([result.status, result.stderr]).toEqual([2, expect.stringMatching(/--deadline is required/)]);
  });
});
