/**
 * GET /api/search: a word search over the current text of every page, folded as the analyser
 * folds text (Turkic İ/ı, ё = е, Azerbaijani Cyrillic = Latin, Armenian in-word marks), answered
 * from the page search index (collection `pagewords`), with the offsets of each hit in the page
 * text. All passages are synthetic: invented groups (Tarvani, Merenites) and places.
 */
import { Types } from 'mongoose';
import { PageWordsRepository } from '../../src/store/page-words';
import { PageRepository } from '../../src/store/pages';
import { apiKeyHeaders, startTestService, waitForStatus, withHeaders, type TestService } from '../support/service';
import request from 'supertest';

let service: TestService;
let analyst: ReturnType<typeof withHeaders>;
let viewer: ReturnType<typeof withHeaders>;

const PAGES = {
  tr: "İstanbul'da Tarvani köylüleri pazara gitti. Bu kitap okul için yazıldı ve çok güzel bir kitaptır. Öğrenciler bunu okuyacaklar.",
  ru: 'Ёж и его ёжики жили в Кестрельской долине. Это была очень тихая долина, и все жители были рады этому.',
  azCyrillic: 'Тарвани кәндлиләри базара ҝетдиләр. Бу китаб мәктәб үчүн јазылыб вә чох ҝөзәлдир.',
  azLatin: 'Merenit kəndliləri bazara getdilər. Bu kitab məktəb üçün yazılıb və çox gözəldir.',
  hy: 'Թարվանի գյուղացիները՝ շուկա գնացին։ Այս գիրքը գրված է դպրոցի համար։',
  en: 'The ferry from Ostrel to Kestrel Valley carries grain every spring. Nobody in the valley remembers the old road.',
};
const ids: Record<string, string> = {};

async function upload(title: string, text: string): Promise<string> {
  const res = await analyst.post('/api/documents').field('kind', 'textbook').field('title', title).attach('file', Buffer.from(text + '\n'), 'page.txt').expect(202);
  return res.body.document.id as string;
}

beforeAll(async () => {
  service = await startTestService();
  analyst = withHeaders(service.app, await apiKeyHeaders(service, ['analyst']));
  viewer = withHeaders(service.app, await apiKeyHeaders(service, ['viewer']));
  for (const [key, text] of Object.entries(PAGES)) ids[key] = await upload(`Search sample ${key} (synthetic)`, text);
  for (const id of Object.values(ids)) await waitForStatus(service, id, ['done'], 60_000);
}, 120_000);
afterAll(async () => {
  await service.dispose();
});

interface Result { document: string; page: number; version: number; hits: Array<{ start: number; end: number; exact: string }>; snippets: unknown[] }

async function search(q: string): Promise<{ items: Result[]; total: number }> {
  const res = await viewer.get(`/api/search?q=${encodeURIComponent(q)}`).expect(200);
  return res.body;
}

/** The documents a query finds, by their key in PAGES, with the words hit. */
async function found(q: string): Promise<Record<string, string[]>> {
  const { items } = await search(q);
  const byId = Object.fromEntries(Object.entries(ids).map(([k, v]) => [v, k]));
  return Object.fromEntries(items.map((r) => [byId[r.document] ?? r.document, r.hits.map((h) => h.exact)]));
}

describe('normalisation in each script', () => {
  it('Turkish: İstanbul, istanbul and ISTANBUL are one word, and the name before the apostrophe is found', async () => {
    for (const q of ['İstanbul', 'istanbul', 'ISTANBUL']) expect(await found(q)).toEqual({ tr: ['İstanbul'] });
  });

  it('Russian: ё and е are one letter, either way round', async () => {
    for (const q of ['ёж', 'еж', 'ЁЖ']) expect(await found(q)).toEqual({ ru: ['Ёж'] });
    expect(await found('ежики')).toEqual({ ru: ['ёжики'] });
  });

  it('Azerbaijani: a Latin query finds Cyrillic pages and a Cyrillic query Latin pages', async () => {
    expect(await found('kəndliləri')).toEqual({ azCyrillic: ['кәндлиләри'], azLatin: ['kəndliləri'] });
    expect(await found('кәндлиләри')).toEqual({ azCyrillic: ['кәндлиләри'], azLatin: ['kəndliləri'] });
    expect(await found('ҝетдиләр')).toEqual({ azCyrillic: ['ҝетдиләр'], azLatin: ['getdilər'] });
  });

  it('Armenian: in-word marks (՝ ՛ ՞) are ignored on the page and in the query', async () => {
    expect(await found('գյուղացիները')).toEqual({ hy: ['գյուղացիները՝'] });
    expect(await found('գյուղացինե՛րը')).toEqual({ hy: ['գյուղացիները՝'] });
  });

  it('gives offsets into the page text, every word of the query on the page', async () => {
    const { items, total } = await search('kestrel VALLEY');
    expect(total).toBe(1);
    const [hit] = items;
    expect(hit!.document).toBe(ids.en);
    const page = (await viewer.get(`/api/documents/${ids.en}/pages/${hit!.page}`).expect(200)).body.page;
    expect(hit!.hits.map((h) => h.exact)).toEqual(['Kestrel', 'Valley', 'valley']);
    for (const h of hit!.hits) expect(page.text.slice(h.start, h.end)).toBe(h.exact);
    expect(await found('kestrel tarvani')).toEqual({});
  });

  it('pages through the results', async () => {
    const all = await search('bu');
    expect(all.total).toBe(3);
    const first = (await viewer.get('/api/search?q=bu&limit=2').expect(200)).body;
    const second = (await viewer.get('/api/search?q=bu&limit=2&offset=2').expect(200)).body;
    expect(first.items).toHaveLength(2);
    expect(second.items).toHaveLength(1);
    expect(new Set([...first.items, ...second.items].map((r: Result) => r.document)).size).toBe(3);
  });
});

