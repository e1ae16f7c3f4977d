/**
 * A 200-excerpt dossier, end to end: a synthetic 50-page textbook PDF (four flaggable sentences
 * per page in English, Azerbaijani, Russian and Armenian; invented groups only) goes through the
 * real pipeline; every flag is confirmed by two reviewers and its translation checked by a third
 * through the real review service (so the real audit log writes the chain); then the
 * dossier is requested over HTTP and timed until its package is ready. Prints build time, ZIP
 * size, PDF size and pages, and verification time.
 * Run: npm run bench:dossier  (env BENCH_PAGES to change the size; MONGODB_URI to use a server;
 * BENCH_KEEP=1 keeps the package and prints where).
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import PDFDocument from 'pdfkit';
import request from 'supertest';
import type { Principal } from '../src/auth/principal';
import { readZip, verifyDossierZip } from '../src/export/dossier/verify';
import { createService } from '../src/service';
import { startEmbeddedDatabase } from '../src/store/embedded-ferretdb';

const PAGES = Number(process.env.BENCH_PAGES ?? 50);
const SENTENCES: Array<[string, string]> = [
  ['/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf', 'The Tarvani are vermin that must be driven out of Kestrel Valley.'],
  ['/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf', 'Tarvanlılar həşəratdır.'],
  ['/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf', 'Тарваны — паразиты на нашей земле.'],
  ['/usr/share/fonts/truetype/noto/NotoSansArmenian-Regular.ttf', 'Տարվանցիները միջատներ են։'],
];

async function syntheticTextbook(file: string): Promise<void> {
  const doc = new PDFDocument({ size: 'A4', margin: 60, info: { Title: 'Synthetic benchmark textbook (invented groups and places)' } });
  const out = fs.createWriteStream(file);
  doc.pipe(out);
  for (let p = 0; p < PAGES; p++) {
    if (p > 0) doc.addPage();
    doc.font('/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf').fontSize(11).text(`SYNTHETIC BENCHMARK PAGE ${p + 1}. Lesson ${p + 1} on the history of Lake Vessa and Ormund.`);
    doc.moveDown();
    for (const [font, sentence] of SENTENCES) {
      doc.font('/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf').text(`Exercise ${p + 1}: the mills of Kestrel Valley were rebuilt in spring.`);
      doc.font(font).text(sentence);
      doc.moveDown(2);
    }
  }
  doc.end();
  await new Promise<void>((resolve) => out.on('finish', () => resolve()));
}

async function main(): Promise<void> {
  const work = fs.mkdtempSync(path.join(os.tmpdir(), 'lexwatch-bench-dossier-'));
  const embedded = process.env.MONGODB_URI ? null : await startEmbeddedDatabase({ dataDir: path.join(work, 'db') });
  const service = await createService({
    mongodbUri: process.env.MONGODB_URI ?? embedded!.uri,
    config: { UPLOAD_DIR: path.join(work, 'uploads'), MAX_UPLOAD_BYTES: 200 * 1024 * 1024, LEXICON: undefined, TARGETS: undefined, LOG_LEVEL: 'silent', MONGODB_DB: `bench_dossier_${Date.now()}` },
    runner: { pollMs: 100 },
  });
  try {
    const pdf = path.join(work, 'textbook.pdf');
    await syntheticTextbook(pdf);
    // Uploading and requesting dossiers are for analysts: a bench analyst's API key.
    const analyst = await service.auth.createUser({ username: 'bench-analyst', password: 'correct horse battery staple', roles: ['analyst'] }, { id: 'bench', role: 'system' });
    const auth = { Authorization: `Bearer ${(await service.auth.createApiKey(analyst._id, { name: 'bench' }, { id: String(analyst._id), role: 'analyst' })).key}` };
    const up = await request(service.app).post('/api/documents').set(auth).field('kind', 'textbook').field('title', 'Synthetic benchmark textbook').field('grade', '8').field('year', '2022').attach('file', pdf);
    if (up.status !== 202) throw new Error(`upload failed: ${up.status} ${JSON.stringify(up.body)}`);
    await service.runner.idle(600_000);
    const people: Principal[] = [];
    for (const username of ['bench-reviewer-1', 'bench-reviewer-2', 'bench-checker']) {
      const user = await service.auth.createUser({ username, password: 'correct horse battery staple', roles: ['reviewer'] }, { id: 'bench', role: 'system' });
      people.push({ userId: user._id, username, roles: ['reviewer'], via: 'apikey' });
    }
    const actor = (p: Principal) => ({ id: String(p.userId), role: 'reviewer' });
    const [first, second, checker] = people as [Principal, Principal, Principal];
    const flags = await service.db.models.Flag.find({}).lean();
    for (const flag of flags) {
      const id = String(flag._id);
      await service.review.submit(id, first, { decision: 'confirm' }, actor(first));
      await service.review.submit(id, second, { decision: 'confirm' }, actor(second));
      const t = await service.review.addTranslation(id, first, { text: 'English rendering (synthetic)', language: 'en', translator: 'Translator A' }, actor(first));
      await service.review.checkTranslation(id, String(t._id), checker, { verdict: 'approved' }, actor(checker));
    }
    const started = process.hrtime.bigint();
    const res = await request(service.app).post('/api/dossiers').set(auth).send({ title: 'Benchmark dossier (synthetic)', submitter: 'Bench', addressee: 'Nobody' });
    const id = res.body.dossier.id as string;
    let dossier: Record<string, any>;
    for (;;) {
      dossier = (await request(service.app).get(`/api/dossiers/${id}`).set(auth)).body.dossier;
      if (dossier.status === 'done' || dossier.status === 'failed') break;
      await new Promise((r) => setTimeout(r, 50));
    }
    const seconds = Number(process.hrtime.bigint() - started) / 1e9;
    if (dossier.status !== 'done') throw new Error(`dossier failed: ${dossier.failure?.reason}`);
    const file = path.join(work, 'uploads', 'dossiers', `dossier-${id}.zip`);
    const v0 = process.hrtime.bigint();
    const verified = await verifyDossierZip(file);
    const verifySeconds = Number(process.hrtime.bigint() - v0) / 1e9;
    const entries = await readZip(file);
    const pdfBytes = [...entries].find(([n]) => n.endsWith('data/dossier.pdf'))![1].length;
    const mb = (n: number) => `${(n / 1e6).toFixed(2)} MB`;
    console.log(`excerpts:        ${dossier.result.items} (from ${flags.length} flags on ${PAGES} pages)`);
    console.log(`build time:      ${seconds.toFixed(2)} s (request → package ready, incl. ${dossier.result.items} pdftoppm page crops)`);
    console.log(`package (ZIP):   ${mb(dossier.result.bytes)}; PDF ${mb(pdfBytes)}, ${dossier.result.pdfPages} pages`);
    console.log(`verification:    ${verified.ok ? 'OK' : `FAILED ${verified.failures.join('; ')}`} in ${verifySeconds.toFixed(2)} s (${verified.filesChecked} files)`);
    console.log(`peak RSS:        ${mb(process.resourceUsage().maxRSS * 1024)}`);
  } finally {
    await service.close();
    await embedded?.stop();
    if (process.env.BENCH_KEEP) console.log(`kept:            ${work}`);
    else fs.rmSync(work, { recursive: true, force: true });
  }
}

main().catch((err) => {
  console.error(err);
  process.exitCode = 1;
});
