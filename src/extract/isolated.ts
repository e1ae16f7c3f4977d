/**
 * Runs extraction in a killable child process under the extraction limits (src/limited-process.ts:
 * writable memory, CPU time, wall clock). Each child reads exactly one document and exits; while a
 * document runner runs, one more child is kept started ahead of need (see retainSpareChild).
 */
import { fork, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import type { AcceptedType } from '../ingest/sniff';
import { classifyExit, ChildAborted, ChildLimitExceeded, DEFAULT_CHILD_LIMITS, limitedCommand, MemorySampler, overLimitReason, type LimitKind, type ToolLimits } from '../limited-process';
import { ExtractionAbortedError, ExtractionError, type ExtractedPage } from './types';

export interface IsolationLimits extends Partial<ToolLimits> {
  /** Aborting (a cancel) kills the child at once and rejects with ExtractionAbortedError. */
  signal?: AbortSignal;
  /** Read from this page on (0-based; PDF only). */
  fromPage?: number;
  /**
   * Send each page as soon as it is read, and read the next only once the parent has it, so
   * that a child that dies is known to have died on the first page not received; with
   * `pageTimeoutMs`, a page that takes longer stops the child.
   */
  pageByPage?: boolean;
  pageTimeoutMs?: number;
}

/**
 * The child stopped while reading (killed at a cap, crashed, or timed out): the pages it sent
 * are good; the page it was on may be the cause. `limit` names the cap it went over, if one did.
 */
export class ExtractionInterrupted extends ExtractionError {
  constructor(
    /** The sentence without its subject ("needs more than 2 GB to read its text layer; …"). */
    readonly predicate: string,
    readonly limit: LimitKind | null,
    /** Raw output of the child, for the log only. */
    readonly detail: string,
  ) {
    super(`the file ${predicate}`);
  }
}

const RUNNING_FROM_SOURCE = path.extname(__filename) === '.ts';
const CHILD = path.join(__dirname, `child${path.extname(__filename)}`);

function fullLimits(limits: Partial<ToolLimits>): ToolLimits {
  return { ...DEFAULT_CHILD_LIMITS.extract, ...Object.fromEntries(Object.entries(limits).filter(([k, v]) => v !== undefined && k in DEFAULT_CHILD_LIMITS.extract)) };
}

/**
 * V8's heap takes half of the child's writable-memory cap; the other half is for what V8 does
 * not count (ArrayBuffers holding decoded PDF streams, WebAssembly memories, native code).
 */
function heapMb(limits: ToolLimits): number {
  return Math.max(64, Math.floor(limits.memoryMb / 2));
}

function forkChild(limits: ToolLimits, warm: boolean): ChildProcess {
  const nodeArgs = [`--max-old-space-size=${heapMb(limits)}`];
  // From source (npm start, tests) the child needs the TypeScript loader; a build does not.
  if (RUNNING_FROM_SOURCE) nodeArgs.push('--import', pathToFileURL(require.resolve('tsx')).href);
  // prlimit sets the caps and execs node, which finds its IPC channel in the environment fork set.
  const line = limitedCommand(process.execPath, nodeArgs, limits);
  // Its own process group (detached), so that killing it also kills a tool it started (pdftotext
  // for a PDF pdf.js cannot open): nothing it started outlives its document.
  return fork(CHILD, warm ? ['--warm'] : [], { execPath: line.file, execArgv: line.args, stdio: ['ignore', 'ignore', 'pipe', 'ipc'], serialization: 'advanced', detached: true });
}

/** Kills the child and every process in its group. */
function killTree(child: ChildProcess): void {
  try {
    if (child.pid) process.kill(-child.pid, 'SIGKILL');
  } catch {
    // the group is gone already
  }
  child.kill('SIGKILL');
}

function sameCaps(a: ToolLimits, b: ToolLimits): boolean {
  return a.memoryMb === b.memoryMb && a.cpuSeconds === b.cpuSeconds;
}

/**
 * A child started ahead of need: forking node (with the TypeScript loader when run from
 * source), loading the extractors and priming pdf.js's worker took ~1.1 s of the bench's
 * 20-page scan before its first page could be read; a waiting child has done all that. It is
 * unreferenced while it waits (it keeps no process alive) and exits when its parent goes.
 */
interface Spare {
  child: ChildProcess;
  limits: ToolLimits;
  stderr: string;
  /** Settles once the child has loaded everything (true) or died first (false). */
  warm: Promise<boolean>;
  /** Removes the listeners it has while it waits (the extraction that takes it adds its own). */
  detach(): void;
}
let spare: Spare | null = null;
let spareHolders = 0;
let spareLimits: ToolLimits = DEFAULT_CHILD_LIMITS.extract;

/** Keeps one spare child while held (document runners hold it while they run); returns the release. */
export function retainSpareChild(limits: Partial<ToolLimits> = {}): () => void {
  spareHolders += 1;
  spareLimits = fullLimits(limits);
  replenishSpareChild();
  let released = false;
  return () => {
    if (released) return;
    released = true;
    spareHolders -= 1;
    if (spareHolders === 0 && spare) {
      killTree(spare.child);
      spare = null;
    }
  };
}

/**
 * Starts a spare if one is held and none waits. Runners call it when a document is finished, not
 * when the spare is taken: starting a child costs a core for about a second, which would come
 * out of the OCR of the document that just took the spare.
 */
export function replenishSpareChild(): void {
  if (spareHolders === 0 || spare) return;
  const child = forkChild(spareLimits, true);
  let settleWarm: (warm: boolean) => void = () => {};
  const onStderr = (chunk: string) => {
    entry.stderr = (entry.stderr + chunk).slice(-4000);
  };
  const onMessage = (message: { warm?: boolean }) => {
    if (message?.warm) settleWarm(true);
  };
  const onExit = () => {
    settleWarm(false);
    if (spare === entry) spare = null;
  };
  const entry: Spare = {
    child,
    limits: spareLimits,
    stderr: '',
    warm: new Promise((resolve) => (settleWarm = resolve)),
    detach: () => {
      child.stderr!.off('data', onStderr);
      child.off('message', onMessage);
      child.off('exit', onExit);
    },
  };
  child.stderr!.setEncoding('utf8');
  child.stderr!.on('data', onStderr);
  child.on('message', onMessage);
  child.once('exit', onExit);
  setReferenced(child, false);
  spare = entry;
}

/**
 * Resolves true once a spare child is started and waiting, false if none is kept. A service
 * that has been up for a second or two is in this state; the ingest benchmark waits for it so
 * that it measures a running service, not its start-up.
 */
export async function spareChildReady(): Promise<boolean> {
  return spare ? spare.warm : false;
}

function takeSpare(limits: ToolLimits): Spare | null {
  const taken = spare;
  if (!taken || !sameCaps(taken.limits, limits) || taken.child.exitCode !== null || taken.child.signalCode !== null || !taken.child.connected) return null;
  spare = null;
  taken.detach();
  setReferenced(taken.child, true);
  return taken;
}

/** A waiting spare must not keep the service's event loop alive; a working child must. */
function setReferenced(child: ChildProcess, on: boolean): void {
  const handles = [child, child.channel, child.stderr] as Array<{ ref?(): void; unref?(): void } | null | undefined>;
  for (const handle of handles) (on ? handle?.ref : handle?.unref)?.call(handle);
}

/**
 * Where streamed pages go: `pages` is called with each batch as the child reads it, one call at a
 * time and in order; the extraction resolves after the last call has finished. An error thrown
 * by the sink stops the child and rejects the extraction.
 */
export interface PageSink {
  total?(total: number): void | Promise<void>;
  pages(batch: ExtractedPage[]): Promise<void>;
  /** After the last page: the child's peak resident memory. */
  finished?(stats: { peakRssMb: number }): void;
}

type ChildReply =
  | { ok: true; pages: ExtractedPage[]; peakRssMb?: number }
  | { ok: false; extraction: boolean; message: string }
  | { total: number }
  | { pages: ExtractedPage[] }
  | { warm: true };

/** Without a sink, resolves with every page; with one, pages go to it as they are read and it resolves with []. */
export function extractPagesIsolated(filePath: string, type: AcceptedType, isolation: IsolationLimits = {}, sink?: PageSink): Promise<ExtractedPage[]> {
  const limits = fullLimits(isolation);

  return new Promise((resolve, reject) => {
    if (isolation.signal?.aborted) return reject(new ExtractionAbortedError());
    const taken = takeSpare(limits);
    const child = taken?.child ?? forkChild(limits, false);
    const memory = new MemorySampler(child.pid);
    let stderr = taken?.stderr ?? '';
    let settled = false;
    let stoppedFor: LimitKind | null = null;
    const finish = (fn: () => void) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      clearTimeout(pageTimer);
      memory.stop();
      isolation.signal?.removeEventListener('abort', onAbort);
      fn();
    };
    // Aborted: the child is killed at once; the extraction rejects once the sink call in hand has
    // returned, so that nothing of it writes after the caller has moved on.
    let aborted = false;
    const onAbort = () => {
      aborted = true;
      killTree(child);
      void chain.then(() => finish(() => reject(new ExtractionAbortedError())));
    };
    isolation.signal?.addEventListener('abort', onAbort);
    const stop = (why: LimitKind) => {
      stoppedFor ??= why;
      killTree(child);
    };
    const timer = setTimeout(() => stop('time'), limits.timeoutMs);
    let pageTimer: NodeJS.Timeout | undefined;
    const armPageTimer = () => {
      clearTimeout(pageTimer);
      if (isolation.pageByPage && isolation.pageTimeoutMs) pageTimer = setTimeout(() => stop('time'), isolation.pageTimeoutMs);
    };
    armPageTimer();
    if (!taken) child.stderr!.setEncoding('utf8');
    child.stderr!.on('data', (chunk: string) => {
      stderr = (stderr + chunk).slice(-4000);
    });
    // Sink calls run one after another; the final answer waits for them.
    let chain: Promise<void> = Promise.resolve();
    let ended = false;
    const enqueue = (work: () => void | Promise<void>) => {
      chain = chain.then(async () => {
        if (!settled && !aborted) await work();
      }).catch((error: unknown) => {
        killTree(child);
        finish(() => reject(error));
      });
    };
    child.on('message', (reply: ChildReply) => {
      if (aborted) return;
      if (!('ok' in reply)) {
        if ('pages' in reply) armPageTimer();
        if (!sink || 'warm' in reply) return;
        if ('total' in reply) enqueue(() => sink.total?.(reply.total));
        else enqueue(() => sink.pages(reply.pages));
        return;
      }
      if (!reply.ok) {
        finish(() => reject(reply.extraction ? new ExtractionError(reply.message) : new Error(reply.message)));
        return;
      }
      ended = true;
      const peakRssMb = reply.peakRssMb;
      if (sink?.finished && typeof peakRssMb === 'number') enqueue(() => sink.finished!({ peakRssMb }));
      void chain.then(() => finish(() => resolve(reply.pages)));
    });
    child.on('error', (error) => finish(() => reject(error)));
    child.on('exit', (code, signal) => {
      if (ended || aborted) return; // it answered (stored pages may still be on their way to the sink), or we killed it
      memory.sample();
      const why = classifyExit('the extraction child', code, signal, stoppedFor, stderr, memory.peakMb, limits);
      // Pages it sent before it stopped are stored before the caller hears of it.
      void chain.then(() => finish(() => reject(interrupted(why, limits, type))));
    });
    child.send({ path: filePath, type, stream: sink !== undefined, fromPage: isolation.fromPage ?? 0, pageByPage: isolation.pageByPage === true });
  });
}

/** What a person is told when the child stopped: which cap, or that the reader crashed. */
function interrupted(why: Error, limits: ToolLimits, type: AcceptedType): ExtractionInterrupted | ExtractionAbortedError {
  if (why instanceof ChildAborted) return new ExtractionAbortedError();
  const what = type === 'pdf' ? 'to read its text layer' : 'to read';
  if (why instanceof ChildLimitExceeded) {
    return new ExtractionInterrupted(overLimitReason(why, 'extract', what, 'split the file'), why.limit, why.detail);
  }
  const detail = (why as { detail?: string }).detail ?? why.message;
  return new ExtractionInterrupted('could not be read: the text reader crashed on it', null, detail);
}
