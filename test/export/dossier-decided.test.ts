/**
 * Only decided evidence leaves in a dossier (issue 15, item 4), on the real database and the real
 * review API: a flag still under review (its first reviewer's decision blind to the second) is
 * never exported, rejected flags come only on request and are labelled as transparency, and a
 * withdrawn document is left out, or refused with 409 when it is named.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { execFileSync } from 'node:child_process';
import { Types } from 'mongoose';
import request from 'supertest';
import { readZip, verifyDossierZip } from '../../src/export/dossier/verify';
import { createTestUser, startTestService, waitForStatus, type TestService } from '../support/service';
import { until } from '../support/until';

const SECRET_NOTE = 'first-round note the second reviewer must not see (synthetic)';
const INTERNAL_NOTE = 'internal note: reviewer saw this in the staff room (synthetic)';

let service: TestService;
let tmp: string;
let statementId: string;
let withdrawnId: string;
/** One person with both the analyst and the reviewer role: can review and request dossiers alone. */
let analystReviewer: { post: (url: string) => request.Test; get: (url: string) => request.Test; id: string; username: string };
let secondReviewer: typeof analystReviewer;
let pendingFlagId: string;
let confirmedFlagId: string;
let rejectedFlagId: string;

async function signIn(roles: Array<'analyst' | 'reviewer'>, name: string): Promise<typeof analystReviewer> {
  const user = await createTestUser(service, roles, name);
  const agent = request.agent(service.app);
  const login = await agent.post('/api/auth/login').send({ username: user.username, password: user.password }).expect(200);
  const token = login.body.csrfToken as string;
  return { post: (url) => agent.post(url).set('X-CSRF-Token', token), get: (url) => agent.get(url), id: user.id, username: user.username };
}

async function upload(file: string, title: string): Promise<string> {
  const res = await analystReviewer.post('/api/documents').field('kind', 'statement').field('title', title).field('speaker', 'Ardel Voss').field('date', '2023-05-04').attach('file', file).expect(202);
  const id = res.body.document.id as string;
  await waitForStatus(service, id, ['done']);
  return id;
}

beforeAll(async () => {
  service = await startTestService();
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'lexwatch-decided-'));
  analystReviewer = await signIn(['analyst', 'reviewer'], 'dana.analyst-reviewer');
  secondReviewer = await signIn(['reviewer'], 'emil.reviewer');
  const statement = path.join(tmp, 'statement.txt');
  fs.writeFileSync(statement, [
    'SYNTHETIC TEST FIXTURE. An invented statement by a fictional speaker about invented groups.',
    'The Merenites are vermin, said the fictional minister.',
    'The Tarvanis are cockroaches, he went on.',
    'The Merenites are parasites on the valley, he ended.',
  ].join('\n\n'));
  statementId = await upload(statement, 'Harvest address (synthetic)');
  const flags = await service.db.models.Flag.find({ document: new Types.ObjectId(statementId) }).sort({ start: 1 }).lean();
  expect(flags.length).toBeGreaterThanOrEqual(3);
  [pendingFlagId, confirmedFlagId, rejectedFlagId] = flags.map((f) => String(f._id)) as [string, string, string];

  // The first round only: awaiting the second, blind reviewer.
  const first = await analystReviewer.post(`/api/flags/${pendingFlagId}/reviews`).send({ decision: 'confirm', note: SECRET_NOTE }).expect(201);
  expect(first.body.flag.status).toBe('awaiting_second');
  for (const [id, decision] of [[confirmedFlagId, 'confirm'], [rejectedFlagId, 'reject']] as const) {
    await analystReviewer.post(`/api/flags/${id}/reviews`).send({ decision, note: INTERNAL_NOTE }).expect(201);
    const second = await secondReviewer.post(`/api/flags/${id}/reviews`).send({ decision }).expect(201);
    expect(second.body.flag.status).toBe(decision === 'confirm' ? 'confirmed' : 'rejected');
  }

  // A second statement, confirmed, then withdrawn as misattributed.
  const other = path.join(tmp, 'misattributed.txt');
  fs.writeFileSync(other, 'SYNTHETIC TEST FIXTURE. An invented speech: the Merenites are vermin, said the fictional speaker.\n');
  withdrawnId = await upload(other, 'Misattributed speech (synthetic)');
  const otherFlag = (await service.db.models.Flag.findOne({ document: new Types.ObjectId(withdrawnId) }).lean())!;
  for (const r of [analystReviewer, secondReviewer]) await r.post(`/api/flags/${String(otherFlag._id)}/reviews`).send({ decision: 'confirm' }).expect(201);
  await analystReviewer.post(`/api/documents/${withdrawnId}/withdraw`).send({ reason: 'misattributed: not the minister’s speech' }).expect(200);
});

afterAll(async () => {
  await service.dispose();
  fs.rmSync(tmp, { recursive: true, force: true });
});

