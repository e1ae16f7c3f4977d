/**
 * Frames through the whole service: a fresh database is seeded with the word classes and
 * frames of the lexicon files, an upload is flagged by them (an unlisted group as `untargeted`,
 * with the words that stood for it), the flag API and the exports say which frame matched and
 * why, an older database gets the grammar into its working copy, and the languages an uploader
 * names (OCR models) do not switch lexicon languages off. Invented groups only.
 */
import PDFDocument from 'pdfkit';
import { loadLexicon } from '../../src/lexicon';
import { LexiconService } from '../../src/lexicon/service';
import { apiKeyHeaders, startTestService, waitForStatus, withHeaders, type TestService } from '../support/service';

const TRIBE = 'The speaker told the crowd that the whole tribe must be exterminated and wiped off the face of the earth.';

function pdfOf(lines: string[]): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const doc = new PDFDocument({ size: 'A4', info: { Title: 'synthetic test statement' } });
    const chunks: Buffer[] = [];
    doc.on('data', (c: Buffer) => chunks.push(c));
    doc.on('end', () => resolve(Buffer.concat(chunks)));
    doc.on('error', reject);
    doc.font('/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf').fontSize(11);
    for (const line of lines) doc.text(line).moveDown();
    doc.end();
  });
}

let service: TestService;
let api: ReturnType<typeof withHeaders>;
beforeAll(async () => {
  service = await startTestService();
  api = withHeaders(service.app, await apiKeyHeaders(service, ['analyst', 'viewer', 'admin']));
});
afterAll(async () => {
  await service.dispose();
});

async function flagsOf(id: string): Promise<Array<Record<string, any>>> {
  await waitForStatus(service, id, ['done', 'failed']);
  const res = await api.get(`/api/documents/${id}/flags?limit=200`).expect(200);
  return res.body.items;
}

test('a fresh database has the files\' word classes and frames in its working copy and first version', async () => {
  const files = loadLexicon();
  const frames = (await api.get('/api/lexicon/frames').expect(200)).body.items as Array<{ id: string }>;
  expect(frames.map((f) => f.id).sort()).toEqual((files.frames ?? []).map((f) => f.id).sort());
  const en = (await api.get('/api/lexicon/classes?lang=en').expect(200)).body.items as Array<{ id: string; lang: string }>;
  expect(en.length).toBe((files.classes ?? []).filter((c) => c.lang === 'en').length);
  expect(en.every((c) => c.lang === 'en')).toBe(true);
  await api.get('/api/lexicon/classes?lang=$gt').expect(400);
  const version = (await api.get('/api/lexicon/versions').expect(200)).body.items[0].version as string;
  const data = (await api.get(`/api/lexicon/versions/${encodeURIComponent(version)}`).expect(200)).body.data;
  expect((data.frames as unknown[]).length).toBe(frames.length);
});

test('the tribe sentence in a PDF, with no listed group in it, is flagged untargeted with its referent words', async () => {
  const res = await api.post('/api/documents').field('kind', 'statement').field('title', 'Synthetic rally report').field('speaker', 'A fictional speaker')
    .attach('file', await pdfOf([TRIBE]), 'rally.pdf').expect(202);
  const flags = await flagsOf(res.body.document.id);
  const erad = flags.find((f) => f.category === 'VI.ERAD');
  expect(erad).toBeDefined();
  expect(erad!.signals.untargeted).toBe(true);
  expect(erad!.targets).toEqual([]);
  expect(erad!.referents.map((r: { kind: string; exact: string }) => [r.kind, r.exact])).toContainEqual(['collective', 'whole tribe']);
  const frame = erad!.frames.find((f: { frameId: string }) => f.frameId === 'en.frame.call-eradication');
  expect(frame).toMatchObject({ frameVersion: 2 });
  expect(frame.slots.map((s: { kind: string; exact: string }) => [s.kind, s.exact])).toContainEqual(['class', 'exterminated']);

  // The exports say which frame matched and which words stood for the group.
  const csv = (await api.get(`/api/flags/export?format=csv&document=${res.body.document.id}`).expect(200)).text;
  const [header, row] = csv.replace(/^\uFEFF/u, '').split('\r\n');
  const cells = header!.split(',');
  expect(cells.slice(-2)).toEqual(['frames', 'referents']);
  expect(row).toContain('en.frame.call-eradication@2');
  expect(row).toContain('collective:whole tribe');
});

