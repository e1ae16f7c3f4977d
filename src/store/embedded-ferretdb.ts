/**
 * The embedded database: FerretDB v1.24.2 (SQLite backend) built from our small Go module in
 * tools/ferretdb, once per machine, into .cache/ferretdb (reused while its source is unchanged).
 * Used by the test harness and by `npm start` when no MONGODB_URI is given.
 *
 * Two changes to FerretDB's sources are made before the build (tools/ferretdb/_patch):
 * - its update, findAndModify and delete commands take one lock, so that a write to one document
 *   is atomic as on MongoDB. Stock v1.24.2 reads the document and writes all of it back with
 *   nothing held in between: measured here, two updates of different fields of one document sent
 *   at once lost one of them 294 times in 300;
 * - equality filters on top-level fields are handed to SQLite in the form of FerretDB's indexes,
 *   so that they are index lookups instead of a scan of the collection decoded in Go
 *   (docs/operations.md, "The embedded FerretDB").
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import readline from 'node:readline';
import mongoose from 'mongoose';
import { BuildProgress, EXPECTED_BUILD } from './build-progress';

export const REPO_ROOT = path.resolve(__dirname, '..', '..');
const SOURCE_DIR = path.join(REPO_ROOT, 'tools', 'ferretdb');
const SOURCE_FILES = ['go.mod', 'go.sum', 'main.go'];
const PATCH_DIR = path.join(SOURCE_DIR, '_patch');
const FERRETDB_MODULE = 'github.com/FerretDB/FerretDB';
const CACHE_DIR = path.join(REPO_ROOT, '.cache', 'ferretdb');

/** Where the binary for the current source lives; the name carries a hash of the source. */
export function ferretdbBinaryPath(): string {
  const hash = createHash('sha256');
  // Every file of the patch counts, so that a new or changed one builds a new binary.
  const patchFiles = fs.readdirSync(PATCH_DIR).sort().map((name) => `_patch/${name}`);
  for (const file of [...SOURCE_FILES, ...patchFiles]) hash.update(file).update(fs.readFileSync(path.join(SOURCE_DIR, file)));
  return path.join(CACHE_DIR, `lexwatch-ferretdb-${hash.digest('hex').slice(0, 16)}`);
}

function findGo(): string {
  const candidates = [process.env.GO, 'go', '/usr/local/go/bin/go'].filter((c): c is string => !!c);
  for (const candidate of candidates) {
    const probe = spawnSync(candidate, ['version'], { encoding: 'utf8' });
    if (probe.status === 0) return candidate;
  }
  throw new Error('Go toolchain not found (needed once to build the embedded FerretDB): install Go ≥ 1.24 or set GO=/path/to/go, or set MONGODB_URI to use an existing MongoDB');
}

/**
 * Builds the FerretDB binary unless the one for this source already exists. Returns its path.
 * `progress` hears what it is doing while it builds (minutes on a cold machine), every 10 s.
 */
export async function ensureFerretdbBinary(progress: (line: string) => void = () => {}): Promise<string> {
  const binary = ferretdbBinaryPath();
  if (fs.existsSync(binary)) return binary;
  fs.mkdirSync(CACHE_DIR, { recursive: true });
  const go = findGo();
  const started = Date.now();
  progress(`building the embedded FerretDB into ${path.relative(REPO_ROOT, binary)}: first run only, ${EXPECTED_BUILD}; later starts reuse it`);
  // Build to private names, then rename: concurrent builders never see a half-written binary.
  const partial = `${binary}.${process.pid}.partial`;
  const patchedSource = `${binary}.${process.pid}.src`;
  const modfile = `${binary}.${process.pid}.mod`;
  try {
    progress('building FerretDB: fetching its sources (Go module cache)');
    // Our go.mod, with FerretDB replaced by its patched copy.
    fs.writeFileSync(modfile, `${fs.readFileSync(path.join(SOURCE_DIR, 'go.mod'), 'utf8')}\nreplace ${FERRETDB_MODULE} => ${patchFerretdbSource(go, patchedSource)}\n`);
    fs.copyFileSync(path.join(SOURCE_DIR, 'go.sum'), modfile.replace(/\.mod$/, '.sum'));
    const buildArgs = [`-modfile=${modfile}`, '-tags', 'ferretdb_no_postgresql'];
    const env = { ...process.env, CGO_ENABLED: '0' };
    const listed = spawnSync(go, ['list', '-deps', ...buildArgs, '.'], { cwd: SOURCE_DIR, encoding: 'utf8', env });
    const tracker = new BuildProgress(listed.status === 0 ? listed.stdout.split('\n').filter(Boolean).length : 0, progress);
    progress(tracker.status());
    const timer = setInterval(() => tracker.tick(), 1_000);
    const code = await new Promise<number | string | null>((resolve, reject) => {
      // -v names each package as it is compiled: that is the progress.
      const child = spawn(go, ['build', '-v', ...buildArgs, '-trimpath', '-o', partial, '.'], { cwd: SOURCE_DIR, stdio: ['ignore', 'inherit', 'pipe'], env });
      readline.createInterface({ input: child.stderr! }).on('line', (line) => tracker.line(line));
      child.once('error', reject);
      child.once('close', (status, signal) => resolve(status ?? signal));
    }).finally(() => clearInterval(timer));
    if (code !== 0) throw new Error(`building FerretDB failed (go build exited ${code})`);
    fs.renameSync(partial, binary);
    progress(`built FerretDB in ${Math.round((Date.now() - started) / 1000)} s`);
    return binary;
  } finally {
    for (const leftover of [partial, modfile, modfile.replace(/\.mod$/, '.sum')]) fs.rmSync(leftover, { force: true });
    removeTree(patchedSource);
  }
}

