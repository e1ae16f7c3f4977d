/**
 * Re-analysis jobs on the real database: two requests for one document run one after the
 * other (never at once) and add nothing twice; a job waits while someone else holds the
 * document's lease; a job whose holder crashed mid-way is taken over and resumes after its
 * last finished page, with exact counts and no duplicate flags.
 */
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { loadLexicon } from '../../src/lexicon';
import { runReanalysis } from '../../src/pipeline/reanalyze';
import type { ReanalysisRecord } from '../../src/store/job-models';
import { apiKeyHeaders, startTestService, waitForStatus, withHeaders, type TestService } from '../support/service';

let service: TestService;
let admin: ReturnType<typeof withHeaders>;
let adminId: string;
let lexiconDir: string;
beforeAll(async () => {
  // The job mechanics are tested with a lexicon of entries alone (one "vermin" predicate, one
  // entry the text never matches, and the starter's groups), so that the starter's frames and
  // their evolution do not move the counts.
  const starter = loadLexicon();
  const vermin = starter.entries.find((e) => e.id === 'en.dh.animal.vermin')!;
  lexiconDir = fs.mkdtempSync(path.join(os.tmpdir(), 'lexwatch-reanalysis-lexicon-'));
  const file = path.join(lexiconDir, 'lexicon.json');
  fs.writeFileSync(file, JSON.stringify({ id: starter.id, version: starter.version, name: 'reanalysis test lexicon', entries: [{ ...vermin, status: 'reviewed' }, { ...entry('en.test.unmatched', ['never in these pages']), version: 1 }], targets: starter.targets }));
  service = await startTestService({ LEXICON: file });
  const headers = await apiKeyHeaders(service, ['admin']);
  adminId = headers.userId;
  admin = withHeaders(service.app, { ...headers });
});
afterAll(async () => {
  await service.dispose();
  fs.rmSync(lexiconDir, { recursive: true, force: true });
});

// Three pages (form feeds); "vermin" on every page, "patience … at an end" on pages 0 and 2.
const TEXT = [
  'The Merenites are vermin. The Tarvani know our patience with them is at an end.',
  'Farmers say the Merenites are vermin.',
  'The Merenites know our patience with them is at an end. The Tarvani are vermin too.',
].join('\f');

function entry(id: string, terms: string[]) {
  return {
    id, lang: 'en', role: 'predicate', terms, category: 'VI.THREAT', severity: 2, status: 'reviewed',
    meaning: 'test entry', whyHarmful: 'test entry', source: { type: 'curator', ref: 'test' },
  };
}

async function upload(title: string): Promise<string> {
  const res = await admin.post('/api/documents').field('kind', 'statement').field('title', title)
    .attach('file', Buffer.from(`${title}\n${TEXT}`), `${title}.txt`).expect(202);
  const id = res.body.document.id as string;
  expect((await waitForStatus(service, id, ['done', 'failed'])).status).toBe('done');
  return id;
}

async function flagsOf(id: string): Promise<Array<Record<string, any>>> {
  return (await admin.get(`/api/documents/${id}/flags?limit=200`).expect(200)).body.items;
}

const entryIds = (flags: Array<Record<string, any>>, status?: string) =>
  flags.filter((f) => status === undefined || f.status === status).flatMap((f) => f.matches.map((m: { entryId: string }) => `${f.page}:${m.entryId}`)).sort();

