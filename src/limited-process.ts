/**
 * Every child process Lexwatch starts — the extraction child (node with pdf.js), `mutool`,
 * `pdftoppm`, `pdftotext`, `tesseract`, `tiff2pdf` — runs under three caps:
 *
 * - **memory**: RLIMIT_DATA, set by util-linux's `prlimit`, which then execs the tool (same
 *   pid, no shell). RLIMIT_DATA counts the memory a process can write to (heap, anonymous
 *   mappings, ArrayBuffers), not address space it only reserves. Measured here (Node 20, 2025):
 *   the extraction child reserves 33.7 GB of address space (VmPeak) to read a 6-page PDF — V8's
 *   code range and ~10 GB per WebAssembly memory — while it writes 0.36 GB (VmData) and keeps
 *   0.31 GB resident. RLIMIT_AS at 2 GB stops it before it starts ("Out of memory: Cannot
 *   allocate Wasm memory"), at 1.5 GB V8 cannot reserve its code range; RLIMIT_DATA at 400 MB
 *   reads the same PDF and stops an ArrayBuffer bomb at the cap. A cgroup would need a
 *   delegated cgroup v2 memory controller, which neither this machine (cgroup v1 memory) nor a
 *   non-root container has.
 * - **CPU time**: RLIMIT_CPU (SIGXCPU at the limit, SIGKILL a second later).
 * - **wall clock**: a timer here that kills the process (SIGKILL).
 *
 * A process over a cap is killed (or fails its own allocation) and the caller gets a
 * ChildLimitExceeded naming the cap, so it can say in a sentence what happened; any other failure
 * is a ChildFailed whose raw output is for the log, never for people.
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs';

export interface ToolLimits {
  /** Writable memory (RLIMIT_DATA), in MB. */
  memoryMb: number;
  /** CPU time (RLIMIT_CPU), in seconds. */
  cpuSeconds: number;
  /** Wall-clock time, in ms. */
  timeoutMs: number;
}

/** The kinds of child process, each with its own limits (and its own settings, see src/config.ts). */
export interface ChildLimits {
  /** The extraction child: pdf.js, HTML, DOCX and text, one document per child. */
  extract: ToolLimits;
  /** Drawing one PDF page (`mutool draw`, `pdftoppm`), finding words on it (`pdftotext`), converting a TIFF (`tiff2pdf`). */
  render: ToolLimits;
  /** `tesseract`, per page read. */
  ocr: ToolLimits;
}

export const DEFAULT_CHILD_LIMITS: ChildLimits = {
  extract: { memoryMb: 2048, cpuSeconds: 600, timeoutMs: 600_000 },
  render: { memoryMb: 2048, cpuSeconds: 120, timeoutMs: 120_000 },
  ocr: { memoryMb: 1536, cpuSeconds: 120, timeoutMs: 120_000 },
};

/** The settings that change each limit, for messages that tell an operator what to raise. */
export const LIMIT_SETTINGS: Record<keyof ChildLimits, Record<'memory' | 'cpu' | 'time', string>> = {
  extract: { memory: 'EXTRACT_MEMORY_MB', cpu: 'EXTRACT_CPU_SECONDS', time: 'EXTRACT_TIMEOUT_SECONDS' },
  render: { memory: 'RENDER_MEMORY_MB', cpu: 'RENDER_CPU_SECONDS', time: 'RENDER_TIMEOUT_SECONDS' },
  ocr: { memory: 'OCR_MEMORY_MB', cpu: 'OCR_CPU_SECONDS', time: 'OCR_TIMEOUT_SECONDS' },
};

/** Limits for `pages` pages read by one process: time and CPU scale, memory does not. */
export function forPages(limits: ToolLimits, pages: number): ToolLimits {
  const n = Math.max(1, pages);
  return { memoryMb: limits.memoryMb, cpuSeconds: limits.cpuSeconds * n, timeoutMs: limits.timeoutMs * n };
}

export type LimitKind = 'memory' | 'cpu' | 'time' | 'output';

/** The process went over one of its caps and was stopped. */
export class ChildLimitExceeded extends Error {
  override readonly name = 'ChildLimitExceeded';
  constructor(
    readonly limit: LimitKind,
    readonly tool: string,
    readonly limits: ToolLimits,
    /** The tool's last lines of stderr (for the log only). */
    readonly detail = '',
  ) {
    super(`${tool} exceeded its ${limit} limit`);
  }
}

