/**
 * In a real browser (Debian's Chromium through playwright-core) against the running service and
 * its real database: the lexicon screen (browse and search; an admin edits, creates, publishes,
 * manages target groups, and imports a file after a preview), the document view's page image
 * with flag boxes, and an automated accessibility audit (axe-core) of every screen at 1280×800
 * and 390 px wide.
 * Screenshots land in test-artifacts/web.
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Server } from 'node:http';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { apiKeyHeaders, createTestUser, FIXTURES, startTestService, waitForStatus, withHeaders, type TestService } from '../support/service';
import { textPdf } from '../support/scanned-pdf';
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
let admin: User;
let analyst: User;
let reviewer: User;
let viewer: User;
let textbookId = '';
let flaggedPage = 0;
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'lexwatch-web-lexicon-'));

const newPage = (width = 1280, height = 800): Promise<Page> => openPage(browser, { contexts, errors: pageErrors }, { width, height });

beforeAll(async () => {
  service = await startTestService();
  ({ server, base } = await listen(service.app as never));
  chromium = await launchChromium();
  browser = chromium.browser;
  [admin, analyst, reviewer, viewer] = await Promise.all([createTestUser(service, ['admin']), createTestUser(service, ['analyst']), createTestUser(service, ['reviewer']), createTestUser(service, ['viewer'])]);
  const api = withHeaders(service.app, await apiKeyHeaders(service, ['analyst']));
  const res = await api.post('/api/documents').field('kind', 'textbook').field('title', 'History of the Valley (synthetic)').field('grade', '7').attach('file', path.join(FIXTURES, 'textbook-sample.pdf')).expect(202);
  textbookId = res.body.document.id;
  await waitForStatus(service, textbookId, ['done'], 90_000);
  const boxed = await service.db.models.Flag.findOne({ document: textbookId, box: { $ne: null } }).sort({ page: 1 }).lean();
  flaggedPage = boxed!.page;
});

afterAll(async () => {
  for (const c of contexts) await c.close().catch(() => {});
  await chromium?.close();
  await new Promise((r) => server?.close(r));
  await service?.dispose();
  fs.rmSync(tmp, { recursive: true, force: true });
});

const entryRows = (page: Page) => page.locator('#lexicon-table tbody tr');

describe('the lexicon screen', () => {
  it('lets everyone browse and search entries and target groups, and shows an entry in full, without edit controls for non-admins', async () => {
    const page = await newPage();
    await signIn(page, base, viewer.username, viewer.password, '/lexicon');
    await entryRows(page).first().waitFor();
    const total = await service.db.models.LexiconEntry.countDocuments({});
    await expect(page.locator('#entries-count').innerText()).resolves.toBe(`${total} of ${total} entries match; the first 100 are listed.`);
    await expect(entryRows(page).count()).resolves.toBe(100);
    await page.locator('#entries-more').click();
    await expect(entryRows(page).count()).resolves.toBe(Math.min(200, total));

    await page.locator('#lx-lang').selectOption('az');
    await page.locator('#entries-count', { hasText: `of ${await service.db.models.LexiconEntry.countDocuments({ lang: 'az' })} entries match` }).waitFor();
    const langs = await entryRows(page).evaluateAll((rows: any[]) => rows.map((r) => r.children[3].textContent));
    expect(new Set(langs)).toEqual(new Set(['az']));
    await page.locator('#lx-search').fill('sayılı');
    await expect(entryRows(page).count()).resolves.toBe(1);
    await expect(page.locator('#entries-more').isVisible()).resolves.toBe(false); // everything that matches is listed
    await page.getByRole('button', { name: 'az.vi.threat.days-numbered' }).click();
    const detail = page.locator('#entry-fields');
    await detail.waitFor();
    const text = await detail.innerText();
    expect(text).toContain('their days are numbered'); // meaning
    expect(text).toMatch(/Why harmful\s+A threat of violence against a group/);
    expect(text).toMatch(/Basis\s+literature: Category basis/);
    expect(text).toMatch(/Match settings/);
    expect(text).toMatch(/Context rules/);
    await expect(page.locator('#entry-history').innerText()).resolves.toMatch(/entry version 1, reviewed/);

    // Target groups: filtered by language and searched by name or term.
    await page.locator('#tg-search').fill('Tarvani');
    await expect(page.locator('#targets-table tbody tr').count()).resolves.toBeGreaterThan(0);
    await expect(page.locator('#targets-table tbody').innerText()).resolves.toContain('Tarvani');

    await page.getByRole('button', { name: 'tarvani', exact: true }).click();
    await expect(page.locator('#target-fields').innerText()).resolves.toMatch(/Fictional\s+yes/);

    // No edit controls for a viewer.
    expect(await page.locator('#entry-edit, #entry-new, #entry-retire, #target-new, #target-edit, #target-retire, #publish-form, #import-form').count()).toBe(0);
    await screenshot(page, '11-lexicon-browse-viewer');
  });

  it('an admin edits an entry, creates one, and publishes a version with a reason', async () => {
    const page = await newPage();
    await signIn(page, base, admin.username, admin.password, '/lexicon');
    await entryRows(page).first().waitFor();
    await page.locator('#lx-search').fill('en.dh.object.garbage');
    await page.getByRole('button', { name: 'en.dh.object.garbage', exact: true }).click();
    await page.locator('#entry-edit').click();
    await page.locator('#ef-severity').selectOption('4');
    await page.locator('#ef-meaning').fill('Human garbage: people as refuse; edited in the web test (synthetic).');
    await screenshot(page, '12-lexicon-edit');
    await page.locator('#entry-save').click();
    await page.locator('#entry-fields').getByText('edited in the web test').waitFor();
    const stored = (await service.db.models.LexiconEntry.findById('en.dh.object.garbage').lean())!.entry;
    expect(stored).toMatchObject({ version: 2, severity: 4, meaning: 'Human garbage: people as refuse; edited in the web test (synthetic).', terms: ['human garbage', 'human trash', 'human waste', 'human refuse'] });
    const update = await service.db.models.AuditEvent.findOne({ action: 'lexicon.entry.update', 'entity.id': 'en.dh.object.garbage' }).lean();
    expect(String(update!.actor)).toBe(admin.id);
    expect(update!.change).toMatchObject({ severity: { from: 3, to: 4 } });

    // A new entry; the server names the invalid field first.
    await page.locator('#entry-new').click();
    await page.locator('#ef-id').fill('en.test.web.herd');
    await page.locator('#ef-terms').fill('herd* them away');
    await page.locator('#ef-meaning').fill('Herding people like cattle (synthetic test entry).');
    await page.locator('#ef-why').fill('Treats people as livestock (synthetic test entry).');
    await page.locator('#ef-source-ref').fill('web test');
    await page.locator('#ef-lang').fill('e');
    await page.locator('#entry-save').click();
    await page.locator('#entry-error', { hasText: /\S/ }).waitFor();
    await expect(page.locator('#entry-error').innerText()).resolves.toMatch(/^.*lang: /m);
    // …and at the field itself, which takes the focus and points to its note.
    await expect(page.locator('#ef-lang-error').innerText()).resolves.toMatch(/\S/);
    await expect(page.locator('#ef-lang').getAttribute('aria-invalid')).resolves.toBe('true');
    await expect(page.locator('#ef-lang').getAttribute('aria-describedby')).resolves.toBe('ef-lang-error');
    await expect(page.evaluate(() => document.activeElement?.id)).resolves.toBe('ef-lang');
    await page.locator('#ef-lang').fill('en');
    await page.locator('#entry-save').click();
    await page.locator('#entry-fields').getByText('en.test.web.herd').waitFor();
    await expect(page.locator('#ef-lang-error').count()).resolves.toBe(0); // the form and its notes are gone
    expect((await service.db.models.LexiconEntry.findById('en.test.web.herd').lean())!.entry).toMatchObject({ status: 'draft', terms: ['herd* them away'], lang: 'en' });
    // Retire it again (never deleted): the detail shows it retired and offers no second retire.
    await page.locator('#entry-retire').click();
    await page.locator('#entry-fields').getByText('retired', { exact: true }).waitFor();
    expect((await service.db.models.LexiconEntry.findById('en.test.web.herd').lean())!.entry).toMatchObject({ status: 'retired', version: 2 });
    expect(await page.locator('#entry-retire').count()).toBe(0);

    await page.locator('#publish-note').fill('Web test: human garbage raised to severity 4 (synthetic)');
    // A double click publishes once: the form is busy (its button disabled) while the first request runs.
    const publishes: string[] = [];
    page.on('request', (r) => r.method() === 'POST' && new URL(r.url()).pathname === '/api/lexicon/versions' && publishes.push(r.url()));
    await page.locator('#publish-submit').dblclick();
    await page.locator('#publish-result .ok').waitFor();
    expect(publishes).toHaveLength(1);
    const versions = await service.db.models.LexiconVersion.find({}).sort({ number: -1 }).lean();
    expect(versions).toHaveLength(2);
    expect(versions[0]!.note).toBe('Web test: human garbage raised to severity 4 (synthetic)');
    await expect(page.locator('#publish-result').innerText()).resolves.toContain(versions[0]!._id);
    await page.locator(`#versions-table tr[data-version="${versions[0]!._id}"]`).waitFor();
    await expect(page.locator('#versions-table tbody tr').count()).resolves.toBe(2);
    const published = await service.db.models.AuditEvent.findOne({ action: 'lexicon.publish' }).lean();
    expect(String(published!.actor)).toBe(admin.id);
    // The entry's history now shows both published versions.
    await page.getByRole('button', { name: 'en.dh.object.garbage', exact: true }).click();
    await page.locator('#entry-title', { hasText: 'en.dh.object.garbage' }).waitFor();
    await expect(page.locator('#entry-history').innerText()).resolves.toMatch(new RegExp(`${versions[0]!._id.replace(/[.+]/g, '\\$&')} — entry version 2, reviewed, severity 4[\\s\\S]*entry version 1`));
    await screenshot(page, '13-lexicon-published');
  });

  it('an import shows a preview of its changes (with line errors) before anything is written; applying it changes the list', async () => {
    const page = await newPage();
    await signIn(page, base, admin.username, admin.password, '/lexicon');
    await entryRows(page).first().waitFor();

    // A bad HurtLex file: the errors name their lines and nothing can be applied.
    await page.locator('#import-file').setInputFiles(path.join(__dirname, '..', 'lexicon', 'fixtures', 'hurtlex-bad.tsv'));
    await page.locator('#import-format').selectOption('hurtlex');
    await page.locator('#import-lang').fill('en');
    await page.locator('#import-preview-button').click();
    await page.locator('#import-errors').waitFor();
    await expect(page.locator('#import-errors li').allInnerTexts()).resolves.toEqual([expect.stringMatching(/^line 3: /), expect.stringMatching(/^line 4: /)]);
    await expect(page.locator('#import-apply').isDisabled()).resolves.toBe(true);

    // Our JSON: two new entries, one changed, one unchanged.
    const stored = await service.db.models.LexiconEntry.findOne({ lang: 'ru' }).sort({ _id: 1 }).lean();
    const unchanged = (await service.db.models.LexiconEntry.findOne({ lang: 'tr' }).sort({ _id: 1 }).lean())!.entry;
    const changed = { ...stored!.entry, meaning: `${stored!.entry.meaning} (clarified by an import, synthetic)` };
    const fresh = (id: string, term: string) => ({ id, version: 1, status: 'draft', lang: 'en', role: 'predicate', terms: [term], category: 'VI.THREAT', severity: 2, meaning: 'imported in the web test (synthetic)', whyHarmful: 'test', source: { type: 'import', ref: 'web test' } });
    const file = path.join(tmp, 'import.json');
    const hostile = { ...fresh('en.test.import.two', 'purge* the'), meaning: '<img src=x id=xss3 onerror="window.__xss=3"> markup in a meaning (synthetic)' };
    fs.writeFileSync(file, JSON.stringify({ entries: [fresh('en.test.import.one', 'drive* them out'), hostile, changed, unchanged] }, null, 2));
    await page.locator('#import-file').setInputFiles(file);
    await page.locator('#import-format').selectOption('json');
    await page.locator('#import-lang').fill('');
    await page.locator('#import-preview-button').click();
    await page.locator('#import-preview-title', { hasText: 'import.json' }).waitFor();
    if (await page.locator('#import-errors').count()) throw new Error(await page.locator('#import-errors').innerText());
    const counts = Object.fromEntries(await page.locator('#import-counts tr').evaluateAll((rows: any[]) => rows.map((r) => [r.dataset.count, Number(r.children[1].textContent)])));
    expect(counts).toEqual({ added: 2, changed: 1, unchanged: 1, errors: 0, skipped: 0 });
    await expect(page.locator('#import-changed').innerText()).resolves.toContain(`${changed.id} (meaning)`);
    await screenshot(page, '14-lexicon-import-preview');
    // Nothing written yet.
    expect(await service.db.models.LexiconEntry.countDocuments({ _id: { $in: ['en.test.import.one', 'en.test.import.two'] } })).toBe(0);
    expect((await service.db.models.LexiconEntry.findById(changed.id).lean())!.entry.meaning).toBe(stored!.entry.meaning);

    await page.locator('#import-apply').click();
    await page.locator('#import-done').waitFor();
    await page.locator('#lx-search').fill('en.test.import');
    await page.locator('#lexicon-table tbody tr[data-entry="en.test.import.two"]').waitFor();
    await expect(entryRows(page).count()).resolves.toBe(2);
    // Markup in imported data is shown as text.
    await page.getByRole('button', { name: 'en.test.import.two' }).click();
    await page.locator('#entry-fields').getByText('<img src=x id=xss3', { exact: false }).waitFor();
    expect(await page.locator('#xss3').count()).toBe(0);
    expect(await page.evaluate(() => (globalThis as any).__xss)).toBeUndefined();
    expect((await service.db.models.LexiconEntry.findById(changed.id).lean())!.entry).toMatchObject({ meaning: changed.meaning, version: stored!.entry.version + 1 });
    expect((await service.db.models.LexiconEntry.findById(unchanged.id).lean())!.entry).toEqual(unchanged);
    const event = await service.db.models.AuditEvent.findOne({ action: 'lexicon.import' }).lean();
    expect(event!.change).toMatchObject({ format: 'json', updatedEntryIds: [changed.id], imported: { entries: 2, targets: 0 } });
  });
});

describe('target groups on the lexicon screen', () => {
  it('an admin creates a target group (errors shown at the field), edits a term, publishes it and retires it; each change is stored and audited', async () => {
    const page = await newPage();
    await signIn(page, base, admin.username, admin.password, '/lexicon');
    await page.locator('#targets-table tbody tr').first().waitFor();
    const focused = () => page.evaluate(() => document.activeElement?.id ?? '');

    await page.locator('#target-new').click();
    await page.locator('#target-form').waitFor();
    await expect(focused()).resolves.toBe('tf-id');
    await page.locator('#tf-id').fill('vellish');
    await page.locator('#tf-name').fill('Vellish (fictional)');
    await page.locator('#tf-fictional').check();
    // The first set, then three more added from the keyboard; each new set takes the focus.
    await page.locator('#tf-set-0-lang').fill('e'); // too short: the API names it
    await page.locator('#tf-set-0-kind').selectOption('demonym');
    await page.locator('#tf-set-0-terms').fill('vellish\nvellishm*n');
    const sets: Array<[string, string, string]> = [['en', 'toponym', 'vellia'], ['ru', 'demonym', 'веллиец*'], ['ru', 'toponym', 'веллия*']];
    for (const [i, [lang, kind, terms]] of sets.entries()) {
      await page.locator('#tf-add-set').focus();
      await page.keyboard.press('Enter');
      await expect(focused()).resolves.toBe(`tf-set-${i + 1}-lang`);
      await page.keyboard.type(lang);
      await page.locator(`#tf-set-${i + 1}-kind`).selectOption(kind);
      await page.locator(`#tf-set-${i + 1}-terms`).fill(terms);
    }
    // A fifth set added and removed again: the focus returns to the set before it.
    await page.locator('#tf-add-set').click();
    await page.getByRole('button', { name: 'Remove term set 5' }).focus();
    await page.keyboard.press('Enter');
    await expect(page.locator('#tf-sets fieldset').count()).resolves.toBe(4);
    await expect(focused()).resolves.toBe('tf-set-3-lang');

    await page.locator('#target-save').click();
    await page.locator('#tf-set-0-lang-error:not([hidden])').waitFor();
    await expect(page.locator('#tf-set-0-lang').getAttribute('aria-invalid')).resolves.toBe('true');
    await expect(page.locator('#tf-set-0-lang').getAttribute('aria-describedby')).resolves.toContain('tf-set-0-lang-error');
    await expect(focused()).resolves.toBe('tf-set-0-lang');
    await expect(page.locator('#target-error').innerText()).resolves.toMatch(/terms\.0\.lang: /);
    expect(await service.db.models.LexiconTarget.countDocuments({ _id: 'vellish' })).toBe(0);
    await screenshot(page, '17-lexicon-target-error');

    await page.locator('#tf-set-0-lang').fill('en');
    await page.locator('#target-save').click();
    await page.locator('#target-title', { hasText: 'vellish' }).waitFor();
    await expect(page.locator('#tf-set-0-lang-error').count()).resolves.toBe(0); // the form is gone
    const expected = [
      { lang: 'en', kind: 'demonym', terms: ['vellish', 'vellishm*n'] }, { lang: 'en', kind: 'toponym', terms: ['vellia'] },
      { lang: 'ru', kind: 'demonym', terms: ['веллиец*'] }, { lang: 'ru', kind: 'toponym', terms: ['веллия*'] },
    ];
    expect((await service.db.models.LexiconTarget.findById('vellish').lean())).toMatchObject({ retired: false, group: { id: 'vellish', name: 'Vellish (fictional)', fictional: true, terms: expected } });
    const created = await service.db.models.AuditEvent.findOne({ action: 'lexicon.target.create', 'entity.id': 'vellish' }).lean();
    expect(String(created!.actor)).toBe(admin.id);
    expect(created!.change).toMatchObject({ target: { id: 'vellish', terms: expected } });
    // The list shows it, found by a Cyrillic term.
    await page.locator('#tg-search').fill('веллия');
    await page.locator('#targets-table tbody tr[data-target="vellish"]').waitFor();
    await expect(page.locator('#targets-table tbody tr').count()).resolves.toBe(1);

    // Edit one term of the Russian demonym set.
    await page.locator('#target-edit').click();
    await expect(focused()).resolves.toBe('tf-name');
    await page.locator('#tf-set-2-terms').fill('веллийц*');
    await screenshot(page, '18-lexicon-target-edit');
    await page.locator('#target-save').click();
    await page.locator('#target-fields').getByText('ru demonym: веллийц*').waitFor();
    const edited = expected.map((s, i) => (i === 2 ? { ...s, terms: ['веллийц*'] } : s));
    expect((await service.db.models.LexiconTarget.findById('vellish').lean())!.group).toMatchObject({ fictional: true, terms: edited });
    const update = await service.db.models.AuditEvent.findOne({ action: 'lexicon.target.update', 'entity.id': 'vellish' }).lean();
    expect(String(update!.actor)).toBe(admin.id);
    expect(update!.change).toEqual({ terms: { from: expected, to: edited } });

    // Published, the version carries the group as edited, and analysis finds its mentions.
    await page.locator('#publish-note').fill('Web test: Vellish target group (synthetic)');
    await page.locator('#publish-submit').click();
    await page.locator('#publish-result .ok').waitFor();
    const version = (await page.locator('#publish-result .ok').getAttribute('data-version'))!;
    const viewerApi = withHeaders(service.app, await apiKeyHeaders(service, ['viewer']));
    const published = (await viewerApi.get(`/api/lexicon/versions/${encodeURIComponent(version)}`).expect(200)).body.data;
    expect(published.targets.find((t: { id: string }) => t.id === 'vellish')).toMatchObject({ name: 'Vellish (fictional)', terms: edited });
    const analyst = withHeaders(service.app, await apiKeyHeaders(service, ['analyst']));
    const statement = await analyst.post('/api/documents').field('kind', 'statement').field('title', 'Vellia address (synthetic)')
      .attach('file', Buffer.from('A statement from Vellia (synthetic).\nThe Vellish are vermin and must be driven out.\n'), 'vellia.txt').expect(202);
    await waitForStatus(service, statement.body.document.id, ['done']);
    const flags = await service.db.models.Flag.find({ document: statement.body.document.id }).lean();
    expect(flags.some((f) => f.targets.some((m) => m.groupId === 'vellish'))).toBe(true);

    // Retire it (never deleted): the row and the detail say so, and no second retire is offered.
    await page.locator('#target-retire').click();
    await page.locator('#target-fields').getByText('retired', { exact: true }).waitFor();
    await page.locator('#targets-table tbody tr[data-target="vellish"][data-status="retired"]').waitFor();
    expect(await page.locator('#target-retire').count()).toBe(0);
    expect(await service.db.models.LexiconTarget.findById('vellish').lean()).toMatchObject({ retired: true, group: { terms: edited } });
    const retired = await service.db.models.AuditEvent.findOne({ action: 'lexicon.target.retire', 'entity.id': 'vellish' }).lean();
    expect(String(retired!.actor)).toBe(admin.id);
    expect(retired!.change).toEqual({ retired: { from: false, to: true } });
  });
});

describe('the document view', () => {
  it('shows the page image with each flag box inside it; selecting a box selects its flag in the list and the text', async () => {
    const page = await newPage();
    await signIn(page, base, viewer.username, viewer.password, `/documents/${textbookId}`);
    await page.goto(`${base}/documents/${textbookId}?page=${flaggedPage}`);
    await page.locator('#page-text').waitFor();
    await page.getByLabel('Page image').check();
    const img = page.locator('#page-image');
    await img.waitFor();
    await page.waitForFunction(() => document.querySelector('#page-image')?.complete && document.querySelector('#page-image').naturalWidth > 0);
    expect(await img.getAttribute('alt')).toMatch(/^Image of page \d+ .*flagged passage/);
    expect(new URL(page.url()).searchParams.get('view')).toBe('image');

    const flags = await service.db.models.Flag.find({ document: textbookId, page: flaggedPage, box: { $ne: null } }).lean();
    const boxes = page.locator('.flag-box');
    await expect(boxes.count()).resolves.toBe(flags.length);
    const imageBox = (await img.boundingBox())!;
    for (const flag of flags) {
      const box = (await page.locator(`.flag-box[data-flag="${flag._id}"]`).boundingBox())!;
      // Inside the image, where the stored fractions put it (within 2 px).
      expect(box.x).toBeGreaterThanOrEqual(imageBox.x - 1);
      expect(box.y).toBeGreaterThanOrEqual(imageBox.y - 1);
      expect(box.x + box.width).toBeLessThanOrEqual(imageBox.x + imageBox.width + 1);
      expect(box.y + box.height).toBeLessThanOrEqual(imageBox.y + imageBox.height + 1);
      expect(Math.abs(box.x - (imageBox.x + flag.box!.x0 * imageBox.width))).toBeLessThan(2);
      expect(Math.abs(box.y - (imageBox.y + flag.box!.y0 * imageBox.height))).toBeLessThan(2);
    }
    const first = String(flags[0]!._id);
    await page.locator(`.flag-box[data-flag="${first}"]`).click();
    await expect(page.locator(`#page-flags li[data-flag="${first}"]`).getAttribute('class')).resolves.toContain('selected');
    await screenshot(page, '15-document-page-image');

    // Back to the text: the same flag is still selected there, its mark highlighted.
    await page.getByLabel('Text', { exact: true }).check();
    await page.locator(`mark.selected[data-flag="${first}"]`).waitFor();
    // Selecting in the text (focusing the mark, as by keyboard) selects the box in the image view.
    await page.goto(`${base}/documents/${textbookId}?page=${flaggedPage}&view=text`); // a fresh screen: nothing selected
    await page.locator(`mark[data-flag="${first}"]`).waitFor();
    expect(await page.locator('.selected').count()).toBe(0);
    await page.locator(`mark[data-flag="${first}"]`).focus();
    await page.locator(`#page-flags li.selected[data-flag="${first}"]`).waitFor();
    await page.getByLabel('Page image').check();
    await page.locator(`.flag-box.selected[data-flag="${first}"]`).waitFor();

    // A flag stored without a box (older records) is outlined from the page's word boxes its offsets cover.
    await service.db.models.Flag.updateOne({ _id: flags[0]!._id }, { $set: { box: null } });
    await page.goto(`${base}/documents/${textbookId}?page=${flaggedPage}&view=image`);
    await page.waitForFunction(() => document.querySelector('#page-image')?.complete && document.querySelector('#page-image').naturalWidth > 0);
    const words = ((await withHeaders(service.app, await apiKeyHeaders(service, ['viewer'])).get(`/api/documents/${textbookId}/pages/${flaggedPage}`).expect(200)).body.page.words as Array<{ start: number; end: number; x0: number; y0: number }>)
      .filter((w) => w.end > flags[0]!.start && w.start < flags[0]!.end);
    expect(words.length).toBeGreaterThan(0);
    const derived = (await page.locator(`.flag-box[data-flag="${first}"]`).boundingBox())!;
    const shown = (await img.boundingBox())!;
    expect(Math.abs(derived.x - (shown.x + Math.min(...words.map((w) => w.x0)) * shown.width))).toBeLessThan(2);
    expect(Math.abs(derived.y - (shown.y + Math.min(...words.map((w) => w.y0)) * shown.height))).toBeLessThan(2);
    await service.db.models.Flag.updateOne({ _id: flags[0]!._id }, { $set: { box: flags[0]!.box } });

    // An image upload shows the original itself, with the OCR flag's box on it.
    const api = withHeaders(service.app, await apiKeyHeaders(service, ['analyst']));
    const pdf = path.join(tmp, 'leaflet.pdf');
    fs.writeFileSync(pdf, await textPdf([['A leaflet from the archive of Ormund (synthetic).', 'The Merenites spread like a plague across Ormund.']]));
    execFileSync('pdftoppm', ['-r', '100', '-png', '-singlefile', pdf, path.join(tmp, 'leaflet')]);
    const png = fs.readFileSync(path.join(tmp, 'leaflet.png'));
    const leaflet = await api.post('/api/documents').field('kind', 'other').field('title', 'Leaflet scan (synthetic)').attach('file', png, 'leaflet.png').expect(202);
    await waitForStatus(service, leaflet.body.document.id, ['done'], 60_000);
    await page.goto(`${base}/documents/${leaflet.body.document.id}?view=image`);
    await page.waitForFunction(() => document.querySelector('#page-image')?.complete && document.querySelector('#page-image').naturalWidth > 0);
    expect(await page.locator('#page-image').evaluate((el: any) => [el.naturalWidth, el.naturalHeight])).toEqual([png.readUInt32BE(16), png.readUInt32BE(20)]);
    await expect(page.locator('.flag-box').count()).resolves.toBe(await service.db.models.Flag.countDocuments({ document: leaflet.body.document.id, box: { $ne: null } }));
    await expect(page.locator('.flag-box').count()).resolves.toBeGreaterThan(0);
    await screenshot(page, '16-document-png-image');

    // A plain-text document has no page image and says so.
    const statement = await api.post('/api/documents').field('kind', 'statement').field('title', 'Statement (synthetic)').attach('file', path.join(FIXTURES, 'statement-sample.txt')).expect(202);
    await waitForStatus(service, statement.body.document.id, ['done']);
    await page.goto(`${base}/documents/${statement.body.document.id}`);
    await page.locator('#no-image').waitFor();
    expect(await page.locator('#view-switch').count()).toBe(0);
  });
});

describe('accessibility (axe-core)', () => {
  /** Each screen, as the person who uses it, after what makes it complete has loaded. */
  const SCREENS: Array<{ name: string; user: () => User | null; path: () => string; ready: (page: Page) => Promise<unknown> }> = [
    { name: 'sign-in', user: () => null, path: () => '/login', ready: (p) => p.locator('#username').waitFor() },
    { name: 'upload', user: () => analyst, path: () => '/upload', ready: (p) => p.locator('#upload-form').waitFor() },
    { name: 'documents', user: () => viewer, path: () => '/documents', ready: (p) => p.locator('#documents tbody tr').first().waitFor() },
    { name: 'document-text', user: () => viewer, path: () => `/documents/${textbookId}?page=${flaggedPage}&view=text`, ready: (p) => p.locator('#page-text mark').first().waitFor() },
    { name: 'document-image', user: () => viewer, path: () => `/documents/${textbookId}?page=${flaggedPage}&view=image`, ready: (p) => p.waitForFunction(() => document.querySelector('#page-image')?.complete && document.querySelector('.flag-box')) },
    { name: 'queue', user: () => reviewer, path: () => '/queue', ready: (p) => p.locator('#flag-card[data-flag], #queue-empty').first().waitFor() },
    { name: 'lexicon-browse', user: () => viewer, path: () => '/lexicon', ready: (p) => p.locator('#lexicon-table tbody tr').first().waitFor() },
    {
      name: 'lexicon-edit', user: () => admin, path: () => '/lexicon', ready: async (p) => {
        await p.locator('#lexicon-table tbody tr').first().waitFor();
        await p.locator('#entry-new').click();
        await p.locator('#entry-form').waitFor();
      },
    },
    {
      name: 'lexicon-target-edit', user: () => admin, path: () => '/lexicon', ready: async (p) => {
        await p.locator('#lexicon-table tbody tr').first().waitFor();
        await p.locator('#targets-table tbody tr').first().waitFor();
        await p.locator('#target-new').click();
        await p.locator('#tf-add-set').click();
        await p.locator('#target-save').click(); // empty fields: the errors are shown at their fields
        await p.locator('#target-error', { hasText: /\S/ }).waitFor();
        await p.locator('.field-error:not([hidden])').first().waitFor();
      },
    },
    {
      name: 'lexicon-import-preview', user: () => admin, path: () => '/lexicon', ready: async (p) => {
        await p.locator('#lexicon-table tbody tr').first().waitFor();
        await p.locator('#import-file').setInputFiles(path.join(__dirname, '..', 'lexicon', 'fixtures', 'hurtlex-synthetic-en.tsv'));
        await p.locator('#import-format').selectOption('hurtlex');
        await p.locator('#import-lang').fill('en');
        await p.locator('#import-preview-button').click();
        await p.locator('#import-counts').waitFor();
      },
    },
    { name: 'dossiers', user: () => analyst, path: () => '/dossiers', ready: (p) => p.locator('#dossier-form').waitFor() },
    { name: 'dashboard', user: () => reviewer, path: () => '/dashboard', ready: (p) => p.locator('#chart-status').waitFor() },
  ];

  for (const [width, height] of [[1280, 800], [390, 844]] as const) {
    it(`finds no serious or critical violation on any screen at ${width} px`, async () => {
      const found: string[] = [];
      for (const screen of SCREENS) {
        const page = await newPage(width, height);
        const user = screen.user();
        if (user) await signIn(page, base, user.username, user.password, screen.path().split('?')[0]!);
        await page.goto(`${base}${screen.path()}`);
        await screen.ready(page);
        await screenshot(page, `a11y-${screen.name}-${width}`);
        for (const v of await seriousViolations(page)) found.push(`${screen.name}: ${v}`);
        // Reflow (WCAG 1.4.10): nothing makes the whole page scroll sideways; wide tables scroll in their own region.
        const scrollWidth = await page.evaluate(() => document.documentElement.scrollWidth);
        if (scrollWidth > width) found.push(`${screen.name}: the page is ${scrollWidth} px wide in a ${width} px window`);
        await page.context().close();
      }
      expect(found).toEqual([]);
    });
  }

  it('logged no script errors beyond the deliberate refusals', () => {
    // 400 from the bad entry form, 401 before signing in, 404 from the plain-text page image.
    expect(pageErrors.filter((e) => !/status of 40[014]/.test(e))).toEqual([]);
  });
});
