/**
 * Runs extraction in a killable child process with a time limit and a memory cap. Each child
 * reads exactly one document and exits; while a document runner runs, one more child is kept
 * started ahead of need (see retainSpareChild).
 */
import { fork, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import type { AcceptedType } from '../ingest/sniff';
import { ExtractionAbortedError, ExtractionError, type ExtractedPage } from './types';

export interface IsolationLimits {
  timeoutMs?: number;
  /** V8 heap cap of the child, in MB. */
  maxMemoryMb?: number;
  /** Aborting (a cancel) kills the child at once and rejects with ExtractionAbortedError. */
  signal?: AbortSignal;
}

const RUNNING_FROM_SOURCE = path.extname(__filename) === '.ts';
const CHILD = path.join(__dirname, `child${path.extname(__filename)}`);
const DEFAULT_MAX_MEMORY_MB = 1024;

function forkChild(maxMemoryMb: number, warm: boolean): ChildProcess {
  const execArgv = [`--max-old-space-size=${maxMemoryMb}`];
  // From source (npm start, tests) the child needs the TypeScript loader; a build does not.
  if (RUNNING_FROM_SOURCE) execArgv.push('--import', pathToFileURL(require.resolve('tsx')).href);
  return fork(CHILD, warm ? ['--warm'] : [], { execArgv, stdio: ['ignore', 'ignore', 'pipe', 'ipc'], serialization: 'advanced' });
}

/**
 * A child started ahead of need: forking node (with the TypeScript loader when run from
 * source), loading the extractors and priming pdf.js's worker took ~1.1 s of the bench's
 * 20-page scan before its first page could be read; a waiting child has done all that. It is
 * unreferenced while it waits (it keeps no process alive) and exits when its parent goes.
 */
interface Spare {
  child: ChildProcess;
  maxMemoryMb: number;
  stderr: string;
  /** Settles once the child has loaded everything (true) or died first (false). */
  warm: Promise<boolean>;
  /** Removes the listeners it has while it waits (the extraction that takes it adds its own). */
  detach(): void;
}
let spare: Spare | null = null;
let spareHolders = 0;
let spareMemoryMb = DEFAULT_MAX_MEMORY_MB;

/** Keeps one spare child while held (document runners hold it while they run); returns the release. */
export function retainSpareChild(maxMemoryMb = DEFAULT_MAX_MEMORY_MB): () => void {
  spareHolders += 1;
  spareMemoryMb = maxMemoryMb;
  replenishSpareChild();
  let released = false;
  return () => {
    if (released) return;
    released = true;
    spareHolders -= 1;
    if (spareHolders === 0 && spare) {
      spare.child.kill('SIGKILL');
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
  const child = forkChild(spareMemoryMb, true);
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
    maxMemoryMb: spareMemoryMb,
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

function takeSpare(maxMemoryMb: number): Spare | null {
  const taken = spare;
  if (!taken || taken.maxMemoryMb !== maxMemoryMb || taken.child.exitCode !== null || taken.child.signalCode !== null || !taken.child.connected) return null;
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
export function extractPagesIsolated(filePath: string, type: AcceptedType, limits: IsolationLimits = {}, sink?: PageSink): Promise<ExtractedPage[]> {
  const timeoutMs = limits.timeoutMs ?? 10 * 60_000;
  const maxMemoryMb = limits.maxMemoryMb ?? DEFAULT_MAX_MEMORY_MB;

  return new Promise((resolve, reject) => {
    if (limits.signal?.aborted) return reject(new ExtractionAbortedError());
    const taken = takeSpare(maxMemoryMb);
    const child = taken?.child ?? forkChild(maxMemoryMb, false);
    let stderr = taken?.stderr ?? '';
    let settled = false;
    const finish = (fn: () => void) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      limits.signal?.removeEventListener('abort', onAbort);
      fn();
    };
    // Aborted: the child is killed at once; the extraction rejects once the sink call in hand has
    // returned, so that nothing of it writes after the caller has moved on.
    let aborted = false;
    const onAbort = () => {
      aborted = true;
      child.kill('SIGKILL');
      void chain.then(() => finish(() => reject(new ExtractionAbortedError())));
    };
    limits.signal?.addEventListener('abort', onAbort);
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      finish(() => reject(new ExtractionError(`extraction took longer than ${Math.round(timeoutMs / 1000)} s and was stopped`)));
    }, timeoutMs);
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
        child.kill('SIGKILL');
        finish(() => reject(error));
      });
    };
    child.on('message', (reply: ChildReply) => {
      if (aborted) return;
      if (!('ok' in reply)) {
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
      const outOfMemory = /heap out of memory|Allocation failed/i.test(stderr);
      finish(() =>
        reject(
          new ExtractionError(
            outOfMemory
              ? `extraction ran out of memory (cap ${maxMemoryMb} MB); the file is too large or too complex`
              : `the extractor stopped unexpectedly (${signal ?? `exit code ${code}`})`,
          ),
        ),
      );
    });
    child.send({ path: filePath, type, stream: sink !== undefined });
  });
}
