import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import request from 'supertest';
import { startApi, type ApiHarness } from '../support/api-harness.js';
import { ANNEX_II, bearer, eventually, openBallot, registerPartners, representativeOf } from '../support/ballots.js';
import { expectAccessible, launchBrowser, newContext, screenshot, signInAs } from '../support/browser.js';

/** A `datetime-local` value (UTC, to the second) as Chromium keeps it: without `:00` seconds. */
function deadlineValue(at: Date): string {
  const value = at.toISOString().slice(0, 19);
  return value.endsWith(':00') ? value.slice(0, 16) : value;
}

/** How the pages write an instant that has seconds: "2 Mar 2026, 09:00:30 UTC" (UTC, whatever the locale). */
function shownToTheSecond(at: Date): string {
  const month = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'][at.getUTCMonth()];
  return `${at.getUTCDate()} ${month} ${at.getUTCFullYear()}, ${at.toISOString().slice(11, 19)} UTC`;
}

const SECRETARIAT = { sub: 'sec-ines', role: 'secretariat' as const, name: 'Inès Secretariat' };
const PARTNERS = ANNEX_II.slice(0, 3);

describe('web: the Secretariat’s dashboard and command forms (issue #9)', () => {
  let dir: string;
  let api: ApiHarness;
  let base: string;
  let browser: Browser;
  let secretariat: string;

  const ballotCount = async () => (await request(api.server).get('/v1/ballots').set('Authorization', secretariat).expect(200)).body.length as number;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'u4ssc-web-secretariat-'));
    // Ballots here close seconds after they open, to be seen closing: the least lead is set down to a second.
    api = await startApi({ dir, devSignIn: true, ballotPollMs: 200, env: { U4SSC_BALLOT_MIN_LEAD_SECONDS: '1' } });
    base = await api.listen();
    secretariat = await bearer(api, 'sec-setup', ['secretariat']);
    await registerPartners(api, secretariat, PARTNERS);
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
    await api?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  async function signedInPage(): Promise<Page> {
    const context = await newContext(browser, base);
    const page = await context.newPage();
    await signInAs(page, SECRETARIAT);
    return page;
  }

  it('the Secretariat opens a ballot and sees it close at its deadline', async () => {
    const page = await signedInPage();
    expect(new URL(page.url()).pathname).toBe('/secretariat');
    expect(await page.getByRole('heading', { level: 1 }).textContent()).toBe('What needs action');
    expect(await page.locator('body').getAttribute('data-refresh-seconds')).toBe('30');
    expect(await page.getByText('This page reloads itself every 30 seconds').count()).toBe(1);
    expect(await page.getByText('3 Partners are registered now').count()).toBe(1);
    await expectAccessible(page);
    await screenshot(page, 'secretariat-dashboard-empty');

    await page.getByRole('link', { name: 'Open a ballot' }).click();
    expect(await page.getByRole('heading', { level: 1 }).textContent()).toBe('Open a ballot');
    const question = 'Do the Partners agree to hold the 2027 Annual Meeting in Nairobi?';
    await page.getByLabel('What is decided').selectOption('other');
    await page.getByLabel('Subject title').fill('Venue of the 2027 Annual Meeting');
    await page.getByLabel('Question put to the Partners').fill(question);
    const deadline = new Date(Math.ceil((Date.now() + 12_000) / 1000) * 1000);
    if (deadline.getUTCSeconds() === 0) deadline.setUTCSeconds(1); // shown to the second
    await page.getByLabel('Deadline (UTC)').fill(deadlineValue(deadline));
    await expectAccessible(page);
    await screenshot(page, 'secretariat-open-ballot-form');
    const before = await ballotCount();

    await page.getByRole('button', { name: 'Review the ballot' }).click();
    expect(await page.getByRole('heading', { level: 1 }).textContent()).toBe('Check: Open a ballot');
    expect(await page.locator('dl.facts').textContent()).toContain(question);
    expect(await page.locator('dl.facts').textContent()).toContain(shownToTheSecond(deadline)); // the deadline as every page writes it
    expect(await ballotCount()).toBe(before); // nothing appended before the confirmation
    await expectAccessible(page);
    await screenshot(page, 'secretariat-open-ballot-review');

    await page.getByRole('button', { name: 'Confirm and record' }).click();
    expect(new URL(page.url()).pathname).toBe('/secretariat');
    expect(await page.getByRole('status').textContent()).toContain(`The ballot is open until ${shownToTheSecond(deadline)}.`);
    const ballots = (await request(api.server).get('/v1/ballots').set('Authorization', secretariat).expect(200)).body as { ballotId: string; question: string; closesAt: string; electorate: string[] }[];
    expect(ballots).toHaveLength(before + 1);
    const opened = ballots.find((b) => b.question === question)!;
    expect(opened.closesAt).toBe(deadline.toISOString());
    expect(opened.electorate).toEqual(PARTNERS.map((p) => p.partnerId).sort());
    const row = page.locator(`tr[data-ballot="${opened.ballotId}"]`);
    expect(await row.textContent()).toContain('Closes in');
    expect(await row.textContent()).toContain('0 of 3 (0%)');
    expect(await row.getByRole('link', { name: /Close early/ }).count()).toBe(1);
    expect(await page.getByText('1 ballot open').count()).toBe(1);

    // Two Partners vote; the dashboard shows the turnout, not the choices.
    for (const partner of PARTNERS.slice(0, 2)) {
      await request(api.server).post(`/v1/ballots/${opened.ballotId}/votes`).set('Authorization', await representativeOf(api, partner.partnerId)).send({ choice: 'yes' }).expect(201);
    }
    await page.reload();
    expect(await row.textContent()).toContain('2 of 3 (67%)');
    expect(await row.getByRole('img', { name: '2 of 3 Partners have voted' }).count()).toBe(1);
    await expectAccessible(page);
    await screenshot(page, 'secretariat-dashboard-open-ballot');

    // The deadline passes: the scheduler closes it and the outcome is counted; the dashboard (reloaded) says so.
    await eventually(
      async () => {
        await page.reload();
        return (await row.textContent())?.includes('Approved') ?? false;
      },
      Math.max(0, deadline.getTime() - Date.now()) + 15_000,
      'the dashboard showing the ballot decided',
    );
    expect(Date.now()).toBeGreaterThanOrEqual(deadline.getTime());
    expect(await row.textContent()).toContain('closed at its deadline');
    expect(await row.textContent()).toContain('2 of 3');
    expect(await row.getByRole('link', { name: /Close early/ }).count()).toBe(0);
    expect(await page.getByText('0 ballots open').count()).toBe(1);
    await expectAccessible(page);
    await screenshot(page, 'secretariat-dashboard-ballot-decided');
    await page.context().close();
  }, 60_000);

  it('shows the API’s message under the invalid field and appends nothing', async () => {
    const page = await signedInPage();
    await page.goto('/secretariat/ballots/new');
    await page.getByLabel('What is decided').selectOption('other');
    await page.getByLabel('Subject title').fill('A question left empty');
    await page.getByLabel('Deadline (UTC)').fill(deadlineValue(new Date(Date.now() + 86_400_000)));
    // Other rules, folded until opened: a quorum that is no fraction, and a threshold without the other rules.
    await page.getByText('Other rules than the rule table’s default').click();
    await page.getByLabel('Quorum', { exact: true }).fill('half');
    await page.getByLabel('Threshold').selectOption('two-thirds');
    const before = await ballotCount();
    await page.getByRole('button', { name: 'Review the ballot' }).click();
    const answered = page.waitForResponse((response) => response.request().method() === 'POST' && new URL(response.url()).pathname === '/secretariat/ballots/new');
    await page.getByRole('button', { name: 'Confirm and record' }).click();
    expect((await answered).status()).toBe(400);
    const error = page.locator('#field-question-error');
    expect(await error.textContent()).toMatch(/question/);
    expect(await page.getByLabel('Question put to the Partners').getAttribute('aria-invalid')).toBe('true');
    expect(await page.locator('.problem').getByRole('link', { name: 'Question put to the Partners' }).count()).toBe(1);
    // Nested API paths (rules.quorum, rules.allowVoteChange) land under their own fields, in the group left open.
    expect(await page.locator('#field-quorum-error').textContent()).toContain('rules.quorum');
    expect(await page.locator('#field-allowVoteChange-error').textContent()).toContain('rules.allowVoteChange');
    expect(await page.locator('details.field-group').getAttribute('open')).not.toBeNull();
    expect(await page.getByLabel('Quorum', { exact: true }).inputValue()).toBe('half');
    // What was typed is kept.
    expect(await page.getByLabel('Subject title').inputValue()).toBe('A question left empty');
    expect(await ballotCount()).toBe(before);
    await expectAccessible(page);
    await screenshot(page, 'secretariat-open-ballot-inline-error');

    // A Partner whose id the register refuses: the message sits under "Short id".
    await page.goto('/secretariat/partners/new');
    await page.getByLabel('Short id').fill('has spaces');
    await page.getByLabel('Full name').fill('Nobody');
    await page.getByLabel('Kind of organisation').selectOption('specialized-agency');
    await page.getByLabel('Where the intent to join is on record').fill('Letter');
    await page.getByRole('button', { name: 'Review the registration' }).click();
    await page.getByRole('button', { name: 'Confirm and record' }).click();
    expect(await page.locator('#field-partnerId-error').textContent()).toContain('partnerId must be 2-32 letters, digits or hyphens');
    expect((await request(api.server).get('/v1/partners').set('Authorization', secretariat).expect(200)).body).toHaveLength(PARTNERS.length);
    await page.context().close();
  }, 30_000);

  it('shows the 409 and its ToR clause when the ballot closed while the form was open, and offers no form afterwards', async () => {
    const page = await signedInPage();
    const closesAt = new Date(Date.now() + 4_000).toISOString();
    const ballotId = await openBallot(api, secretariat, { subject: { kind: 'other', title: 'A short ballot' }, question: 'Short?', closesAt });
    await page.goto(`/secretariat/ballots/${ballotId}/close`);
    expect(await page.getByRole('heading', { level: 1 }).textContent()).toBe('Close a ballot before its deadline');
    await page.getByLabel('Reason for closing early').fill('The Partners Board agreed to close it');
    await page.getByRole('button', { name: 'Review' }).click();
    await expectAccessible(page);
    await eventually(
      async () => (await request(api.server).get(`/v1/ballots/${ballotId}`).set('Authorization', secretariat)).body.status !== 'open',
      15_000,
      'the ballot closing at its deadline',
    );
    const answered = page.waitForResponse((response) => response.request().method() === 'POST');
    await page.getByRole('button', { name: 'Confirm and record' }).click();
    expect((await answered).status()).toBe(409);
    const problem = page.locator('.problem');
    expect(await problem.textContent()).toMatch(/ballot "[^"]+" is (closed|approved|rejected|failedQuorum)/);
    expect(await problem.textContent()).toContain('Terms of Reference: ToR ¶13(b)');
    await expectAccessible(page);
    await screenshot(page, 'secretariat-close-ballot-409');

    // The API no longer lists the step: the form is not offered.
    const refused = await page.goto(`/secretariat/ballots/${ballotId}/close`);
    expect(refused?.status()).toBe(409);
    expect(await page.locator('.problem').textContent()).toContain('it can no longer be closed (ToR ¶13(b))');
    expect(await page.locator('textarea').count()).toBe(0);
    await page.context().close();
  }, 30_000);

  it('refuses a Partner the dashboard and the forms; the API refuses the command when the form is bypassed', async () => {
    const context = await newContext(browser, base);
    const page = await context.newPage();
    await signInAs(page, { sub: 'rep-fao', role: 'partner', org: PARTNERS[0]!.partnerId, name: 'Rep' }, '/registers/partners');
    const answer = await page.goto('/secretariat');
    expect(answer?.status()).toBe(403);
    expect(await page.locator('.problem').textContent()).toContain('This page is for the secretariat role; you are signed in with partner.');
    expect(await page.getByRole('link', { name: 'Dashboard' }).count()).toBe(0);
    await expectAccessible(page);
    await screenshot(page, 'secretariat-403-partner');

    const before = await ballotCount();
    const csrf = (await context.cookies()).find((c) => c.name === 'u4ssc_csrf')!.value;
    const form = { _csrf: decodeURIComponent(csrf), _step: 'confirm', _key: '00000000-0000-4000-8000-000000000001', subjectKind: 'other', subjectTitle: 'Bypass', question: 'Bypass?', closesAt: deadlineValue(new Date(Date.now() + 86_400_000)) };
    const posted = await page.request.post('/secretariat/ballots/new', { form, maxRedirects: 0 });
    expect(posted.status()).toBe(403);
    const direct = await request(api.server)
      .post('/v1/ballots')
      .set('Authorization', await representativeOf(api, PARTNERS[0]!.partnerId))
      .send({ subject: { kind: 'other', title: 'Bypass' }, question: 'Bypass?', closesAt: new Date(Date.now() + 86_400_000).toISOString() });
    expect(direct.status).toBe(403);
    expect(await ballotCount()).toBe(before);
    await context.close();
  }, 30_000);

  it('offers the workplan, office and Partner forms for the steps the API allows, and records them after the review', async () => {
    const page = await signedInPage();
    // A workplan cycle, opened through its form.
    await page.getByRole('link', { name: 'Open a workplan cycle' }).click();
    await page.getByLabel('Cycle').fill('2027');
    await page.getByLabel('Inputs accepted until (UTC)').fill(deadlineValue(new Date(Date.now() + 7 * 86_400_000)));
    await expectAccessible(page);
    await screenshot(page, 'secretariat-open-workplan-form');
    await page.getByRole('button', { name: 'Review' }).click();
    await page.getByRole('button', { name: 'Confirm and record' }).click();
    expect(await page.getByRole('status').textContent()).toBe('The workplan cycle 2027 is open for inputs.');
    const cycle = page.locator('#workplan-2027');
    expect(await cycle.textContent()).toContain('collectingInputs');
    // Before the input deadline the API allows reopening, not compiling: only that link, and the compile form is refused.
    expect(await cycle.locator('td').last().getByRole('link').allTextContents()).toEqual(['Reopen the inputs (2027)']);
    const compile = await page.goto('/secretariat/workplans/2027/compile');
    expect(compile?.status()).toBe(409);
    expect(await page.locator('.problem').textContent()).toContain('“Compile a version” is not a step you may take now (ToR ¶10). You may: reopen the inputs.');
    await page.goto('/secretariat');
    await page.locator('#workplan-2027').getByRole('link', { name: /Reopen the inputs/ }).click();
    await page.getByLabel('New deadline for inputs (UTC)').fill(deadlineValue(new Date(Date.now() + 14 * 86_400_000)));
    await page.getByLabel('Reason').fill('UNEP asked for one more week');
    await page.getByRole('button', { name: 'Review' }).click();
    expect(await page.locator('dl.facts').textContent()).toContain('UNEP asked for one more week');
    await page.getByRole('button', { name: 'Confirm and record' }).click();
    expect(await page.getByRole('status').textContent()).toBe('Recorded for the workplan 2027; it is now collectingInputs.');
    const workplan = (await request(api.server).get('/v1/workplans/2027').set('Authorization', secretariat).expect(200)).body;
    expect(workplan.reopenings).toHaveLength(1);

    // A nomination for the Chair, through the "any seat" form.
    await page.getByLabel('Seat', { exact: true }).fill('chair');
    await page.getByLabel('Step').selectOption('nominations');
    await page.getByRole('button', { name: 'Open the form' }).click();
    expect(await page.getByRole('heading', { level: 1 }).textContent()).toBe('Record a nomination: Chair');
    await page.getByLabel('Candidate’s person id').fill('p-okafor');
    await page.getByLabel('Candidate’s name').fill('Dr Ada Okafor');
    await page.getByLabel('Nominating Partner').fill(PARTNERS[0]!.partnerId);
    await expectAccessible(page);
    await screenshot(page, 'secretariat-nomination-form');
    await page.getByRole('button', { name: 'Review' }).click();
    await page.getByRole('button', { name: 'Confirm and record' }).click();
    expect(await page.getByRole('status').textContent()).toBe('Recorded for the seat Chair; it is now nominated.');
    const renewal = await page.goto('/secretariat/offices/chair/renewals');
    expect(renewal?.status()).toBe(409);
    expect(await page.locator('.problem').textContent()).toContain('The seat Chair is nominated');

    // A Partner registered, then its withdrawal recorded, each through its form.
    await page.goto('/secretariat/partners/new');
    await page.getByLabel('Short id').fill('UNEP');
    await page.getByLabel('Full name').fill('United Nations Environment Programme');
    await page.getByLabel('Kind of organisation').selectOption('fund-or-programme');
    await page.getByLabel('Where the intent to join is on record').fill('Letter of 2026-03-02 to the Secretariat');
    await page.getByRole('button', { name: 'Review the registration' }).click();
    await page.getByRole('button', { name: 'Confirm and record' }).click();
    expect(await page.getByRole('status').textContent()).toBe('UNEP is registered as a Partner.');
    await page.getByRole('link', { name: 'Record a withdrawal of UNEP' }).click();
    await page.getByLabel('Reason').fill('Letter of 2026-05-01');
    await page.getByRole('button', { name: 'Review' }).click();
    await page.getByRole('button', { name: 'Confirm and record' }).click();
    expect(await page.getByRole('status').textContent()).toBe('The withdrawal of UNEP is recorded.');
    expect((await request(api.server).get('/v1/partners/UNEP').set('Authorization', secretariat).expect(200)).body.status).toBe('withdrawn');
    const again = await page.goto('/secretariat/partners/UNEP/withdraw');
    expect(again?.status()).toBe(409);
    await page.context().close();

    // The dashboard on a phone, and without JavaScript: the same content, readable.
    const phone = await newContext(browser, base, { phone: true });
    const small = await phone.newPage();
    await signInAs(small, SECRETARIAT);
    expect(await small.locator('#workplan-2027').count()).toBe(1);
    await expectAccessible(small);
    await screenshot(small, 'secretariat-dashboard-phone');
    await phone.close();
    const noScript = await browser.newContext({ baseURL: base, javaScriptEnabled: false });
    const plain = await noScript.newPage();
    await signInAs(plain, SECRETARIAT);
    expect(await plain.getByRole('heading', { level: 2 }).allTextContents()).toEqual(['Ballots', 'Workplan cycles', 'Offices', 'Partners']);
    expect(await plain.getByText('Record a withdrawal of UNEP').count()).toBe(0); // withdrawn: no longer listed
    await noScript.close();
  }, 45_000);
});