/** The process failed on its own (exit code or signal); `detail` is its raw stderr, for the log only. */
export class ChildFailed extends Error {
  override readonly name = 'ChildFailed';
  constructor(
    readonly tool: string,
    readonly code: number | null,
    readonly signal: NodeJS.Signals | null,
    readonly detail: string,
  ) {
    super(`${tool} failed (${signal ?? `exit code ${code}`})`);
  }
}

/** The tool is not installed (or prlimit is missing). */
export class ChildUnavailable extends Error {
  override readonly name = 'ChildUnavailable';
}

/** Stopped on request (a cancel). */
export class ChildAborted extends Error {
  override readonly name = 'ChildAborted';
  constructor(tool: string) {
    super(`${tool} was stopped on request`);
  }
}

export const PRLIMIT = process.env.LEXWATCH_PRLIMIT || '/usr/bin/prlimit';

/**
 * The command line that starts `command` under `limits`: prlimit sets the caps and execs the
 * command (the child's pid is the tool's own). The CPU hard limit is a second past the soft one,
 * so the tool gets SIGXCPU first and SIGKILL if it ignores it.
 */
export function limitedCommand(command: string, args: readonly string[], limits: ToolLimits): { file: string; args: string[] } {
  const data = Math.max(16, Math.round(limits.memoryMb)) * 1024 * 1024;
  const cpu = Math.max(1, Math.ceil(limits.cpuSeconds));
  return { file: PRLIMIT, args: [`--data=${data}:${data}`, `--cpu=${cpu}:${cpu + 1}`, '--', command, ...args] };
}

export interface RunOptions {
  limits: ToolLimits;
  signal?: AbortSignal;
  env?: NodeJS.ProcessEnv;
  /** Larger stdout stops the process (default 64 MB). */
  maxOutputBytes?: number;
}

export interface RunResult {
  stdout: Buffer;
  stderr: string;
  /** Peak writable memory seen (VmData, sampled), in MB. */
  peakMemoryMb: number;
}

/** How often a running tool's memory is sampled (to tell a memory failure from a crash, and to log the peak). */
const SAMPLE_MS = 100;
/** Out-of-memory messages of the tools and runtimes Lexwatch starts. */
const OUT_OF_MEMORY = /out of memory|cannot allocate|could not allocate|allocation failed|malloc.*fail|failed to allocate|bad_alloc|ENOMEM|heap limit|memory allocation of \d+ bytes failed|Fatal process OOM/i;

/** Runs `command` with `args` (never through a shell) under `limits`; resolves with its output when it exits 0. */
export function runLimited(command: string, args: readonly string[], options: RunOptions): Promise<RunResult> {
  const { limits } = options;
  const maxOutput = options.maxOutputBytes ?? 64 * 1024 * 1024;
  return new Promise((resolve, reject) => {
    if (options.signal?.aborted) return reject(new ChildAborted(command));
    const line = limitedCommand(command, args, limits);
    const child = spawn(line.file, line.args, { env: options.env ?? process.env, stdio: ['ignore', 'pipe', 'pipe'] });
    const out: Buffer[] = [];
    let outBytes = 0;
    let stderr = '';
    let settled = false;
    let stoppedFor: LimitKind | 'abort' | null = null;
    const memory = new MemorySampler(child.pid);
    const stop = (why: LimitKind | 'abort') => {
      stoppedFor ??= why;
      child.kill('SIGKILL');
    };
    const finish = (fn: () => void) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      memory.stop();
      options.signal?.removeEventListener('abort', onAbort);
      fn();
    };
    const onAbort = () => {
      stop('abort');
      finish(() => reject(new ChildAborted(command)));
    };
    options.signal?.addEventListener('abort', onAbort);
    const timer = setTimeout(() => stop('time'), limits.timeoutMs);
    child.stdout!.on('data', (chunk: Buffer) => {
      outBytes += chunk.length;
      if (outBytes > maxOutput) stop('output');
      else out.push(chunk);
    });
    child.stderr!.setEncoding('utf8');
    child.stderr!.on('data', (chunk: string) => {
      stderr = (stderr + chunk).slice(-4000);
    });
    child.on('error', (error: NodeJS.ErrnoException) => {
      const what = error.code === 'ENOENT' ? `${PRLIMIT} (util-linux) is not installed` : error.message;
      finish(() => reject(new ChildUnavailable(`${command} could not be started: ${what}; see scripts/setup-system.sh`)));
    });
    child.on('close', (code, signal) => {
      memory.sample();
      const peakMemoryMb = memory.peakMb;
      if (code === 0 && !stoppedFor) return finish(() => resolve({ stdout: Buffer.concat(out), stderr, peakMemoryMb }));
      finish(() => reject(classifyExit(command, code, signal, stoppedFor, stderr, peakMemoryMb, limits)));
    });
  });
}

