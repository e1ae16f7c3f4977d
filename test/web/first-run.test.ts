/**
 * First run in the browser: the one-time setup link creates the first admin, who lands signed in;
 * the link is then dead. axe finds nothing serious at 1280 and 390 px.
 */
import type { Server } from 'node:http';
import type { Browser, BrowserContext } from 'playwright-core';
import { startTestService, type TestService } from '../support/service';
import { launchChromium, listen, openPage, screenshot, seriousViolations } from '../support/browser';

jest.setTimeout(120_000);

let service: TestService;
let server: Server;
let base: string;
let chromium: Awaited<ReturnType<typeof launchChromium>>;
let browser: Browser;
const contexts: BrowserContext[] = [];
const pageErrors: string[] = [];

beforeAll(async () => {
  service = await startTestService({ runner: { enabled: false } });
  ({ server, base } = await listen(service.app as never));
  chromium = await launchChromium();
  browser = chromium.browser;
});
afterAll(async () => {
  for (const c of contexts) await c.close().catch(() => {});
  await chromium?.close();
  await new Promise((r) => server?.close(r));
  await service?.dispose();
});

it('the setup link creates the first admin in the browser, then is dead', async () => {
  const token = (await service.setup.issueIfNoAdmin())!;
  const narrow = await openPage(browser, { contexts, errors: pageErrors }, { width: 390, height: 800 });
  await narrow.goto(`${base}/setup#token=${token}`);
  await narrow.getByRole('button', { name: 'Create the admin' }).waitFor();
  expect(await seriousViolations(narrow)).toEqual([]);
  expect(await narrow.evaluate('document.documentElement.scrollWidth')).toBeLessThanOrEqual(390);

  const page = await openPage(browser, { contexts, errors: pageErrors });
  await page.goto(`${base}/setup#token=${token}`);
  // The token leaves the address bar at once.
  await page.getByRole('button', { name: 'Create the admin' }).waitFor();
  expect(page.url()).toBe(`${base}/setup`);
  await page.getByLabel('Username').fill('first-admin');
  await page.getByLabel('Password', { exact: true }).fill('a long first-run passphrase');
  await page.getByLabel('The same password again').fill('a long first-run passphrase, not');
  await page.getByRole('button', { name: 'Create the admin' }).click();
  await page.locator('#setup-error', { hasText: 'The two passwords differ.' }).waitFor();
  await page.getByLabel('The same password again').fill('a long first-run passphrase');
  expect(await seriousViolations(page)).toEqual([]);
  await page.getByRole('button', { name: 'Create the admin' }).click();
  await page.waitForURL(`${base}/`);
  await page.locator('#who').getByText('first-admin (admin)').waitFor();
  await screenshot(page, 'first-run-signed-in');

  // The same link again: dead, and the page says so.
  const again = await openPage(browser, { contexts, errors: pageErrors });
  await again.goto(`${base}/setup#token=${token}`);
  await again.getByRole('alert').filter({ hasText: 'This setup link is not valid' }).waitFor();
  expect(await again.getByRole('button', { name: 'Create the admin' }).count()).toBe(0);
  expect(await seriousViolations(again)).toEqual([]);
  expect(pageErrors).toEqual([]);
});
