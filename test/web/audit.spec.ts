import { afterAll, beforeAll, describe, expect, it, jest } from '@jest/globals';
import { readFileSync } from 'node:fs';
import type { Browser, Page } from 'playwright-core';
import request from 'supertest';
import { ManualClock } from '../../libs/kernel/clock.js';
import { startApi, type ApiHarness } from '../support/api-harness.js';
import { ANNEX_II, bearer, eventually, inDays, registerPartners, representativeOf } from '../support/ballots.js';
import { expectAccessible, launchBrowser, newContext, screenshot, signInAs } from '../support/browser.js';
import { tempDir } from '../support/temp-dir.js';
import { cycleToPresented, getCycle, importOfficeHolder, postOn, type Cast } from '../support/workplans.js';

// A browser on a busy 2-core machine: each test drives several pages.
jest.setTimeout(90_000);

const AUDITOR = { sub: 'aud-1', role: 'auditor' as const, name: 'Ada Auditor' };

/** The state the page shows, the number of timeline rows, and the state the diagram fills as current. */
async function shown(page: Page): Promise<{ state: string; rows: number; current: string }> {
  return {
    state: (await page.locator('#process-state').textContent())!.trim(),
    rows: await page.locator('table.timeline tbody tr').count(),
    current: (await page.locator('svg.diagram g.state.current > title').textContent())!.split(/[ :]/)[0]!,
  };
}

/**
 * Issue #9, the auditor: a finished workplan cycle (agreed by a Partners' ballot) opened from the audit page,
 * its "as of" control moved back to see the earlier state; the verify status with the head anchor; the export
 * bundle and the ballot dossier downloaded through the pages; a Partner refused.
 */
