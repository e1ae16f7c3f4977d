/**
 * Flags across documents: GET /api/flags, /api/flags/counts and /api/flags/export narrowed by
 * every filter the flags screen offers, sorted, counted; operator injection refused; a reviewer
 * sees no other reviewer's decision through them. Fixtures are synthetic (fixtures/README.md).
 */
import path from 'node:path';
import { apiKeyHeaders, FIXTURES, startTestService, waitForStatus, withHeaders, type TestService } from '../support/service';

let service: TestService;
let analyst: ReturnType<typeof withHeaders>;
let viewer: ReturnType<typeof withHeaders>;
let textbookId: string;
let statementId: string;

interface FlagItem {
  id: string; document: string; page: number; pageVersion: number; start: number; category: string; severity: number; priority: number; lang: string | null; status: string;
  signals: Record<string, boolean>; targets: Array<{ groupId: string }>; matches: Array<{ entryId: string }>; frames: Array<{ frameId: string }>; createdAt: string;
}
let all: FlagItem[];

const TEXTBOOK_TEXT = [
  'SYNTHETIC TEST FIXTURE: an invented textbook page; every group and place is invented.',
  'The Tarvani are vermin that must be driven out of Kestrel Valley.',
  'The Merenites are parasites, the old chronicle says.',
].join('\n');

beforeAll(async () => {
  service = await startTestService();
  analyst = withHeaders(service.app, await apiKeyHeaders(service, ['analyst']));
  viewer = withHeaders(service.app, await apiKeyHeaders(service, ['viewer']));
  const st = analyst.post('/api/documents');
  for (const [k, v] of Object.entries({ kind: 'statement', title: 'Harvest address (synthetic)', speaker: 'Ardel Voss', date: '2023-05-04' })) st.field(k, v);
  statementId = (await st.attach('file', path.join(FIXTURES, 'statement-sample.txt')).expect(202)).body.document.id;
  textbookId = (await analyst.post('/api/documents').field('kind', 'textbook').field('title', 'Valley reader (synthetic)').attach('file', Buffer.from(TEXTBOOK_TEXT), 'reader.txt').expect(202)).body.document.id;
  await waitForStatus(service, statementId, ['done'], 60_000);
  await waitForStatus(service, textbookId, ['done'], 60_000);
  all = (await viewer.get('/api/flags?limit=200').expect(200)).body.items;
}, 120_000);
afterAll(async () => {
  await service.dispose();
});

const ids = (items: FlagItem[]) => items.map((f) => f.id).sort();
async function list(query: string): Promise<FlagItem[]> {
  return (await viewer.get(`/api/flags?limit=200&${query}`).expect(200)).body.items;
}

describe('filters', () => {
  it('has flags of both documents to filter (the fixtures flag something)', () => {
    expect(new Set(all.map((f) => f.document))).toEqual(new Set([statementId, textbookId]));
    expect(new Set(all.map((f) => f.category)).size).toBeGreaterThan(1);
  });

  // Each filter returns exactly the flags of the full list that have the property.
  const cases: Array<[string, (f: FlagItem) => string[]]> = [
    ['status', (f) => [f.status]],
    ['category', (f) => [f.category]],
    ['severity', (f) => [String(f.severity)]],
    ['document', (f) => [f.document]],
    ['target', (f) => f.targets.map((t) => t.groupId)],
    ['entry', (f) => f.matches.map((m) => m.entryId)],
    ['frame', (f) => f.frames.map((m) => m.frameId)],
    ['signal', (f) => Object.entries(f.signals).filter(([, on]) => on).map(([name]) => name)],
    ['lang', (f) => (f.lang ? [f.lang] : [])],
    ['pageVersion', (f) => [String(f.pageVersion)]],
  ];
  it.each(cases)('%s', async (name, valuesOf) => {
    const values = [...new Set(all.flatMap(valuesOf))];
    if (name !== 'frame' && name !== 'signal') expect(values.length).toBeGreaterThan(0);
    for (const value of values) {
      const got = await list(`${name}=${encodeURIComponent(value)}`);
      expect(ids(got)).toEqual(ids(all.filter((f) => valuesOf(f).includes(value))));
    }
  });

  it('kind and speaker narrow to the documents that have them', async () => {
    expect(ids(await list('kind=statement'))).toEqual(ids(all.filter((f) => f.document === statementId)));
    expect(ids(await list('kind=textbook'))).toEqual(ids(all.filter((f) => f.document === textbookId)));
    expect(await list('kind=article')).toEqual([]);
    expect(ids(await list('speaker=Ardel%20Voss'))).toEqual(ids(all.filter((f) => f.document === statementId)));
    expect(await list('speaker=Nobody%20Known')).toEqual([]);
    expect(ids(await list(`speaker=Ardel%20Voss&document=${textbookId}`))).toEqual([]);
  });

  it('combines filters', async () => {
    const one = all[0]!;
    const got = await list(`document=${one.document}&category=${one.category}&severity=${one.severity}`);
    expect(ids(got)).toEqual(ids(all.filter((f) => f.document === one.document && f.category === one.category && f.severity === one.severity)));
  });
});