test('the languages named for OCR do not switch lexicon languages off', async () => {
  // Turkish text in a textbook uploaded as English, Azerbaijani, Russian and Armenian.
  const res = await api.post('/api/documents').field('kind', 'textbook').field('title', 'Synthetic reader').field('languages', 'en,az,ru,hy')
    .attach('file', Buffer.from('Tarvanlar birer haşeredir ve bu ülkeden sürülmelidir.\n'), 'reader.txt').expect(202);
  const flags = await flagsOf(res.body.document.id);
  expect(flags.length).toBeGreaterThan(0);
  expect(flags.every((f) => f.lang === 'tr')).toBe(true);
  expect(flags.some((f) => f.targets.some((t: { groupId: string }) => t.groupId === 'tarvani'))).toBe(true);
});

test('a statement gets obfuscation repair, a textbook does not', async () => {
  const text = Buffer.from('k1ll all the Merenites\n');
  const statement = await api.post('/api/documents').field('kind', 'statement').field('title', 'Synthetic post').attach('file', text, 'post.txt').expect(202);
  const textbook = await api.post('/api/documents').field('kind', 'textbook').field('title', 'Synthetic page').attach('file', Buffer.from('k1ll all the Merenites.\n'), 'page.txt').expect(202);
  const posted = await flagsOf(statement.body.document.id);
  expect(posted).toHaveLength(1);
  expect(posted[0]!.signals.fuzzy).toBe(true);
  expect(posted[0]!.exact).toBe('k1ll all the Merenites');
  expect(await flagsOf(textbook.body.document.id)).toEqual([]);
});

test('a database made before frames gets the files\' grammar into its working copy, and a publish takes it', async () => {
  const lexicons = new LexiconService(service.db.repos.lexicon);
  // As an older database: no grammar records at all.
  await service.db.models.LexiconGrammar.deleteMany({});
  const { grammarAdded } = await lexicons.ensureSeeded(loadLexicon());
  expect(grammarAdded?.frames).toBe((loadLexicon().frames ?? []).length);
  // A second start adds nothing.
  expect((await lexicons.ensureSeeded(loadLexicon())).grammarAdded).toBeNull();
  const published = await api.post('/api/lexicon/versions').send({ note: 'frames' }).expect(201);
  const data = (await api.get(`/api/lexicon/versions/${encodeURIComponent(published.body.version.version)}`).expect(200)).body.data;
  expect((data.frames as unknown[]).length).toBe(grammarAdded!.frames);
});

test('a JSON import adds a frame to the working copy, previewed first', async () => {
  const frame = {
    id: 'en.frame.test-only', version: 1, status: 'draft', lang: 'en', patterns: ['{group} {copula} {dh-vermin}'], category: 'class', severity: 3,
    meaning: 'test', whyHarmful: 'test', method: 'test', source: { type: 'curator', ref: 'test' },
  };
  const body = JSON.stringify({ id: 'import', version: '1', name: 'import', entries: [], targets: [], frames: [frame] });
  const preview = await api.post('/api/lexicon/import/preview?format=json').set('Content-Type', 'application/json').send(body).expect(200);
  expect(preview.body.grammar.added).toEqual(['frame:en.frame.test-only']);
  expect(preview.body.counts.added).toBe(1);
  await api.post('/api/lexicon/import?format=json').set('Content-Type', 'application/json').send(body).expect(201);
  const frames = (await api.get('/api/lexicon/frames?lang=en').expect(200)).body.items as Array<{ id: string }>;
  expect(frames.map((f) => f.id)).toContain('en.frame.test-only');
  // The same ids again are refused whole, as for entries.
  await api.post('/api/lexicon/import?format=json').set('Content-Type', 'application/json').send(body).expect(409);
});
