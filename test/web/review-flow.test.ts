/**
 * The web interface in a real browser (Debian's Chromium through playwright-core) against the
 * running service and its real database: sign in → upload → done → queue → confirm and reject
 * by keyboard → a second reviewer confirms blind. Screenshots of each screen land in
 * test-artifacts/web.
 */
import path from 'node:path';
import type { Server } from 'node:http';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import fs from 'node:fs';
import os from 'node:os';
import { apiKeyHeaders, createTestUser, FIXTURES, startTestService, waitForStatus, withHeaders, type TestService } from '../support/service';
import { launchChromium, listen, openPage, screenshot, signIn } from '../support/browser';
import { verifyDossierZip } from '../../src/export/dossier/verify';

jest.setTimeout(180_000);

// Functions passed to page.evaluate/waitForFunction run in the browser; the project compiles without the DOM lib.
declare const document: any;
declare const window: any;

const HOSTILE_TITLE = '<img src=x id=xss onerror="window.__xss=1">Speech of Minister Voss (synthetic) Հայերեն Кириллица Azərbaycan';

let service: TestService;
let server: Server;
let base: string;
let chromium: Awaited<ReturnType<typeof launchChromium>>;
let browser: Browser;
const contexts: BrowserContext[] = [];
const pageErrors: string[] = [];
let analyst: { username: string; password: string };
let reviewerA: { id: string; username: string; password: string };
let reviewerB: { id: string; username: string; password: string };
const decided: { confirmed?: string; rejected?: string } = {};
let textbookId = '';

const newPage = (width = 1280, height = 800): Promise<Page> => openPage(browser, { contexts, errors: pageErrors }, { width, height, acceptDownloads: true });

beforeAll(async () => {
  service = await startTestService();
  ({ server, base } = await listen(service.app as never));
  chromium = await launchChromium();
  browser = chromium.browser;
  analyst = await createTestUser(service, ['analyst']);
  reviewerA = await createTestUser(service, ['reviewer']);
  reviewerB = await createTestUser(service, ['reviewer']);
});

afterAll(async () => {
  for (const c of contexts) await c.close().catch(() => {});
  await chromium?.close();
  await new Promise((r) => server?.close(r));
  await service?.dispose();
});

