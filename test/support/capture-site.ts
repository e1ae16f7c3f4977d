/**
 * A synthetic web site on loopback for capture tests, started by the test: a statement page
 * whose words are put in by a script after load, with a stylesheet and an image, reached through
 * one redirect. Every request is counted, so a test can show that a refused capture made none.
 * The statement and its speaker are invented (the starter lexicon's fictional group).
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import zlib from 'node:zlib';

export interface CaptureSite {
  base: string;
  hits: string[];
  /** What the statement script inserts (the page can be edited between captures). */
  statement: { text: string };
  /** Where /elsewhere redirects to (a test sets it). */
  elsewhere: { url: string };
  /** Requests to /never that are still waiting for an answer (it never comes). */
  hanging: number;
  close(): Promise<void>;
}

const PAGE = (title: string) => `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>${title}</title><link rel="stylesheet" href="/static/site.css"></head>
<body>
<nav><a href="/">Home</a> · <a href="/news">News</a> · <a href="/contact">Contact the Ministry of Ormund (fictional)</a></nav>
<main><article>
<h1>${title}</h1>
<p class="byline">Minister Aldo Venn (fictional), speaking at the Ormund Harbour Forum, 2026-03-14.</p>
<p>The forum heard a long report on harbour tariffs, the new ferry timetable and the repair of the northern breakwater, which the ministry expects to finish before the autumn storms.</p>
<div id="statement"></div>
<img src="/static/seal.png" alt="Seal of the fictional ministry" width="40" height="40">
</article></main>
<footer>© Ministry of Ormund (fictional) · Privacy · Accessibility</footer>
<script src="/static/statement.js"></script>
</body></html>`;

/**
 * A news page whose one flaggable sentence sits in the navigation and the footer
 * (`/notices/menu-only`) or in the article's body (`/notices/in-body`); the rest is long enough
 * for Readability to tell the article apart.
 */
const SENTENCE = 'Tarvanis are vermin and must be driven out of the harbour towns.';
const NOTICE = (where: 'menu' | 'body') => `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Harbour notice (synthetic)</title></head>
<body>
<header><nav><a href="/">Home</a> · <a href="/news">News</a>${where === 'menu' ? ` · <a href="/quotes">Quote of the week: ${SENTENCE}</a>` : ''}</nav></header>
<main><article>
<h1>Ferry timetable for the winter season (synthetic)</h1>
<p>The harbour office of Ormund (fictional) has published the ferry timetable for the winter season. Boats leave the northern pier every two hours from six in the morning, and the last boat returns at ten in the evening.</p>
<p>Passengers with bicycles are asked to board first, and the cafeteria on the upper deck stays open for the whole crossing. Tickets bought at the pier cost the same as tickets bought in advance.</p>
${where === 'body' ? `<p>A speaker at the forum said: ${SENTENCE}</p>` : ''}
<p>The office thanks the crews of the harbour for their work during the autumn storms, when the breakwater was repaired and the southern quay was closed for three weeks.</p>
</article></main>
<footer><p>Harbour office of Ormund (fictional) · Opening hours · Contact</p>${where === 'menu' ? `<p>Archived remark: ${SENTENCE}</p>` : ''}</footer>
</body></html>`;

export async function startCaptureSite(address = '127.0.0.1'): Promise<CaptureSite> {
  const hits: string[] = [];
  const statement = { text: 'Tarvanis are vermin and must be driven out of the harbour towns.' };
  const elsewhere = { url: '/' };
  let hanging = 0;
  const server = http.createServer((req, res) => {
    hits.push(req.url ?? '');
    const send = (status: number, type: string, body: string | Buffer, headers: Record<string, string> = {}) => {
      res.writeHead(status, { 'Content-Type': type, 'Cache-Control': 'no-store', ...headers });
      res.end(body);
    };
    switch (req.url) {
      case '/statements/latest':
        return send(302, 'text/plain', 'moved', { Location: '/statements/2026-03-14-harbour' });
      case '/statements/2026-03-14-harbour':
        return send(200, 'text/html; charset=utf-8', PAGE('Remarks at the Harbour Forum (synthetic)'), { 'X-Site': 'synthetic-test-site' });
      case '/elsewhere':
        return send(302, 'text/plain', 'moved', { Location: elsewhere.url });
      case '/static/site.css':
        return send(200, 'text/css', 'body { font-family: sans-serif; margin: 2em; } nav, footer { color: #555; }');
      case '/static/statement.js':
        // The words exist only after the page has loaded: a capture that does not run scripts misses them.
        return send(200, 'application/javascript', `window.addEventListener('load', () => setTimeout(() => { const p = document.createElement('p'); p.textContent = ${JSON.stringify(statement.text)}; document.getElementById('statement').appendChild(p); }, 50));`);
      case '/notices/menu-only':
        return send(200, 'text/html; charset=utf-8', NOTICE('menu'));
      case '/notices/in-body':
        return send(200, 'text/html; charset=utf-8', NOTICE('body'));
      case '/loading-forever':
        // A page whose script never arrives: the page never finishes loading.
        return send(200, 'text/html; charset=utf-8', '<!doctype html><html><head><title>Never loads (synthetic)</title><script src="/never"></script></head><body><p>Waiting.</p></body></html>');
      case '/never':
        hanging += 1;
        req.socket.once('close', () => (hanging -= 1));
        return; // no answer, ever
      case '/static/seal.png':
        return send(200, 'image/png', greyPng(40, 40));
      default:
        return send(404, 'text/plain', 'not found');
    }
  });
  await new Promise<void>((resolve) => server.listen(0, address, resolve));
  const { port } = server.address() as AddressInfo;
  return {
    base: `http://${address}:${port}`,
    hits,
    statement,
    elsewhere,
    get hanging() {
      return hanging;
    },
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** A small grey PNG, written by hand (signature, IHDR, IDAT, IEND). */
function greyPng(width: number, height: number): Buffer {
  const crcTable = Array.from({ length: 256 }, (_, n) => {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    return c >>> 0;
  });
  const crc = (buf: Buffer) => {
    let c = 0xffffffff;
    for (const b of buf) c = crcTable[(c ^ b) & 0xff]! ^ (c >>> 8);
    return (c ^ 0xffffffff) >>> 0;
  };
  const chunk = (type: string, data: Buffer) => {
    const body = Buffer.concat([Buffer.from(type, 'latin1'), data]);
    const out = Buffer.alloc(body.length + 8);
    out.writeUInt32BE(data.length, 0);
    body.copy(out, 4);
    out.writeUInt32BE(crc(body), body.length + 4);
    return out;
  };
  const header = Buffer.alloc(13);
  header.writeUInt32BE(width, 0);
  header.writeUInt32BE(height, 4);
  header[8] = 8; // bit depth
  header[9] = 0; // greyscale
  const rows = Buffer.alloc((width + 1) * height, 0x80);
  for (let y = 0; y < height; y++) rows[y * (width + 1)] = 0; // filter: none
  return Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), chunk('IHDR', header), chunk('IDAT', zlib.deflateSync(rows)), chunk('IEND', Buffer.alloc(0))]);
}
