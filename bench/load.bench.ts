/**
 * `npm run bench:load`: read latency under load, on the embedded database (or MONGODB_URI).
 *
 * Seeds 100,000 flags on 20,000 pages (100 documents of 200 pages, 5 flags a page; synthetic,
 * invented places and groups), plus a few documents still in progress (no runner: their progress
 * streams stay open). Then starts the service as its own process (`src/server.ts`, so its RSS is
 * its own) and drives it over loopback:
 *  1. baseline: 1 client mixing the review queue, the flags list with filters, a document page
 *     and a progress stream (time to its first event), for BENCH_BASELINE_SECONDS;
 *  2. load: BENCH_CLIENTS (50) such clients, one user each, for BENCH_SECONDS;
 *  3. streams: /api/flags with no stream open, with 300 streams asked for by one user (the cap
 *     answers 429 beyond EVENT_STREAMS_PER_USER), and with the process's cap of streams open.
 * Prints p50/p95/p99 per route, errors and the service's peak RSS. Targets (issue 16): p95 ≤ 300 ms
 * per route at 50 clients, no errors, RSS ≤ 600 MB.
 * Env: BENCH_DOCUMENTS, BENCH_PAGES (per document), BENCH_FLAGS (per page), BENCH_CLIENTS,
 * BENCH_SECONDS, BENCH_BASELINE_SECONDS, BENCH_STREAM_SAMPLES, BENCH_SERVER (another checkout's
 * src/server.ts, to compare with it in the same conditions), MONGODB_URI.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import type { Types } from 'mongoose';
import { createService } from '../src/service';
import { startEmbeddedDatabase, REPO_ROOT } from '../src/store/embedded-ferretdb';
import { formatSummary, openStream, summarize, timedGet, type OpenStream, type Sample } from './load-client';
import { seed } from './load-seed';

const SIZE = { documents: Number(process.env.BENCH_DOCUMENTS ?? 100), pagesPerDocument: Number(process.env.BENCH_PAGES ?? 200), flagsPerPage: Number(process.env.BENCH_FLAGS ?? 5) };
const CLIENTS = Number(process.env.BENCH_CLIENTS ?? 50);
const SECONDS = Number(process.env.BENCH_SECONDS ?? 30);
const BASELINE_SECONDS = Number(process.env.BENCH_BASELINE_SECONDS ?? 15);
const IN_PROGRESS = 10;
/** /api/flags requests timed, one after another, in each state of the streams phase. */
const STREAM_SAMPLES = Number(process.env.BENCH_STREAM_SAMPLES ?? 20);
const PER_USER = 10;
const PER_PROCESS = 100;
const SERVER = path.resolve(process.env.BENCH_SERVER ?? path.join(REPO_ROOT, 'src', 'server.ts'));
const CATEGORIES = ['DH.ANIMAL', 'DH.DISEASE', 'DH.DEMON', 'DH.OBJECT', 'DH.DISGUST'];

const log = (line: string) => process.stdout.write(`${line}\n`);
const pick = <T>(list: readonly T[]): T => list[Math.floor(Math.random() * list.length)]!;

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer().listen(0, '127.0.0.1', () => {
      const port = (server.address() as net.AddressInfo).port;
      server.close(() => resolve(port));
    });
    server.on('error', reject);
  });
}

/** CPU seconds (user + system) a process has used. */
function cpuSeconds(pid: number | undefined): number {
  if (!pid) return NaN;
  const fields = fs.readFileSync(`/proc/${pid}/stat`, 'utf8').replace(/^.*\) /, '').split(' ');
  return (Number(fields[11]) + Number(fields[12])) / 100;
}

function rssMb(pid: number): number {
  const status = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
  return Number(/VmRSS:\s+(\d+) kB/.exec(status)?.[1] ?? 0) / 1024;
}

interface World {
  base: string;
  done: Types.ObjectId[];
  inProgress: Types.ObjectId[];
  reviewers: Array<Record<string, string>>;
  viewers: Array<Record<string, string>>;
  /** The embedded FerretDB's process, when the bench started one. */
  databasePid?: number;
}

