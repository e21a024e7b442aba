import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { randomUUID } from 'node:crypto';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import request from 'supertest';
import { ManualClock } from '../../libs/kernel/clock.js';
import { startApi, type ApiHarness } from '../support/api-harness.js';
import { ANNEX_II, bearer, inDays, openBallot, registerPartners, representativeOf } from '../support/ballots.js';
import { expectAccessible, launchBrowser, newContext, screenshot, signInAs } from '../support/browser.js';
import { tempDir } from '../support/temp-dir.js';

const FOUR = ANNEX_II.slice(0, 4); // ITU, UNECE, CBD, FAO: the electorate of every ballot below
const LATECOMER = ANNEX_II[4]!; // UN-Women, registered after the ballots opened

describe('web: a Partner representative votes (ToR ¶13, ¶13(b)), on a phone', () => {
  const dir = tempDir();
  // The pages read "now" from the same clock as the API: deadlines read "in 14 days" exactly.
  const clock = new ManualClock(new Date());
  let api: ApiHarness;
  let base: string;
  let browser: Browser;
  let secretariat: string;
  let auditor: string;
  let workplanBallot: string;
  let chairBallot: string;
  let fao: BrowserContext;
  let faoPage: Page;

  beforeAll(async () => {
    api = await startApi({ dir: dir.path, devSignIn: true, clock, ballotPollMs: 3_600_000 });
    base = await api.listen();
    browser = await launchBrowser();
    secretariat = await bearer(api, 'sec-bueti', ['secretariat']);
    auditor = await bearer(api, 'aud-1', ['auditor']);
    await registerPartners(api, secretariat, FOUR);
    workplanBallot = await openBallot(api, secretariat, { closesAt: inDays(clock.now(), 14) });
    chairBallot = await openBallot(api, secretariat, {
      subject: { kind: 'appointment', reference: 'chair-2026', title: 'Chair of U4SSC, 2026–2027' },
      question: 'Does the Partners Board appoint Dr. Ada Byron as Chair?',
      closesAt: inDays(clock.now(), 3),
    });
    await registerPartners(api, secretariat, [LATECOMER]);
    fao = await newContext(browser, base, { phone: true });
    faoPage = await fao.newPage();
  });
  afterAll(async () => {
    await browser?.close();
    await api?.close();
    dir.remove();
  });

  /** The ballot as an auditor sees it: every vote and change. */
  const asAuditor = async (ballotId: string) => (await request(api.server).get(`/v1/ballots/${ballotId}`).set('Authorization', auditor).expect(200)).body;
  const streamLength = async (ballotId: string) => (await api.stores.events.readStream(`ballot-${ballotId}`)).length;
  /** A form post made by hand with this browser's cookies (session and CSRF), as a bypassed page would send it. */
  const postByHand = async (context: BrowserContext, path: string, form: Record<string, string>) => {
    const csrf = (await context.cookies()).find((cookie) => cookie.name === 'u4ssc_csrf')!.value;
    return context.request.post(base + path, { form: { _csrf: csrf, ...form }, maxRedirects: 0 });
  };
  const radios = (page: Page) => page.getByRole('radio').count();

  it('a Partner signs in and votes: the open ballot, the choice, the review, "recorded" and the turnout going up', async () => {
    const page = faoPage;
    await signInAs(page, { sub: 'rep-fao', name: 'Fatima Diallo', role: 'partner', org: 'FAO' });
    expect(new URL(page.url()).pathname).toBe('/vote');
    expect(await page.getByRole('heading', { level: 1 }).textContent()).toBe('Vote');
    const card = page.getByRole('region', { name: 'U4SSC workplan 2026' });
    const cardText = await card.textContent();
    expect(cardText).toContain('Do the Partners agree to the workplan 2026?');
    expect(cardText).toContain('(in 14 days)');
    expect(cardText).toContain('FAO has not voted');
    expect(cardText).toContain('0 of 4 Partners have voted');
    expect(await page.getByRole('region', { name: 'Chair of U4SSC, 2026–2027' }).textContent()).toContain('(in 3 days)');
    await expectAccessible(page);
    await screenshot(page, 'vote-list');

    await card.getByRole('link', { name: 'Vote' }).click();
    expect(new URL(page.url()).pathname).toBe(`/vote/${workplanBallot}`);
    expect(await page.getByRole('heading', { level: 1 }).textContent()).toBe('Vote on U4SSC workplan 2026');
    expect(await page.getByRole('group', { name: 'How does FAO vote?' }).count()).toBe(1);
    expect(await radios(page)).toBe(3);
    expect(await page.locator('[name="org"], [name="partnerId"], select').count()).toBe(0);
    await expectAccessible(page);
    await screenshot(page, 'vote-form');

    await page.getByRole('radio', { name: 'Yes' }).check();
    await page.getByRole('button', { name: 'Continue to check your vote' }).click();
    expect(await page.getByRole('heading', { level: 1 }).textContent()).toBe('Check: Vote on U4SSC workplan 2026');
    expect(await page.locator('main').textContent()).toContain('You are voting for FAO on “Do the Partners agree to the workplan 2026?”');
    expect(await page.locator('dl.facts dd').textContent()).toBe('Yes');
    // Nothing is appended before the confirmation.
    expect((await asAuditor(workplanBallot)).turnout).toEqual({ voted: 0, eligible: 4 });
    await expectAccessible(page);
    await screenshot(page, 'vote-review');

    await page.getByRole('button', { name: 'Confirm and record' }).click();
    expect(new URL(page.url()).pathname).toBe(`/vote/${workplanBallot}`);
    const notice = await page.getByRole('status').textContent();
    expect(notice).toMatch(/^Your vote was recorded: FAO votes Yes \(event VoteCast at position \d+, hash [0-9a-f]{12}…\)\. Turnout: 1 of 4 Partners have voted\.$/);
    const main = await page.locator('main').textContent();
    expect(main).toContain('FAO voted Yes: counted');
    expect(main).toContain('1 of 4 Partners have voted');
    await expectAccessible(page);
    await screenshot(page, 'vote-recorded');

    const recorded = await asAuditor(workplanBallot);
    expect(recorded.votes).toEqual({ FAO: 'yes' });
    expect(recorded.voteHistory).toMatchObject([{ type: 'VoteCast', partnerId: 'FAO', choice: 'yes', by: 'rep-fao' }]);

    await page.goto('/vote');
    const after = page.getByRole('region', { name: 'U4SSC workplan 2026' });
    expect(await after.textContent()).toContain('1 of 4 Partners have voted');
    expect(await after.getByRole('link', { name: 'Change your vote' }).count()).toBe(1);
  });

  it('changes the vote where the frozen rules allow it: a new record, the first vote kept, the turnout unchanged', async () => {
    const page = faoPage;
    await page.goto(`/vote/${workplanBallot}`);
    expect(await page.getByRole('radio', { name: 'Yes' }).isChecked()).toBe(true);
    expect(await page.locator('main').textContent()).toContain('FAO’s vote is Yes; choosing again records a change.');
    await page.getByRole('radio', { name: 'No' }).check();
    await page.getByRole('button', { name: 'Continue to check your vote' }).click();
    await page.getByRole('button', { name: 'Confirm and record' }).click();
    expect(await page.getByRole('status').textContent()).toMatch(/^Your vote was recorded as a change: FAO now votes No \(event VoteChanged at position \d+, hash [0-9a-f]{12}…\)\. Turnout: 1 of 4 Partners have voted\.$/);
    expect(await page.locator('main').textContent()).toContain('FAO voted No: counted');
    const recorded = await asAuditor(workplanBallot);
    expect(recorded.voteHistory).toMatchObject([
      { type: 'VoteCast', partnerId: 'FAO', choice: 'yes' },
      { type: 'VoteChanged', partnerId: 'FAO', choice: 'no', previousChoice: 'yes' },
    ]);
    expect(recorded.turnout).toEqual({ voted: 1, eligible: 4 });
  });

  it('one vote each on an appointment ballot: once voted, the page says why it cannot be changed and offers no controls', async () => {
    const page = faoPage;
    await page.goto(`/vote/${chairBallot}`);
    expect(await page.locator('main').textContent()).toContain('This ballot allows one vote per Partner: once recorded, it cannot be changed.');
    await page.getByRole('radio', { name: 'Abstain' }).check();
    await page.getByRole('button', { name: 'Continue to check your vote' }).click();
    await page.getByRole('button', { name: 'Confirm and record' }).click();
    expect(await page.getByRole('status').textContent()).toContain('Your vote was recorded: FAO votes Abstain');
    const why = await page.locator('#why').textContent();
    expect(why).toContain('FAO has voted (Abstain) and this ballot’s rules allow one vote per Partner, so the vote cannot be changed (ToR ¶13(a), ToR ¶15)');
    expect(await radios(page)).toBe(0);
    expect(await page.getByRole('button', { name: /Continue|Confirm/ }).count()).toBe(0);
    await expectAccessible(page);
    await screenshot(page, 'vote-one-vote-each');

    // Posted anyway, the vote is refused and nothing is appended.
    const before = await streamLength(chairBallot);
    const refused = await postByHand(fao, `/vote/${chairBallot}`, { _step: 'confirm', _key: randomUUID(), choice: 'yes' });
    expect(refused.status()).toBe(409);
    expect(await refused.text()).toContain('allow one vote per Partner');
    expect(await streamLength(chairBallot)).toBe(before);
    expect((await asAuditor(chairBallot)).votes).toEqual({ FAO: 'abstain' });
  });

  it('a Partner outside the frozen electorate sees why (ToR ¶13(b)) and no controls; a vote posted anyway records nothing', async () => {
    const context = await newContext(browser, base, { phone: true });
    const page = await context.newPage();
    await signInAs(page, { sub: 'rep-unwomen', role: 'partner', org: LATECOMER.partnerId });
    const card = page.getByRole('region', { name: 'U4SSC workplan 2026' });
    expect(await card.textContent()).toContain('UN-Women is not in the electorate');
    expect(await card.getByRole('link', { name: 'Vote' }).count()).toBe(0);
    await card.getByRole('link', { name: 'See the ballot' }).click();
    const why = await page.locator('#why').textContent();
    expect(why).toContain('UN-Women is not in this ballot’s electorate: it is the 4 Partners registered when the ballot opened');
    expect(why).toContain('(ToR ¶13, ToR ¶13(b))');
    expect(await radios(page)).toBe(0);
    await expectAccessible(page);
    await screenshot(page, 'vote-not-in-electorate');

    const before = await streamLength(workplanBallot);
    const refused = await postByHand(context, `/vote/${workplanBallot}`, { _step: 'confirm', _key: randomUUID(), choice: 'yes' });
    expect(refused.status()).toBe(403);
    expect(await streamLength(workplanBallot)).toBe(before);
    await context.close();
  });

  it('a Partner sees only their own organisation’s vote and controls, never another organisation’s', async () => {
    await request(api.server).post(`/v1/ballots/${workplanBallot}/votes`).set('Authorization', await representativeOf(api, 'ITU')).send({ choice: 'abstain' }).expect(201);
    const page = faoPage;
    for (const path of ['/vote', `/vote/${workplanBallot}`]) {
      await page.goto(path);
      const main = (await page.locator('main').textContent())!;
      expect(main).toContain('2 of 4 Partners have voted');
      expect(main).not.toContain('ITU');
      expect(main).not.toContain('UNECE');
    }
    // The one vote control is for FAO, chosen by the session: no organisation field, no other group of choices.
    expect(await page.locator('main fieldset').count()).toBe(1);
    expect(await radios(page)).toBe(3);
    expect(await page.locator('main input[type="radio"]:not([name="choice"])').count()).toBe(0);
    expect(await page.getByRole('group', { name: 'How does FAO vote?' }).count()).toBe(1);
    expect(await page.locator('[name="org"], [name="partnerId"], select').count()).toBe(0);
    expect(await page.locator('main').textContent()).toContain('FAO voted No: counted');
  });

  it('a vote posted by hand to the page for another organisation is refused (403) and records nothing', async () => {
    const before = await asAuditor(workplanBallot);
    const length = await streamLength(workplanBallot);
    const forItu = await postByHand(fao, `/vote/${workplanBallot}`, { _step: 'confirm', _key: randomUUID(), choice: 'yes', org: 'ITU' });
    expect(forItu.status()).toBe(403);
    expect(await forItu.text()).toContain('You represent FAO: a representative votes only for their own organisation, not for ITU (ToR ¶13). Nothing was recorded.');
    const forUnece = await postByHand(fao, `/vote/${workplanBallot}`, { _step: 'review', choice: 'yes', partnerId: 'UNECE' });
    expect(forUnece.status()).toBe(403);
    expect(await forUnece.text()).not.toContain('Confirm and record');
    const after = await asAuditor(workplanBallot);
    expect(after.votes).toEqual(before.votes);
    expect(after.voteHistory).toEqual(before.voteHistory);
    expect(after.turnout).toEqual({ voted: 2, eligible: 4 });
    expect(await streamLength(workplanBallot)).toBe(length);
  });

  it('the API refuses a Partner’s token voting for another organisation (403 problem, ToR ¶13) and appends nothing', async () => {
    const length = await streamLength(workplanBallot);
    const response = await request(api.server)
      .post(`/v1/ballots/${workplanBallot}/votes`)
      .set('Authorization', await representativeOf(api, 'FAO'))
      .send({ choice: 'yes', partnerId: 'UNECE' });
    expect(response.status).toBe(403);
    expect(response.headers['content-type']).toBe('application/problem+json');
    expect(response.body.detail).toBe('You represent FAO: a representative votes only for their own organisation, not for UNECE (ToR ¶13).');
    expect(response.body.clauses).toEqual(['¶13']);
    expect(await streamLength(workplanBallot)).toBe(length);
    const after = await asAuditor(workplanBallot);
    expect(after.votes).toEqual({ FAO: 'no', ITU: 'abstain' });
    expect(after.turnout).toEqual({ voted: 2, eligible: 4 });
  });

  it('results after the close: outcome, count against quorum and majority, a chart with its table, every vote; readable without JavaScript', async () => {
    await request(api.server)
      .post(`/v1/ballots/${workplanBallot}/close`)
      .set('Authorization', secretariat)
      .send({ reason: 'Settled at the Annual Meeting' })
      .expect(200);
    const page = faoPage;
    await page.goto('/vote');
    const open = page.getByRole('region', { name: 'U4SSC workplan 2026' });
    expect(await open.textContent()).toContain('Rejected');
    expect(await open.textContent()).toContain('Yes 0 · No 1 · Abstain 1 · did not vote 2');
    expect(await open.textContent()).toContain('FAO voted No.');
    await open.getByRole('link', { name: 'See the results' }).click();
    expect(await page.getByRole('heading', { level: 1 }).textContent()).toBe('Results: U4SSC workplan 2026');
    const main = (await page.locator('main').textContent())!;
    expect(main).toContain('Closed early, by the Secretariat: “Settled at the Annual Meeting” (ToR ¶23(a)).');
    expect(main).toContain('FAO voted No; the vote was counted.');
    expect(main).toContain('FAO: Yes → No');
    // The register's results chart, with its table: the count against the quorum and the threshold.
    expect(await page.getByRole('img', { name: /^Results of the ballot out of 4 eligible Partners: 0 yes, 1 no, 1 abstain, 2 not voted; 2 taking part against a quorum of 2/ }).count()).toBe(1);
    const figures = (await page.getByRole('table', { name: 'Result' }).locator('tbody tr').allInnerTexts()).map((row) => row.replace(/\s+/g, ' ').trim());
    expect(figures).toContain('Quorum required (1/2 of 4) 2 met');
    expect(figures).toContain('Threshold: simple majority: more yes than no 2 yes needed not met');
    const rows = await page.locator('table').last().locator('tbody tr').allInnerTexts();
    expect(rows.map((row) => row.replace(/\s+/g, ' ').trim())).toEqual([
      `CBD (${FOUR[2]!.name}) did not vote`,
      `FAO (${FOUR[3]!.name}) No`,
      `ITU (${FOUR[0]!.name}) Abstain`,
      `UNECE (${FOUR[1]!.name}) did not vote`,
    ]);
    expect(await radios(page)).toBe(0);
    await expectAccessible(page);
    await screenshot(page, 'vote-results');

    const noScript = await browser.newContext({ baseURL: base, javaScriptEnabled: false, viewport: { width: 390, height: 844 } });
    const plain = await noScript.newPage();
    await signInAs(plain, { sub: 'rep-itu', role: 'partner', org: 'ITU' }, `/vote/${workplanBallot}`);
    expect(await plain.getByRole('heading', { level: 1 }).textContent()).toBe('Results: U4SSC workplan 2026');
    expect(await plain.locator('main').textContent()).toContain('ITU voted Abstain; the vote was counted.');
    await noScript.close();
  });

  it('after the deadline, before the count: voting ended (ToR ¶13(b)), no controls, the list reloads itself; unknown ballots and other roles are refused', async () => {
    clock.advance(4 * 86_400_000); // past the chair ballot's deadline; the scheduler (hourly here) has not closed it yet
    const context = await newContext(browser, base, { phone: true });
    const page = await context.newPage();
    await signInAs(page, { sub: 'rep-itu', role: 'partner', org: 'ITU' });
    expect(await page.locator('body').getAttribute('data-refresh-seconds')).toBe('60');
    expect(await page.locator('main').textContent()).toContain('this page reloads every 60 seconds');
    const card = page.getByRole('region', { name: 'Chair of U4SSC, 2026–2027' });
    expect(await card.textContent()).toMatch(/Voting ended .+ UTC \(24 hours ago\)/);
    await card.getByRole('link', { name: 'See the ballot' }).click();
    expect(await page.locator('#why').textContent()).toMatch(/You cannot vote on this ballot: voting ended at the deadline, .+ UTC; the ballot is being closed and counted \(ToR ¶13\(b\)\)\./);
    expect(await radios(page)).toBe(0);
    const refused = await postByHand(context, `/vote/${chairBallot}`, { _step: 'confirm', _key: randomUUID(), choice: 'yes' });
    expect(refused.status()).toBe(409);
    expect((await asAuditor(chairBallot)).votes).toEqual({ FAO: 'abstain' });

    const unknown = await page.goto('/vote/no-such-ballot');
    expect(unknown!.status()).toBe(404);
    expect(await page.locator('main').textContent()).toContain('No ballot "no-such-ballot" is on record.');
    await context.close();

    const other = await newContext(browser, base, { phone: true });
    const secretariatPage = await other.newPage();
    await signInAs(secretariatPage, { sub: 'sec-bueti', role: 'secretariat' }, '/sign-in');
    const forbidden = await secretariatPage.goto(`/vote/${chairBallot}`);
    expect(forbidden!.status()).toBe(403);
    expect(await secretariatPage.locator('main').textContent()).toContain('This page is for the partner role');
    await other.close();
  });
});