describe('sorting and counting', () => {
  it('sorts by position (default), priority, severity and newest', async () => {
    const position = await list('');
    const key = (f: FlagItem) => [f.document, f.page, f.start];
    expect(position.map(key)).toEqual([...position].sort((a, b) => (a.document < b.document ? -1 : a.document > b.document ? 1 : a.page - b.page || a.start - b.start)).map(key));
    const priority = await list('sort=priority');
    expect(priority.map((f) => f.priority)).toEqual([...all.map((f) => f.priority)].sort((a, b) => b - a));
    const severity = await list('sort=severity');
    expect(severity.map((f) => f.severity)).toEqual([...all.map((f) => f.severity)].sort((a, b) => b - a));
    const newest = await list('sort=newest');
    expect(newest.map((f) => Date.parse(f.createdAt))).toEqual([...all.map((f) => Date.parse(f.createdAt))].sort((a, b) => b - a));
  });

  it('counts per status, category, severity and language under the filter', async () => {
    const res = await viewer.get(`/api/flags/counts?document=${textbookId}`).expect(200);
    const mine = all.filter((f) => f.document === textbookId);
    expect(res.body.counts.total).toBe(mine.length);
    const tally = (values: Array<string | number | null>) => {
      const m = new Map<string | number | null, number>();
      for (const v of values) m.set(v, (m.get(v) ?? 0) + 1);
      return [...m].map(([value, n]) => ({ value, n })).sort((a, b) => b.n - a.n || String(a.value).localeCompare(String(b.value)));
    };
    expect(res.body.counts.category).toEqual(tally(mine.map((f) => f.category)));
    expect(res.body.counts.severity).toEqual(tally(mine.map((f) => f.severity)));
    expect(res.body.counts.status).toEqual(tally(mine.map((f) => f.status)));
    expect(res.body.counts.lang).toEqual(tally(mine.map((f) => f.lang)));
  });

  it('exports exactly the filtered flags as JSON and CSV', async () => {
    const category = all[0]!.category;
    const json = await viewer.get(`/api/flags/export?format=json&category=${category}&sort=severity`).expect(200);
    const body = JSON.parse(json.text);
    expect(body.filters).toMatchObject({ category });
    expect(body.items).toHaveLength(all.filter((f) => f.category === category).length);
    const csv = await viewer.get(`/api/flags/export?format=csv&kind=statement`).expect(200);
    // Rows start with a flag id (cells may hold line breaks inside quotes).
    const rowIds = csv.text.split('\r\n').map((line) => line.split(',')[0]!).filter((cell) => /^[0-9a-f]{24}$/.test(cell));
    expect(rowIds.sort()).toEqual(ids(all.filter((f) => f.document === statementId)));
  });
});

describe('bad input', () => {
  it.each([
    ['status[$ne]=new', 'status[$ne]'],
    ['target=%24ne', 'target'],
    ['entry=a%20b', 'entry'],
    ['severity=9', 'severity'],
    ['signal=admin', 'signal'],
    ['kind=%7B%7D', 'kind'],
    ['sort=%24natural', 'sort'],
    ['lang=english', 'lang'],
    ['pageVersion=0', 'pageVersion'],
  ])('refuses %s with a 400 naming the field', async (query, field) => {
    for (const route of ['/api/flags', '/api/flags/counts', '/api/flags/export']) {
      const res = await viewer.get(`${route}?${query}`).expect(400);
      expect(res.body.error.code).toBe('invalid_query');
      expect(JSON.stringify(res.body.error.details)).toContain(field);
    }
  });

  it('takes a speaker that looks like an operator as a name', async () => {
    expect(await list(`speaker=${encodeURIComponent('{"$gt":""}')}`)).toEqual([]);
  });
});

describe('past dossiers', () => {
  it('lists every dossier job newest first, paged, with its state; bad paging is refused', async () => {
    const request = (title: string) => ({ title, submitter: 'Test analyst', addressee: 'Ormund Textbook Board (fictional)', filters: { states: ['confirmed'], documents: [statementId] } });
    const first = (await analyst.post('/api/dossiers').send(request('First (synthetic)')).expect(202)).body.dossier;
    const second = (await analyst.post('/api/dossiers').send(request('Second (synthetic)')).expect(202)).body.dossier;
    const all = (await viewer.get('/api/dossiers').expect(200)).body;
    expect(all.total).toBe(2);
    expect(all.items.map((d: { id: string }) => d.id)).toEqual([second.id, first.id]);
    expect(all.items[0]).toMatchObject({ title: 'Second (synthetic)', status: expect.any(String), links: { download: `/api/dossiers/${second.id}/download` } });
    const paged = (await viewer.get('/api/dossiers?limit=1&offset=1').expect(200)).body;
    expect(paged.items.map((d: { id: string }) => d.id)).toEqual([first.id]);
    for (const q of ['limit=abc', 'offset=-1', 'status[$ne]=x']) expect((await viewer.get(`/api/dossiers?${q}`).expect(400)).body.error.code).toBe('invalid_query');
  });
});

describe('blind review', () => {
  it('shows no reviewer decision: a flag under review has its state, never who decided what', async () => {
    const reviewerA = withHeaders(service.app, await apiKeyHeaders(service, ['reviewer']));
    const reviewerB = withHeaders(service.app, await apiKeyHeaders(service, ['reviewer']));
    const next = (await reviewerA.get('/api/review/next').expect(200)).body.flag;
    await reviewerA.post(`/api/flags/${next.id}/reviews`).send({ decision: 'modify', modification: { severity: 1 }, note: 'my own reading' }).expect(201);
    const seen = (await reviewerB.get(`/api/flags?limit=200&status=awaiting_second`).expect(200)).body.items as FlagItem[];
    const flag = seen.find((f) => f.id === next.id)!;
    expect(flag.status).toBe('awaiting_second');
    expect(flag.severity).toBe(next.severity);
    const text = JSON.stringify(seen) + JSON.stringify((await reviewerB.get('/api/flags/counts?status=awaiting_second').expect(200)).body)
      + (await reviewerB.get('/api/flags/export?format=json&status=awaiting_second').expect(200)).text;
    expect(text).not.toMatch(/my own reading|"decision"|"modification"|"reviews?"\s*:|"outcome"\s*:\s*\{/);
  });
});
