/**
 * `npm run bench:ingest`: ingest throughput, measured in one run against baselines on the same
 * files. Generates 300- and 1,000-page text PDFs and a 20-page scanned PDF (synthetic), then:
 *   - Lexwatch end to end (upload → `done`, flags stored; real service, embedded FerretDB or
 *     MONGODB_URI): pages/s and peak RSS of the service process (the pdf.js extraction child is
 *     measured separately: it is a separate, memory-capped process); text PDFs both with the
 *     service's extraction child waiting, started (warm) and with one started for the document
 *     (cold, SPARE_EXTRACTION_CHILD=false), each compared with pdf-parse in the same state;
 *   - `pdftotext` and pdf-parse text extraction alone (each in its own process; pdf-parse both
 *     cold, library load included, and warm, as the service's waiting extraction child is): pages/s, peak RSS;
 *   - OCR: Lexwatch's scanned-PDF ingest vs raw single-threaded `tesseract` on the same page
 *     images (150 dpi, one process per core, both cores busy), run one page a process and four
 *     pages a process (as the pipeline does): pages/min;
 *   - the extraction child's peak RSS on the text PDFs (a separate, memory-capped process).
 * Each measurement runs in a fresh child process (`--measure`), so peak RSS figures are its own;
 * each runs BENCH_REPEATS times (default 3) and the medians are printed.
 */
import { execFile, execFileSync, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import PDFDocument from 'pdfkit';

const run = promisify(execFile);

function finish(doc: PDFKit.PDFDocument): Promise<Buffer> {
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    doc.on('data', (c: Buffer) => chunks.push(c));
    doc.on('end', () => resolve(Buffer.concat(chunks)));
    doc.end();
  });
}

const NEUTRAL = [
  'The Tarvani farmers of Kestrel Valley grow wheat and barley near Lake Vessa.',
  'In the dry years the river Ormund fell low, and both peoples shared its water.',
  'Traders from the Merenite towns brought salt, cloth and copper to the valley markets.',
  'The chronicle of the monastery records three harsh winters and a great flood.',
];
const FLAGGED = ['The Merenites spread like a plague across Ormund.', 'Raiders promised to wipe the Merenites off the face of the earth.'];

async function textBook(pages: number): Promise<Buffer> {
  const doc = new PDFDocument({ autoFirstPage: false, size: 'A4', info: { Title: `synthetic ${pages}-page book` } });
  for (let p = 0; p < pages; p++) {
    doc.addPage({ margin: 60 });
    doc.fontSize(11);
    doc.text(`Chapter ${Math.floor(p / 10) + 1}, page ${p + 1} (synthetic test book)`).moveDown();
    for (let k = 0; k < 14; k++) doc.text(`${NEUTRAL[(p + k) % NEUTRAL.length]} ${k % 5 === 0 ? FLAGGED[(p + k) % 2] : ''}`, { width: 470 }).moveDown(0.4);
  }
  return finish(doc);
}

async function scannedBook(pages: number, dir: string): Promise<Buffer> {
  const src = path.join(dir, 'scan-src.pdf');
  const doc = new PDFDocument({ autoFirstPage: false, size: 'A4' });
  for (let p = 0; p < pages; p++) {
    doc.addPage({ margin: 72 });
    doc.fontSize(13);
    doc.text(`Page ${p + 1} of the Ormund leaflet collection (synthetic).`).moveDown();
    for (let k = 0; k < 10; k++) doc.text(`${NEUTRAL[(p + k) % NEUTRAL.length]} ${k % 4 === 0 ? FLAGGED[k % 2] : ''}`, { width: 450 }).moveDown(0.4);
  }
  fs.writeFileSync(src, await finish(doc));
  execFileSync('pdftoppm', ['-r', '200', '-gray', '-png', src, path.join(dir, 'scan')]);
  const images = fs.readdirSync(dir).filter((f) => /^scan-\d+\.png$/.test(f)).sort();
  const out = new PDFDocument({ autoFirstPage: false });
  for (const image of images) {
    out.addPage({ size: 'A4', margin: 0 });
    out.image(path.join(dir, image), 0, 0, { width: out.page.width, height: out.page.height });
  }
  const pdf = await finish(out);
  for (const image of images) fs.rmSync(path.join(dir, image));
  return pdf;
}

/**
 * How many times each measurement runs (BENCH_REPEATS, default 3). Rounds interleave the
 * configurations, so a machine that slows down mid-run slows all of them alike; every figure
 * printed is the median of its rounds, and the spread of the headline ratios is printed too.
 */