describe('web: the auditors’ pages', () => {
  const dir = tempDir();
  const clock = new ManualClock('2026-09-01T09:00:00.000Z');
  const opened = '2026-09-01T09:00:00.000Z';
  const compiled = '2026-09-09T09:00:00.000Z';
  let api: ApiHarness;
  let base: string;
  let browser: Browser;
  let auditor: string;
  let ballotId: string;
  let workplanEvents: number;

  beforeAll(async () => {
    api = await startApi({ dir: dir.path, clock, devSignIn: true, ballotPollMs: 3_600_000 });
    const secretariat = await bearer(api, 'sec-1', ['secretariat']);
    auditor = await bearer(api, 'aud-1', ['auditor']);
    const three = ANNEX_II.slice(0, 3);
    await registerPartners(api, secretariat, three);
    const rep: Record<string, string> = {};
    for (const { partnerId } of three) rep[partnerId] = await representativeOf(api, partnerId);
    const cast: Cast = { secretariat, chair: await bearer(api, 'p-chair', ['participant']), leader: await bearer(api, 'p-kpi', ['participant']), rep };
    await importOfficeHolder(api, 'chair', 'p-chair', '2026-01-15T00:00:00.000Z');
    await importOfficeHolder(api, 'leader-kpis', 'p-kpi', '2025-11-01T00:00:00.000Z');
    // Opened and inputs at 09:00 on 1 September; compiled, endorsed and presented eight days later; then the ballot.
    await cycleToPresented(api, clock, '2027', cast, ['ITU', 'UNECE']);
    clock.advance(3_600_000);
    const put = await postOn(api, '2027', 'ballot', secretariat, { closesAt: inDays(clock.now(), 3) }).expect(201);
    ballotId = put.body.resource.ballots[0].ballotId;
    clock.advance(3_600_000);
    for (const { partnerId } of three) {
      await request(api.server).post(`/v1/ballots/${ballotId}/votes`).set('Authorization', rep[partnerId]!).send({ choice: 'yes' }).expect(201);
    }
    await eventually(async () => (await getCycle(api, '2027', auditor)).state === 'agreed', 10_000, 'the saga recording the agreement');
    workplanEvents = (await api.stores.events.readStream('workplan-2027')).length;
    base = await api.listen();
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
    await api?.close();
    dir.remove();
  });

  it('shows the verify status with the head anchor, and lists the processes to open', async () => {
    const context = await newContext(browser, base);
    const page = await context.newPage();
    await signInAs(page, AUDITOR); // an auditor's home is /audit
    expect(new URL(page.url()).pathname).toBe('/audit');
    expect(await page.getByRole('heading', { level: 1 }).textContent()).toBe('Audit');
    // The page's visit was the first verification, so a full one: the API is asked for a full one to compare.
    const verified = (await request(api.server).get('/v1/audit/verify').query({ full: 'true' }).set('Authorization', auditor).expect(200)).body;
    expect(await page.locator('#verification-kind').textContent()).toContain('The whole log was checked now');
    expect(verified.anchor).toMatch(/^u4ssc-anchor:\d+:[0-9a-f]+$/);
    expect(await page.locator('#head-anchor').textContent()).toBe(verified.anchor);
    const status = await page.locator('section[aria-labelledby="verify-heading"]').textContent();
    expect(status).toContain('✓ Verified');
    expect(status).toContain(`Every one of the ${verified.events} events`);
    expect(status).toMatch(/Machine legality: every event was replayed through its process’s pinned machine: .*workplan v1/);
    for (const stream of ['workplan-2027', `ballot-${ballotId}`, 'office-chair', 'partner-ITU']) {
      expect([stream, await page.locator(`a[href="/audit/processes/${stream}"]`).count()]).toEqual([stream, 1]);
    }
    await expectAccessible(page);
    await screenshot(page, 'audit-home');

    // A published anchor checked against the log, and one that is not an anchor named on its field.
    await page.getByLabel('A published anchor to check').fill(verified.anchor);
    await page.getByRole('button', { name: 'Check the log against it' }).click();
    expect(await page.locator('section[aria-labelledby="verify-heading"]').textContent()).toContain('matches: the record up to it is unchanged');
    await page.getByLabel('A published anchor to check').fill('not-an-anchor');
    await page.getByRole('button', { name: 'Check the log against it' }).click();
    expect(await page.locator('#field-anchor-error').textContent()).toContain('anchor must read u4ssc-anchor:');

    // Now from the checkpoint the full runs left: nothing new to check; a full one on the auditor's demand.
    await page.goto(`${base}/audit`);
    expect(await page.locator('#verification-kind').textContent()).toContain('Only the events recorded after the verified checkpoint were checked now');
    expect(await page.locator('#head-anchor').textContent()).toBe(verified.anchor);
    await page.getByRole('button', { name: 'Verify the whole log now' }).click();
    expect(await page.locator('#verification-kind').textContent()).toContain('The whole log was checked now');
    expect(await page.locator('#last-full').textContent()).toMatch(/The last full verification, at .*, found no fault/);
    await context.close();
  });

  it('opens the finished workplan, moves the "as of" control back, and sees the earlier state', async () => {
    const context = await newContext(browser, base);
    const page = await context.newPage();
    await signInAs(page, AUDITOR);
    await page.getByRole('link', { name: 'Workplan 2027', exact: true }).click();
    expect(new URL(page.url()).pathname).toBe('/audit/processes/workplan-2027');
    expect(await page.getByRole('heading', { level: 1 }).textContent()).toBe('Workplan 2027');
    expect(await shown(page)).toEqual({ state: 'agreed', rows: workplanEvents, current: 'agreed' });
    expect(await page.locator('#as-of-statement').textContent()).toContain(`As of now: every one of the ${workplanEvents} events recorded.`);
    // The timeline: who, in what capacity, under which clause.
    const first = page.locator('table.timeline tbody tr').first();
    expect(await first.locator('th').textContent()).toContain('WorkplanOpened');
    expect(await first.textContent()).toContain('ToR ¶10(a), ¶23(a)');
    expect(await first.textContent()).toContain('secretariat');
    const input = page.locator('table.timeline tbody tr', { hasText: 'WorkplanInputSubmitted' }).first();
    expect(await input.textContent()).toContain('partner for ITU');
    const last = page.locator('table.timeline tbody tr').last();
    expect(await last.textContent()).toContain('saga:workplan-agreement');
    // The path taken is highlighted: every state it passed through is shaded, the others not.
    const visited = await page.locator('svg.diagram g.state.visited > title').allTextContents();
    expect(visited.map((title) => title.split(/[ :]/)[0])).toEqual(expect.arrayContaining(['collectingInputs', 'underReview', 'presented', 'voting']));
    expect(await page.locator('svg.diagram[role="img"]').getAttribute('aria-labelledby')).toBe('diagram-title diagram-desc');
    // The agreement ballot named in the cycle's context opens as a process of its own.
    expect(await page.locator(`a[href="/audit/processes/ballot-${ballotId}"]`).count()).toBe(1);
    await expectAccessible(page);
    await screenshot(page, 'audit-process-now');

    // Back to the instant the cycle was opened: picking it reloads the page (data-auto-submit).
    await Promise.all([page.waitForURL(/\?at=/), page.getByLabel('Recorded instant').selectOption(opened)]);
    expect(await page.locator('#as-of-statement').textContent()).toContain('As of 1 Sep 2026, 09:00:00 UTC.');
    const then = await shown(page);
    expect(then).toEqual({ state: 'collectingInputs', rows: 4, current: 'collectingInputs' });
    // Only the start was passed through then: none of the later states is shaded.
    const visitedThen = (await page.locator('svg.diagram g.state.visited > title').allTextContents()).map((title) => title.split(/[ :]/)[0]);
    expect(visitedThen).toHaveLength(1);
    expect(visitedThen).not.toEqual(expect.arrayContaining(['underReview']));
    expect(await page.locator('#as-of-statement').textContent()).toContain(`${workplanEvents - 4} recorded later are not shown`);
    await expectAccessible(page);
    await screenshot(page, 'audit-process-as-of');

    // One step later through the record, then back to now.
    await page.getByRole('link', { name: /One recorded instant later/ }).click();
    expect((await shown(page)).state).toBe('presented');
    await page.getByRole('link', { name: 'Show it as it stands now' }).click();
    expect((await shown(page)).state).toBe('agreed');
    await context.close();
  });

  it('works without JavaScript: any instant typed in, and a refused instant named on its field', async () => {
    const context = await browser.newContext({ baseURL: base, javaScriptEnabled: false });
    const page = await context.newPage();
    await signInAs(page, AUDITOR, '/audit/processes/workplan-2027');
    await page.getByLabel('Any instant (UTC, to the second)').fill(compiled.slice(0, 19));
    await page.getByRole('button', { name: 'Show as of the instant given' }).click();
    expect(new URL(page.url()).searchParams.get('at')).toMatch(/^2026-09-09T09:00/); // Chromium leaves out ":00" seconds
    expect(await page.locator('#as-of-statement').textContent()).toContain('As of 9 Sep 2026, 09:00:00 UTC.');
    expect(await shown(page)).toEqual({ state: 'presented', rows: 7, current: 'presented' });
    // The recorded instant picked and sent with the button, as without scripts.
    await page.getByLabel('Recorded instant').selectOption(opened);
    await page.getByRole('button', { name: 'Show as of this instant' }).click();
    expect((await shown(page)).state).toBe('collectingInputs');

    const refused = await page.goto('/audit/processes/workplan-2027?at=last-tuesday');
    expect(refused!.status()).toBe(400);
    expect(await page.locator('#as-of-any-error').textContent()).toContain('at "last-tuesday" is not an RFC 3339 date-time');
    expect((await shown(page)).state).toBe('agreed');
    const missing = await page.goto('/audit/processes/workplan-1999');
    expect(missing!.status()).toBe(404);
    expect(await page.locator('.problem').textContent()).toMatch(/no process has a stream named "workplan-1999"/i);
    await context.close();
  });

  it('downloads the export bundle and the decided ballot’s dossier through the pages', async () => {
    const context = await newContext(browser, base);
    const page = await context.newPage();
    await signInAs(page, AUDITOR);
    const [bundle] = await Promise.all([page.waitForEvent('download'), page.getByRole('link', { name: 'Download the export bundle' }).click()]);
    expect(bundle.suggestedFilename()).toMatch(/^u4ssc-log-.*\.jsonl$/);
    const lines = readFileSync((await bundle.path())!, 'utf8').trim().split('\n');
    const manifest = JSON.parse(lines[0]!);
    expect(manifest).toMatchObject({ format: 'u4ssc-bundle/1', scope: 'log', counts: { events: lines.length - 1 } });
    expect(manifest.anchor).toBe((await request(api.server).get('/v1/audit/verify').set('Authorization', auditor).expect(200)).body.anchor);

    // The ballot's page, from the list of ballots, offers its dossier once decided.
    await page.locator(`a[href="/audit/processes/ballot-${ballotId}"]`).click();
    expect(new URL(page.url()).pathname).toBe(`/audit/processes/ballot-${ballotId}`);
    expect((await shown(page)).state).toBe('approved');
    await expectAccessible(page);
    await screenshot(page, 'audit-ballot');
    const [dossier] = await Promise.all([page.waitForEvent('download'), page.getByRole('link', { name: 'Decision dossier of this ballot' }).click()]);
    expect(dossier.suggestedFilename()).toBe(`u4ssc-dossier-ballot-${ballotId}.html`);
    const text = readFileSync((await dossier.path())!, 'utf8');
    expect(text).toMatch(/^<!doctype html>/i);
    expect(text).toContain(ballotId);
    const [one] = await Promise.all([page.waitForEvent('download'), page.getByRole('link', { name: 'Export bundle of this process' }).click()]);
    expect(JSON.parse(readFileSync((await one.path())!, 'utf8').split('\n')[0]!)).toMatchObject({ scope: 'stream', selection: { stream: `ballot-${ballotId}` } });
    await context.close();
  });

  it('refuses a Partner the audit pages and their downloads', async () => {
    const context = await newContext(browser, base);
    const page = await context.newPage();
    await signInAs(page, { sub: 'rep-ITU', role: 'partner', org: 'ITU' }, '/audit');
    expect(await page.getByRole('link', { name: 'Audit' }).count()).toBe(0);
    for (const path of ['/audit', '/audit/processes/workplan-2027', '/audit/export', `/audit/ballots/${ballotId}/dossier`]) {
      const answer = await page.goto(path);
      expect([path, answer!.status()]).toEqual([path, 403]);
      expect(await page.locator('.problem').textContent()).toContain('This page is for the auditor or secretariat role; you are signed in with partner.');
    }
    await expectAccessible(page);
    await context.close();
  });
});
