/** Runs extraction in a killable child process with a time limit and a memory cap. */
import { fork } from 'node:child_process';
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

/**
 * Where streamed pages go: `pages` is called with each batch as the child reads it, one call at a
 * time and in order; the extraction resolves after the last call has finished. An error thrown
 * by the sink stops the child and rejects the extraction.
 */
export interface PageSink {
  total?(total: number): void | Promise<void>;
  pages(batch: ExtractedPage[]): Promise<void>;
}

type ChildReply =
  | { ok: true; pages: ExtractedPage[] }
  | { ok: false; extraction: boolean; message: string }
  | { total: number }
  | { pages: ExtractedPage[] };

/** Without a sink, resolves with every page; with one, pages go to it as they are read and it resolves with []. */
export function extractPagesIsolated(filePath: string, type: AcceptedType, limits: IsolationLimits = {}, sink?: PageSink): Promise<ExtractedPage[]> {
  const timeoutMs = limits.timeoutMs ?? 10 * 60_000;
  const maxMemoryMb = limits.maxMemoryMb ?? 1024;
  const execArgv = [`--max-old-space-size=${maxMemoryMb}`];
  // From source (npm start, tests) the child needs the TypeScript loader; a build does not.
  if (RUNNING_FROM_SOURCE) execArgv.push('--import', pathToFileURL(require.resolve('tsx')).href);

  return new Promise((resolve, reject) => {
    if (limits.signal?.aborted) return reject(new ExtractionAbortedError());
    const child = fork(CHILD, [], { execArgv, stdio: ['ignore', 'ignore', 'pipe', 'ipc'], serialization: 'advanced' });
    let stderr = '';
    let settled = false;
    const finish = (fn: () => void) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      limits.signal?.removeEventListener('abort', onAbort);
      fn();
    };
    const onAbort = () => {
      child.kill('SIGKILL');
      finish(() => reject(new ExtractionAbortedError()));
    };
    limits.signal?.addEventListener('abort', onAbort);
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      finish(() => reject(new ExtractionError(`extraction took longer than ${Math.round(timeoutMs / 1000)} s and was stopped`)));
    }, timeoutMs);
    child.stderr!.setEncoding('utf8');
    child.stderr!.on('data', (chunk: string) => {
      stderr = (stderr + chunk).slice(-4000);
    });
    // Sink calls run one after another; the final answer waits for them.
    let chain: Promise<void> = Promise.resolve();
    let ended = false;
    const enqueue = (work: () => void | Promise<void>) => {
      chain = chain.then(async () => {
        if (!settled) await work();
      }).catch((error: unknown) => {
        child.kill('SIGKILL');
        finish(() => reject(error));
      });
    };
    child.on('message', (reply: ChildReply) => {
      if (!('ok' in reply)) {
        if (!sink) return;
        if ('total' in reply) enqueue(() => sink.total?.(reply.total));
        else enqueue(() => sink.pages(reply.pages));
        return;
      }
      if (!reply.ok) {
        finish(() => reject(reply.extraction ? new ExtractionError(reply.message) : new Error(reply.message)));
        return;
      }
      ended = true;
      void chain.then(() => finish(() => resolve(reply.pages)));
    });
    child.on('error', (error) => finish(() => reject(error)));
    child.on('exit', (code, signal) => {
      if (ended) return; // it answered; stored pages may still be on their way to the sink
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
