import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import request from 'supertest';
import { ManualClock } from '../../libs/kernel/clock.js';
import { OfficeScheduler } from '../../libs/offices/index.js';
import { startApi, type ApiHarness } from '../support/api-harness.js';
import { ANNEX_II, bearer, eventually, inDays, openBallot, registerPartners, representativeOf } from '../support/ballots.js';
import { expectAccessible, launchBrowser, newContext, screenshot, signInAs } from '../support/browser.js';
import { decidedAppointmentBallot } from '../support/offices.js';
import { tempDir } from '../support/temp-dir.js';
import { cycleToPresented, getCycle, postOn, type Cast } from '../support/workplans.js';

const FIRST = ANNEX_II.slice(0, 3); // ITU, UNECE, CBD: Partners from 1 March 2024
const LATER = ANNEX_II.slice(3, 5); // FAO, UN-Women: from 3 June 2024
const DAY = 86_400_000;

/**
 * The registers (issue #9) over a real API on a SQLite file with a ManualClock: Partners registered at two instants,
 * a Vice-Chair whose term expired, a Chair and a Leader appointed and renewed, a workplan cycle agreed on a ballot,
 * and an open ballot. Every register page is read with JavaScript off, and checked with axe (which needs it on).
 */
describe('web registers: Partners as of a date, offices and tenure chart, workplans, ballots and results chart', () => {
  const dir = tempDir('u4ssc-web-registers-');
  const clock = new ManualClock('2024-03-01T09:00:00.000Z');
  let api: ApiHarness;
  let base: string;
  let browser: Browser;
  let noScript: BrowserContext;
  let reader: Page;
  let checked: BrowserContext;
  let checker: Page;
  let workplanBallot: string;
  let openBallotId: string;

  const yes = (orgs: { partnerId: string }[]) => Object.fromEntries(orgs.map(({ partnerId }) => [partnerId, 'yes' as const]));
  const vote = async (ballotId: string, org: string, choice: 'yes' | 'no' | 'abstain') =>
    request(api.server).post(`/v1/ballots/${ballotId}/votes`).set('Authorization', await representativeOf(api, org)).send({ choice }).expect(201);

  beforeAll(async () => {
    api = await startApi({ dir: dir.path, clock, devSignIn: true, ballotPollMs: 3_600_000 });
    const secretariat = await bearer(api, 'sec-bueti', ['secretariat']);
    const okafor = await bearer(api, 'p-okafor', ['participant']);
    const post = (path: string, auth: string, body: object, status = 201) => request(api.server).post(path).set('Authorization', auth).send(body).expect(status);

    // 1 March 2024: three Partners; a Vice-Chair nominated and appointed on a Partners Board ballot (¶13(a), ¶15).
    await registerPartners(api, secretariat, FIRST);
    clock.advance(DAY);
    await post('/v1/offices/vice-chair-1/nominations', await representativeOf(api, 'ITU'), { nomineeId: 'p-lind', nomineeName: 'Dr Lind' });
    const lindBallot = await decidedAppointmentBallot(api, secretariat, 'vice-chair-1', 'p-lind', yes(FIRST), { closesAt: inDays(clock.now(), 14) });
    await post('/v1/offices/vice-chair-1/appointments', secretariat, { holderId: 'p-lind', holderName: 'Dr Lind', ballotId: lindBallot });

    // 3 June 2024: two more Partners; the Chair appointed by all five; the Chair's Leader for the KPIs (¶19).
    clock.set('2024-06-03T09:00:00.000Z');
    await registerPartners(api, secretariat, LATER);
    await post('/v1/offices/chair/nominations', await representativeOf(api, 'UNECE'), { nomineeId: 'p-okafor', nomineeName: 'Dr Ada Okafor' });
    const everyone = [...FIRST, ...LATER];
    const chairBallot = await decidedAppointmentBallot(api, secretariat, 'chair', 'p-okafor', { ...yes(everyone), CBD: 'no' }, { closesAt: inDays(clock.now(), 14) });
    await post('/v1/offices/chair/appointments', secretariat, { holderId: 'p-okafor', holderName: 'Dr Ada Okafor', ballotId: chairBallot });
    clock.advance(DAY);
    await post('/v1/offices/leader-kpis/appointments', secretariat, { holderId: 'p-kim', holderName: 'Dr Kim', appointedBy: 'p-okafor' });

    // March 2026: the Vice-Chair's term expires, not renewed (¶28); the Chair and the Leader are renewed.
    clock.set('2026-03-10T09:00:00.000Z');
    await api.app.get(OfficeScheduler).runOnce();
    const renewal = await decidedAppointmentBallot(api, secretariat, 'chair', 'p-okafor', yes(everyone), { closesAt: inDays(clock.now(), 14) });
    await post('/v1/offices/chair/renewals', secretariat, { ballotId: renewal });
    await post('/v1/offices/leader-kpis/renewals', okafor, { consultation: 'Secretariat e-meeting of 2026-03-09' });

    // The 2026 workplan: inputs, compiled, endorsed by the Chair, presented, agreed on a ballot of 3 yes, 1 no, 1 abstain.
    const rep: Record<string, string> = {};
    for (const { partnerId } of everyone) rep[partnerId] = await representativeOf(api, partnerId);
    const cast: Cast = { secretariat, chair: okafor, leader: await bearer(api, 'p-kim', ['participant']), rep };
    await cycleToPresented(api, clock, '2026', cast, ['ITU', 'UNECE']);
    workplanBallot = (await postOn(api, '2026', 'ballot', secretariat, { closesAt: inDays(clock.now(), 3) }).expect(201)).body.resource.ballots[0].ballotId;
    const choices = { ITU: 'yes', UNECE: 'yes', FAO: 'yes', CBD: 'no', 'UN-Women': 'abstain' } as const;
    for (const [org, choice] of Object.entries(choices)) await vote(workplanBallot, org, choice);
    await eventually(async () => (await getCycle(api, '2026', secretariat)).state === 'agreed', 10_000, 'the saga recording the agreement');

    // A deliverable put to the Partners, still open, with one vote in (¶19, ¶13(b)).
    clock.advance(DAY);
    openBallotId = await openBallot(api, secretariat, {
      subject: { kind: 'deliverable', title: 'KPI report 2026' },
      question: 'Do the Partners approve the KPI report 2026?',
      closesAt: inDays(clock.now(), 10),
    });
    await vote(openBallotId, 'ITU', 'yes');

    base = await api.listen();
    browser = await launchBrowser();
    noScript = await browser.newContext({ baseURL: base, javaScriptEnabled: false });
    reader = await noScript.newPage();
    await signInAs(reader, { sub: 'p-expert', role: 'participant', name: 'Grace Expert' }, '/registers/partners');
    checked = await newContext(browser, base);
    checker = await checked.newPage();
    await signInAs(checker, { sub: 'p-expert', role: 'participant', name: 'Grace Expert' }, '/registers/partners');
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    await api?.close();
    dir.remove();
  });

  const rows = (page: Page, heading: string | RegExp) => page.getByRole('table', { name: heading }).locator('tbody tr');

  /** axe on the page as a browser with JavaScript shows it, and a screenshot of it. */
  async function check(path: string, name: string, options: { phone?: boolean } = {}): Promise<void> {
    let page = checker;
    let context: BrowserContext | undefined;
    if (options.phone) {
      context = await newContext(browser, base, { phone: true });
      page = await context.newPage();
      await signInAs(page, { sub: 'p-expert', role: 'participant', name: 'Grace Expert' }, path);
    }
    await page.goto(path);
    await expectAccessible(page);
    await screenshot(page, name);
    await context?.close();
  }

  it('lists the Partners now and as of an earlier day, with JavaScript off: fewer Partners then (ToR ¶12, Annex II)', async () => {
    await reader.goto('/registers/partners');
    expect(await reader.getByRole('heading', { level: 1 }).textContent()).toBe('Partners');
    expect(await rows(reader, '5 current Partners').count()).toBe(5);
    expect(await reader.getByRole('row', { name: /FAO Food and Agriculture/ }).textContent()).toContain('3 Jun 2024');

    // The "as of" form works without JavaScript: its own button submits it.
    await reader.getByLabel('Register as of').fill('2024-04-01');
    await reader.getByRole('button', { name: 'Show' }).click();
    expect(new URL(reader.url()).search).toBe('?at=2024-04-01');
    expect(await reader.getByRole('heading', { level: 1 }).textContent()).toBe('Partners as of 2024-04-01');
    const then = rows(reader, '3 Partners at the end of 1 Apr 2024 (UTC)');
    expect(await then.count()).toBe(3);
    expect((await then.locator('th').allTextContents()).sort()).toEqual(['CBD', 'ITU', 'UNECE']);

    // Before anyone: none. A day that is not a date: said beside the field.
    await reader.goto('/registers/partners?at=2024-02-01');
    expect(await reader.getByText('No Partner was in the register at that date.').count()).toBe(1);
    const bad = await reader.goto('/registers/partners?at=yesterday');
    expect(bad?.status()).toBe(400);
    expect(await reader.locator('.field .error').textContent()).toContain('is not a date');

    await reader.getByRole('link', { name: 'Partners', exact: true }).first().click();
    await reader.getByRole('link', { name: 'UN-Women' }).click();
    expect(await reader.getByRole('heading', { level: 1 }).textContent()).toContain('(UN-Women)');
    expect(await rows(reader, 'Membership periods').first().textContent()).toContain('3 Jun 2024');

    // With JavaScript the form submits itself when the day changes (data-auto-submit).
    await checker.goto('/registers/partners');
    await Promise.all([checker.waitForURL('**/registers/partners?at=2024-04-01*'), checker.getByLabel('Register as of').fill('2024-04-01')]);
    expect(await rows(checker, '3 Partners at the end of 1 Apr 2024 (UTC)').count()).toBe(3);

    await check('/registers/partners', 'registers-partners');
    await check('/registers/partners?at=2024-04-01', 'registers-partners-as-of');
    await check('/registers/partners/UN-Women', 'registers-partner');
  });

  it('shows who holds which office, and a tenure timeline chart with its table: terms, renewals, the expiry, today (ToR ¶28)', async () => {
    await reader.goto('/registers/offices');
    const holders = rows(reader, 'Office holders today');
    expect(await holders.count()).toBe(3);
    expect(await reader.getByRole('row', { name: /^Chair / }).first().textContent()).toMatch(/Dr Ada Okafor.*renewed/s);
    expect(await reader.getByRole('row', { name: /^Vice-Chair \(seat 1\)/ }).first().textContent()).toContain('vacant');

    const chart = reader.getByRole('img', { name: /^Tenure timeline of 3 seats and 5 terms, with a line at today \(\d+ \w+ 2026\)/ });
    expect(await chart.count()).toBe(1);
    expect(await chart.locator(':scope > title').textContent()).toBe(await chart.getAttribute('aria-label'));
    // One bar per term, and the same terms in the table beside it.
    expect(await chart.locator('rect.term').count()).toBe(5);
    expect(await chart.locator('rect.term.renewal').count()).toBe(2);
    expect(await chart.locator('.mark.renewed').count()).toBe(2);
    expect(await chart.locator('.mark.expired').count()).toBe(1);
    expect(await chart.locator('line.now').count()).toBe(1);
    const terms = rows(reader, 'Terms of office');
    expect(await terms.count()).toBe(5);
    const lind = await reader.getByRole('row', { name: /Vice-Chair \(seat 1\) 1 Dr Lind/ }).textContent();
    expect(lind).toContain('expired on 2 Mar 2026');
    expect(lind).toContain('Partners Board ballot');
    const renewedChair = await reader.getByRole('row', { name: /^Chair 2 Dr Ada Okafor/ }).textContent();
    expect(renewedChair).toContain('renewal');
    expect(renewedChair).toContain('begins later');

    // The register as recorded on an earlier day: the Vice-Chair and the Chair in office, no renewal yet.
    await reader.goto('/registers/offices?at=2025-01-01');
    expect(await reader.getByRole('heading', { level: 1 }).textContent()).toBe('Offices as of 2025-01-01');
    expect(await rows(reader, 'Office holders at the end of 1 Jan 2025').count()).toBe(3);
    expect(await reader.getByRole('img', { name: /^Tenure timeline of 3 seats and 3 terms, with a line at as of \(1 Jan 2025\)/ }).count()).toBe(1);

    await reader.goto('/registers/offices/chair');
    expect(await reader.getByRole('img', { name: /^Tenure timeline of 1 seat and 2 terms/ }).count()).toBe(1);
    expect(await rows(reader, 'Nominations').first().textContent()).toContain('appointed');

    await check('/registers/offices', 'registers-offices');
    await check('/registers/offices', 'registers-offices-phone', { phone: true });
    await check('/registers/offices/chair', 'registers-office-chair');
  });

  it('lists the workplan cycles and shows one now and as recorded on an earlier day (ToR ¶10)', async () => {
    await reader.goto('/registers/workplans');
    const cycle = await rows(reader, '1 cycle').first().textContent();
    expect(cycle).toMatch(/agreed/);
    expect(cycle).toContain(workplanBallot);
    await reader.getByRole('link', { name: /workplan 2026/i }).first().click();
    expect(await reader.locator('dl.facts').first().textContent()).toMatch(/State\s*agreed/);
    expect(await rows(reader, 'Inputs (ToR ¶10(a), ¶20(b))').count()).toBe(3);
    expect(await reader.getByRole('heading', { name: /^Round 1: version / }).count()).toBe(1);
    expect(await rows(reader, 'Agreement ballots (ToR ¶10(d), ¶13(b))').first().textContent()).toContain('approved');

    await reader.goto('/registers/workplans/2026?at=2026-03-10');
    expect(await reader.locator('dl.facts').first().textContent()).toMatch(/State\s*collecting inputs/);
    expect(await reader.getByText('Not compiled yet.').count()).toBe(1);

    await check('/registers/workplans', 'registers-workplans');
    await check('/registers/workplans/2026', 'registers-workplan');
  });

  it('lists the ballots and shows a decided one with its results chart and table (ToR ¶13(b))', async () => {
    await reader.goto('/registers/ballots');
    expect(await rows(reader, /^\d+ ballots$/).count()).toBe(5);
    expect(await reader.getByRole('row', { name: /KPI report 2026/ }).textContent()).toContain('secret until the close');

    await reader.goto(`/registers/ballots/${workplanBallot}`);
    const chart = reader.getByRole('img', { name: /^Results of the ballot out of 5 eligible Partners: 3 yes, 1 no, 1 abstain, 0 not voted; 5 taking part against a quorum of 3; 2 yes needed under simple majority\. Outcome: approved\./ });
    expect(await chart.count()).toBe(1);
    expect(await chart.locator(':scope > title').textContent()).toBe(await chart.getAttribute('aria-label'));
    expect(await chart.locator('rect.bar').count()).toBe(5);
    expect(await chart.locator('line.threshold').count()).toBe(2);
    const result = rows(reader, 'Result');
    const cells = async (label: string) => (await result.filter({ has: reader.getByRole('rowheader', { name: label, exact: true }) }).locator('td').allTextContents()).map((text) => text.trim());
    expect(await cells('Yes')).toEqual(['3', '60%']);
    expect(await cells('No')).toEqual(['1', '20%']);
    expect(await cells('Abstain')).toEqual(['1', '20%']);
    expect(await cells('Not voted')).toEqual(['0', '0%']);
    expect(await cells('Quorum required (1/2 of 5)')).toEqual(['3', 'met']);
    expect(await cells('Threshold: simple majority: more yes than no')).toEqual(['2 yes needed', 'met']);
    expect(await rows(reader, 'Votes').count()).toBe(5);

    // While voting runs the Secretariat sees who has voted, not how: no counts, no chart.
    const secretariat = await browser.newContext({ baseURL: base, javaScriptEnabled: false });
    const page = await secretariat.newPage();
    await signInAs(page, { sub: 'sec-bueti', role: 'secretariat' }, `/registers/ballots/${openBallotId}`);
    expect(await page.getByRole('img').count()).toBe(0);
    expect(await page.getByText('The counts are secret while voting runs').count()).toBe(1);
    expect(await page.getByText('Organisations that have voted: ITU').count()).toBe(1);
    await secretariat.close();

    await check('/registers/ballots', 'registers-ballots');
    await check(`/registers/ballots/${workplanBallot}`, 'registers-ballot-result');
    await check(`/registers/ballots/${workplanBallot}`, 'registers-ballot-result-phone', { phone: true });
  });

  it('asks a signed-out visitor to sign in, and shows the API’s refusal of an unknown record as its page', async () => {
    const anonymous = await fetch(`${base}/registers/offices`, { redirect: 'manual' });
    expect(anonymous.status).toBe(303);
    expect(anonymous.headers.get('location')).toBe('/sign-in?next=%2Fregisters%2Foffices');
    const missing = await reader.goto('/registers/ballots/no-such-ballot');
    expect(missing?.status()).toBe(404);
    expect(await reader.getByRole('alert').textContent()).toMatch(/no ballot "no-such-ballot" is on record/i);
  });
});