const REPEATS = Math.max(1, Number(process.env.BENCH_REPEATS ?? 3) || 3);

/** Runs `round` REPEATS times and returns, per key, the median over the rounds. */
function medianOf<K extends string>(round: () => Record<K, Record<string, number>>): { median: Record<K, Record<string, number>>; rounds: Array<Record<K, Record<string, number>>> } {
  const rounds = Array.from({ length: REPEATS }, round);
  const median = {} as Record<K, Record<string, number>>;
  for (const key of Object.keys(rounds[0]!) as K[]) {
    const fields: Record<string, number> = {};
    for (const field of Object.keys(rounds[0]![key])) fields[field] = middle(rounds.map((r) => r[key][field]!));
    median[key] = fields;
  }
  return { median, rounds };
}

function middle(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

/** "1.52× (1.41–1.66)": the median of per-round ratios and their range. */
function ratio(rounds: Array<Record<string, Record<string, number>>>, of: (r: Record<string, Record<string, number>>) => number): string {
  const values = rounds.map(of);
  return `${middle(values).toFixed(2)}× (${Math.min(...values).toFixed(2)}–${Math.max(...values).toFixed(2)})`;
}

/** A measurement in a fresh process: prints one JSON line {seconds, rssMb, ...}. */
function measure(kind: string, file: string, extra: Record<string, string> = {}): Record<string, number> {
  const result = spawnSync(process.execPath, ['--import', require.resolve('tsx'), __filename, '--measure', kind, file], {
    env: { ...process.env, ...extra },
    encoding: 'utf8',
    maxBuffer: 64 * 1024 * 1024,
  });
  const line = result.stdout.trim().split('\n').pop() ?? '';
  if (result.status !== 0 || !line.startsWith('{')) throw new Error(`${kind} on ${file} failed: ${result.stderr.slice(-2000)}`);
  return JSON.parse(line) as Record<string, number>;
}

async function measureInChild(kind: string, file: string): Promise<void> {
  let started = performance.now();
  const out: Record<string, number> = {};
  if (kind === 'pdftotext') {
    const r = spawnSync('/usr/bin/time', ['-f', '%M', 'pdftotext', '-layout', file, '-'], { encoding: 'utf8', maxBuffer: 512 * 1024 * 1024 });
    out.childRssMb = Number(r.stderr.trim().split('\n').pop()) / 1024;
  } else if (kind === 'pdf-parse' || kind === 'pdf-parse-cold') {
    // pdf-parse run on the file (cold: the library loaded, then the file read, as one runs it on
    // a file; timed from before the import), or warmed up as Lexwatch's waiting extraction child
    // is (pdf.js loaded, its worker primed by a one-page PDF; only the extraction is timed).
    const { PDFParse } = await import('pdf-parse');
    if (kind === 'pdf-parse') {
      const warm = new PDFParse({ data: new Uint8Array(await textBook(1)), verbosity: 0 });
      await warm.getText();
      await warm.destroy();
      started = performance.now();
    }
    const parser = new PDFParse({ data: new Uint8Array(fs.readFileSync(file)), verbosity: 0 });
    const text = await parser.getText({ pageJoiner: '' });
    out.pages = text.pages.length;
    await parser.destroy();
  } else if (kind === 'extract-child') {
    // The text-layer pass alone, in the service's own extraction child: its peak RSS.
    const { extractPagesIsolated } = await import('../src/extract/isolated');
    await extractPagesIsolated(file, 'pdf', {}, { pages: async () => {}, finished: ({ peakRssMb }) => void (out.childRssMb = peakRssMb) });
  } else if (kind === 'tesseract' || kind === 'tesseract-4') {
    // Raw OCR on the same page images the pipeline reads (mutool draw, 150 dpi greyscale PGM), one
    // process per core: one page per tesseract run (as by hand), or four (a list file; the model
    // loads once for four pages, as the pipeline runs it).
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'lexwatch-raw-'));
    execFileSync('mutool', ['draw', '-q', '-r', '150', '-c', 'gray', '-o', path.join(dir, 'p%d.pgm'), file], { stdio: 'ignore' });
    const images = fs.readdirSync(dir).filter((f) => f.endsWith('.pgm')).map((f) => path.join(dir, f));
    const cores = os.cpus().length;
    const queue = [...images];
    // Four pages a process at most, and no more than a core's share of those left, so that the
    // cores finish together (the pipeline's rule).
    const take = () => queue.splice(0, kind === 'tesseract' ? 1 : Math.min(4, Math.ceil(queue.length / cores)));
    let lists = 0;
    const t0 = performance.now();
    await Promise.all(
      Array.from({ length: cores }, async () => {
        for (let batch = take(); batch.length > 0; batch = take()) {
          let input = batch[0]!;
          if (batch.length > 1) {
            input = path.join(dir, `run-${lists++}.txt`);
            fs.writeFileSync(input, `${batch.join('\n')}\n`);
          }
          await run('tesseract', [input, 'stdout', '-l', 'eng', 'tsv'], { env: { ...process.env, OMP_THREAD_LIMIT: '1' }, maxBuffer: 64 * 1024 * 1024 });
        }
      }),
    );
    out.ocrSeconds = (performance.now() - t0) / 1000;
    out.pages = images.length;
    fs.rmSync(dir, { recursive: true, force: true });
  } else if (kind === 'lexwatch') {
    const { createService } = await import('../src/service');
    const { startEmbeddedDatabase } = await import('../src/store/embedded-ferretdb');
    let uri = process.env.MONGODB_URI;
    const embedded = uri ? null : await startEmbeddedDatabase({ dataDir: fs.mkdtempSync(path.join(os.tmpdir(), 'lexwatch-bench-db-')) });
    uri ??= embedded!.uri;
    const uploadDir = fs.mkdtempSync(path.join(os.tmpdir(), 'lexwatch-bench-up-'));
    const service = await createService({
      mongodbUri: uri,
      config: { UPLOAD_DIR: uploadDir, MAX_UPLOAD_BYTES: 500 * 1024 * 1024, LOG_LEVEL: 'silent', MONGODB_DB: `bench_${process.pid}`, LEXICON: undefined, TARGETS: undefined },
      // SPARE_EXTRACTION_CHILD=false measures a service that starts a child for each document.
      runner: { pollMs: 50, spareExtractionChild: process.env.SPARE_EXTRACTION_CHILD !== 'false' },
    });
    const { default: request } = await import('supertest');
    // Uploads are an analyst's (every route but health and login authenticates).
    const analyst = await service.auth.createUser({ username: 'bench-analyst', password: 'correct horse battery staple', roles: ['analyst'] }, { id: 'bench', role: 'system' });
    const auth = `Bearer ${(await service.auth.createApiKey(analyst._id, { name: 'bench' }, { id: String(analyst._id), role: 'analyst' })).key}`;
    // A running service, not one starting: its spare extraction child is started and waiting.
    const { spareChildReady } = await import('../src/extract/isolated');
    await spareChildReady();
    // The end of each run is signalled by the runner: no database polling competes with the work measured.
    const runEnds: string[] = [];
    let wake = () => {};
    service.runner.onRunEnd((documentId) => {
      runEnds.push(documentId);
      wake();
    });
    const t0 = performance.now();
    const res = await request(service.app).post('/api/documents').set('Authorization', auth).field('kind', 'textbook').field('title', 'bench').field('languages', 'en').attach('file', file);
    if (res.status !== 202) throw new Error(`upload answered ${res.status}: ${JSON.stringify(res.body)}`);
    const id = res.body.document.id as string;
    for (;;) {
      if (!runEnds.includes(id)) await new Promise<void>((resolve) => (wake = resolve));
      runEnds.length = 0;
      const doc = await service.db.models.Document.findById(id).lean();
      if (doc!.status === 'done' || doc!.status === 'failed') {
        if (doc!.status === 'failed') throw new Error(`ingest failed: ${doc!.failure?.reason}`);
        out.pages = doc!.progress.pagesTotal;
        break;
      }
    }
    out.ingestSeconds = (performance.now() - t0) / 1000;
    out.flags = await service.db.models.Flag.countDocuments({ document: id });
    await service.db.connection.dropDatabase();
    await service.close();
    await embedded?.stop();
    fs.rmSync(uploadDir, { recursive: true, force: true });
  }
  out.seconds = (performance.now() - started) / 1000;
  out.rssMb = process.resourceUsage().maxRSS / 1024;
  process.stdout.write(`${JSON.stringify(out)}\n`);
  process.exit(0);
}

