/**
 * In Debian's Chromium (playwright-core) against the real service: the flags screen (filter,
 * counts, export links, a dossier from the filter, blind review kept), the search screen and its
 * page view with the hits marked, and axe (nothing serious or critical) at 1280 and 390 px.
 * Passages are synthetic: invented groups and places.
 */
import path from 'node:path';
import type { Server } from 'node:http';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { apiKeyHeaders, createTestUser, FIXTURES, startTestService, waitForStatus, withHeaders, type TestService } from '../support/service';
import { launchChromium, listen, openPage, screenshot, seriousViolations, signIn } from '../support/browser';

jest.setTimeout(240_000);

// Functions passed to page.evaluate run in the browser; the project compiles without the DOM lib.
declare const document: any;

type User = { id: string; username: string; password: string };
let service: TestService;
let server: Server;
let base: string;
let chromium: Awaited<ReturnType<typeof launchChromium>>;
let browser: Browser;
const contexts: BrowserContext[] = [];
const pageErrors: string[] = [];
let analyst: User;
let reviewerB: User;
let statementId = '';
let azId = '';
const AZ_CYRILLIC = 'Тарвани кәндлиләри базара ҝетдиләр. Бу китаб мәктәб үчүн јазылыб вә чох ҝөзәлдир.';

const newPage = (width = 1280, height = 800): Promise<Page> => openPage(browser, { contexts, errors: pageErrors }, { width, height });

beforeAll(async () => {
  service = await startTestService();
  ({ server, base } = await listen(service.app as never));
  chromium = await launchChromium();
  browser = chromium.browser;
  [analyst, reviewerB] = await Promise.all([createTestUser(service, ['analyst']), createTestUser(service, ['reviewer'])]);
  const api = withHeaders(service.app, await apiKeyHeaders(service, ['analyst']));
  const st = api.post('/api/documents');
  for (const [k, v] of Object.entries({ kind: 'statement', title: 'Harvest address (synthetic)', speaker: 'Ardel Voss', date: '2023-05-04' })) st.field(k, v);
  statementId = (await st.attach('file', path.join(FIXTURES, 'statement-sample.txt')).expect(202)).body.document.id;
  azId = (await api.post('/api/documents').field('kind', 'textbook').field('title', 'Kənd oxu kitabı (synthetic)').attach('file', Buffer.from(AZ_CYRILLIC + '\n'), 'az.txt').expect(202)).body.document.id;
  await waitForStatus(service, statementId, ['done'], 90_000);
  await waitForStatus(service, azId, ['done'], 90_000);
});

afterAll(async () => {
  for (const c of contexts) await c.close().catch(() => {});
  await chromium?.close();
  await new Promise((r) => server?.close(r));
  await service?.dispose();
});

afterEach(() => {
  expect(pageErrors).toEqual([]);
  pageErrors.length = 0;
});

const rowCategories = (page: Page) => page.locator('#flags-table tbody tr td:nth-child(3)').allInnerTexts();

