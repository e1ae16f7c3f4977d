/**
 * The review workflow on the real service: four eyes, blind second review, disputes and
 * adjudication, the queue with leases, skip and release, reopen as a new version, withdrawal,
 * translations checked by another person, and the statistics endpoint.
 */
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { apiKeyHeaders, FIXTURES, startTestService, waitForStatus, withHeaders, type TestService } from '../support/service';

type Client = ReturnType<typeof withHeaders>;
const ROOT = path.resolve(__dirname, '..', '..');

async function uploadTextbook(service: TestService, client: Client, title: string): Promise<string> {
  const res = await client.post('/api/documents').field('kind', 'textbook').field('title', title).attach('file', path.join(FIXTURES, 'textbook-sample.pdf'));
  expect([200, 202]).toContain(res.status);
  await waitForStatus(service, res.body.document.id, ['done']);
  return res.body.document.id;
}

async function flagIds(client: Client, documentId: string): Promise<string[]> {
  const res = await client.get(`/api/documents/${documentId}/flags?limit=200`).expect(200);
  return (res.body.items as Array<{ id: string }>).map((f) => f.id);
}

describe('two reviewers (default setting)', () => {
  let service: TestService;
  let analyst: Client, r1: Client, r2: Client, r3: Client, viewer: Client, admin: Client;
  let flags: string[];

  beforeAll(async () => {
    service = await startTestService();
    analyst = withHeaders(service.app, await apiKeyHeaders(service, ['analyst']));
    r1 = withHeaders(service.app, await apiKeyHeaders(service, ['reviewer']));
    r2 = withHeaders(service.app, await apiKeyHeaders(service, ['reviewer']));
    r3 = withHeaders(service.app, await apiKeyHeaders(service, ['reviewer']));
    viewer = withHeaders(service.app, await apiKeyHeaders(service, ['viewer']));
    admin = withHeaders(service.app, await apiKeyHeaders(service, ['admin']));
    const doc = await uploadTextbook(service, analyst, 'Speech at Ormund (synthetic)');
    flags = await flagIds(viewer, doc);
    expect(flags.length).toBeGreaterThanOrEqual(6);
  });
  afterAll(async () => {
    await service.dispose();
  });

  it('confirms only after a second, different reviewer agrees; the second review is blind', async () => {
    const id = flags[0]!;
    const first = await r1.post(`/api/flags/${id}/reviews`).send({ decision: 'confirm', note: 'clear dehumanization' }).expect(201);
    expect(first.body.flag.status).toBe('awaiting_second');
    expect(first.body.flag.outcome).toBeNull();
    expect(first.body.review.round).toBe(1);

    // The same person cannot be the second pair of eyes.
    expect((await r1.post(`/api/flags/${id}/reviews`).send({ decision: 'confirm' }).expect(409)).body.error).toMatchObject({ code: 'already_reviewed', message: expect.stringMatching(/already reviewed/) });

    // Blind: before submitting, r2 (and viewers) do not see r1's decision.
    const blind = await r2.get(`/api/flags/${id}/reviews`).expect(200);
    expect(blind.body).toEqual({ items: [], hiddenUntilYouReview: 1 });
    expect((await viewer.get(`/api/flags/${id}/history`).expect(200)).body.versions[0].reviews).toEqual([]);
    expect((await r1.get(`/api/flags/${id}/reviews`).expect(200)).body.items).toHaveLength(1);

    const second = await r2.post(`/api/flags/${id}/reviews`).send({ decision: 'confirm' }).expect(201);
    expect(second.body.review.round).toBe(2);
    expect(second.body.flag.status).toBe('confirmed');
    expect(second.body.flag.outcome).toMatchObject({ category: second.body.flag.category, severity: second.body.flag.severity });
    // Decided: everyone sees both reviews now.
    expect((await viewer.get(`/api/flags/${id}/reviews`).expect(200)).body.items.map((r: { decision: string }) => r.decision)).toEqual(['confirm', 'confirm']);
    // And a decided flag takes no third review.
    expect((await r3.post(`/api/flags/${id}/reviews`).send({ decision: 'reject' }).expect(409)).body.error.message).toMatch(/reopen/);
  });

  it('disagreement makes the flag disputed; a third person adjudicates', async () => {
    const id = flags[1]!;
    await r1.post(`/api/flags/${id}/reviews`).send({ decision: 'confirm' }).expect(201);
    const second = await r2.post(`/api/flags/${id}/reviews`).send({ decision: 'reject', note: 'quoted in order to condemn it' }).expect(201);
    expect(second.body.flag.status).toBe('disputed');
    // Neither disputing reviewer may adjudicate.
    await r1.post(`/api/flags/${id}/reviews`).send({ decision: 'reject' }).expect(409);
    // The adjudicator sees both decisions, then decides.
    expect((await r3.get(`/api/flags/${id}/reviews`).expect(200)).body.items).toHaveLength(2);
    await r3.post(`/api/flags/${id}/reviews`).send({ decision: 'escalate' }).expect(400);
    const adjudicated = await r3.post(`/api/flags/${id}/reviews`).send({ decision: 'modify', modification: { severity: 2 }, note: 'partly quoted' }).expect(201);
    expect(adjudicated.body.review.round).toBe('adjudication');
    expect(adjudicated.body.flag.status).toBe('confirmed');
    expect(adjudicated.body.flag.outcome.severity).toBe(2);
  });

  it('simultaneous submissions get distinct rounds, and never more than N', async () => {
    const id = flags[5]!;
    const results = await Promise.all([r1, r2, r3].map((r) => r.post(`/api/flags/${id}/reviews`).send({ decision: 'confirm' })));
    const statuses = results.map((r) => r.status).sort();
    expect(statuses).toEqual([201, 201, 409]);
    const rounds = results.filter((r) => r.status === 201).map((r) => r.body.review.round).sort();
    expect(rounds).toEqual([1, 2]);
    expect(await service.db.models.Review.countDocuments({ flag: id })).toBe(2);
    expect((await service.db.models.Flag.findById(id).lean())!.status).toBe('confirmed');
  });

  it('an escalation is not one of the required reviews: the flag still needs two others who agree', async () => {
    const id = flags[2]!;
    const res = await r1.post(`/api/flags/${id}/reviews`).send({ decision: 'escalate', note: 'needs a Tarvani-speaking reviewer' }).expect(201);
    expect(res.body.flag.status).toBe('awaiting_second');
    // The next person reviews independently (round 2, blind), not as an adjudicator deciding alone.
    expect((await r2.get(`/api/flags/${id}/reviews`).expect(200)).body).toEqual({ items: [], hiddenUntilYouReview: 1 });
    const second = await r2.post(`/api/flags/${id}/reviews`).send({ decision: 'confirm' }).expect(201);
    expect(second.body.review.round).toBe(2);
    expect(second.body.flag.status).toBe('awaiting_second');
    const third = await r3.post(`/api/flags/${id}/reviews`).send({ decision: 'confirm' }).expect(201);
    expect(third.body.review.round).toBe(3);
    expect(third.body.flag.status).toBe('confirmed');
  });

  it('rejects bad decisions and fields a reviewer may not set', async () => {
    const id = flags[3]!;
    const bad = await r1.post(`/api/flags/${id}/reviews`).send({ decision: 'approve' }).expect(400);
    expect(bad.body.error.message).toMatch(/decision/);
    const smuggled = await r1.post(`/api/flags/${id}/reviews`).send({ decision: 'confirm', status: 'confirmed', reviewer: '000000000000000000000000', round: 2 }).expect(400);
    expect(smuggled.body.error.message).toMatch(/status|reviewer|round/);
    await r1.post(`/api/flags/${id}/reviews`).send({ decision: 'modify' }).expect(400);
    await r1.post(`/api/flags/${id}/reviews`).send({ decision: 'modify', modification: { category: 'NOT.A.CODE' } }).expect(400);
    expect(await service.db.models.Review.countDocuments({ flag: id })).toBe(0);
  });

  it('reopening a confirmed flag creates version 2 and keeps version 1 in the history', async () => {
    const id = flags[0]!;
    await r1.post(`/api/flags/${id}/reopen`).send({}).expect(400); // a reason is required
    const reopened = await r1.post(`/api/flags/${id}/reopen`).send({ reason: 'new context from the full speech' }).expect(200);
    expect(reopened.body.flag).toMatchObject({ status: 'new', version: 2, outcome: null });
    expect(reopened.body.flag.history).toHaveLength(1);
    expect(reopened.body.flag.history[0]).toMatchObject({ version: 1, status: 'confirmed', reason: 'new context from the full speech' });
    // r1 reviewed version 1 but may review version 2.
    const again = await r1.post(`/api/flags/${id}/reviews`).send({ decision: 'reject' }).expect(201);
    expect(again.body.review.flagVersion).toBe(2);
    const history = (await r1.get(`/api/flags/${id}/history`).expect(200)).body;
    expect(history.versions.map((v: { version: number; reviews: unknown[] }) => [v.version, v.reviews.length])).toEqual([
      [1, 2],
      [2, 1],
    ]);
    expect(await service.db.models.Review.countDocuments({ flag: id })).toBe(3);
    // Only decided flags can be reopened.
    await r1.post(`/api/flags/${id}/reopen`).send({ reason: 'again' }).expect(409);
  });

  it('withdraws a flag with a reason, never deleting it', async () => {
    const id = flags[4]!;
    await viewer.post(`/api/flags/${id}/withdraw`).send({ reason: 'duplicate of another excerpt' }).expect(403);
    const res = await admin.post(`/api/flags/${id}/withdraw`).send({ reason: 'duplicate of another excerpt' }).expect(200);
    expect(res.body.flag.status).toBe('withdrawn');
    expect(res.body.flag.withdrawal.reason).toBe('duplicate of another excerpt');
    await r1.post(`/api/flags/${id}/reviews`).send({ decision: 'confirm' }).expect(409);
    expect(await service.db.models.Flag.countDocuments({ _id: id })).toBe(1);
  });

  it('translations are checked by another person', async () => {
    const id = flags[1]!;
    const t = await r1.post(`/api/flags/${id}/translations`).send({ text: 'They are vermin in the valley.', language: 'en', translator: 'R. One' }).expect(201);
    const tid = t.body.translation.id;
    await r1.post(`/api/flags/${id}/translations/${tid}/check`).send({ verdict: 'approved' }).expect(403);
    const checked = await r2.post(`/api/flags/${id}/translations/${tid}/check`).send({ verdict: 'approved', note: 'faithful' }).expect(200);
    expect(checked.body.translation.check).toMatchObject({ verdict: 'approved', note: 'faithful' });
    await r3.post(`/api/flags/${id}/translations/${tid}/check`).send({ verdict: 'needs_changes' }).expect(409);
    expect((await viewer.get(`/api/flags/${id}/translations`).expect(200)).body.items).toHaveLength(1);
  });

  it('statistics count only settled flags, so they cannot reveal a decision still hidden from the second reviewer', async () => {
    const id = flags[3]!;
    const visible = (stats: { reviewers: unknown; agreement: unknown }) => ({ reviewers: stats.reviewers, agreement: stats.agreement });
    const before = visible((await r2.get('/api/stats/review').expect(200)).body);
    await r1.post(`/api/flags/${id}/reviews`).send({ decision: 'reject', note: 'quoted to condemn it' }).expect(201);
    expect((await r2.get(`/api/flags/${id}/reviews`).expect(200)).body.hiddenUntilYouReview).toBe(1);
    expect(visible((await r2.get('/api/stats/review').expect(200)).body)).toEqual(before);
    // Decided: now both reviews count.
    expect((await r2.post(`/api/flags/${id}/reviews`).send({ decision: 'reject' }).expect(201)).body.flag.status).toBe('rejected');
    const after = (await r2.get('/api/stats/review').expect(200)).body;
    const rejects = (rows: Array<{ reject: number }>) => rows.reduce((n, r) => n + r.reject, 0);
    expect(rejects(after.reviewers)).toBe(rejects(before.reviewers as Array<{ reject: number }>) + 2);
  });

  it('reports counts, agreement and per-entry confirmation shares', async () => {
    const stats = (await admin.get('/api/stats/review').expect(200)).body;
    expect(stats.flags.total).toBe(flags.length);
    expect(stats.flags.byStatus.confirmed).toBe(3); // flags[1] (adjudicated), flags[2], flags[5]; flags[0] was reopened
    expect(stats.flags.byStatus.withdrawn).toBe(1);
    // Every review but r1's of flags[0] version 2, which awaits its second review.
    const unsettled = await service.db.models.Review.countDocuments({ flag: flags[0], flagVersion: 2 });
    expect(unsettled).toBe(1);
    expect(stats.reviewers.map((r: { reviews: number }) => r.reviews).reduce((a: number, b: number) => a + b, 0)).toBe((await service.db.models.Review.countDocuments()) - unsettled);
    // Paired units: flags[0] v1 (r1/r2 confirm), flags[1] (r1 confirm, r2 reject), flags[2] (r1 escalate, r2 confirm),
    // flags[3] (r1/r2 reject), flags[5] (two of r1..r3).
    const pairs = stats.agreement.pairs as Array<{ items: number; kappa: number | null }>;
    expect(pairs.reduce((n, p) => n + p.items, 0)).toBe(5);
    expect(stats.agreement.alpha.units).toBe(5);
    expect(stats.flagsPerPage.mean).toBeCloseTo(flags.length / stats.flagsPerPage.pages, 10);
    expect(stats.lexiconEntries.length).toBeGreaterThan(0);
    expect(stats.settings).toEqual({ requiredConfirmations: 2, forbidOwnUploads: false });
    await viewer.get('/api/stats/review').expect(403);

    // The CLI computes the same figures from the database.
    const cli = spawnSync(process.execPath, [path.join(ROOT, 'node_modules', 'tsx', 'dist', 'cli.mjs'), 'src/cli/admin.ts', 'stats'], {
      cwd: ROOT,
      env: { ...process.env, MONGODB_URI: process.env.MONGODB_URI, MONGODB_DB: service.dbName },
      encoding: 'utf8',
      timeout: 60_000,
    });
    expect(cli.stderr).toBe('');
    expect(cli.status).toBe(0);
    const fromCli = JSON.parse(cli.stdout);
    expect({ ...fromCli, generatedAt: null }).toEqual({ ...stats, generatedAt: null });
  });
});

