/**
 * The web interface takes the server's vocabulary (category codes, review states, kinds, lexicon
 * field values) from GET /api/meta and keeps no copies of it: what each screen offers in real
 * Chromium is what the server validates with, and no browser module spells out a server list.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Server } from 'node:http';
import ts from 'typescript';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { CATEGORY_CODES } from '../../src/analyze/types';
import { SIGNAL_INFO } from '../../src/analyze/taxonomy';
import { PAGE_IMAGE_TYPES } from '../../src/extract/page-image';
import { STATEMENT_FIELDS, TEXTBOOK_FIELDS } from '../../src/ingest/metadata';
import { IMPORT_FORMATS } from '../../src/lexicon/formats';
import { entrySchema, targetGroupSchema } from '../../src/lexicon/schema';
import { DOSSIER_STATUSES } from '../../src/store/job-models';
import { DOCUMENT_KINDS, DOCUMENT_STATUSES, FLAG_STATUSES, SOURCE_TYPES } from '../../src/store/models';
import { DECISIONS, ROLES } from '../../src/store/people-models';
import { apiKeyHeaders, createTestUser, startTestService, waitForStatus, withHeaders, type TestService } from '../support/service';
import { scannedPdf } from '../support/scanned-pdf';
import { launchChromium, listen, openPage, signIn } from '../support/browser';

jest.setTimeout(240_000);

const JS_DIR = path.resolve(__dirname, '..', '..', 'src', 'web', 'public', 'js');
const entry = entrySchema.shape;

/** The server's lists a browser module could copy. */
const SERVER_LISTS: Record<string, readonly string[]> = {
  'category codes': CATEGORY_CODES,
  'flag states': FLAG_STATUSES,
  'review decisions': DECISIONS,
  roles: ROLES,
  'document kinds': DOCUMENT_KINDS,
  'document states': DOCUMENT_STATUSES,
  'source types': SOURCE_TYPES,
  'page image types': PAGE_IMAGE_TYPES,
  'textbook fields': TEXTBOOK_FIELDS,
  'statement fields': STATEMENT_FIELDS,
  'dossier states': DOSSIER_STATUSES,
  signals: Object.keys(SIGNAL_INFO),
  'entry statuses': entry.status.options,
  'entry roles': entry.role.options,
  'entry source types': entry.source.shape.type.options,
  'target kinds': targetGroupSchema.shape.terms.element.shape.kind.options,
  'import formats': IMPORT_FORMATS,
};

/**
 * Where a browser module may name server values, and why. The number keys of the queue are a
 * choice of nine categories for speed, not the list; the type check holds them to CategoryCode
 * and the screen drops any the server no longer lists.
 */
const ALLOWED: Record<string, string> = { 'screens/queue/keys.js': 'category codes' };

function jsFiles(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((d) => (d.isDirectory() ? jsFiles(path.join(dir, d.name)) : d.name.endsWith('.js') ? [path.join(dir, d.name)] : []));
}

/** Array literals of two or more strings, all from one server list; and any string that is a category code. */
function copiesIn(file: string): string[] {
  const rel = path.relative(JS_DIR, file).split(path.sep).join('/');
  const source = ts.createSourceFile(file, fs.readFileSync(file, 'utf8'), ts.ScriptTarget.Latest, true);
  const found: string[] = [];
  const where = (node: ts.Node) => `${rel}:${source.getLineAndCharacterOfPosition(node.getStart()).line + 1}`;
  const visit = (node: ts.Node): void => {
    if (ts.isArrayLiteralExpression(node) && node.elements.length >= 2 && node.elements.every(ts.isStringLiteral)) {
      const values = node.elements.map((e) => (e as ts.StringLiteral).text);
      for (const [name, list] of Object.entries(SERVER_LISTS)) {
        if (values.every((v) => list.includes(v)) && ALLOWED[rel] !== name) found.push(`${where(node)}: a copy of the server's ${name}: ${values.join(', ')}`);
      }
    }
    if (ts.isStringLiteral(node) && (CATEGORY_CODES as readonly string[]).includes(node.text) && ALLOWED[rel] !== 'category codes') found.push(`${where(node)}: category code ${node.text}`);
    ts.forEachChild(node, visit);
  };
  visit(source);
  return found;
}

