/**
 * Every request of a captured page is made here, not by the browser: the browser's requests are
 * intercepted (browser.ts) and answered with what this fetcher got. So each request — the page,
 * each redirect, each image, script and stylesheet — passes the address guard first, connects to
 * the very address that was checked (no second DNS answer can slip in between), counts against
 * the capture's limits, and is recorded byte for byte as a WARC request/response pair.
 */
import http from 'node:http';
import https from 'node:https';
import type { TLSSocket } from 'node:tls';
import type { AddressGuard, Refusal } from './address-guard';
import { httpMessage, recordId, warcRecord } from './warc';

export interface CaptureLimits {
  /** The whole capture: loading, rendering, writing (ms). */
  timeMs: number;
  /** Response bytes received, all requests together. */
  totalBytes: number;
  /** Requests made (refused ones do not count). */
  requests: number;
}

export const DEFAULT_CAPTURE_LIMITS: CaptureLimits = { timeMs: 60_000, totalBytes: 50 * 1024 * 1024, requests: 300 };

/** A capture that cannot be done; the message is the reason a person reads. */
export class CaptureFailure extends Error {}

export interface Exchange {
  url: string;
  status: number;
  headers: Array<[string, string]>;
  address: string;
  tls?: { subject: string; issuer: string; protocol?: string; validFrom?: Date; validTo?: Date };
}

export interface FetchedResponse {
  status: number;
  headers: Array<[string, string]>;
  body: Buffer;
}

/** Hop-by-hop and encoding headers we set ourselves rather than pass on from the browser. */
const DROP_REQUEST = new Set(['host', 'connection', 'keep-alive', 'proxy-connection', 'transfer-encoding', 'upgrade', 'accept-encoding', 'te', 'content-length']);

export class GuardedFetcher {
  readonly records: Buffer[] = [];
  readonly exchanges: Exchange[] = [];
  readonly refusals: Array<Refusal & { url: string }> = [];
  /** Requests not made because a limit was reached. */
  readonly skipped: Array<{ url: string; reason: string }> = [];
  requests = 0;
  bytes = 0;
  private overBytes: string | null = null;

  constructor(
    private readonly guard: AddressGuard,
    private readonly limits: CaptureLimits,
    private readonly signal: AbortSignal,
  ) {}

  /** Set once the byte limit was passed: the capture then fails with this reason. */
  get limitFailure(): string | null {
    return this.overBytes;
  }

