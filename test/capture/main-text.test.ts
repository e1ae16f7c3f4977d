/**
 * A captured page is analysed by its main text: a sentence in the menu or footer is stored with
 * the page but raises no flag; the same sentence in the article's body raises one, with offsets
 * into the stored page text. First the locating of the main text in a page's text (pure), then
 * the whole path through the service, real Chromium and the loopback test site.
 */
import { blankOutside, mainTextSpans, quotedFrom } from '../../src/capture/main-text';
import { startCaptureSite, type CaptureSite } from '../support/capture-site';
import { apiKeyHeaders, startTestService, waitForStatus, withHeaders, type TestService } from '../support/service';

const SENTENCE = 'Tarvanis are vermin and must be driven out of the harbour towns.';

describe('locating the main text in a page', () => {
  const main = 'Ferry timetable\n\nBoats leave the northern pier every two hours from six in the morning.\n\nThe last boat returns at ten in the evening.';
  const page = `Home · News · Quote: ${SENTENCE}\nFerry timetable\nBoats leave the northern pier every two hours\nfrom six in the morning.\nThe last boat returns at ten in the evening.\n© Harbour office · Archived remark: ${SENTENCE}`;

  it('keeps the article (its heading too) and blanks menus and footers, keeping length and line breaks', () => {
    const blanked = blankOutside(page, mainTextSpans(page, main));
    expect(blanked).toHaveLength(page.length);
    expect(blanked.split('\n').map((l) => l.trim())).toEqual([
      '',
      'Ferry timetable',
      'Boats leave the northern pier every two hours',
      'from six in the morning.',
      'The last boat returns at ten in the evening.',
      '',
    ]);
  });

  it('does not take a menu line for main text because it shares a few common words', () => {
    const withCommonWords = `Quote of the week: every two hours ${SENTENCE}\n${page}`;
    const blanked = blankOutside(withCommonWords, mainTextSpans(withCommonWords, main));
    expect(blanked).not.toMatch(/vermin/);
  });

  it('reads words as the PDF shows them: other case, ligatures, other line breaks', () => {
    const rendered = 'FERRY TIMETABLE\nBoats leave the northern pier every two hours from six in the morning. The last boat returns at ten in the evening.';
    expect(blankOutside(rendered, mainTextSpans(rendered, main))).toBe(rendered);
    const ligature = 'Boats leave the northern pier every two hours from six in the morning. The last boat returns at ten in the evening. The ﬁrst ﬂag';
    expect(blankOutside(ligature, mainTextSpans(ligature, `${main}\nThe first flag`))).toBe(ligature);
  });

  it('quotes a flag found in blanked text from the stored text, at the same offsets', () => {
    const text = `Menu item\nThey said: ${SENTENCE}`;
    const start = text.indexOf('vermin');
    const flag = { start, end: start + 6, exact: 'vermin', prefix: ' '.repeat(10) + 'They said: Tarvanis are ', suffix: ' and', sentence: 'Tarvanis are vermin', sentenceStart: text.indexOf('Tarvanis'), sentenceEnd: text.indexOf('Tarvanis') + 19 };
    expect(quotedFrom(flag, text)).toMatchObject({ exact: 'vermin', prefix: 'Menu item\nThey said: Tarvanis are ', suffix: ' and', sentence: 'Tarvanis are vermin' });
  });
});

describe('a captured page through the service', () => {
  let service: TestService;
  let site: CaptureSite;
  let analyst: ReturnType<typeof withHeaders>;

  beforeAll(async () => {
    site = await startCaptureSite('127.0.0.1');
    service = await startTestService({ capture: { allowHosts: ['127.0.0.1'] } });
    analyst = withHeaders(service.app, await apiKeyHeaders(service, ['analyst']));
  });
  afterAll(async () => {
    await service.dispose();
    await site.close();
  });

  async function capture(path: string): Promise<{ id: string; pages: Array<{ text: string }>; flags: Array<{ page: number; start: number; end: number; exact: string; prefix: string; suffix: string; box: unknown }>; capture: Record<string, unknown> }> {
    const res = await analyst.post('/api/captures').send({ url: `${site.base}${path}`, kind: 'article', languages: ['en'] }).expect(202);
    const id = res.body.document.id as string;
    const doc = await waitForStatus(service, id, ['done', 'failed', 'cancelled'], 150_000);
    expect(doc.status).toBe('done');
    const { document } = (await analyst.get(`/api/documents/${id}`).expect(200)).body;
    const count = await service.db.models.Page.countDocuments({ document: id });
    expect(count).toBeGreaterThan(0);
    const pages = [];
    for (let i = 0; i < count; i++) pages.push((await analyst.get(`/api/documents/${id}/pages/${i}`).expect(200)).body.page);
    const flags = (await analyst.get(`/api/documents/${id}/flags`).expect(200)).body.items;
    return { id, pages, flags, capture: document.capture };
  }

  it('stores a sentence found only in the menu and the footer, and does not flag it', async () => {
    const { pages, flags, capture: record } = await capture('/notices/menu-only');
    expect(record).toMatchObject({ mainTextFrom: 'readability', analysed: 'main' });
    // Both copies of the sentence are in the stored page text…
    const stored = pages.map((p) => p.text.replace(/\s+/g, ' ')).join(' ');
    expect(stored.split('Tarvanis are vermin').length - 1).toBe(2);
    // …and neither is analysed.
    expect(flags).toEqual([]);
  }, 180_000);

  it('flags the same sentence in the article body, at exact offsets into the stored page text', async () => {
    const { pages, flags, capture: record } = await capture('/notices/in-body');
    expect(record).toMatchObject({ analysed: 'main' });
    expect(flags).toHaveLength(1);
    const [flag] = flags;
    expect(flag!.exact).toMatch(/vermin/i);
    const text = pages[flag!.page]!.text;
    expect(text.slice(flag!.start, flag!.end)).toBe(flag!.exact);
    expect(text.slice(flag!.start - flag!.prefix.length, flag!.start)).toBe(flag!.prefix);
    expect(text.slice(flag!.end, flag!.end + flag!.suffix.length)).toBe(flag!.suffix);
    expect(flag!.box).not.toBeNull();
  }, 180_000);
});