describe('the browser modules', () => {
  it('copy no list of the server: they read GET /api/meta', () => {
    const files = jsFiles(JS_DIR);
    expect(files.length).toBeGreaterThan(10);
    expect(files.flatMap(copiesIn)).toEqual([]);
  });

  it('the check finds a copy where there is one', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'lexwatch-copy-check-'));
    try {
      const file = path.join(dir, 'copy.js');
      fs.writeFileSync(file, "const STATES = ['confirmed', 'rejected'];\nconst first = 'DH.ANIMAL';\n");
      expect(copiesIn(file)).toEqual([expect.stringMatching(/a copy of the server's flag states/), expect.stringMatching(/category code DH\.ANIMAL/)]);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('what the screens offer, in Chromium', () => {
  let service: TestService;
  let server: Server;
  let base: string;
  let chromium: Awaited<ReturnType<typeof launchChromium>>;
  let browser: Browser;
  const contexts: BrowserContext[] = [];
  const pageErrors: string[] = [];
  let admin: { username: string; password: string };
  let analyst: { username: string; password: string };
  let reviewer: { username: string; password: string };
  const newPage = (): Promise<Page> => openPage(browser, { contexts, errors: pageErrors });
  /** The option values of a select, the "any" / "default" option ('') left out. */
  const options = (page: Page, id: string) => page.locator(`#${id} option`).evaluateAll((els) => els.map((o) => (o as unknown as { value: string }).value).filter(Boolean));

  beforeAll(async () => {
    service = await startTestService();
    ({ server, base } = await listen(service.app as never));
    chromium = await launchChromium();
    browser = chromium.browser;
    [admin, analyst, reviewer] = await Promise.all([createTestUser(service, ['admin']), createTestUser(service, ['analyst']), createTestUser(service, ['reviewer'])]);
    // Flags to review: one from a text, one from a page read by OCR (synthetic, invented groups).
    const api = withHeaders(service.app, await apiKeyHeaders(service, ['analyst']));
    const text = await api.post('/api/documents').field('kind', 'statement').field('title', 'Address in Ormund (synthetic)')
      .attach('file', Buffer.from('A speech in Ormund (synthetic).\nOur ancestors swore to exterminate the Tarvani.\n'), 'address.txt').expect(202);
    const scan = await api.post('/api/documents').field('kind', 'other').field('title', 'Leaflet scan (synthetic)')
      .attach('file', await scannedPdf([['A leaflet from the archive of Ormund (synthetic).', 'The Merenites spread like a plague across Ormund.']]), 'leaflet.pdf').expect(202);
    await waitForStatus(service, text.body.document.id, ['done']);
    await waitForStatus(service, scan.body.document.id, ['done'], 90_000);
  });

  afterAll(async () => {
    for (const c of contexts) await c.close().catch(() => {});
    await chromium?.close();
    await new Promise((r) => server?.close(r));
    await service?.dispose();
  });

  it('the lexicon screen offers the server’s categories, states and field values, and reads /api/meta once', async () => {
    const page = await newPage();
    const metaRequests: string[] = [];
    page.on('request', (r) => new URL(r.url()).pathname === '/api/meta' && metaRequests.push(r.url()));
    await signIn(page, base, admin.username, admin.password, '/lexicon');
    await page.locator('#lexicon-table tbody tr').first().waitFor();
    await expect(options(page, 'lx-category')).resolves.toEqual([...CATEGORY_CODES]);
    await expect(options(page, 'lx-status')).resolves.toEqual(entry.status.options);
    await page.locator('#entry-new').click();
    await expect(options(page, 'ef-category')).resolves.toEqual([...CATEGORY_CODES]);
    await expect(options(page, 'ef-role')).resolves.toEqual(entry.role.options);
    await expect(options(page, 'ef-status')).resolves.toEqual(entry.status.options);
    await expect(options(page, 'ef-severity')).resolves.toEqual(['1', '2', '3', '4']);
    await expect(options(page, 'ef-source-type')).resolves.toEqual(entry.source.shape.type.options);
    await expect(options(page, 'ef-diacritics')).resolves.toEqual(entry.match.unwrap().shape.diacritics.unwrap().options);
    await expect(options(page, 'ef-negation')).resolves.toEqual(entry.context.unwrap().shape.negation.unwrap().options);
    await expect(options(page, 'ef-quotation')).resolves.toEqual(entry.context.unwrap().shape.quotation.unwrap().options);
    await page.locator('#target-new').click();
    await expect(options(page, 'tf-set-0-kind')).resolves.toEqual(targetGroupSchema.shape.terms.element.shape.kind.options);
    await expect(options(page, 'import-format')).resolves.toEqual([...IMPORT_FORMATS]);
    // The names come along: a category is offered as "code · name".
    await expect(page.locator('#lx-category option[value="DH.ANIMAL"]').innerText()).resolves.toBe('DH.ANIMAL · Animal / vermin metaphor');
    expect(metaRequests).toHaveLength(1);
  });

  it('the document list, upload and dossier screens offer the server’s kinds, states, fields and categories', async () => {
    const page = await newPage();
    await signIn(page, base, analyst.username, analyst.password, '/documents');
    await page.locator('#documents tbody tr').first().waitFor();
    await expect(options(page, 'kind')).resolves.toEqual([...DOCUMENT_KINDS]);
    await expect(options(page, 'status')).resolves.toEqual([...DOCUMENT_STATUSES]);
    await page.goto(`${base}/upload`);
    await page.locator('#upload-form').waitFor();
    await expect(options(page, 'meta-kind')).resolves.toEqual([...DOCUMENT_KINDS]);
    const names = (fieldset: string) => page.locator(`#${fieldset} input`).evaluateAll((els) => els.map((i) => (i as unknown as { name: string }).name));
    await expect(names('textbook-fields')).resolves.toEqual([...TEXTBOOK_FIELDS]);
    await expect(names('statement-fields')).resolves.toEqual([...STATEMENT_FIELDS]);
    await page.goto(`${base}/dossiers`);
    await page.locator('#dossier-form').waitFor();
    await expect(options(page, 'd-categories')).resolves.toEqual([...CATEGORY_CODES]);
    await expect(options(page, 'd-states')).resolves.toEqual([...FLAG_STATUSES]);
    await expect(page.locator('#d-states').evaluate((s) => [...(s as unknown as { selectedOptions: Array<{ value: string }> }).selectedOptions].map((o) => o.value))).resolves.toEqual(['confirmed']);
  });

  it('the queue offers every category, and each flag’s signal chips say what the flag records, OCR included', async () => {
    const page = await newPage();
    await signIn(page, base, reviewer.username, reviewer.password, '/queue');
    const card = page.locator('#flag-card[data-flag]');
    await card.waitFor();
    await expect(options(page, 'category-select')).resolves.toEqual([...CATEGORY_CODES]);
    const keyed = await page.locator('#category-keys dd').allInnerTexts();
    expect(keyed.length).toBe(9);
    for (const code of keyed) expect(CATEGORY_CODES).toContain(code);

    const seen: string[] = [];
    for (let i = 0; i < 10; i += 1) {
      const id = (await card.getAttribute('data-flag'))!;
      const flag = (await service.db.models.Flag.findById(id).lean())!;
      const expected = [...Object.keys(SIGNAL_INFO).map((s) => `${s}: ${flag.signals[s as keyof typeof flag.signals] ? 'yes' : 'no'}`), `OCR: ${flag.source?.method === 'ocr' ? 'yes' : 'no'}`];
      await expect(page.locator('#signals li').allInnerTexts()).resolves.toEqual(expected);
      seen.push(flag.source?.method ?? 'none');
      await page.keyboard.press('j');
      // The next flag, or the end of the queue (in between, the card is loading and has no flag).
      await page.waitForFunction((old) => {
        const next = document.querySelector('#flag-card')?.getAttribute('data-flag');
        return document.querySelector('#queue-empty') || (next && next !== old);
      }, id);
      if (await page.locator('#queue-empty').count()) break;
    }
    // Both kinds were shown: the OCR chip is on for the scanned page's flag and off for the text's.
    expect(seen).toEqual(expect.arrayContaining(['ocr', 'plain-text']));
    expect(pageErrors).toEqual([]);
  });
});

// Functions passed to page.evaluate/waitForFunction run in the browser; the project compiles without the DOM lib.
declare const document: any;
