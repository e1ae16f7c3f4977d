/**
 * A WARC 1.1 writer (ISO 28500:2017), gzip per record so any record can be read on its own
 * (what `warcio index` and WARC players expect). Four record types are written: warcinfo,
 * request, response and metadata. No npm package kept up to date writes WARC, so this is ours;
 * the tests read every file it writes with warcio, an independent reader.
 */
import { createHash, randomUUID } from 'node:crypto';
import { gzipSync } from 'node:zlib';

export type WarcRecordType = 'warcinfo' | 'request' | 'response' | 'metadata';

export interface WarcRecordInput {
  type: WarcRecordType;
  targetUri?: string;
  date: Date;
  contentType: string;
  block: Buffer;
  /** More WARC headers (WARC-IP-Address, WARC-Concurrent-To, WARC-Payload-Digest…). */
  headers?: Record<string, string>;
}

const CRLF = '\r\n';

export function sha256Label(data: Buffer): string {
  return `sha256:${createHash('sha256').update(data).digest('hex')}`;
}

export function recordId(): string {
  return `<urn:uuid:${randomUUID()}>`;
}

/** One record, gzipped on its own. `id` lets a request name the response it goes with. */
export function warcRecord(input: WarcRecordInput, id = recordId()): { id: string; bytes: Buffer } {
  const headers: Array<[string, string]> = [
    ['WARC-Type', input.type],
    ['WARC-Record-ID', id],
    ['WARC-Date', input.date.toISOString()],
    ...(input.targetUri ? ([['WARC-Target-URI', input.targetUri]] as Array<[string, string]>) : []),
    ...Object.entries(input.headers ?? {}),
    ['WARC-Block-Digest', sha256Label(input.block)],
    ['Content-Type', input.contentType],
    ['Content-Length', String(input.block.length)],
  ];
  for (const [name, value] of headers) if (/[\r\n]/.test(name + value)) throw new Error(`WARC header ${name} holds a line break`);
  const head = Buffer.from(`WARC/1.1${CRLF}${headers.map(([n, v]) => `${n}: ${v}`).join(CRLF)}${CRLF}${CRLF}`, 'utf8');
  return { id, bytes: gzipSync(Buffer.concat([head, input.block, Buffer.from(CRLF + CRLF)])) };
}

/** An HTTP message as WARC keeps it: start line, header lines as received, blank line, body. */
export function httpMessage(startLine: string, rawHeaders: Array<[string, string]>, body: Buffer): Buffer {
  const head = `${startLine}${CRLF}${rawHeaders.map(([n, v]) => `${n}: ${v.replace(/[\r\n]+/g, ' ')}`).join(CRLF)}${CRLF}${CRLF}`;
  return Buffer.concat([Buffer.from(head, 'latin1'), body]);
}

/** `key: value` lines, the body of warcinfo and metadata records (application/warc-fields). */
export function warcFields(fields: Array<[string, string]>): Buffer {
  return Buffer.from(fields.map(([k, v]) => `${k}: ${v.replace(/[\r\n]+/g, ' ')}${CRLF}`).join(''), 'utf8');
}