async function waitForJob(url: string, timeoutMs = 30_000): Promise<Record<string, any>> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const job = (await admin.get(url).expect(200)).body.reanalysis;
    if (job.status === 'done' || job.status === 'failed') return job;
    if (Date.now() > deadline) throw new Error(`re-analysis still ${job.status}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

it('runs two requests for one document one after the other and adds nothing twice', async () => {
  const id = await upload('Concurrent requests (synthetic)');
  const before = await flagsOf(id);
  expect(entryIds(before)).toEqual(['0:en.dh.animal.vermin', '1:en.dh.animal.vermin', '2:en.dh.animal.vermin']);

  // Version 2: vermin retired, "patience … at an end" added.
  await admin.post('/api/lexicon/entries/en.dh.animal.vermin/retire').expect(200);
  await admin.post('/api/lexicon/entries').send(entry('en.test.patience', ['patience ~3 at an end'])).expect(201);
  await admin.post('/api/lexicon/versions').send({ note: 'v2' }).expect(201);

  const [a, b] = await Promise.all([
    admin.post(`/api/documents/${id}/reanalyze`).send({ reason: 'first' }).expect(202),
    admin.post(`/api/documents/${id}/reanalyze`).send({ reason: 'second' }).expect(202),
  ]);
  const jobs = await Promise.all([waitForJob(a.body.statusUrl), waitForJob(b.body.statusUrl)]);
  expect(jobs.map((j) => j.status)).toEqual(['done', 'done']);
  // Never at once: one started only after the other finished.
  const [first, second] = [...jobs].sort((x, y) => Date.parse(x.startedAt) - Date.parse(y.startedAt));
  expect(Date.parse(second!.startedAt)).toBeGreaterThanOrEqual(Date.parse(first!.finishedAt));
  expect(first!.counts).toEqual({ added: 2, kept: 0, obsoleted: 3 });
  expect(second!.counts).toEqual({ added: 0, kept: 2, obsoleted: 0 });

  const after = await flagsOf(id);
  expect(after).toHaveLength(before.length + 2); // nothing deleted, nothing added twice
  expect(entryIds(after, 'obsolete')).toEqual(['0:en.dh.animal.vermin', '1:en.dh.animal.vermin', '2:en.dh.animal.vermin']);
  expect(entryIds(after, 'new')).toEqual(['0:en.test.patience', '2:en.test.patience']);
});

it('waits while another holder has the document, then runs', async () => {
  const id = await upload('Held document (synthetic)');
  const { Lease } = service.db.models;
  await Lease.create({ _id: `document:${id}`, holder: 'another-worker', expiresAt: new Date(Date.now() + 60_000) });
  const queued = await admin.post(`/api/documents/${id}/reanalyze`).expect(202);
  await new Promise((r) => setTimeout(r, 800)); // several polls of the job runner
  expect((await admin.get(queued.body.statusUrl).expect(200)).body.reanalysis.status).toBe('queued');
  await Lease.deleteOne({ _id: `document:${id}` });
  expect((await waitForJob(queued.body.statusUrl)).status).toBe('done');
});

it('resumes a job whose holder crashed after its last finished page, with exact counts', async () => {
  const id = await upload('Crashed job (synthetic)');
  // Under version 2 (above): "patience" flags on pages 0 and 2, no vermin.
  expect(entryIds(await flagsOf(id))).toEqual(['0:en.test.patience', '2:en.test.patience']);
  // Version 3: patience retired, a new vermin entry.
  await admin.post('/api/lexicon/entries/en.test.patience/retire').expect(200);
  await admin.post('/api/lexicon/entries').send(entry('en.test.vermin', ['vermin'])).expect(201);
  const v3 = (await admin.post('/api/lexicon/versions').send({ note: 'v3' }).expect(201)).body.version.version as string;

  // A holder takes the job and dies after page 0: the job stays `running` with one page done
  // and the lease runs out.
  await service.reanalyses.stop();
  const { Reanalysis, Lease } = service.db.models;
  const job = (await Reanalysis.create({
    document: id, requestedBy: { id: adminId, role: 'admin' }, lexicon: { id: 'starter', version: v3 }, reason: 'crash test',
    status: 'running', startedAt: new Date(), progress: { pagesDone: 0, pagesTotal: 0 }, counts: { added: 0, kept: 0, obsoleted: 0 },
  })).toObject() as ReanalysisRecord;
  const lexicon = await service.lexicons.compiledVersion(v3);
  await expect(runReanalysis(service.db.models, lexicon, job, async (pagesDone, pagesTotal) => {
    await Reanalysis.updateOne({ _id: job._id }, { $set: { progress: { pagesDone, pagesTotal } } });
    throw new Error('holder killed');
  })).rejects.toThrow('holder killed');
  await Lease.create({ _id: `document:${id}`, holder: 'dead-worker', expiresAt: new Date(Date.now() - 1_000) });
  const halfway = await flagsOf(id);
  expect(entryIds(halfway, 'new')).toEqual(['0:en.test.vermin', '2:en.test.patience']);

  service.reanalyses.start();
  const done = await waitForJob(`/api/reanalyses/${String(job._id)}`);
  expect(done).toMatchObject({ status: 'done', progress: { pagesDone: 3, pagesTotal: 3 }, counts: { added: 3, kept: 0, obsoleted: 2 } });
  const after = await flagsOf(id);
  expect(after).toHaveLength(2 + 3);
  expect(entryIds(after, 'new')).toEqual(['0:en.test.vermin', '1:en.test.vermin', '2:en.test.vermin']);
  expect(entryIds(after, 'obsolete')).toEqual(['0:en.test.patience', '2:en.test.patience']);
  const runs = (await admin.get(`/api/audit?entityType=document&entityId=${id}`).expect(200)).body.items.filter((e: { action: string }) => e.action === 'analysis.reanalyze');
  expect(runs).toEqual([expect.objectContaining({ actor: adminId, change: expect.objectContaining({ job: String(job._id), added: 3, kept: 0, obsoleted: 2 }) })]);
});

it('compares only flags found in the current reading of a page; flags on an older reading stay as they are', async () => {
  const id = await upload('Two readings (synthetic)');
  // Active version 3 (above): "vermin" on every page.
  const before = await flagsOf(id);
  expect(entryIds(before)).toEqual(['0:en.test.vermin', '1:en.test.vermin', '2:en.test.vermin']);
  // A newer reading of page 1 (as a re-OCR writes it): version 2 becomes current, with other text.
  const { Page } = service.db.models;
  const old = (await Page.findOne({ document: id, index: 1 }).lean())!;
  const text = 'Farmers say the Merenites are neighbours.';
  const { _id: _oldId, ...rest } = old as unknown as Record<string, unknown>;
  await Page.updateOne({ _id: old._id }, { $set: { current: false } });
  await Page.create({ ...rest, version: 2, current: true, text, textSha256: createHash('sha256').update(text).digest('hex'), words: undefined, analyzedWith: null });

  const queued = await admin.post(`/api/documents/${id}/reanalyze`).send({ reason: 'after a new reading' }).expect(202);
  const done = await waitForJob(queued.body.statusUrl);
  // Pages 0 and 2 keep their flags; page 1's new text raises nothing, and the flag found in the
  // older text is neither kept nor obsoleted: that text was not analysed.
  expect(done).toMatchObject({ status: 'done', progress: { pagesDone: 3, pagesTotal: 3 }, counts: { added: 0, kept: 2, obsoleted: 0 } });
  const after = await flagsOf(id);
  expect(after).toHaveLength(3);
  const onOld = after.find((f) => f.page === 1)!;
  expect(onOld).toMatchObject({ status: 'new', pageVersion: 1 });
  expect(old.text.slice(onOld.start, onOld.end)).toBe(onOld.exact);
});

it('never obsoletes a decided flag: a lexicon that no longer finds it marks it; one that finds it again clears the mark', async () => {
  const id = await upload('Decided flags (synthetic)');
  // Active version 3 (above): "vermin" on every page, all `new`.
  const sorted = (await flagsOf(id)).sort((a, b) => a.page - b.page);
  expect(sorted.map((f) => [f.page, f.status, f.unmatched])).toEqual([[0, 'new', null], [1, 'new', null], [2, 'new', null]]);
  const flags = sorted.map((f) => f as { id: string });
  // Page 0 confirmed and page 1 rejected by two reviewers each; page 2 untouched.
  const reviewers = [withHeaders(service.app, await apiKeyHeaders(service, ['reviewer'])), withHeaders(service.app, await apiKeyHeaders(service, ['reviewer']))];
  for (const reviewer of reviewers) {
    await reviewer.post(`/api/flags/${flags[0]!.id}/reviews`).send({ decision: 'confirm' }).expect(201);
    await reviewer.post(`/api/flags/${flags[1]!.id}/reviews`).send({ decision: 'reject' }).expect(201);
  }

  // Version 4 no longer has the entry.
  await admin.post('/api/lexicon/entries/en.test.vermin/retire').expect(200);
  const v4 = (await admin.post('/api/lexicon/versions').send({ note: 'v4' }).expect(201)).body.version.version as string;
  const first = await waitForJob((await admin.post(`/api/documents/${id}/reanalyze`).send({ reason: 'entry retired' }).expect(202)).body.statusUrl);
  expect(first).toMatchObject({ status: 'done', counts: { added: 0, kept: 0, obsoleted: 1 } });
  const after = new Map((await flagsOf(id)).map((f) => [f.id, f]));
  const marker = { cause: 'lexicon', note: `no longer matched by lexicon ${v4}`, lexicon: { id: expect.any(String), version: v4 }, pageVersion: null, reanalysis: first.id };
  // The human decisions stand, with the marker the flags API shows; the untouched flag is obsolete.
  expect(after.get(flags[0]!.id)).toMatchObject({ status: 'confirmed', unmatched: marker });
  expect(after.get(flags[1]!.id)).toMatchObject({ status: 'rejected', unmatched: marker });
  expect(after.get(flags[2]!.id)).toMatchObject({ status: 'obsolete', unmatched: marker });
  const run = (await admin.get(`/api/audit?entityType=document&entityId=${id}`).expect(200)).body.items.find((e: { action: string }) => e.action === 'analysis.reanalyze');
  expect(run.change).toMatchObject({ job: first.id, added: 0, kept: 0, obsoleted: 1, marked: 2 });

  // Version 5 has it again: the decided flags are found again (unmarked, kept); page 2 gets a new flag.
  await admin.patch('/api/lexicon/entries/en.test.vermin').send({ status: 'reviewed' }).expect(200);
  await admin.post('/api/lexicon/versions').send({ note: 'v5' }).expect(201);
  const second = await waitForJob((await admin.post(`/api/documents/${id}/reanalyze`).send({ reason: 'entry back' }).expect(202)).body.statusUrl);
  expect(second).toMatchObject({ status: 'done', counts: { added: 1, kept: 2, obsoleted: 0 } });
  const last = await flagsOf(id);
  expect(last.find((f) => f.id === flags[0]!.id)).toMatchObject({ status: 'confirmed', unmatched: null });
  expect(last.find((f) => f.id === flags[1]!.id)).toMatchObject({ status: 'rejected', unmatched: null });
  expect(last.find((f) => f.id === flags[2]!.id)).toMatchObject({ status: 'obsolete' });
  expect(last.filter((f) => f.page === 2 && f.status === 'new')).toHaveLength(1);
});