describe('flags screen', () => {
  it('filters by category through the form, counts, and offers the filter as CSV and JSON', async () => {
    const all = (await withHeaders(service.app, await apiKeyHeaders(service, ['viewer'])).get('/api/flags?limit=200').expect(200)).body.items as Array<{ category: string }>;
    expect(all.length).toBeGreaterThan(1);
    const category = all[0]!.category;
    const page = await newPage();
    await signIn(page, base, analyst.username, analyst.password, '/flags');
    await page.locator('#flags-table tbody tr').first().waitFor();
    expect(await page.locator('#flag-total').innerText()).toBe(`${all.length} flags`);
    await page.getByLabel('Category', { exact: true }).selectOption(category);
    await page.getByRole('button', { name: 'Apply filters' }).click();
    await page.waitForURL((url) => url.searchParams.get('category') === category);
    await page.locator('#flags-table tbody tr').first().waitFor();
    const expected = all.filter((f) => f.category === category).length;
    expect(await rowCategories(page)).toEqual(Array(expected).fill(category));
    expect(await page.locator('#flag-total').innerText()).toMatch(new RegExp(`^${expected} flags?$`));
    const csv = new URL((await page.locator('#export-csv').getAttribute('href'))!, base);
    expect(Object.fromEntries(csv.searchParams)).toMatchObject({ category, format: 'csv' });
    const download = await page.evaluate(async (href: string) => (await fetch(href)).text(), csv.toString());
    expect(download.split('\r\n')[0]).toMatch(/^flagId,/);
    await screenshot(page, 'flags-filtered');
  });

  it('starts a dossier from the filter', async () => {
    const page = await newPage();
    await signIn(page, base, analyst.username, analyst.password, '/flags');
    await page.goto(`${base}/flags?status=new&kind=statement&signal=quoted`);
    await page.locator('#flags-table').waitFor();
    await page.getByText('Start a dossier from this filter', { exact: true }).first().click();
    await page.getByLabel('Title').fill('New flags in statements (synthetic)');
    await page.getByLabel('Submitted by').fill('Test analyst');
    await page.getByLabel('Addressed to').fill('Ormund Textbook Board (fictional)');
    // A dossier holds decided flags only: the 'new' status is named as left out, as the signal is.
    expect(await page.locator('#dossier-left-out').innerText()).toMatch(/status.*signal|signal.*status/s);
    await page.getByRole('button', { name: 'Start a dossier from this filter' }).click();
    await page.locator('#flags-dossier-status').waitFor();
    const jobs = await service.db.models.Dossier.find({}).lean();
    expect(jobs).toHaveLength(1);
    expect(jobs[0]!.filters).toMatchObject({ states: ['confirmed'], documents: [statementId] });

    // The dossiers screen lists it after a reload, with its state and, once built, size, SHA-256 and download.
    const id = String(jobs[0]!._id);
    await page.goto(`${base}/dossiers`);
    const row = page.locator(`#past-dossiers-table tr[data-dossier="${id}"]`);
    await row.waitFor();
    expect(await row.innerText()).toContain('New flags in statements (synthetic)');
    await page.waitForFunction(async (url: string) => ((await (await fetch(url)).json()) as { dossier: { status: string } }).dossier.status === 'done', `/api/dossiers/${id}`, { timeout: 120_000, polling: 500 });
    await page.reload();
    await row.locator('a', { hasText: 'Download' }).waitFor();
    const done = await service.db.models.Dossier.findById(id).lean();
    expect(await row.locator('code').innerText()).toBe(done!.result!.sha256);
    expect(await row.innerText()).toContain(`${done!.result!.bytes} bytes`);
  });

  it('shows a reviewer the state of a flag under review, never another reviewer\'s decision', async () => {
    const reviewerA = withHeaders(service.app, await apiKeyHeaders(service, ['reviewer']));
    const next = (await reviewerA.get('/api/review/next').expect(200)).body.flag;
    await reviewerA.post(`/api/flags/${next.id}/reviews`).send({ decision: 'modify', modification: { severity: 1 }, note: 'reading of reviewer A' }).expect(201);
    const page = await newPage();
    const requests: string[] = [];
    page.on('request', (r) => requests.push(r.url()));
    await signIn(page, base, reviewerB.username, reviewerB.password, '/flags');
    await page.goto(`${base}/flags?status=awaiting_second`);
    const row = page.locator(`#flags-table tr[data-flag="${next.id}"]`);
    await row.waitFor();
    expect(await row.locator('td:nth-child(5)').innerText()).toBe('awaiting_second');
    expect(await row.locator('td:nth-child(4)').innerText()).toBe(String(next.severity));
    expect(await page.locator('main').innerText()).not.toContain('reading of reviewer A');
    expect(requests.filter((u) => /\/reviews|\/history/.test(u))).toEqual([]);
  });
});

describe('search screen', () => {
  it('finds Azerbaijani Cyrillic text from a Latin query and marks the hits on the page', async () => {
    const page = await newPage();
    await signIn(page, base, reviewerB.username, reviewerB.password, '/search');
    await page.getByLabel(/Words to find/).fill('KƏNDLİLƏRİ');
    await page.getByRole('button', { name: 'Search' }).click();
    await page.locator('#search-results li').first().waitFor();
    expect(await page.locator('#search-summary').innerText()).toMatch(/^1 page contains/);
    expect(await page.locator('#search-results mark').allInnerTexts()).toEqual(['кәндлиләри']);
    await page.locator('#search-results h2 a').click();
    await page.waitForURL((url) => url.pathname === '/search/page');
    await page.locator('#search-page-text mark').first().waitFor();
    expect(await page.locator('#search-page-text mark').allInnerTexts()).toEqual(['кәндлиләри']);
    expect((await page.locator('#search-page-text').innerText()).trim()).toBe(AZ_CYRILLIC);
    await screenshot(page, 'search-page-hits');
  });
});

describe('accessibility and narrow screens', () => {
  it.each([1280, 390])('flags and search screens: axe finds nothing serious or critical at %i px, nothing wider than the window', async (width) => {
    const page = await newPage(width, 800);
    await signIn(page, base, analyst.username, analyst.password, '/flags');
    const q = encodeURIComponent('ҝетдиләр');
    for (const [url, ready] of [['/flags', '#flags-table'], ['/flags?kind=statement', '#flags-table'], [`/search?q=${q}`, '#search-results li'], [`/search/page?document=${azId}&page=0&version=1&q=${q}&hits=26-34`, '#search-page-text mark'], ['/dossiers', '#past-dossiers-table']] as const) {
      await page.goto(base + url);
      await page.locator(ready).first().waitFor();
      await page.locator('details').first().evaluate((d: any) => { d.open = true; }).catch(() => {});
      expect({ url, violations: await seriousViolations(page) }).toEqual({ url, violations: [] });
      expect({ url, width: await page.evaluate(() => document.documentElement.scrollWidth) }).toEqual({ url, width });
    }
  });
});