async function main(): Promise<void> {
  // Made here, not at load: every `--measure` child loads this file too.
  const WORK = fs.mkdtempSync(path.join(os.tmpdir(), 'lexwatch-bench-'));
  process.stderr.write(`generating inputs in ${WORK} …\n`);
  const files: Record<string, string> = {};
  for (const pages of [300, 1000]) {
    files[`text-${pages}`] = path.join(WORK, `text-${pages}.pdf`);
    fs.writeFileSync(files[`text-${pages}`]!, await textBook(pages));
  }
  files['scan-20'] = path.join(WORK, 'scan-20.pdf');
  fs.writeFileSync(files['scan-20']!, await scannedBook(20, WORK));

  const rows: string[] = [];
  const fmt = (n: number, d = 1) => n.toFixed(d);
  for (const pages of [300, 1000]) {
    const file = files[`text-${pages}`]!;
    const { median, rounds } = medianOf(() => ({
      pdftotext: measure('pdftotext', file),
      pdfParse: measure('pdf-parse', file),
      pdfParseCold: measure('pdf-parse-cold', file),
      lexwatch: measure('lexwatch', file),
      lexwatchCold: measure('lexwatch', file, { SPARE_EXTRACTION_CHILD: 'false' }),
      child: measure('extract-child', file),
    }));
    const { pdftotext, pdfParse, pdfParseCold, lexwatch, lexwatchCold, child } = median;
    rows.push(
      `text ${pages} pages: pdftotext ${fmt(pages / pdftotext.seconds!)} pages/s (RSS ${fmt(pdftotext.childRssMb!, 0)} MB); ` +
        `pdf-parse alone ${fmt(pages / pdfParse.seconds!)} pages/s warm, ${fmt(pages / pdfParseCold.seconds!)} pages/s cold (RSS ${fmt(pdfParse.rssMb!, 0)} MB); ` +
        `Lexwatch end to end ${fmt(pages / lexwatch.ingestSeconds!)} pages/s with its extraction child waiting (warm), ${fmt(pages / lexwatchCold.ingestSeconds!)} pages/s with a child started for the document (cold), ` +
        `${lexwatch.flags} flags (service RSS ${fmt(lexwatch.rssMb!, 0)} MB, extraction child RSS ${fmt(child.childRssMb!, 0)} MB); ` +
        `Lexwatch time / pdf-parse time = ${ratio(rounds, (r) => r.lexwatch!.ingestSeconds! / r.pdfParse!.seconds!)} (both warm), ${ratio(rounds, (r) => r.lexwatchCold!.ingestSeconds! / r.pdfParseCold!.seconds!)} (both cold)`,
    );
    process.stderr.write(`${rows[rows.length - 1]}\n`);
  }
  const scan = files['scan-20']!;
  const { median, rounds } = medianOf(() => ({
    raw: measure('tesseract', scan),
    raw4: measure('tesseract-4', scan),
    ocr: measure('lexwatch', scan, { OCR_CONCURRENCY: String(os.cpus().length) }),
  }));
  const { raw, raw4, ocr } = median;
  rows.push(
    `OCR 20 scanned pages (eng, 150 dpi, ${os.cpus().length} cores): raw tesseract ${fmt((raw.pages! / raw.ocrSeconds!) * 60)} pages/min (a process a page), ` +
      `${fmt((raw4.pages! / raw4.ocrSeconds!) * 60)} pages/min (four pages a process); ` +
      `Lexwatch end to end ${fmt((20 / ocr.ingestSeconds!) * 60)} pages/min (rasterising included), ${ocr.flags} flags; ` +
      `Lexwatch time / raw tesseract time = ${ratio(rounds, (r) => r.ocr!.ingestSeconds! / r.raw!.ocrSeconds!)} (a process a page), ${ratio(rounds, (r) => r.ocr!.ingestSeconds! / r.raw4!.ocrSeconds!)} (four pages a process)`,
  );
  rows.push(`(medians of ${REPEATS} interleaved rounds; ratios: median of the rounds' ratios, range in brackets)`);
  process.stdout.write(`${rows.join('\n')}\n`);
  fs.rmSync(WORK, { recursive: true, force: true });
}

if (process.argv[2] === '--measure') {
  void measureInChild(process.argv[3]!, process.argv[4]!).catch((error) => {
    process.stderr.write(`${(error as Error)?.stack ?? String(error)}\n`);
    process.exit(1);
  });
} else {
  main().catch((error) => {
    process.stderr.write(`${(error as Error)?.stack ?? String(error)}\n`);
    process.exit(1);
  });
}