describe('the reviewer web interface', () => {
  it('serves the shell with a content security policy that forbids inline script, and assets from the app', async () => {
    const res = await fetch(`${base}/login`);
    expect(res.status).toBe(200);
    const csp = res.headers.get('content-security-policy') ?? '';
    const scriptSrc = /script-src ([^;]*)/.exec(csp)?.[1] ?? '';
    expect(scriptSrc).toContain("'self'");
    expect(scriptSrc).not.toContain('unsafe-inline');
    expect(csp).toContain("script-src-attr 'none'");
    const html = await res.text();
    expect(html).not.toMatch(/<script(?![^>]*\bsrc=)[^>]*>/); // every script is an external file
    expect(html).not.toMatch(/https?:\/\//); // nothing from outside the machine
    expect((await fetch(`${base}/assets/js/app.js`)).headers.get('content-type')).toMatch(/javascript/);
    expect((await fetch(`${base}/assets/fonts/NotoSansArmenian-Regular.ttf`)).status).toBe(200);
    expect((await fetch(`${base}/assets/fonts/..%2F..%2F..%2Fetc%2Fpasswd`)).status).toBe(404);
  });

  it('an analyst signs in, uploads two files at once and watches both reach done', async () => {
    const page = await newPage();
    await page.goto(`${base}/upload`);
    await page.waitForURL(/\/login\?next=/); // not signed in: sent to the sign-in screen
    await page.getByLabel('Username').fill(analyst.username);
    await page.getByLabel('Password').fill('wrong password, surely');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.locator('#login-error', { hasText: /\S/ }).waitFor();
    await screenshot(page, '01-sign-in-error');
    // The sign-in screen only sends people on to paths of this site.
    await page.goto(`${base}/login?next=${encodeURIComponent('/\\example.org/')}`);
    await page.getByLabel('Username').fill(analyst.username);
    await page.getByLabel('Password').fill(analyst.password);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.waitForURL(`${base}/`);
    await signIn(page, base, analyst.username, analyst.password, '/upload');
    // Roles decide the navigation: an analyst has Upload and no review queue.
    await expect(page.locator('#nav').innerText()).resolves.toContain('Upload');
    await expect(page.locator('#nav').innerText()).resolves.not.toContain('Review queue');

    await page.locator('#meta-kind').selectOption('textbook');
    await page.locator('#meta-grade').fill('7');
    await page.locator('#meta-publisher').fill('Ormund State Press (fictional)');
    await page.locator('#file-input').setInputFiles([path.join(FIXTURES, 'textbook-sample.pdf')]);
    await page.locator('#upload-submit').click();
    const textbookRow = page.locator('li.file').first();
    await textbookRow.locator('[data-status="done"]').waitFor({ timeout: 60_000 });
    textbookId = (await textbookRow.getAttribute('data-document'))!;
    expect(textbookId).toMatch(/^[0-9a-f]{24}$/);

    // A statement with a hostile title and a field error first: the error names the field.
    await page.locator('#meta-kind').selectOption('statement');
    await page.locator('#meta-date').fill('9 May 2024');
    await page.locator('#file-input').setInputFiles([path.join(FIXTURES, 'statement-sample.txt'), path.join(FIXTURES, 'bad', 'empty.pdf')]);
    const rows = page.locator('li.file');
    await rows.nth(1).locator('input[type=text]').fill(HOSTILE_TITLE);
    await page.locator('#upload-submit').click();
    await rows.nth(1).locator('.error').waitFor();
    await expect(rows.nth(1).locator('.error').innerText()).resolves.toMatch(/^not sent: correct Date/);
    await expect(page.locator('#meta-date-error').innerText()).resolves.toMatch(/ISO 8601 date/);
    await rows.nth(2).locator('.error').waitFor();
    await expect(rows.nth(2).locator('.error').innerText()).resolves.toMatch(/^not sent: correct Date/); // the shared metadata is wrong for every file
    await screenshot(page, '02-upload-errors');
    await page.locator('#meta-date').fill('2024-05-09');
    await page.locator('#meta-speaker').fill('Minister Ardel Voss (fictional)');
    await page.locator('#upload-submit').click();
    await rows.nth(1).locator('[data-status="done"]').waitFor({ timeout: 60_000 });
    await screenshot(page, '03-upload-done');
  });

  it('lists documents with escaped metadata and shows a page with its flags marked at their offsets', async () => {
    const page = await newPage();
    await signIn(page, base, analyst.username, analyst.password, '/documents');
    await page.locator('#documents tbody tr').nth(1).waitFor();
    const hostile = page.locator('#documents a', { hasText: 'Speech of Minister Voss' });
    await expect(hostile.innerText()).resolves.toBe(HOSTILE_TITLE); // shown as text, not markup
    await expect(page.locator('#xss').count()).resolves.toBe(0);
    await expect(page.evaluate(() => window.__xss)).resolves.toBeUndefined();
    // Armenian and Cyrillic letters render with a real font (not tofu): the served faces load.
    const fontsOk = await page.evaluate(async () => {
      await document.fonts.ready;
      return document.fonts.check('16px "LW Armenian"', 'Հայերեն') && document.fonts.check('16px "LW Sans"', 'Кириллица Azərbaycan');
    });
    expect(fontsOk).toBe(true);
    await screenshot(page, '04-documents');

    await page.locator('#kind').selectOption('textbook');
    await page.getByRole('button', { name: 'Filter' }).click();
    await page.waitForURL(/kind=textbook/);
    await page.locator('#documents tbody tr').first().waitFor(); // rows are rendered all at once
    await expect(page.locator('#documents tbody tr').count()).resolves.toBe(1);

    await page.goto(`${base}/documents/${textbookId}?page=2`);
    await page.locator('#page-text').waitFor();
    const flags = await service.db.models.Flag.find({ document: textbookId, page: 2 }).sort({ start: 1 }).lean();
    expect(flags.length).toBeGreaterThan(0);
    const marks = await page.locator('#page-text mark').allInnerTexts();
    expect(marks).toEqual(flags.map((f) => f.exact));
    // The marks sit at the stored offsets: the text before the first mark is exactly text[0, start).
    const pageRecord = await service.db.models.Page.findOne({ document: textbookId, index: 2 }).lean();
    const before = await page.locator('#page-text').evaluate((el: any) => (el.firstChild?.nodeType === 3 ? el.firstChild.textContent : ''));
    expect(before).toBe(pageRecord!.text.slice(0, flags[0]!.start));
    await screenshot(page, '05-document-page');
    await page.getByRole('button', { name: 'Next page →' }).click();
    await expect(page.locator('#page-number').inputValue()).resolves.toBe('4');

    // Hostile page text: markup in an excerpt is shown as text, and the flag is still marked exactly.
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'lexwatch-web-'));
    const file = path.join(dir, 'hostile.txt');
    fs.writeFileSync(file, 'Synthetic test text about Kestrel Valley.\n\n<img src=x id=xss2 onerror="window.__xss=2"> Our ancestors swore to exterminate the Tarvani <b id="bold">forever</b>.\n');
    const api = withHeaders(service.app, await apiKeyHeaders(service, ['analyst']));
    const upload = await api.post('/api/documents').field('kind', 'other').field('title', 'Hostile markup (synthetic)').attach('file', file).expect(202);
    fs.rmSync(dir, { recursive: true, force: true });
    const hostileId = upload.body.document.id as string;
    await waitForStatus(service, hostileId, ['done']);
    await page.goto(`${base}/documents/${hostileId}`);
    await page.locator('#page-text mark').first().waitFor();
    await expect(page.locator('#page-text').innerText()).resolves.toContain('<img src=x id=xss2 onerror="window.__xss=2">');
    await expect(page.locator('#page-text mark').first().innerText()).resolves.toBe('exterminate');
    expect(await page.locator('#xss2, #bold').count()).toBe(0);
    expect(await page.evaluate(() => window.__xss)).toBeUndefined();
  });

  it('reviewer A confirms one flag and rejects another by keyboard; u undoes a pending decision', async () => {
    const page = await newPage();
    await signIn(page, base, reviewerA.username, reviewerA.password, '/queue');
    const card = page.locator('#flag-card[data-flag]');
    await card.waitFor();
    await expect(page.locator('.keys').innerText()).resolves.toMatch(/c\s+confirm/);
    await expect(page.locator('#flag-card').innerText()).resolves.not.toMatch(/\bnull\b|\[object|undefined/);
    await expect(page.locator('#sentence mark').innerText()).resolves.toBe((await service.db.models.Flag.findById(await card.getAttribute('data-flag')).lean())!.exact);
    await screenshot(page, '06-queue');
    const first = (await card.getAttribute('data-flag'))!;
    await page.keyboard.press('c');
    await page.locator('#pending-decision[data-decision="confirm"]').waitFor();
    await page.waitForFunction((id) => [null, id].indexOf(document.querySelector('#flag-card')?.getAttribute('data-flag') ?? null) < 0, first, { timeout: 15_000 });
    const second = (await card.getAttribute('data-flag'))!;
    expect(second).not.toBe(first);

    await page.keyboard.press('x');
    await page.locator('#pending-decision').waitFor();
    await page.keyboard.press('u');
    await expect(page.locator('#pending-decision').count()).resolves.toBe(0);
    await page.waitForTimeout(3500); // past the undo window: nothing was sent
    expect(await service.db.models.Review.countDocuments({ flag: second })).toBe(0);

    await page.keyboard.press('n');
    await page.keyboard.type('Narrative voice, not quoted (synthetic test note).');
    await page.keyboard.press('Escape');
    await page.keyboard.press('x');
    await page.keyboard.press('Enter'); // send now
    await page.waitForFunction((id) => [null, id].indexOf(document.querySelector('#flag-card')?.getAttribute('data-flag') ?? null) < 0, second, { timeout: 15_000 });

    const reviews = await service.db.models.Review.find({ reviewer: reviewerA.id }).lean();
    const byFlag = Object.fromEntries(reviews.map((r) => [String(r.flag), r]));
    expect(byFlag[first]?.decision).toBe('confirm');
    expect(byFlag[second]?.decision).toBe('reject');
    expect(byFlag[second]?.note).toBe('Narrative voice, not quoted (synthetic test note).');
    decided.confirmed = first;
    decided.rejected = second;

    await page.keyboard.press('k'); // back to the last decided flag, read-only
    await page.waitForFunction((id) => document.querySelector('#flag-card')?.getAttribute('data-flag') === id, second);
    await expect(page.locator('#flag-card').innerText()).resolves.toContain('Earlier in this session you decided: Reject');
    await page.keyboard.press('j');
    await page.waitForFunction((id) => [null, id].indexOf(document.querySelector('#flag-card')?.getAttribute('data-flag') ?? null) < 0, second);
  });

  it('reviewer B gets the confirmed flag blind and confirms it: the flag is confirmed', async () => {
    const page = await newPage(390, 800); // a narrow screen
    const requested: string[] = [];
    page.on('request', (r) => requested.push(`${r.method()} ${new URL(r.url()).pathname}`));
    await signIn(page, base, reviewerB.username, reviewerB.password, '/queue');
    const card = page.locator('#flag-card[data-flag]');
    await card.waitFor();
    // Skip (j) until the flag A confirmed comes up; the queue is ordered by priority.
    for (let i = 0; i < 10 && (await card.getAttribute('data-flag')) !== decided.confirmed; i += 1) {
      const id = await card.getAttribute('data-flag');
      await page.keyboard.press('j');
      await page.waitForFunction((old) => [null, old].indexOf(document.querySelector('#flag-card')?.getAttribute('data-flag') ?? null) < 0, id);
    }
    expect(await card.getAttribute('data-flag')).toBe(decided.confirmed);
    const text = await page.locator('main').innerText();
    expect(text).not.toContain(reviewerA.username);
    expect(text).not.toMatch(/Disputing reviews|Earlier in this session/);
    expect(await page.locator('#dispute').count()).toBe(0);
    // Blind: the screen never even asks for earlier reviews or the flag's history.
    expect(requested.filter((r) => /\/api\/flags\/[^/]+\/(reviews|history)$/.test(r) && r.startsWith('GET'))).toEqual([]);
    expect(requested).toContain('GET /api/review/next');
    await screenshot(page, '07-queue-blind-narrow');
    await page.keyboard.press('c');
    await page.keyboard.press('Enter');
    await page.waitForFunction((id) => [null, id].indexOf(document.querySelector('#flag-card')?.getAttribute('data-flag') ?? null) < 0, decided.confirmed!);
    const flag = await service.db.models.Flag.findById(decided.confirmed).lean();
    expect(flag!.status).toBe('confirmed');

    // On the next flag: t opens the translation form, then 2 confirms it as the second key category.
    const next = (await card.getAttribute('data-flag'))!;
    await page.keyboard.press('t');
    await page.locator('#t-text').waitFor();
    await page.keyboard.type('We swore to destroy the Tarvani (synthetic test translation).');
    await page.locator('#t-who').fill('Test translator');
    await page.getByRole('button', { name: 'Save translation' }).click();
    await page.locator('#status', { hasText: 'Translation saved.' }).waitFor();
    const translations = await service.db.models.Translation.find({ flag: next }).lean();
    expect(translations.map((t) => [t.text, t.language, t.translator])).toEqual([['We swore to destroy the Tarvani (synthetic test translation).', 'en', 'Test translator']]);
    await page.keyboard.press('2');
    await page.locator('#pending-decision[data-decision="modify"]', { hasText: 'DH.DISEASE' }).waitFor();
    await page.keyboard.press('Enter');
    await page.waitForFunction((id) => [null, id].indexOf(document.querySelector('#flag-card')?.getAttribute('data-flag') ?? null) < 0, next);
    const review = await service.db.models.Review.findOne({ flag: next, reviewer: reviewerB.id }).lean();
    expect([review!.decision, review!.modification?.category]).toEqual(['modify', 'DH.DISEASE']);
  });

  it('shows the dashboard, the lexicon screen, and an analyst exports a dossier whose download verifies', async () => {
    const page = await newPage();
    await signIn(page, base, reviewerA.username, reviewerA.password, '/dashboard');
    await page.locator('#chart-workload svg rect').first().waitFor();
    await expect(page.locator('#chart-workload').innerText()).resolves.toContain(reviewerA.username);
    await screenshot(page, '08-dashboard');

    await page.goto(`${base}/lexicon`);
    await page.locator('h1', { hasText: 'Lexicon' }).waitFor();
    await page.locator('#unavailable, #lexicon-table').first().waitFor();
    await screenshot(page, '09-lexicon');

    // Dossiers are exported by analysts: the confirmed flag goes into a package that verifies.
    const exporter = await newPage();
    await signIn(exporter, base, analyst.username, analyst.password, '/dossiers');
    await exporter.locator('#dossier-form').waitFor();
    await exporter.locator('#d-title').fill('Kestrel Valley textbooks (synthetic)');
    await exporter.locator('#d-submitter').fill('Test submitter');
    await exporter.locator('#d-addressee').fill('Test addressee');
    await exporter.getByRole('button', { name: 'Start export' }).click();
    await exporter.locator('#dossier-status[data-status="done"]').waitFor({ timeout: 60_000 });
    const [download] = await Promise.all([exporter.waitForEvent('download'), exporter.locator('#dossier-download').click()]);
    const zipPath = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'lexwatch-web-dossier-')), 'dossier.zip');
    await download.saveAs(zipPath);
    const verified = await verifyDossierZip(zipPath);
    expect(verified.failures).toEqual([]);
    expect(verified.ok).toBe(true);
    expect(verified.filesChecked).toBeGreaterThan(3);
    await screenshot(exporter, '10-dossiers');

    // An analyst reaching the queue is told their roles do not include it.
    const analystPage = await newPage();
    await signIn(analystPage, base, analyst.username, analyst.password, '/queue');
    await expect(analystPage.locator('main [role=alert]').innerText()).resolves.toMatch(/roles/);
    // 400s come from the deliberately bad uploads, 401 from the wrong password, 404 from the absent lexicon/dossier APIs.
    expect(pageErrors.filter((e) => !/status of 40[0134]/.test(e))).toEqual([]);
  });

  it('after a forced re-OCR, the page shows its new text version and links each older flag to the text version it was found in', async () => {
    // A text-layer page with flags: a forced re-OCR reads it differently, as version 2.
    const api = withHeaders(service.app, await apiKeyHeaders(service, ['analyst']));
    const flags = await service.db.models.Flag.find({ document: textbookId, page: 2 }).sort({ start: 1 }).lean();
    expect(flags.length).toBeGreaterThan(0);
    await api.post(`/api/documents/${textbookId}/ocr`).send({ languages: ['en'], force: true }).expect(202);
    await waitForStatus(service, textbookId, ['done'], 90_000);
    const v1 = (await api.get(`/api/documents/${textbookId}/pages/2?version=1`).expect(200)).body.page;
    const v2 = (await api.get(`/api/documents/${textbookId}/pages/2`).expect(200)).body.page;
    expect(v2.version).toBe(2);
    expect(v2.text).not.toBe(v1.text);

    const page = await newPage();
    await signIn(page, base, analyst.username, analyst.password, `/documents/${textbookId}`);
    await page.goto(`${base}/documents/${textbookId}?page=2`);
    // Wait for the label of this reading (the page renders asynchronously after navigation).
    await page.locator('#page-label', { hasText: 'text version 2 of 2 (current)' }).waitFor();
    await page.locator('#page-text').waitFor();
    // The first reading's flags are not marked in the new text: they are listed with a link to their own version.
    const others = page.locator('#other-version-flags li');
    await others.first().waitFor();
    const listed = await others.allInnerTexts();
    for (const f of flags) expect(listed.some((t) => t.startsWith(f.exact) && t.includes('text version 1'))).toBe(true);
    const marksNow = await page.locator('#page-text mark').allInnerTexts();
    const v2Flags = (await api.get(`/api/documents/${textbookId}/flags?limit=200`).expect(200)).body.items.filter((f: { page: number; pageVersion: number }) => f.page === 2 && f.pageVersion === 2);
    expect(marksNow).toEqual(v2Flags.map((f: { exact: string }) => f.exact));
    await screenshot(page, '11-document-page-version-2');

    // Following the link shows version 1 with the old flags marked at their stored offsets.
    await others.first().locator('a').click();
    await page.waitForURL(/version=1/);
    // The URL changes before the older reading is fetched and drawn: wait for its label.
    await page.locator('#page-label', { hasText: 'text version 1 of 2' }).waitFor();
    await expect(page.locator('#page-text mark').allInnerTexts()).resolves.toEqual(flags.map((f) => f.exact));
    const before = await page.locator('#page-text').evaluate((el: any) => (el.firstChild?.nodeType === 3 ? el.firstChild.textContent : ''));
    expect(before).toBe(v1.text.slice(0, flags[0]!.start));
    await screenshot(page, '12-document-page-version-1');
  });
});