/** One client: the four routes in turn, one progress stream held at a time, until `until`. */
async function client(world: World, headers: Record<string, string>, until: number, samples: Sample[]): Promise<void> {
  let stream: OpenStream | undefined;
  let streamOpenedAt = 0;
  for (let turn = Math.floor(Math.random() * 4); Date.now() < until; turn++) {
    switch (turn % 4) {
      case 0:
        samples.push(await timedGet(world.base, 'GET /api/review/next', '/api/review/next', headers));
        break;
      case 1: {
        const query = Math.random() < 0.5
          ? `status=new&category=${pick(CATEGORIES)}&limit=50&offset=${50 * Math.floor(Math.random() * 10)}`
          : `document=${String(pick(world.done))}&status=new&limit=50`;
        samples.push(await timedGet(world.base, 'GET /api/flags (filters)', `/api/flags?${query}`, headers));
        break;
      }
      case 2:
        samples.push(await timedGet(world.base, 'GET /api/documents/:id/pages/:n', `/api/documents/${String(pick(world.done))}/pages/${Math.floor(Math.random() * SIZE.pagesPerDocument)}`, headers));
        break;
      default:
        // A viewer watching a document in progress for about two seconds.
        if (stream && Date.now() - streamOpenedAt > 2_000) {
          stream.close();
          stream = undefined;
        }
        if (!stream) {
          stream = await openStream(world.base, `/api/documents/${String(pick(world.inProgress))}/events`, headers);
          streamOpenedAt = Date.now();
          samples.push(stream.sample);
        }
    }
  }
  stream?.close();
}

async function phase(world: World, title: string, clients: number, seconds: number, pid: number): Promise<void> {
  const samples: Sample[] = [];
  let peak = rssMb(pid);
  const sampler = setInterval(() => (peak = Math.max(peak, rssMb(pid))), 250);
  const until = Date.now() + seconds * 1000;
  const [cpu0, dbCpu0, t0] = [cpuSeconds(pid), cpuSeconds(world.databasePid), Date.now()];
  await Promise.all(Array.from({ length: clients }, (_, i) => client(world, world.reviewers[i % world.reviewers.length]!, until, samples)));
  clearInterval(sampler);
  const wall = (Date.now() - t0) / 1000;
  const cpu = cpuSeconds(pid) - cpu0;
  const dbCpu = cpuSeconds(world.databasePid) - dbCpu0;
  log(formatSummary(
    `${title}: ${clients} client(s), ${wall.toFixed(0)} s, ${samples.length} requests, ${samples.filter((s) => s.status < 200 || s.status >= 300).length} errors, service peak RSS ${peak.toFixed(0)} MB; ` +
      `CPU: service ${cpu.toFixed(1)} s, database ${Number.isNaN(dbCpu) ? 'n/a' : `${dbCpu.toFixed(1)} s`} (load average ${os.loadavg()[0]!.toFixed(1)} on ${os.cpus().length} cores)`,
    summarize(samples),
  ));
}

async function flagsLatency(world: World, label: string): Promise<void> {
  const samples: Sample[] = [];
  for (let i = 0; i < STREAM_SAMPLES; i++) samples.push(await timedGet(world.base, `GET /api/flags (filters), ${label}`, `/api/flags?status=new&category=${pick(CATEGORIES)}&limit=50`, world.viewers[0]!));
  log(formatSummary('', summarize(samples)).split('\n').slice(2).join('\n'));
}

async function streamsPhase(world: World): Promise<void> {
  log(`\nstreams: caps ${PER_USER} per user, ${PER_PROCESS} per process`);
  await flagsLatency(world, 'no stream open');
  const oneUser = await Promise.all(Array.from({ length: 300 }, () => openStream(world.base, `/api/documents/${String(pick(world.inProgress))}/events`, world.viewers[0]!)));
  const count = (list: OpenStream[], status: number) => list.filter((s) => s.sample.status === status).length;
  log(`  300 streams asked for by one user: ${count(oneUser, 200)} open, ${count(oneUser, 429)} answered 429, ${oneUser.length - count(oneUser, 200) - count(oneUser, 429)} other`);
  await flagsLatency(world, `${count(oneUser, 200)} streams open`);
  const many = await Promise.all(Array.from({ length: PER_PROCESS + 20 }, (_, i) => openStream(world.base, `/api/documents/${String(pick(world.inProgress))}/events`, world.viewers[1 + (i % (world.viewers.length - 1))]!)));
  const open = count(oneUser, 200) + count(many, 200);
  log(`  ${many.length} more from ${world.viewers.length - 1} users: ${count(many, 200)} open, ${count(many, 429)} answered 429 (process cap), ${many.length - count(many, 200) - count(many, 429)} other`);
  await flagsLatency(world, `${open} streams open`);
  for (const stream of [...oneUser, ...many]) stream.close();
}

