/**
 * Extraction in a child process: pdf.js runs here, not in the service, so a hostile or huge
 * file can be time-limited, memory-capped and killed without touching the server.
 * Protocol (IPC): parent sends {path, type, stream?}; child answers one {ok, pages} or
 * {ok: false, …}; `ok` answers carry the child's peak RSS (`peakRssMb`). With `stream`, it
 * first sends {total} (PDF), then the pages in batches ({pages}) as they are read (a page that
 * needs OCR at once), and ends with {ok: true, pages: []}; the parent can store pages while
 * later ones are still being read. `fromPage` starts the reading at a later page; `pageByPage`
 * sends each page before reading the next (see IsolationLimits). A spare started with `--warm` sends {warm: true} once
 * it is ready, before any request.
 */
import fs from 'node:fs';
import { extractPages, ExtractionError, type ExtractedPage } from './index';
import { withFlatWords } from './types';
import type { AcceptedType } from '../ingest/sniff';

/** Pages per streamed message: few messages, little held in memory on either side. */
const STREAM_BATCH = 25;

function send(message: unknown): Promise<void> {
  return new Promise((resolve, reject) => process.send!(message, (error: Error | null) => (error ? reject(error) : resolve())));
}

// What `ps` shows (and tests look for): a spare waiting, or a child reading its document.
process.title = 'lexwatch-extract: waiting';

/**
 * A spare (`--warm`, started before any request) reads a tiny PDF first: that loads pdf.js's
 * worker and compiles its hot paths while nobody waits. Whatever happens there, the request
 * that comes later is served as in a cold child.
 */
const warmedUp = process.argv.includes('--warm')
  ? extractPages(tinyPdf(), 'pdf').then(() => undefined, () => undefined).then(() => send({ warm: true }).catch(() => {}))
  : Promise.resolve();

// The service is gone (killed, crashed): a waiting or working child has no one to answer.
process.on('disconnect', () => process.exit(0));

process.once('message', async (request: { path: string; type: AcceptedType; stream?: boolean; fromPage?: number; pageByPage?: boolean }) => {
  process.title = 'lexwatch-extract: reading';
  await warmedUp;
  try {
    const bytes = await fs.promises.readFile(request.path);
    if (!request.stream) {
      const pages = await extractPages(bytes, request.type);
      process.send!({ ok: true, pages, peakRssMb: peakRssMb() }, () => process.exit(0));
      return;
    }
    let batch: ExtractedPage[] = [];
    const sends: Array<Promise<void>> = [];
    const flush = () => {
      if (batch.length > 0) sends.push(send({ pages: batch }));
      batch = [];
    };
    const rest = await extractPages(bytes, request.type, {
      fromPage: request.fromPage ?? 0,
      onTotal: (total) => sends.push(send({ total })),
      onPage: async (page) => {
        batch.push(withFlatWords(page));
        if (request.pageByPage) {
          // Page by page (the parent is finding the page this child dies on): the next page is
          // read only once this one has reached the parent.
          flush();
          await Promise.all(sends);
          return;
        }
        // A page that needs OCR goes at once: the service may start reading it while pdf.js reads on.
        if (batch.length < STREAM_BATCH && !page.needsOcr) return;
        flush();
        // pdf.js reads on in microtasks alone: without a turn of the event loop the batch would
        // wait in the pipe's write queue until the last page, and the service could not store
        // pages while later ones are read.
        await new Promise((resolve) => setImmediate(resolve));
      },
    });
    batch.push(...rest.map(withFlatWords));
    flush();
    await Promise.all(sends);
    process.send!({ ok: true, pages: [], peakRssMb: peakRssMb() }, () => process.exit(0));
  } catch (error) {
    const message = (error as Error)?.message ?? String(error);
    process.send!({ ok: false, extraction: error instanceof ExtractionError, message }, () => process.exit(0));
  }
});

/** This process's peak resident memory so far, in MB (the service logs it; the ingest bench reports it). */
function peakRssMb(): number {
  return Math.round((process.resourceUsage().maxRSS / 1024) * 10) / 10;
}

/** A one-page PDF with one line of text, built with its cross-reference table. */
function tinyPdf(): Buffer {
  const objects = [
    '<< /Type /Catalog /Pages 2 0 R >>',
    '<< /Type /Pages /Kids [3 0 R] /Count 1 >>',
    '<< /Type /Page /Parent 2 0 R /MediaBox [0 0 200 50] /Contents 4 0 R /Resources << /Font << /F1 5 0 R >> >> >>',
    '<< /Length 38 >>\nstream\nBT /F1 12 Tf 10 20 Td (warm up) Tj ET\nendstream',
    '<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>',
  ];
  let pdf = '%PDF-1.4\n';
  const offsets: number[] = [];
  objects.forEach((body, i) => {
    offsets.push(pdf.length);
    pdf += `${i + 1} 0 obj\n${body}\nendobj\n`;
  });
  const xref = pdf.length;
  pdf += `xref\n0 ${objects.length + 1}\n0000000000 65535 f \n${offsets.map((o) => `${String(o).padStart(10, '0')} 00000 n \n`).join('')}`;
  pdf += `trailer\n<< /Size ${objects.length + 1} /Root 1 0 R >>\nstartxref\n${xref}\n%%EOF\n`;
  return Buffer.from(pdf, 'latin1');
}
