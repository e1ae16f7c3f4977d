/**
 * `lexwatch capture URL`: asks a running Lexwatch service to capture a web page
 * (POST /api/captures, docs/capture.md), follows the document until it is done, failed or
 * cancelled, and prints its id, status URL and flag count. The only command that talks to a
 * service: its address and an API key come from --server/--api-key or LEXWATCH_SERVER and
 * LEXWATCH_API_KEY (a key on the command line shows in the process list; prefer the variable).
 * stdout carries only the result; progress and errors go to stderr.
 * Exit codes: 0 done, 1 refused by the service, failed, cancelled or unreachable, 2 usage, 3 still
 * running when --wait-seconds ran out.
 */
import { parseArgs } from 'node:util';
import type { Writable } from 'node:stream';

export const CAPTURE_USAGE = `Usage: lexwatch capture URL [--kind statement|article|other] [--title T] [--speaker S]
         [--position P] [--date YYYY-MM-DD] [--venue V] [--languages en,ru]
         [--server URL] [--api-key KEY] [--wait-seconds N] [--format text|json]

Captures a web page as evidence through a running Lexwatch service (an analyst's API key), waits
until the document is done, failed or cancelled, and prints its id, status URL and flag count.

  --kind            statement (default), article or other
  --title, --speaker, --position, --date, --venue
                    the document's metadata, as for an upload
  --languages       comma-separated language codes of the page
  --server URL      the service (default: LEXWATCH_SERVER, else http://127.0.0.1:3000)
  --api-key KEY     an API key (default: LEXWATCH_API_KEY)
  --wait-seconds N  stop following after N seconds (default 900); the capture goes on
  --format          text (default) or json, one object

Exit codes: 0 done, 1 refused, failed, cancelled or not reached, 2 usage, 3 still running
after --wait-seconds.
`;

const KINDS = ['statement', 'article', 'other'] as const;
const FINAL = new Set(['done', 'failed', 'cancelled']);

export interface CaptureIO {
  stdout: Writable;
  stderr: Writable;
}

export interface CaptureOptions {
  env?: NodeJS.ProcessEnv;
  /** Between two looks at the document's status (ms). */
  pollMs?: number;
}

interface Answer {
  status: number;
  body: Record<string, unknown> | null;
}

class ServiceError extends Error {}

