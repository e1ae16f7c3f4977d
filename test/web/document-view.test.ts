/**
 * The document screen's edges: an unknown id says "Document not found" with no "Loading…" left
 * on screen, and a one-page document has no Previous/Next buttons. axe-clean at 1280 and 390 px.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { Server } from 'node:http';
import type { Browser, BrowserContext } from 'playwright-core';
import { apiKeyHeaders, createTestUser, FIXTURES, startTestService, waitForStatus, withHeaders, type TestService } from '../support/service';
import { launchChromium, listen, openPage, seriousViolations, signIn } from '../support/browser';

jest.setTimeout(180_000);

let service: TestService;
let server: Server;
let base: string;
let chromium: Awaited<ReturnType<typeof launchChromium>>;
let browser: Browser;
const contexts: BrowserContext[] = [];
const pageErrors: string[] = [];
let viewer: { username: string; password: string };
let onePage: string;

beforeAll(async () => {
  service = await startTestService();
  ({ server, base } = await listen(service.app as never));
  chromium = await launchChromium();
  browser = chromium.browser;
  viewer = await createTestUser(service, ['viewer']);
  const analyst = withHeaders(service.app, await apiKeyHeaders(service, ['analyst']));
  const res = await analyst
    .post('/api/documents')
    .field('kind', 'statement')
    .field('title', 'A one-page statement (synthetic)')
    .attach('file', fs.readFileSync(path.join(FIXTURES, 'statement-sample.txt')), 'statement.txt')
    .expect(202);
  onePage = res.body.document.id as string;
  const doc = await waitForStatus(service, onePage, ['done'], 90_000);
  expect((doc.progress as { pagesTotal: number }).pagesTotal).toBe(1);
});
afterAll(async () => {
  for (const c of contexts) await c.close().catch(() => {});
  await chromium?.close();
  await new Promise((r) => server?.close(r));
  await service?.dispose();
});

it.each([1280, 390])('at %i px: an unknown document says not found, without Loading…', async (width) => {
  const page = await openPage(browser, { contexts, errors: pageErrors }, { width });
  await signIn(page, base, viewer.username, viewer.password, '/documents/0123456789abcdef01234567');
  await page.getByRole('heading', { name: 'Document not found' }).waitFor();
  expect(await page.locator('main').innerText()).not.toContain('Loading');
  expect(await seriousViolations(page)).toEqual([]);
});

it.each([1280, 390])('at %i px: a one-page document has no Previous/Next page buttons', async (width) => {
  const page = await openPage(browser, { contexts, errors: pageErrors }, { width });
  await signIn(page, base, viewer.username, viewer.password, `/documents/${onePage}`);
  await page.locator('#page-label', { hasText: 'Page 1 of 1' }).waitFor();
  expect(await page.getByRole('button', { name: /Previous page|Next page/ }).count()).toBe(0);
  expect(await seriousViolations(page)).toEqual([]);
  expect(pageErrors.filter((e) => !/status of 404/.test(e))).toEqual([]);
});