async function built(id: string): Promise<{ data: Record<string, any>; entries: Map<string, Buffer>; pdfText: string; file: string }> {
  const d = await until('the dossier to finish', async () => {
    const res = await analystReviewer.get(`/api/dossiers/${id}`).expect(200);
    return ['done', 'failed'].includes(res.body.dossier.status) ? res.body.dossier : null;
  });
  expect(d.failure).toBeUndefined();
  const res = await analystReviewer.get(`/api/dossiers/${id}/download`).buffer(true).parse((r, cb) => {
    const chunks: Buffer[] = [];
    r.on('data', (c: Buffer) => chunks.push(c));
    r.on('end', () => cb(null, Buffer.concat(chunks)));
  }).expect(200);
  const file = path.join(tmp, `${id}.zip`);
  fs.writeFileSync(file, res.body as Buffer);
  const entries = await readZip(file);
  const json = [...entries].find(([n]) => n.endsWith('/data/dossier.json'))![1];
  const pdf = path.join(tmp, `${id}.pdf`);
  fs.writeFileSync(pdf, [...entries].find(([n]) => n.endsWith('/data/dossier.pdf'))![1]);
  return { data: JSON.parse(json.toString('utf8')), entries, file, pdfText: execFileSync('pdftotext', ['-enc', 'UTF-8', pdf, '-']).toString('utf8') };
}

const squash = (s: string) => s.replace(/\s+/gu, '');
const everything = (entries: Map<string, Buffer>): string => [...entries.values()].map((b) => b.toString('latin1')).join('\n');

describe('a dossier never carries a flag still under review', () => {
  it('refuses states: ["awaiting_second"] with a 400 naming the state, and queues nothing (the blind-review leak)', async () => {
    const before = await service.db.models.Dossier.countDocuments();
    for (const states of [['awaiting_second'], ['confirmed', 'awaiting_second'], ['new', 'in_review', 'disputed']]) {
      const res = await analystReviewer.post('/api/dossiers').send({ title: 'Leak attempt', submitter: 'S', addressee: 'A', filters: { states } }).expect(400);
      expect(res.body.error.code).toBe('invalid_request');
      expect(res.body.error.message).toContain('filters.states');
      const problem = res.body.error.details.find((d: any) => d.field === 'filters.states');
      expect(problem.message).toContain('decided flags only');
      for (const s of states.filter((x) => x !== 'confirmed')) expect(problem.message).toContain(`"${s}"`);
    }
    expect(await service.db.models.Dossier.countDocuments()).toBe(before);
  });

  it('leaves such a flag, its reviews and its audit events out of a job stored with that state', async () => {
    // A job queued before the rule (or written by other means) asks for the pending state.
    const _id = new Types.ObjectId();
    const now = new Date();
    await service.db.models.Dossier.collection.insertOne({
      _id, title: 'Stored leak attempt', submitter: 's', addressee: 'a', filters: { states: ['awaiting_second', 'confirmed'] },
      status: 'queued', progress: { itemsDone: 0, itemsTotal: 0 }, createdAt: now, updatedAt: now,
    });
    service.dossiers.poke();
    const { data, entries } = await built(String(_id));
    expect(data.items.map((i: any) => i.flagId)).toEqual([confirmedFlagId]);
    const all = everything(entries);
    expect(all).not.toContain(pendingFlagId);
    expect(all).not.toContain(SECRET_NOTE);
  });
});

describe('rejected flags only on request, as transparency', () => {
  it('takes confirmed flags by default', async () => {
    const res = await analystReviewer.post('/api/dossiers').send({ title: 'Default', submitter: 'S', addressee: 'A' }).expect(202);
    const { data, entries } = await built(res.body.dossier.id);
    expect(data.items.map((i: any) => [i.flagId, i.evidence])).toEqual([[confirmedFlagId, 'finding']]);
    expect(everything(entries)).not.toContain(rejectedFlagId);
  });

  it('labels rejected flags as transparency, apart from the findings and not counted among them', async () => {
    const res = await analystReviewer.post('/api/dossiers').send({ title: 'With rejected', submitter: 'S', addressee: 'A', filters: { states: ['confirmed', 'rejected'] } }).expect(202);
    const { data, pdfText } = await built(res.body.dossier.id);
    expect(data.items.map((i: any) => [i.flagId, i.status, i.evidence])).toEqual([[confirmedFlagId, 'confirmed', 'finding'], [rejectedFlagId, 'rejected', 'transparency']]);
    expect(data.summary).toMatchObject({ total: 1, transparency: 1 });
    expect(data.speakers[0].statements.map((s: any) => s.itemId)).toEqual([data.items[0].itemId]);
    const flat = squash(pdfText);
    const rejectedSection = flat.indexOf(squash('Rejected candidates (transparency, not findings)'));
    expect(rejectedSection).toBeGreaterThan(0);
    // The rejected excerpt appears only after that heading (besides the register in the annex).
    const rejectedItem = data.items[1];
    expect(flat.indexOf(`${rejectedItem.itemId}·`)).toBeGreaterThan(rejectedSection);
    expect(flat).toContain(squash('1 finding(s) from 1 source(s). 1 rejected candidate(s) are listed apart'));
  });
});

