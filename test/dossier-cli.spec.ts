import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import request from 'supertest';
import { ManualClock } from '../libs/kernel/clock.js';
import { startApi } from './support/api-harness.js';
import { ANNEX_II, bearer, inDays, openBallot, registerPartners, representativeOf } from './support/ballots.js';
import { assertBuilt, runCli } from './support/cli.js';
import { tempDir } from './support/temp-dir.js';

/** `u4ssc dossier` as a child process, on the SQLite file the API wrote (issue 6). */
describe('u4ssc dossier <ballotId> [--out file.html]', () => {
  const dir = tempDir();
  const env = { U4SSC_STORE: 'sqlite', U4SSC_SQLITE_FILE: join(dir.path, 'u4ssc.sqlite'), U4SSC_TOKEN_SECRET: '' };
  let decided: string;
  let open: string;
  let anchor: string;
  let hashes: string[];

  beforeAll(async () => {
    assertBuilt();
    const clock = new ManualClock('2026-11-02T09:00:00.000Z');
    const api = await startApi({ dir: dir.path, clock, ballotPollMs: 3_600_000 });
    try {
      const secretariat = await bearer(api, 'sec-1', ['secretariat']);
      await registerPartners(api, secretariat, ANNEX_II.slice(0, 4));
      decided = await openBallot(api, secretariat, { closesAt: inDays(clock.now(), 7), question: 'Agree to the workplan & its <annex>?' });
      const vote = async (org: string, choice: string) =>
        request(api.server).post(`/v1/ballots/${decided}/votes`).set('Authorization', await representativeOf(api, org)).send({ choice }).expect(201);
      await vote('ITU', 'no');
      await vote('ITU', 'yes');
      await vote('FAO', 'yes');
      await request(api.server).post(`/v1/ballots/${decided}/close`).set('Authorization', secretariat).send({ reason: 'Needed before the Annual Meeting' }).expect(200);
      open = await openBallot(api, secretariat, { subject: { kind: 'hub', title: 'Hub request: Valencia' }, closesAt: inDays(clock.now(), 7) });
      anchor = (await request(api.server).get('/v1/audit/verify').set('Authorization', await bearer(api, 'aud-1', ['auditor'])).expect(200)).body.anchor;
      hashes = (await api.stores.events.readStream(`ballot-${decided}`)).map((event) => event.hash);
    } finally {
      await api.close();
    }
  }, 60_000);
  afterAll(() => dir.remove());

  it('writes the dossier to a file, saying so on stderr', () => {
    const file = join(dir.path, 'dossier.html');
    const result = runCli(['dossier', decided, '--out', file], env);
    expect(result.status).toBe(0);
    expect(result.stdout).toBe('');
    expect(result.stderr).toMatch(new RegExp(`dossier: ballot ${decided} \\(approved, 3 vote events\\) written to ${file.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}; recount matches; chain verifies; decision anchor u4ssc-anchor:\\d+:[0-9a-f]{32}`));
    const page = readFileSync(file, 'utf8');
    expect(page).toMatch(/^<!doctype html>\n<html lang="en">/);
    expect(page).toContain('Agree to the workplan &amp; its &lt;annex&gt;?');
    expect(page).toMatch(/<td><del>no<\/del><\/td>.*<span class="tag">SUPERSEDED<\/span>/);
    expect(page).toMatch(/<ul id="not-voted"><li><code>CBD<\/code>[^<]*<\/li><li><code>UNECE<\/code>[^<]*<\/li><\/ul>/);
    expect(page).toMatch(/id="recount-verdict">Recount matches/);
    for (const hash of hashes) expect(page).toContain(`<td class="hash">${hash}</td>`);
    expect(page).toContain(`<span class="anchor" id="log-anchor">${anchor}</span>`);
  });

  it('prints it on stdout without --out, and takes the stream name too', () => {
    const result = runCli(['dossier', `ballot-${decided}`], env);
    expect(result.status).toBe(0);
    expect(result.stdout).toMatch(/^<!doctype html>[\s\S]*<\/html>\n$/);
    expect(result.stdout).toContain(hashes.at(-1));
    expect(result.stderr).toMatch(/written to stdout/);
  });

  it('refuses an unknown ballot and one not decided (exit 1, no file), and a wrong call (exit 2)', () => {
    const file = join(dir.path, 'none.html');
    const unknown = runCli(['dossier', 'no-such-ballot', '--out', file], env);
    expect(unknown.status).toBe(1);
    expect(unknown.stderr).toMatch(/u4ssc dossier: no ballot "no-such-ballot" is on record/);
    const running = runCli(['dossier', open, '--out', file], env);
    expect(running.status).toBe(1);
    expect(running.stderr).toMatch(new RegExp(`u4ssc dossier: ballot "${open}" is open: it has no decision on record yet`));
    expect(existsSync(file)).toBe(false);
    expect(runCli(['dossier'], env).status).toBe(2);
    expect(runCli(['dossier', decided, '--bogus'], env).status).toBe(2);
    expect(runCli(['--help'], env).stdout).toMatch(/^ {2}dossier\s+a decided ballot's dossier/m);
  });
});