function startServer(env: NodeJS.ProcessEnv): Promise<{ child: ChildProcess; stop(): Promise<void> }> {
  const child = spawn(process.execPath, ['--import', 'tsx', SERVER], { cwd: path.resolve(path.dirname(SERVER), '..'), env, stdio: ['ignore', 'ignore', 'pipe'] });
  return new Promise((resolve, reject) => {
    let err = '';
    child.stderr!.setEncoding('utf8').on('data', (chunk: string) => {
      err += chunk;
      if (/Lexwatch listening/.test(err)) {
        resolve({ child, stop: () => new Promise<void>((r) => (child.exitCode !== null ? r() : (child.once('exit', () => r()), child.kill('SIGTERM')))) });
      }
    });
    child.once('exit', (code) => reject(new Error(`service exited (${code}): ${err}`)));
  });
}

async function main(): Promise<void> {
  const work = fs.mkdtempSync(path.join(os.tmpdir(), 'lexwatch-bench-load-'));
  const embedded = process.env.MONGODB_URI ? null : await startEmbeddedDatabase({ dataDir: path.join(work, 'db') });
  const uri = process.env.MONGODB_URI ?? embedded!.uri;
  const dbName = `bench_load_${Date.now()}`;
  const config = { UPLOAD_DIR: path.join(work, 'uploads'), MAX_UPLOAD_BYTES: 1024 * 1024, LEXICON: undefined, TARGETS: undefined, LOG_LEVEL: 'silent' as const, MONGODB_DB: dbName };
  let server: Awaited<ReturnType<typeof startServer>> | undefined;
  try {
    // Seed and make the people, through the service's own code; then let go of it.
    const seeding = await createService({ mongodbUri: uri, config, runner: { enabled: false } });
    const flags = SIZE.documents * SIZE.pagesPerDocument * SIZE.flagsPerPage;
    log(`seeding ${flags} flags on ${SIZE.documents * SIZE.pagesPerDocument} pages (${SIZE.documents} documents) on ${embedded ? 'the embedded FerretDB' : 'MONGODB_URI'}`);
    const seedStarted = Date.now();
    const done = await seed(seeding.db.models, seeding.db.repos, SIZE, log);
    const inProgress = await seed(seeding.db.models, seeding.db.repos, { documents: IN_PROGRESS, pagesPerDocument: 1, flagsPerPage: 0 }, () => {});
    await seeding.db.models.Document.updateMany({ _id: { $in: inProgress } }, { $set: { status: 'analyzing', 'progress.stage': 'analyzing', 'progress.pagesDone': 0 } });
    log(`seeded in ${((Date.now() - seedStarted) / 1000).toFixed(0)} s`);
    const system = { id: 'bench', role: 'system' };
    const keyOf = async (username: string, roles: string[]) => {
      const user = await seeding.auth.createUser({ username, password: 'correct horse battery staple', roles }, system);
      return { Authorization: `Bearer ${(await seeding.auth.createApiKey(user._id, { name: 'bench' }, system)).key}` };
    };
    const reviewers = [];
    for (let i = 0; i < CLIENTS; i++) reviewers.push(await keyOf(`bench-reviewer-${i}`, ['reviewer']));
    const viewers = [];
    for (let i = 0; i < 11; i++) viewers.push(await keyOf(`bench-viewer-${i}`, ['viewer']));
    await seeding.close();

    const port = await freePort();
    server = await startServer({
      ...process.env, MONGODB_URI: uri, MONGODB_DB: dbName, PORT: String(port), HOST: '127.0.0.1', UPLOAD_DIR: config.UPLOAD_DIR, WORKER_CONCURRENCY: '0',
      LOG_LEVEL: 'warn', EVENT_STREAMS_PER_USER: String(PER_USER), EVENT_STREAMS_PER_PROCESS: String(PER_PROCESS), SPARE_EXTRACTION_CHILD: 'false',
    });
    const world: World = { base: `http://127.0.0.1:${port}`, done, inProgress, reviewers, viewers, databasePid: embedded?.process.pid };
    const pid = server.child.pid!;
    log(`service pid ${pid}, RSS at start ${rssMb(pid).toFixed(0)} MB\n`);
    await phase(world, 'baseline', 1, BASELINE_SECONDS, pid);
    log('');
    await phase(world, 'load', CLIENTS, SECONDS, pid);
    await streamsPhase(world);
    log(`\nservice RSS at the end ${rssMb(pid).toFixed(0)} MB`);
  } finally {
    await server?.stop();
    await embedded?.stop();
    fs.rmSync(work, { recursive: true, force: true });
  }
}

main().then(
  () => process.exit(0),
  (error) => {
    console.error(error);
    process.exit(1);
  },
);
