import { expect } from '@jest/globals';
import { mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import type { Role } from '../../libs/auth/index.js';

/** Debian's Chromium (`.ci/ensure-chromium.sh` installs it); CHROMIUM_PATH to use another. */
export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

/** Where the browser suites keep a screenshot of every page they check (not committed; CI keeps the folder). */
export const SCREENSHOTS = join(process.cwd(), 'test-artifacts', 'screenshots');

/**
 * Headless Chromium as this machine needs it: no sandbox (root in CI), no GPU, and no background networking —
 * without that flag Chromium keeps calling Google's hosts, which this closed network refuses.
 */
export async function launchBrowser(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run', '--disable-quic'],
  });
}

/** A fresh browser profile (its own cookies); `phone` gives a 390×844 touch screen, as a Partner voting from a phone. */
export async function newContext(browser: Browser, baseURL: string, options: { phone?: boolean } = {}): Promise<BrowserContext> {
  return browser.newContext({
    baseURL,
    ...(options.phone ? { viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true, deviceScaleFactor: 2 } : { viewport: { width: 1280, height: 900 } }),
  });
}

export interface DevPerson {
  sub: string;
  role: Role;
  org?: string;
  name?: string;
}

/**
 * Signs in through the development sign-in form, as a person would: fills it, submits, and lands on `next`
 * (default: their home page).
 */
export async function signInAs(page: Page, person: DevPerson, next?: string): Promise<void> {
  await page.goto(next === undefined ? '/sign-in' : `/sign-in?next=${encodeURIComponent(next)}`);
  await page.getByLabel('Person id').fill(person.sub);
  if (person.name) await page.getByLabel('Name', { exact: true }).fill(person.name);
  await page.getByLabel('Role').selectOption(person.role);
  if (person.org) await page.getByLabel('Organisation').fill(person.org);
  const posted = page.waitForResponse((response) => new URL(response.url()).pathname === '/sign-in/dev');
  await page.getByRole('button', { name: 'Sign in', exact: true }).click();
  expect((await posted).status()).toBe(303);
  await page.waitForLoadState('load');
}

/** Keeps a full-page screenshot under test-artifacts/screenshots/<name>.png. */
export async function screenshot(page: Page, name: string): Promise<string> {
  mkdirSync(SCREENSHOTS, { recursive: true });
  const path = join(SCREENSHOTS, `${name}.png`);
  await page.screenshot({ path, fullPage: true });
  return path;
}

let axeSource: string | undefined;

/**
 * Runs axe-core (WCAG 2.1 A and AA rules) in the page and fails with the list of violations: rule, impact,
 * the elements, and axe's own advice.
 */
export async function expectAccessible(page: Page): Promise<void> {
  axeSource ??= readFileSync(join(process.cwd(), 'node_modules', 'axe-core', 'axe.min.js'), 'utf8');
  await page.addScriptTag({ content: axeSource });
  const violations = await page.evaluate(async () => {
    const axe = (globalThis as unknown as { axe: { run: (context: unknown, options: unknown) => Promise<{ violations: { id: string; impact: string; help: string; nodes: { target: string[] }[] }[] }> } }).axe;
    const result = await axe.run((globalThis as unknown as { document: unknown }).document, { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] } });
    return result.violations.map((v) => `${v.id} (${v.impact}): ${v.help} — ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
  });
  expect(violations).toEqual([]);
}