describe('the queue', () => {
  let service: TestService;
  let analyst: Client, r1: Client, r2: Client;
  let flags: string[];

  beforeAll(async () => {
    service = await startTestService();
    analyst = withHeaders(service.app, await apiKeyHeaders(service, ['analyst', 'viewer']));
    r1 = withHeaders(service.app, await apiKeyHeaders(service, ['reviewer']));
    r2 = withHeaders(service.app, await apiKeyHeaders(service, ['reviewer']));
    flags = await flagIds(analyst, await uploadTextbook(service, analyst, 'Queue sample (synthetic)'));
  });
  afterAll(async () => {
    await service.dispose();
  });

  it('gives the highest-priority flag with page context, held for one reviewer at a time', async () => {
    const a = (await r1.get('/api/review/next').expect(200)).body;
    const top = await service.db.models.Flag.find({}).sort({ priority: -1, _id: 1 }).limit(2).lean();
    expect(a.flag.id).toBe(String(top[0]!._id));
    expect(a.flag.status).toBe('in_review');
    expect(a.context.text.slice(a.context.start, a.context.end)).toBe(a.flag.exact);
    expect(new Date(a.lease.expiresAt).getTime()).toBeGreaterThan(Date.now());
    // Asking again returns the same held flag; another reviewer gets a different one.
    expect((await r1.get('/api/review/next').expect(200)).body.flag.id).toBe(a.flag.id);
    const b = (await r2.get('/api/review/next').expect(200)).body;
    expect(b.flag.id).toBe(String(top[1]!._id));
    // Releasing hands it back.
    expect((await r1.post(`/api/review/${a.flag.id}/release`).expect(200)).body.released).toBe(true);
    expect((await service.db.models.Flag.findById(a.flag.id).lean())!.status).toBe('new');
    await r2.post(`/api/review/${b.flag.id}/release`).expect(200);
    expect((await r2.get('/api/review/next').expect(200)).body.flag.id).toBe(a.flag.id);
    await r2.post(`/api/review/${a.flag.id}/release`).expect(200);
  });

  it('concurrent requests never hand one flag to two reviewers', async () => {
    const reviewers = [r1, r2];
    const results = await Promise.all(reviewers.map((r) => r.get('/api/review/next').expect(200)));
    const ids = results.map((r) => r.body.flag.id);
    expect(new Set(ids).size).toBe(2);
    for (const [i, r] of reviewers.entries()) await r.post(`/api/review/${ids[i]}/release`).expect(200);
  });

  it('an expired lease is taken over', async () => {
    const a = (await r1.get('/api/review/next').expect(200)).body;
    await service.db.models.ReviewLease.updateOne({ _id: a.flag.id }, { $set: { expiresAt: new Date(Date.now() - 1000) } });
    expect((await r2.get('/api/review/next').expect(200)).body.flag.id).toBe(a.flag.id);
    await r2.post(`/api/review/${a.flag.id}/release`).expect(200);
  });

  it('skips what a reviewer skipped or already reviewed; decisions release the lease', async () => {
    const a = (await r1.get('/api/review/next').expect(200)).body;
    await r1.post(`/api/review/${a.flag.id}/skip`).expect(204);
    const b = (await r1.get('/api/review/next').expect(200)).body;
    expect(b.flag.id).not.toBe(a.flag.id);
    await r1.post(`/api/flags/${b.flag.id}/reviews`).send({ decision: 'confirm' }).expect(201);
    expect(await service.db.models.ReviewLease.countDocuments({ _id: b.flag.id })).toBe(0);
    const c = (await r1.get('/api/review/next').expect(200)).body;
    expect([a.flag.id, b.flag.id]).not.toContain(c.flag.id);
    // r2 still gets the skipped one first, then the one awaiting its second review.
    const d = (await r2.get('/api/review/next').expect(200)).body;
    expect(d.flag.id).toBe(a.flag.id);
    await r1.post(`/api/review/${c.flag.id}/release`).expect(200);
    await r2.post(`/api/review/${d.flag.id}/release`).expect(200);
  });

  it('returns no flag when nothing is left for the reviewer', async () => {
    for (const id of flags) await r1.post(`/api/review/${id}/skip`).expect(204);
    expect((await r1.get('/api/review/next').expect(200)).body.flag).toBeNull();
  });
});

describe('settings: one confirmation, and no reviewing of one’s own uploads', () => {
  let service: TestService;
  beforeAll(async () => {
    service = await startTestService({ review: { requiredConfirmations: 1, forbidOwnUploads: true } });
  });
  afterAll(async () => {
    await service.dispose();
  });

  it('confirms on one review, and keeps uploaders off their own documents', async () => {
    const uploader = withHeaders(service.app, await apiKeyHeaders(service, ['analyst', 'reviewer', 'viewer']));
    const other = withHeaders(service.app, await apiKeyHeaders(service, ['reviewer']));
    const doc = await uploadTextbook(service, uploader, 'Own upload (synthetic)');
    const [id] = await flagIds(uploader, doc);
    expect((await uploader.post(`/api/flags/${id}/reviews`).send({ decision: 'confirm' }).expect(403)).body.error).toMatchObject({ code: 'self_review', message: expect.stringMatching(/uploaded/) });
    expect((await uploader.get('/api/review/next').expect(200)).body.flag).toBeNull();
    const res = await other.post(`/api/flags/${id}/reviews`).send({ decision: 'confirm' }).expect(201);
    expect(res.body.flag.status).toBe('confirmed');
  });
});