  async fetch(request: { url: string; method: string; headers: Record<string, string>; body: Buffer | null }): Promise<FetchedResponse | { refused: string }> {
    const checked = await this.guard.check(request.url);
    if (!checked.ok) {
      this.refusals.push({ ...checked.refusal, url: request.url });
      return { refused: checked.refusal.message };
    }
    if (this.requests >= this.limits.requests) {
      this.skipped.push({ url: request.url, reason: `request limit (${this.limits.requests})` });
      return { refused: 'request limit reached' };
    }
    if (this.overBytes) return { refused: this.overBytes };
    this.requests += 1;
    const url = checked.url;
    const address = checked.addresses[0]!;
    const family = address.includes(':') ? 6 : 4;
    const headers: Record<string, string> = {};
    for (const [name, value] of Object.entries(request.headers)) if (!name.startsWith(':') && !DROP_REQUEST.has(name.toLowerCase())) headers[name] = value;
    // Bodies are kept as sent on the wire, so ask for them unencoded: the browser gets them as is.
    headers['accept-encoding'] = 'identity';
    if (request.body?.length) headers['content-length'] = String(request.body.length);
    const started = new Date();
    const module = url.protocol === 'https:' ? https : http;
    const lookup = (_host: string, options: { all?: boolean }, callback: (...args: unknown[]) => void) =>
      options?.all ? callback(null, [{ address, family }]) : callback(null, address, family);

    const response = await new Promise<{ status: number; message: string; version: string; raw: Array<[string, string]>; body: Buffer; tls?: Exchange['tls'] }>((resolve, reject) => {
      const req = module.request(url, { method: request.method, headers, lookup: lookup as never, signal: this.signal, agent: false }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => {
          this.bytes += chunk.length;
          if (this.bytes > this.limits.totalBytes) {
            this.overBytes = `the page is larger than the capture limit of ${Math.round(this.limits.totalBytes / 1024 / 1024)} MB`;
            req.destroy(new CaptureFailure(this.overBytes));
            return;
          }
          chunks.push(chunk);
        });
        res.on('end', () => {
          const raw: Array<[string, string]> = [];
          for (let i = 0; i < res.rawHeaders.length; i += 2) raw.push([res.rawHeaders[i]!, res.rawHeaders[i + 1]!]);
          const socket = res.socket as TLSSocket;
          const cert = typeof socket.getPeerCertificate === 'function' ? socket.getPeerCertificate() : null;
          const tls = cert && cert.subject
            ? { subject: distinguishedName(cert.subject), issuer: distinguishedName(cert.issuer), protocol: socket.getProtocol?.() ?? undefined, validFrom: new Date(cert.valid_from), validTo: new Date(cert.valid_to) }
            : undefined;
          resolve({ status: res.statusCode ?? 0, message: res.statusMessage ?? '', version: res.httpVersion, raw, body: Buffer.concat(chunks), ...(tls ? { tls } : {}) });
        });
        res.on('error', reject);
      });
      req.on('error', reject);
      req.end(request.body ?? undefined);
    });

    // Node has undone any chunked transfer coding: the record keeps the body as a whole, so the
    // header that framed it goes (a metadata record of the capture says so).
    const kept = response.raw.filter(([n]) => n.toLowerCase() !== 'transfer-encoding');
    const target = url.toString();
    const requestBlock = httpMessage(`${request.method} ${url.pathname}${url.search} HTTP/1.1`, [['Host', url.host], ...Object.entries(headers)], request.body ?? Buffer.alloc(0));
    const responseBlock = httpMessage(`HTTP/${response.version} ${response.status} ${response.message}`.trimEnd(), kept, response.body);
    const responseRecord = warcRecord({ type: 'response', targetUri: target, date: started, contentType: 'application/http;msgtype=response', block: responseBlock, headers: { 'WARC-IP-Address': address } });
    const requestRecord = warcRecord({ type: 'request', targetUri: target, date: started, contentType: 'application/http;msgtype=request', block: requestBlock, headers: { 'WARC-Concurrent-To': responseRecord.id } }, recordId());
    this.records.push(responseRecord.bytes, requestRecord.bytes);
    this.exchanges.push({ url: target, status: response.status, headers: kept, address, ...(response.tls ? { tls: response.tls } : {}) });
    return { status: response.status, headers: kept, body: response.body };
  }
}

const REDIRECTS = new Set([301, 302, 303, 307, 308]);
const MAX_REDIRECTS = 10;

/** Where a response redirects to (absolute), or null. */
export function redirectTarget(from: string, response: FetchedResponse): string | null {
  if (!REDIRECTS.has(response.status)) return null;
  const location = response.headers.find(([n]) => n.toLowerCase() === 'location')?.[1];
  if (!location) return null;
  try {
    return new URL(location, from).toString();
  } catch {
    return null;
  }
}

/**
 * A sub-resource with its redirects followed here, each hop guarded and recorded: Chromium does
 * not route the request a fulfilled redirect leads to, so no redirect is ever handed to it.
 */
export async function fetchFollowing(fetcher: GuardedFetcher, request: { url: string; method: string; headers: Record<string, string>; body: Buffer | null }): Promise<FetchedResponse | { refused: string }> {
  let current = request;
  for (let hop = 0; ; hop++) {
    const response = await fetcher.fetch(current);
    if ('refused' in response) return response;
    const next = redirectTarget(current.url, response);
    if (!next) return response;
    if (hop === MAX_REDIRECTS) return { refused: `more than ${MAX_REDIRECTS} redirects` };
    const keepMethod = response.status === 307 || response.status === 308;
    current = { url: next, method: keepMethod ? current.method : 'GET', headers: current.headers, body: keepMethod ? current.body : null };
  }
}

function distinguishedName(name: object): string {
  return Object.entries(name as Record<string, string | string[] | undefined>)
    .filter(([, v]) => v !== undefined)
    .map(([k, v]) => `${k}=${Array.isArray(v) ? v.join('+') : v}`)
    .join(', ');
}
