/**
 * A small bounded HTTP client for `npm run bench:load` (loopback only): timed GETs, progress
 * streams held open for a while, and latency percentiles per route.
 */
import http from 'node:http';

export interface Sample {
  route: string;
  ms: number;
  status: number;
}

const agent = new http.Agent({ keepAlive: true, maxSockets: 1_000 });
const TIMEOUT_MS = 60_000;

/** One GET; resolves with its time to the last byte and status (0 = no answer: an error). */
export function timedGet(base: string, route: string, path: string, headers: Record<string, string>): Promise<Sample> {
  const started = process.hrtime.bigint();
  const elapsed = () => Number(process.hrtime.bigint() - started) / 1e6;
  return new Promise((resolve) => {
    const req = http.get(`${base}${path}`, { headers, agent, timeout: TIMEOUT_MS }, (res) => {
      res.resume();
      res.on('end', () => resolve({ route, ms: elapsed(), status: res.statusCode ?? 0 }));
      res.on('error', () => resolve({ route, ms: elapsed(), status: 0 }));
    });
    req.on('timeout', () => req.destroy(new Error('timeout')));
    req.on('error', () => resolve({ route, ms: elapsed(), status: 0 }));
  });
}

export interface OpenStream {
  sample: Sample;
  close(): void;
}

/**
 * Opens a progress stream; resolves at its first event (the sample is the time to it) or at the
 * end of a refusal, and keeps the connection until `close()`. Not pooled: a stream holds its socket.
 */
export function openStream(base: string, path: string, headers: Record<string, string>): Promise<OpenStream> {
  const started = process.hrtime.bigint();
  const elapsed = () => Number(process.hrtime.bigint() - started) / 1e6;
  return new Promise((resolve) => {
    let done = false;
    const finish = (status: number) => {
      if (done) return;
      done = true;
      resolve({ sample: { route: 'GET /api/documents/:id/events (first event)', ms: elapsed(), status }, close: () => req.destroy() });
    };
    const req = http.get(`${base}${path}`, { headers, timeout: TIMEOUT_MS }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => {
        body += chunk;
        if (res.statusCode === 200 && body.includes('\n\n')) finish(200);
      });
      res.on('end', () => finish(res.statusCode ?? 0));
      res.on('error', () => finish(0));
    });
    req.on('timeout', () => req.destroy(new Error('timeout')));
    req.on('error', () => finish(0));
  });
}

export function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
}

export interface RouteSummary {
  route: string;
  n: number;
  errors: number;
  p50: number;
  p95: number;
  p99: number;
}

/** Per route: count, errors (no answer or 5xx, or a status the caller did not expect) and percentiles. */
export function summarize(samples: Sample[], ok: (s: Sample) => boolean = (s) => s.status >= 200 && s.status < 300): RouteSummary[] {
  const byRoute = new Map<string, Sample[]>();
  for (const s of samples) byRoute.set(s.route, [...(byRoute.get(s.route) ?? []), s]);
  return [...byRoute.entries()].map(([route, list]) => {
    const sorted = list.map((s) => s.ms).sort((a, b) => a - b);
    return { route, n: list.length, errors: list.filter((s) => !ok(s)).length, p50: percentile(sorted, 50), p95: percentile(sorted, 95), p99: percentile(sorted, 99) };
  });
}

export function formatSummary(title: string, rows: RouteSummary[]): string {
  const lines = [title, `  ${'route'.padEnd(48)} ${'n'.padStart(6)} ${'errors'.padStart(6)} ${'p50 ms'.padStart(8)} ${'p95 ms'.padStart(8)} ${'p99 ms'.padStart(8)}`];
  for (const r of rows) lines.push(`  ${r.route.padEnd(48)} ${String(r.n).padStart(6)} ${String(r.errors).padStart(6)} ${r.p50.toFixed(1).padStart(8)} ${r.p95.toFixed(1).padStart(8)} ${r.p99.toFixed(1).padStart(8)}`);
  return lines.join('\n');
}