/** Why a limited process ended badly: one of its caps, or a failure of its own. */
export function classifyExit(
  tool: string,
  code: number | null,
  signal: NodeJS.Signals | null,
  stoppedFor: LimitKind | 'abort' | null,
  stderr: string,
  peakMemoryMb: number,
  limits: ToolLimits,
): Error {
  const tail = stderr.trim().split('\n').slice(-5).join('\n');
  if (stoppedFor === 'abort') return new ChildAborted(tool);
  if (stoppedFor) return new ChildLimitExceeded(stoppedFor, tool, limits, tail);
  if (signal === 'SIGXCPU') return new ChildLimitExceeded('cpu', tool, limits, tail);
  // prlimit exits 127 or so when the tool itself is missing.
  if (/failed to execute|No such file or directory/.test(tail) && (code === 126 || code === 127 || code === 1) && !/error:|warning:/.test(tail)) {
    return new ChildUnavailable(`${tool} could not be started: ${tail}; see scripts/setup-system.sh`);
  }
  // A tool that hits RLIMIT_DATA gets a failed allocation: it says so, or aborts near the cap.
  if (OUT_OF_MEMORY.test(stderr) || ((signal === 'SIGABRT' || signal === 'SIGTRAP' || signal === 'SIGSEGV' || signal === 'SIGKILL') && peakMemoryMb >= limits.memoryMb * 0.8)) {
    return new ChildLimitExceeded('memory', tool, limits, tail);
  }
  return new ChildFailed(tool, code, signal, tail);
}

/** Samples a process's VmData from /proc while it runs (Linux; elsewhere it reads nothing). */
export class MemorySampler {
  peakMb = 0;
  private readonly timer: NodeJS.Timeout | null;
  constructor(private readonly pid: number | undefined) {
    this.timer = pid ? setInterval(() => this.sample(), SAMPLE_MS) : null;
    this.timer?.unref();
  }
  sample(): void {
    if (!this.pid) return;
    try {
      const status = fs.readFileSync(`/proc/${this.pid}/status`, 'utf8');
      const kb = Number(/^VmData:\s+(\d+)/m.exec(status)?.[1]);
      if (kb) this.peakMb = Math.max(this.peakMb, kb / 1024);
    } catch {
      // gone, or no /proc
    }
  }
  stop(): void {
    if (this.timer) clearInterval(this.timer);
  }
}

function amountOfMemory(mb: number): string {
  return mb >= 1024 && mb % 1024 === 0 ? `${mb / 1024} GB` : mb >= 1024 ? `${(mb / 1024).toFixed(1)} GB` : `${mb} MB`;
}

/**
 * A sentence (without its subject) for a process stopped at a cap, naming the setting to raise:
 * `needs more than 2 GB to render; raise RENDER_MEMORY_MB or skip the page`. `activity`:
 * "to render", "to read by OCR"…; `remedy`: what else a person can do.
 */
export function overLimitReason(error: ChildLimitExceeded, kind: keyof ChildLimits, activity: string, remedy: string): string {
  const setting = error.limit === 'output' ? null : LIMIT_SETTINGS[kind][error.limit];
  const { limits } = error;
  switch (error.limit) {
    case 'memory':
      return `needs more than ${amountOfMemory(limits.memoryMb)} ${activity}; raise ${setting} or ${remedy}`;
    case 'cpu':
      return `needs more than ${limits.cpuSeconds} s of processor time ${activity}; raise ${setting} or ${remedy}`;
    case 'time':
      return `took longer than ${Math.round(limits.timeoutMs / 1000)} s ${activity} and was stopped; raise ${setting} or ${remedy}`;
    default:
      return `produced too much output ${activity} and was stopped; ${remedy}`;
  }
}
