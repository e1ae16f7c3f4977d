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

export function extractPagesIsolated(filePath: string, type: AcceptedType, limits: IsolationLimits = {}): Promise<ExtractedPage[]> {
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
    child.on('message', (reply: { ok: true; pages: ExtractedPage[] } | { ok: false; extraction: boolean; message: string }) => {
      finish(() => (reply.ok ? resolve(reply.pages) : reject(reply.extraction ? new ExtractionError(reply.message) : new Error(reply.message))));
    });
    child.on('error', (error) => finish(() => reject(error)));
    child.on('exit', (code, signal) => {
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
    child.send({ path: filePath, type });
  });
}
