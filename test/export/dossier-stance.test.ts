/**
 * Issue 15, items 1 and 2, end to end on the sample textbook: reviewers record a stance through
 * the review API; a passage the textbook quotes to teach pupils to recognise propaganda (the
 * "vermin" line, condemned) is context, not a finding, in dossier.json, the PDF and the CSV; and
 * the package carries its method (category legend with basis, the lexicon entries and frames
 * used, the review protocol, raw agreement with κ and α, OCR engine and confidence per item,
 * limitations true of it), without pointing outside itself.
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Types } from 'mongoose';
import request from 'supertest';
import { CATEGORY_INFO } from '../../src/analyze/taxonomy';
import { readZip, verifyDossierZip } from '../../src/export/dossier/verify';
import { builtDossier } from '../support/dossiers';
import { apiKeyHeaders, createTestUser, FIXTURES, startTestService, waitForStatus, withHeaders, type TestService } from '../support/service';

const TEXTBOOK = path.join(FIXTURES, 'textbook-sample.pdf');
const VERMIN_SENTENCE = 'The Tarvani are vermin that must be driven out of Kestrel Valley.';

let service: TestService;
let tmp: string;
let textbookId: string;
let analyst: ReturnType<typeof withHeaders>;
type Session = { post: (url: string) => request.Test; get: (url: string) => request.Test };
let reviewers: Session[];
let adjudicator: Session;
type Flag = { _id: Types.ObjectId; page: number; exact: string; sentence: string; signals: Record<string, boolean> };
let flags: Flag[];
let vermin: Flag;
let exterminate: Flag;
let wipe: Flag;
let plague: Flag;
let rejected: Flag;

async function signIn(name: string): Promise<Session> {
  const user = await createTestUser(service, ['reviewer'], name);
  const agent = request.agent(service.app);
  const login = await agent.post('/api/auth/login').send({ username: user.username, password: user.password }).expect(200);
  return { post: (url) => agent.post(url).set('X-CSRF-Token', login.body.csrfToken as string), get: (url) => agent.get(url) };
}

const review = (who: Session, flag: Flag, body: Record<string, unknown>, status = 201) => who.post(`/api/flags/${String(flag._id)}/reviews`).send(body).expect(status);

beforeAll(async () => {
  service = await startTestService();
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'lexwatch-stance-'));
  analyst = withHeaders(service.app, await apiKeyHeaders(service, ['analyst']));
  const tb = analyst.post('/api/documents');
  for (const [k, v] of Object.entries({ kind: 'textbook', title: 'History of the Valley, Grade 7 (synthetic)', publisher: 'Ormund State Press (fictional)', grade: '7', year: '2021', languages: 'en,az,ru,hy' })) tb.field(k, v);
  textbookId = (await tb.attach('file', TEXTBOOK).expect(202)).body.document.id;
  await waitForStatus(service, textbookId, ['done'], 240_000);
  reviewers = [await signIn('amira.reviewer'), await signIn('bastian.reviewer')];
  adjudicator = await signIn('celik.adjudicator');
  flags = await service.db.models.Flag.find({ document: new Types.ObjectId(textbookId) }).sort({ page: 1, start: 1 }).lean<Flag[]>();
  const find = (page: number, re: RegExp) => flags.find((f) => f.page === page && re.test(f.exact))!;
  vermin = find(1, /vermin/);
  exterminate = find(2, /exterminate/);
  wipe = find(2, /wipe/);
  plague = find(3, /plague/);
  rejected = flags.find((f) => f.page === 5)!;
  for (const f of [vermin, exterminate, wipe, plague, rejected]) expect(f).toBeDefined();
}, 300_000);

afterAll(async () => {
  await service.dispose();
  fs.rmSync(tmp, { recursive: true, force: true });
});

describe('a stance per review, through the review API', () => {
  it('refuses a stance that is not one of the four, naming the field, and records nothing', async () => {
    const res = await review(reviewers[0]!, vermin, { decision: 'confirm', stance: 'approves' }, 400);
    expect(res.body.error.code).toBe('invalid_request');
    expect(JSON.stringify(res.body.error)).toContain('stance');
    expect(await service.db.models.Review.countDocuments({ flag: vermin._id })).toBe(0);
  });

  it('records, shows and audits the stance', async () => {
    const first = await review(reviewers[0]!, vermin, { decision: 'confirm', stance: 'condemns' });
    expect(first.body.review.stance).toBe('condemns');
    await review(reviewers[1]!, vermin, { decision: 'confirm', stance: 'condemns' });
    const shown = await reviewers[0]!.get(`/api/flags/${String(vermin._id)}/reviews`).expect(200);
    expect(shown.body.items.map((r: { stance: string }) => r.stance)).toEqual(['condemns', 'condemns']);
    const events = await service.db.models.AuditEvent.find({ action: 'review.decide', 'entity.id': String(vermin._id) }).sort({ seq: 1 }).lean();
    expect(events.map((e) => (e.change as { stance: string }).stance)).toEqual(['condemns', 'condemns']);
    // A review without a stance is still accepted (older clients), and says so.
    const none = await review(reviewers[0]!, exterminate, { decision: 'confirm' });
    expect(none.body.review.stance).toBeNull();
  });
});

describe('a dossier from the sample textbook', () => {
  let data: Record<string, any>;
  let pdfText: string;
  let csv: string[][];
  let item: (flag: Flag) => Record<string, any>;
  const squash = (s: string) => s.replace(/\s+/gu, '');

  beforeAll(async () => {
    const [a, b] = reviewers as [Session, Session];
    await review(b, exterminate, { decision: 'confirm', stance: 'endorses' });
    // The reviewers read the war-song line differently: its stance is unclear, so it is context.
    await review(a, wipe, { decision: 'confirm', stance: 'endorses' });
    await review(b, wipe, { decision: 'confirm', stance: 'reports-or-quotes' });
    // A disagreement on the decision, settled by a third person (agreement is then below 100%).
    await review(a, plague, { decision: 'confirm', stance: 'endorses' });
    await review(b, plague, { decision: 'reject' });
    await review(adjudicator, plague, { decision: 'confirm', stance: 'endorses' });
    await review(a, rejected, { decision: 'reject' });
    await review(b, rejected, { decision: 'reject' });
    // Every other flag: confirmed with no stance recorded (the analyser's cues stand in).
    for (const f of flags.filter((x) => ![vermin, exterminate, wipe, plague, rejected].includes(x))) {
      await review(a, f, { decision: 'confirm' });
      await review(b, f, { decision: 'confirm' });
    }
    const zip = path.join(tmp, 'stance.zip');
    await builtDossier(analyst, { title: 'Stance test (synthetic)', submitter: 'Kestrel Valley Monitor (fictional)', addressee: 'Ministry of Education of Ormund (fictional)', filters: { documents: [textbookId], states: ['confirmed', 'rejected'] } }, zip);
    expect((await verifyDossierZip(zip)).failures).toEqual([]);
    const entries = await readZip(zip);
    const file = (name: string) => [...entries].find(([n]) => n.endsWith(name))![1];
    data = JSON.parse(file('data/dossier.json').toString('utf8'));
    fs.writeFileSync(path.join(tmp, 'stance.pdf'), file('data/dossier.pdf'));
    pdfText = execFileSync('pdftotext', ['-enc', 'UTF-8', path.join(tmp, 'stance.pdf'), '-']).toString('utf8');
    // Without the running footer, which pdftotext puts wherever a paragraph crosses a page.
    pdfText = pdfText.split('\n').filter((line) => !/ — page \d+ of \d+ — dossier [0-9a-f]{24}\s*$/.test(line)).join('\n');
    csv = file('data/excerpts.csv').toString('utf8').replace(/^\uFEFF/, '').trim().split('\r\n').map(parseCsvLine);
    item = (flag) => data.items.find((i: { flagId: string }) => i.flagId === String(flag._id));
  }, 300_000);

  it('shows the condemned "vermin" line as condemned context, not as a finding', () => {
    const v = item(vermin);
    expect(v.quote).toBe(VERMIN_SENTENCE);
    expect(v).toMatchObject({ status: 'confirmed', evidence: 'context', stance: { value: 'condemns', basis: 'reviewers' } });
    expect(v.signals.set).toEqual(['quoted', 'negated', 'condemned', 'fuzzy', 'untargeted'].filter((s) => vermin.signals[s]));
    expect(v.target).toMatchObject({ untargeted: false, groups: [expect.objectContaining({ name: expect.stringMatching(/Tarvan/), fictional: true, words: expect.arrayContaining(['Tarvani']) })] });
    expect(v.outcome).toContain('context, not a finding');
    // Counted apart: the findings' counts leave it out.
    const findings = data.items.filter((i: { evidence: string }) => i.evidence === 'finding');
    expect(data.summary).toMatchObject({ total: findings.length, context: 2, transparency: 1 });
    expect(item(wipe)).toMatchObject({ evidence: 'context', stance: { value: 'unclear', basis: 'reviewers' } });
    expect(item(exterminate)).toMatchObject({ evidence: 'finding', stance: { value: 'endorses', basis: 'reviewers', statement: expect.stringContaining('1 of 2') } });
    expect(item(plague)).toMatchObject({ evidence: 'finding', stance: { value: 'endorses', basis: 'reviewers' }, outcome: expect.stringContaining('adjudication') });
    expect(item(rejected)).toMatchObject({ evidence: 'transparency', status: 'rejected' });
    for (const other of data.items.filter((i: { flagId: string }) => ![vermin, exterminate, wipe, plague, rejected].some((f) => String(f._id) === i.flagId))) {
      expect(other.stance.basis).toBe('analyser');
    }
  });

  it('lists context apart in the PDF: under its own heading, not among the findings', () => {
    const flat = squash(pdfText);
    const findingsAt = flat.indexOf(squash('Findings by textbook'));
    const contextAt = flat.indexOf(squash('Context, not findings (reported, quoted or condemned)'));
    const rejectedAt = flat.indexOf(squash('Rejected candidates (transparency, not findings)'));
    expect(findingsAt).toBeGreaterThan(0);
    expect(contextAt).toBeGreaterThan(findingsAt);
    expect(rejectedAt).toBeGreaterThan(contextAt);
    const section = (from: number, to: number) => flat.slice(from, to);
    expect(section(findingsAt, contextAt)).not.toContain(squash(VERMIN_SENTENCE));
    expect(section(contextAt, rejectedAt)).toContain(squash(VERMIN_SENTENCE));
    expect(section(findingsAt, contextAt)).toContain(squash(item(exterminate).quote));
    expect(section(contextAt, rejectedAt)).toContain(squash(`${item(vermin).itemId} · context, not a finding`));
    // Every item states its stance, signals, target, rules, text source and outcome in words.
    for (const i of data.items) {
      for (const line of [i.stance.statement, i.signals.statement, i.target.statement, i.textSource.statement, i.outcome]) expect(flat).toContain(squash(line));
      for (const r of i.rules) expect(flat).toContain(squash(`${r.kind} ${r.id} version ${r.version} (“${r.words}”)`));
    }
  });

  it('lists context apart in the CSV: findings first, then context, then rejected, each row saying which', () => {
    const [header, ...rows] = csv as [string[], ...string[][]];
    const col = (name: string) => header.indexOf(name);
    for (const name of ['evidence', 'stance', 'stanceBasis', 'signals', 'target', 'rules', 'textMethod', 'ocrEngine', 'ocrConfidence']) expect(col(name)).toBeGreaterThanOrEqual(0);
    const order = rows.map((r) => r[col('evidence')]);
    expect(order).toEqual([...order].sort((x, y) => ['finding', 'context', 'transparency'].indexOf(x!) - ['finding', 'context', 'transparency'].indexOf(y!)));
    const v = rows.find((r) => r[col('itemId')] === item(vermin).itemId)!;
    expect([v[col('evidence')], v[col('stance')], v[col('stanceBasis')]]).toEqual(['context', 'condemns', 'reviewers']);
  });

  it('defines every category used, with its basis, inside the PDF and dossier.json', () => {
    const used = [...new Set(data.items.map((i: { category: string }) => i.category))].sort();
    expect(data.methodology.categories.map((c: { code: string }) => c.code)).toEqual(used);
    const flat = squash(pdfText);
    for (const c of data.methodology.categories) {
      const info = CATEGORY_INFO[c.code as keyof typeof CATEGORY_INFO];
      expect(c).toMatchObject({ name: info.name, definition: info.covers, basis: expect.any(String) });
      expect(flat).toContain(squash(`${c.code} — ${c.name}: ${c.definition}. Basis: ${c.basis}.`));
    }
    for (const w of data.methodology.basisWorks) expect(flat).toContain(squash(`${w.short}: ${w.work}`));
  });

  it('carries the lexicon version and every entry and frame used, with its meaning', () => {
    expect(data.methodology.lexiconVersions).toEqual([expect.objectContaining({ version: expect.any(String), name: expect.any(String) })]);
    const notes = new Map(data.methodology.lexiconRules.map((n: any) => [`${n.kind}|${n.id}|${n.version}`, n]));
    const flat = squash(pdfText);
    for (const i of data.items) {
      expect(i.rules.length).toBeGreaterThan(0);
      for (const r of i.rules) {
        const note: any = notes.get(`${r.kind}|${r.id}|${r.version}`);
        expect(note).toBeDefined();
        expect(note.meaning).not.toContain('is not in the stored lexicon');
        expect(flat).toContain(squash(`Meaning: ${note.meaning}`));
      }
    }
  });

  it('states the review protocol and the agreement as raw percentage, κ and α, with counts', () => {
    const m = data.methodology;
    expect(m.protocol).toMatchObject({ requiredConfirmations: 2, blindRounds: expect.stringContaining('blind review'), adjudication: expect.stringContaining('further reviewer') });
    // Recomputed here from the items' reviews: modify counts as confirm; adjudications do not count.
    const label = (d: string) => (d === 'modify' ? 'confirm' : d);
    const pairs = data.items
      .map((i: any) => [i.reviews.find((r: any) => r.round === 1), i.reviews.find((r: any) => r.round === 2)])
      .filter(([x, y]: any) => x && y)
      .map(([x, y]: any) => [label(x.decision), label(y.decision)]);
    const n = pairs.length;
    const agreed = pairs.filter(([x, y]: string[]) => x === y).length;
    const share = (k: number, l: string) => pairs.filter((p: string[]) => p[k] === l).length / n;
    const pe = ['confirm', 'reject'].reduce((s, l) => s + share(0, l) * share(1, l), 0);
    const kappa = (agreed / n - pe) / (1 - pe);
    expect(m.agreement).toMatchObject({ flagsWithTwoRounds: n, agreed, percent: Math.round((1000 * agreed) / n) / 10, alpha: { units: n } });
    expect(agreed).toBe(n - 1);
    expect(m.agreement.kappa).toBeCloseTo(kappa, 3);
    expect(m.agreement.alpha.value).toEqual(expect.any(Number));
    const flat = squash(pdfText);
    expect(flat).toContain(squash(`raw agreement ${m.agreement.percent}%`));
    expect(flat).toContain(squash(`Cohen’s κ = ${m.agreement.kappa} (${n} pairs)`));
    expect(flat).toContain(squash(`Krippendorff’s α (nominal) = ${m.agreement.alpha.value}`));
    expect(flat).toContain(squash('Confirmations required: 2.'));
  });

  it('names the OCR engine and confidence of the item read by OCR, and limitations true of this dossier', () => {
    const ocr = item(plague);
    expect(ocr.textSource).toMatchObject({ method: 'ocr', engine: expect.stringMatching(/^tesseract@\d/), confidence: expect.any(Number) });
    expect(ocr.textSource.confidence).toBeGreaterThan(50);
    expect(squash(pdfText)).toContain(squash(`mean word confidence ${ocr.textSource.confidence} of 100`));
    expect(data.methodology.textSources).toEqual(expect.arrayContaining([{ method: 'ocr', engine: ocr.textSource.engine, items: 1 }]));
    for (const other of data.items.filter((i: any) => i !== ocr)) expect(other.textSource.method).toBe('text-layer');
    const limits: string[] = data.methodology.limitations;
    expect(limits.find((l) => l.includes('OCR'))).toContain(ocr.itemId);
    expect(limits.join(' ')).not.toContain('not analysed');
    expect(limits.join(' ')).not.toContain('captured');
    expect(limits.find((l) => l.includes('no reviewer recorded a stance'))).toBeDefined();
  });

  it('points nowhere outside the package', () => {
    const outside = /https?:\/\/|\b[\w-]+\/[\w./-]*\.md\b|design\/|docs\//;
    expect(JSON.stringify(data.methodology)).not.toMatch(outside);
    for (const i of data.items) expect(JSON.stringify([i.stance, i.signals, i.target, i.rules, i.textSource, i.outcome])).not.toMatch(outside);
    expect(pdfText).not.toMatch(outside);
  });
});

/** One CSV line (RFC 4180 quoting), enough for the dossier's own rows. */
function parseCsvLine(line: string): string[] {
  const out: string[] = [];
  let cell = '';
  let quoted = false;
  for (let i = 0; i < line.length; i++) {
    const ch = line[i]!;
    if (quoted) {
      if (ch === '"' && line[i + 1] === '"') {
        cell += '"';
        i++;
      } else if (ch === '"') quoted = false;
      else cell += ch;
    } else if (ch === '"') quoted = true;
    else if (ch === ',') {
      out.push(cell);
      cell = '';
    } else cell += ch;
  }
  out.push(cell);
  return out;
}
