/**
 * The upload screen as a newcomer meets it: the picker offers every accepted type, a wrong field
 * is named under the field in plain words, "Choose at least one file." goes away once a file is
 * chosen, and a finished upload says how many flags it found. axe-clean at 1280 and 390 px.
 */
import path from 'node:path';
import type { Server } from 'node:http';
import type { Browser, BrowserContext } from 'playwright-core';
import { createTestUser, FIXTURES, startTestService, type TestService } from '../support/service';
import { launchChromium, listen, openPage, screenshot, seriousViolations, signIn } from '../support/browser';

jest.setTimeout(180_000);

let service: TestService;
let server: Server;
let base: string;
let chromium: Awaited<ReturnType<typeof launchChromium>>;
let browser: Browser;
const contexts: BrowserContext[] = [];
const pageErrors: string[] = [];
let analyst: { username: string; password: string };

beforeAll(async () => {
  service = await startTestService();
  ({ server, base } = await listen(service.app as never));
  chromium = await launchChromium();
  browser = chromium.browser;
  analyst = await createTestUser(service, ['analyst']);
});
afterAll(async () => {
  for (const c of contexts) await c.close().catch(() => {});
  await chromium?.close();
  await new Promise((r) => server?.close(r));
  await service?.dispose();
});

it('offers every accepted type, names field errors under the field, and says how many flags were found', async () => {
  const page = await openPage(browser, { contexts, errors: pageErrors });
  await signIn(page, base, analyst.username, analyst.password, '/upload');
  const accept = (await page.locator('#file-input').getAttribute('accept'))!.split(',');
  for (const ext of ['.pdf', '.docx', '.html', '.txt', '.png', '.jpg', '.jpeg', '.tif', '.tiff']) expect(accept).toContain(ext);
  const text = await page.locator('main').innerText();
  for (const name of ['PDF', 'DOCX', 'HTML', 'plain text', 'PNG', 'JPEG', 'TIFF']) expect(text).toContain(name);

  // Nothing chosen: the form says so; choosing a file clears it.
  await page.locator('#upload-submit').click();
  await page.locator('#upload-error', { hasText: 'Choose at least one file.' }).waitFor();
  await page.locator('#meta-kind').selectOption('textbook');
  await page.locator('#file-input').setInputFiles([path.join(FIXTURES, 'textbook-sample.pdf')]);
  await expect(page.locator('#upload-error').innerText()).resolves.toBe('');

  // A year in words: the problem under the Year field, in plain words, not the validator's.
  await page.locator('#meta-year').fill('nineteen');
  await page.locator('#upload-submit').click();
  await page.locator('#meta-year-error').waitFor();
  await expect(page.locator('#meta-year-error').innerText()).resolves.toBe('must be a year in digits, e.g. 2019');
  await expect(page.locator('#meta-year').getAttribute('aria-invalid')).resolves.toBe('true');
  expect(await page.locator('main').innerText()).not.toMatch(/NaN|expected number/);
  await expect(page.locator('li.file .error').innerText()).resolves.toMatch(/^not sent: correct Year/);
  expect(await seriousViolations(page)).toEqual([]);

  await page.locator('#meta-year').fill('2019');
  await page.locator('#upload-submit').click();
  const row = page.locator('li.file').first();
  await row.locator('[data-status="done"]').waitFor({ timeout: 120_000 });
  await page.locator('li.file[data-flags]').waitFor();
  const id = (await row.getAttribute('data-document'))!;
  const flags = (await service.db.models.Flag.countDocuments({ document: id })) as number;
  expect(flags).toBeGreaterThan(0);
  await expect(row.innerText()).resolves.toContain(`${flags} flags found`);
  await expect(page.locator('#meta-year-error').count()).resolves.toBe(0);
  await screenshot(page, 'upload-flags-found');

  const narrow = await openPage(browser, { contexts, errors: pageErrors }, { width: 390, height: 800 });
  await signIn(narrow, base, analyst.username, analyst.password, '/upload');
  await narrow.locator('#file-input').setInputFiles([path.join(FIXTURES, 'statement-sample.txt')]);
  expect(await seriousViolations(narrow)).toEqual([]);
  // The one 400 is the refused year, which the browser logs as a failed request.
  expect(pageErrors.filter((e) => !/status of 400/.test(e))).toEqual([]);
});