export async function runCapture(argv: string[], io: CaptureIO, options: CaptureOptions = {}): Promise<number> {
  const env = options.env ?? process.env;
  let parsed;
  try {
    parsed = parseArgs({
      args: argv,
      allowPositionals: true,
      strict: true,
      options: {
        kind: { type: 'string' },
        title: { type: 'string' },
        speaker: { type: 'string' },
        position: { type: 'string' },
        date: { type: 'string' },
        venue: { type: 'string' },
        languages: { type: 'string' },
        server: { type: 'string' },
        'api-key': { type: 'string' },
        'wait-seconds': { type: 'string' },
        format: { type: 'string' },
        help: { type: 'boolean', short: 'h' },
      },
    });
  } catch (err) {
    return usage(io, (err as Error).message);
  }
  const { values, positionals } = parsed;
  if (values.help) {
    io.stdout.write(CAPTURE_USAGE);
    return 0;
  }
  if (positionals.length !== 1) return usage(io, positionals.length === 0 ? 'give the URL to capture' : 'give exactly one URL');
  const kind = values.kind ?? 'statement';
  if (!(KINDS as readonly string[]).includes(kind)) return usage(io, `--kind must be one of ${KINDS.join(', ')}, not "${kind}"`);
  const format = values.format ?? 'text';
  if (format !== 'text' && format !== 'json') return usage(io, `--format must be text or json, not "${format}"`);
  const waitSeconds = values['wait-seconds'] === undefined ? 900 : Number(values['wait-seconds']);
  if (!Number.isFinite(waitSeconds) || waitSeconds < 0) return usage(io, '--wait-seconds must be a number of seconds');
  const apiKey = values['api-key'] ?? env.LEXWATCH_API_KEY;
  if (!apiKey) return usage(io, 'no API key: set LEXWATCH_API_KEY (or give --api-key); an analyst creates one in the web app or with POST /api/auth/keys');
  let server: URL;
  try {
    server = new URL(values.server ?? env.LEXWATCH_SERVER ?? 'http://127.0.0.1:3000');
    if (server.protocol !== 'http:' && server.protocol !== 'https:') throw new Error('not http(s)');
  } catch {
    return usage(io, `--server must be an http(s) URL, not "${values.server ?? env.LEXWATCH_SERVER}"`);
  }
  const languages = values.languages?.split(',').map((l) => l.trim()).filter(Boolean);
  const body = {
    url: positionals[0]!,
    kind,
    ...(values.title !== undefined ? { title: values.title } : {}),
    ...(values.speaker !== undefined ? { speaker: values.speaker } : {}),
    ...(values.position !== undefined ? { position: values.position } : {}),
    ...(values.date !== undefined ? { date: values.date } : {}),
    ...(values.venue !== undefined ? { venue: values.venue } : {}),
    ...(languages ? { languages } : {}),
  };

  const call = async (method: 'GET' | 'POST', path: string, json?: unknown): Promise<Answer> => {
    const url = new URL(path, server);
    let res: Response;
    try {
      res = await fetch(url, {
        method,
        headers: { Authorization: `Bearer ${apiKey}`, Accept: 'application/json', ...(json === undefined ? {} : { 'Content-Type': 'application/json' }) },
        ...(json === undefined ? {} : { body: JSON.stringify(json) }),
        redirect: 'error',
      });
    } catch (err) {
      const cause = (err as { cause?: { code?: string; message?: string } }).cause;
      throw new ServiceError(`cannot reach the service at ${server.origin}: ${cause?.code ?? cause?.message ?? (err as Error).message}`);
    }
    const text = await res.text();
    let parsedBody: Record<string, unknown> | null = null;
    try {
      parsedBody = text ? (JSON.parse(text) as Record<string, unknown>) : null;
    } catch {
      parsedBody = null;
    }
    if (res.status >= 400) throw new ServiceError(describeError(method, url.pathname, res.status, parsedBody));
    return { status: res.status, body: parsedBody };
  };

  try {
    const created = await call('POST', '/api/captures', body);
    const document = created.body?.document as { id: string } | undefined;
    const statusPath = created.body?.statusUrl as string | undefined;
    if (!document?.id || !statusPath) throw new ServiceError(`unexpected answer from ${server.origin}/api/captures (status ${created.status})`);
    const statusUrl = new URL(statusPath, server).toString();
    io.stderr.write(`lexwatch: capture of ${body.url} queued as document ${document.id}; following ${statusUrl}\n`);

    const deadline = Date.now() + waitSeconds * 1000;
    let doc: { status: string; failure?: { reason?: string } | null } = { status: 'capturing' };
    let shown = '';
    for (;;) {
      const seen = (await call('GET', statusPath)).body?.document as typeof doc | undefined;
      if (!seen?.status) throw new ServiceError(`unexpected answer from ${statusUrl} (no document status)`);
      doc = seen;
      if (doc.status !== shown) {
        shown = doc.status;
        if (!FINAL.has(doc.status)) io.stderr.write(`lexwatch: ${doc.status}\n`);
      }
      if (FINAL.has(doc.status) || Date.now() >= deadline) break;
      await new Promise((r) => setTimeout(r, options.pollMs ?? 1_000));
    }
    const flags = doc.status === 'done' ? ((await call('GET', `${statusPath}/flags?limit=1`)).body?.total as number) : null;
    const reason = doc.failure?.reason ?? null;
    if (format === 'json') {
      io.stdout.write(`${JSON.stringify({ document: document.id, status: doc.status, statusUrl, flags, ...(reason && doc.status !== 'done' ? { reason } : {}) })}\n`);
    } else {
      io.stdout.write(`document\t${document.id}\nstatus\t${doc.status}\nstatusUrl\t${statusUrl}\nflags\t${flags ?? '-'}\n`);
    }
    if (doc.status === 'done') return 0;
    if (!FINAL.has(doc.status)) {
      io.stderr.write(`lexwatch: still ${doc.status} after ${waitSeconds} s; the capture goes on (follow ${statusUrl})\n`);
      return 3;
    }
    io.stderr.write(`lexwatch: the capture ${doc.status === 'failed' ? 'failed' : 'was cancelled'}${reason ? `: ${reason}` : ''}\n`);
    return 1;
  } catch (err) {
    if (!(err instanceof ServiceError)) throw err;
    io.stderr.write(`lexwatch: ${err.message}\n`);
    return 1;
  }
}

/** "POST /api/captures answered 400 capture_refused: refused: … (rule: loopback)". */
function describeError(method: string, path: string, status: number, body: Record<string, unknown> | null): string {
  const error = body?.error as { code?: string; message?: string; details?: unknown } | undefined;
  if (!error) return `${method} ${path} answered ${status} (no error body: is this a Lexwatch service?)`;
  let details = '';
  if (Array.isArray(error.details)) {
    details = error.details.map((d: { field?: string; message?: string }) => (d.field ? `${d.field}: ${d.message}` : String(d.message))).join('; ');
  } else if (error.details && typeof error.details === 'object') {
    details = Object.entries(error.details as Record<string, unknown>)
      .map(([k, v]) => `${k}: ${Array.isArray(v) ? v.join(', ') : String(v)}`)
      .join('; ');
  }
  const hint = status === 401 ? ' — check LEXWATCH_API_KEY (or --api-key)' : status === 403 ? ' — capturing needs an analyst or admin key' : '';
  return `${method} ${path} answered ${status} ${error.code ?? ''}: ${error.message ?? ''}${details ? ` (${details})` : ''}${hint}`;
}

function usage(io: CaptureIO, message: string): number {
  io.stderr.write(`lexwatch: ${message}\n\n${CAPTURE_USAGE}`);
  return 2;
}