describe('the index', () => {
  it('is a multikey index over each page version\'s distinct forms', async () => {
    const indexes = await service.db.models.PageWords.collection.indexes();
    expect(indexes.map((i) => i.key)).toEqual(expect.arrayContaining([{ words: 1 }]));
    const entry = await service.db.models.PageWords.findOne({ document: ids.tr }).lean();
    expect(entry).toMatchObject({ lang: 'tr', current: true, version: 1 });
    expect(entry!.words).toEqual(expect.arrayContaining(['istanbul', "istanbul'da", 'köylüleri']));
    expect(new Set(entry!.words).size).toBe(entry!.words.length);
  });

  it('is rebuilt by the backfill for pages stored without it (what the migration at start runs)', async () => {
    await service.db.models.PageWords.deleteMany({ document: ids.ru });
    expect(await found('еж')).toEqual({});
    expect(await new PageWordsRepository(service.db.models).backfill()).toBe(1);
    expect(await found('еж')).toEqual({ ru: ['Ёж'] });
    expect(await new PageWordsRepository(service.db.models).backfill()).toBe(0);
  });
});

describe('page versions', () => {
  it('searches the current version of each page only: a new reading replaces the old one in the answers', async () => {
    const pages = new PageRepository(service.db.models);
    const old = await service.db.models.Page.findOne({ document: ids.en, index: 0 }).lean();
    const text = 'The ferry from Ostrel to Kestrel Valley carries barley every autumn.';
    const newer = { _id: new Types.ObjectId(), document: old!.document, index: 0, version: 2, current: false, extractionRound: 2, label: null, text, textSha256: 'f'.repeat(64), method: 'plain-text' as const, state: 'read' as const, lang: null, analyzedWith: null };
    await pages.insertPages([newer]);
    expect(await found('barley')).toEqual({});
    await pages.setCurrent([old!._id], false);
    await pages.setCurrent([newer._id], true);
    expect(await found('barley')).toEqual({ en: ['barley'] });
    expect((await search('barley')).items[0]!.version).toBe(2);
    expect(await found('grain')).toEqual({});
    await pages.setCurrent([newer._id], false);
    await pages.setCurrent([old!._id], true);
    expect(await found('grain')).toEqual({ en: ['grain'] });
  });
});

describe('bad input and access', () => {
  it('refuses operator objects, unknown parameters and empty queries with a 400 naming the field', async () => {
    for (const url of ['/api/search?q[$ne]=x', '/api/search?q=a&where=1', '/api/search', '/api/search?q=%20%20', '/api/search?q=vermin&limit=1000']) {
      const res = await viewer.get(url).expect(400);
      expect(res.body.error.code).toBe('invalid_query');
    }
    const noWords = await viewer.get('/api/search?q=%7B%7D%24%2E').expect(400);
    expect(noWords.body.error.message).toMatch(/no words/);
  });

  it('takes operator-like text as words, never as query operators', async () => {
    expect((await search('{"$ne": null}')).total).toBe(0);
    expect((await search('$where')).total).toBe(0);
    expect((await viewer.get('/api/search?q=.*').expect(400)).body.error.message).toMatch(/no words/);
  });

  it('needs a signed-in user', async () => {
    const res = await request(service.app).get('/api/search?q=bu').expect(401);
    expect(res.body.items).toBeUndefined();
  });
});