describe('withdrawn documents', () => {
  it('are left out of a dossier that does not name them', async () => {
    const res = await analystReviewer.post('/api/dossiers').send({ title: 'All', submitter: 'S', addressee: 'A' }).expect(202);
    const { data, entries } = await built(res.body.dossier.id);
    expect(data.sources.map((s: any) => s.documentId)).toEqual([statementId]);
    expect(everything(entries)).not.toContain('Misattributed speech');
  });

  it('are refused with 409 naming the document when named explicitly', async () => {
    const before = await service.db.models.Dossier.countDocuments();
    const res = await analystReviewer.post('/api/dossiers').send({ title: 'Named', submitter: 'S', addressee: 'A', filters: { documents: [statementId, withdrawnId] } }).expect(409);
    expect(res.body.error.message).toContain(withdrawnId);
    expect(res.body.error.message).toContain('Misattributed speech (synthetic)');
    expect(res.body.error.details.withdrawn).toEqual([expect.objectContaining({ id: withdrawnId, reason: 'misattributed: not the minister’s speech' })]);
    expect(await service.db.models.Dossier.countDocuments()).toBe(before);
  });
});

describe('reviewer protection', () => {
  it('is pseudonymous by default: one stable pseudonym per person, no notes, the mapping only in the audit trail', async () => {
    const res = await analystReviewer.post('/api/dossiers').send({ title: 'Protected', submitter: 'S', addressee: 'Ministry of Ormund (fictional)', filters: { states: ['confirmed', 'rejected'] } }).expect(202);
    expect(res.body.dossier.protection).toEqual({ reviewers: 'pseudonymous', includeNotes: false });
    const { data, entries, pdfText, file } = await built(res.body.dossier.id);
    // The same person is the same pseudonym on every item; the first seen is Person A.
    expect(data.items.map((i: any) => i.reviews.map((r: any) => [r.reviewer, r.note]))).toEqual([
      [['Person A', null], ['Person B', null]],
      [['Person A', null], ['Person B', null]],
    ]);
    expect(data.items[0].confirmedBy).toBe('Person A, Person B');
    expect(data.methodology.reviewerIdentity).toMatchObject({ reviewers: 'pseudonymous', includeNotes: false });
    expect(squash(pdfText)).toContain(squash('Reviewers are pseudonymous'));
    const all = everything(entries);
    for (const secret of [analystReviewer.username, secondReviewer.username, analystReviewer.id, secondReviewer.id, INTERNAL_NOTE]) expect(all).not.toContain(secret);
    // Audit events made by people keep their hashes, not their content; the package still verifies.
    const lines = [...entries].find(([n]) => n.endsWith('/data/audit-events.jsonl'))![1].toString('utf8').trim().split('\n').map((l) => JSON.parse(l));
    expect(lines.filter((l) => l.redacted).length).toBeGreaterThan(0);
    expect(lines.find((l) => l.action === 'review.decide')).toMatchObject({ redacted: true, actor: expect.stringMatching(/^Person [A-Z]$/), hash: expect.stringMatching(/^[0-9a-f]{64}$/) });
    const verified = await verifyDossierZip(file);
    expect(verified.failures).toEqual([]);
    // The organisation keeps who is who.
    const own = await service.audit.list({ entityType: 'dossier', entityId: res.body.dossier.id }, 10);
    expect(own.find((e) => e.action === 'dossier.pseudonyms')!.change).toEqual({ pseudonyms: { 'Person A': analystReviewer.id, 'Person B': secondReviewer.id } });
  });

  it('names reviewers and includes notes only when asked; roles-only shows the role', async () => {
    const named = await analystReviewer.post('/api/dossiers').send({ title: 'Named', submitter: 'S', addressee: 'A', reviewers: 'named', includeNotes: true }).expect(202);
    const n = await built(named.body.dossier.id);
    expect(n.data.items[0].reviews.map((r: any) => [r.reviewer, r.note])).toEqual([[analystReviewer.username, INTERNAL_NOTE], [secondReviewer.username, null]]);
    expect((await verifyDossierZip(n.file)).failures).toEqual([]);

    const internal = await analystReviewer.post('/api/dossiers').send({ title: 'Internal', submitter: 'S', addressee: 'Our board', audience: 'internal' }).expect(202);
    expect(internal.body.dossier.protection).toEqual({ reviewers: 'named', includeNotes: false });
    const i = await built(internal.body.dossier.id);
    expect(i.data.items[0].reviews[0]).toMatchObject({ reviewer: analystReviewer.username, note: null });
    expect(everything(i.entries)).not.toContain(INTERNAL_NOTE);
    expect((await verifyDossierZip(i.file)).failures).toEqual([]);

    const roles = await analystReviewer.post('/api/dossiers').send({ title: 'Roles', submitter: 'S', addressee: 'A', reviewers: 'roles-only' }).expect(202);
    const r = await built(roles.body.dossier.id);
    expect(r.data.items[0].reviews.map((x: any) => x.reviewer)).toEqual(['Reviewer', 'Reviewer']);
    expect(everything(r.entries)).not.toContain(analystReviewer.username);

    const bad = await analystReviewer.post('/api/dossiers').send({ title: 'x', submitter: 'y', addressee: 'z', reviewers: 'anonymous' }).expect(400);
    expect(bad.body.error.message).toContain('reviewers');
  });
});