/**
 * Copies the FerretDB module named in our go.mod out of Go's module cache into `dest` and makes
 * the edits of tools/ferretdb/_patch/edits.json (an insertion after a text, or a replacement of
 * one); returns `dest`. An edit whose text is not found exactly once stops the build: the
 * sources are not what the patch was written for.
 */
function patchFerretdbSource(go: string, dest: string): string {
  const version = /^require\s+github\.com\/FerretDB\/FerretDB\s+(\S+)/m.exec(fs.readFileSync(path.join(SOURCE_DIR, 'go.mod'), 'utf8'))?.[1];
  if (!version) throw new Error(`tools/ferretdb/go.mod does not require ${FERRETDB_MODULE}`);
  const download = spawnSync(go, ['mod', 'download', '-json', `${FERRETDB_MODULE}@${version}`], { cwd: SOURCE_DIR, encoding: 'utf8' });
  const moduleDir = download.status === 0 ? (JSON.parse(download.stdout) as { Dir?: string }).Dir : undefined;
  if (!moduleDir) throw new Error(`downloading ${FERRETDB_MODULE}@${version} failed: ${download.stderr || download.stdout}`);
  removeTree(dest);
  fs.cpSync(moduleDir, dest, { recursive: true });
  makeWritable(dest); // the module cache is read-only
  const spec = JSON.parse(fs.readFileSync(path.join(PATCH_DIR, 'edits.json'), 'utf8')) as {
    insert: string;
    edits: Array<{ file: string; after: string; insert?: string } | { file: string; replace: string; with: string }>;
    addFiles: Record<string, string>;
  };
  for (const edit of spec.edits) {
    const file = path.join(dest, edit.file);
    const text = fs.readFileSync(file, 'utf8');
    const anchor = 'after' in edit ? edit.after : edit.replace;
    const at = text.indexOf(anchor);
    if (at < 0 || text.indexOf(anchor, at + 1) >= 0) throw new Error(`cannot patch FerretDB ${version}: ${edit.file} does not have its anchor exactly once`);
    const [keep, put] = 'after' in edit ? [anchor, edit.insert ?? spec.insert] : ['', edit.with];
    fs.writeFileSync(file, text.slice(0, at) + keep + put + text.slice(at + anchor.length));
  }
  for (const [target, source] of Object.entries(spec.addFiles)) fs.copyFileSync(path.join(PATCH_DIR, source), path.join(dest, target));
  return dest;
}

function makeWritable(dir: string): void {
  fs.chmodSync(dir, 0o755);
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) makeWritable(full);
    else if (entry.isFile()) fs.chmodSync(full, 0o644);
  }
}

function removeTree(dir: string): void {
  if (!fs.existsSync(dir)) return;
  makeWritable(dir);
  fs.rmSync(dir, { recursive: true, force: true });
}

export interface EmbeddedDatabase {
  uri: string;
  process: ChildProcess;
  stop(): Promise<void>;
}

export interface StartOptions {
  /** Directory for SQLite files; omitted = in memory. */
  dataDir?: string;
  /** 127.0.0.1 port; 0 (default) picks a free one. */
  port?: number;
  /** Forward the server's own log lines (stderr) here. */
  log?: (line: string) => void;
  /** Hears the one-time build's progress (default: `log`). */
  progress?: (line: string) => void;
  startTimeoutMs?: number;
}

/** Starts FerretDB, waits until it answers a ping, and returns its URI and a stop function. */
export async function startEmbeddedDatabase(options: StartOptions = {}): Promise<EmbeddedDatabase> {
  const binary = await ensureFerretdbBinary(options.progress ?? options.log);
  const args = ['-listen', `127.0.0.1:${options.port ?? 0}`];
  if (options.dataDir) {
    fs.mkdirSync(options.dataDir, { recursive: true });
    args.push('-data', path.resolve(options.dataDir));
  }
  const child = spawn(binary, args, { stdio: ['ignore', 'pipe', 'pipe'] });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  child.stderr!.setEncoding('utf8');
  child.stderr!.on('data', (chunk: string) => {
    if (options.log) for (const line of chunk.split('\n')) if (line) options.log(line);
  });

  const uri = await new Promise<string>((resolve, reject) => {
    let buffered = '';
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error('FerretDB did not report its address in time'));
    }, options.startTimeoutMs ?? 30_000);
    child.stdout!.setEncoding('utf8');
    child.stdout!.on('data', (chunk: string) => {
      buffered += chunk;
      const match = /MONGODB_URI=(\S+)/.exec(buffered);
      if (match) {
        clearTimeout(timer);
        resolve(match[1]!);
      }
    });
    child.once('exit', (code, signal) => {
      clearTimeout(timer);
      reject(new Error(`FerretDB exited before it was ready (${code ?? signal})`));
    });
  });

  await waitUntilAnswering(uri, options.startTimeoutMs ?? 30_000);

  const stop = async (): Promise<void> => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    child.kill('SIGTERM');
    const killer = setTimeout(() => child.kill('SIGKILL'), 5_000);
    await exited;
    clearTimeout(killer);
  };
  return { uri, process: child, stop };
}

async function waitUntilAnswering(uri: string, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let lastError: unknown;
  while (Date.now() < deadline) {
    const client = new mongoose.mongo.MongoClient(uri, { serverSelectionTimeoutMS: 1_000, directConnection: true });
    try {
      await client.connect();
      await client.db('admin').command({ ping: 1 });
      return;
    } catch (error) {
      lastError = error;
      await new Promise((r) => setTimeout(r, 100));
    } finally {
      await client.close().catch(() => {});
    }
  }
  throw new Error(`FerretDB at ${uri} did not answer: ${String(lastError)}`);
}
