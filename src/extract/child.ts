/**
 * Extraction in a child process: pdf.js runs here, not in the service, so a hostile or huge
 * file can be time-limited, memory-capped and killed without touching the server.
 * Protocol (IPC): parent sends {path, type, stream?}; child answers one {ok, pages} or
 * {ok: false, …}. With `stream`, it first sends {total} (PDF), then the pages in batches
 * ({pages}) as they are read, and ends with {ok: true, pages: []}; the parent can store pages
 * while later ones are still being read.
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

process.once('message', async (request: { path: string; type: AcceptedType; stream?: boolean }) => {
  try {
    const bytes = await fs.promises.readFile(request.path);
    if (!request.stream) {
      const pages = await extractPages(bytes, request.type);
      process.send!({ ok: true, pages }, () => process.exit(0));
      return;
    }
    let batch: ExtractedPage[] = [];
    const sends: Array<Promise<void>> = [];
    const flush = () => {
      if (batch.length > 0) sends.push(send({ pages: batch }));
      batch = [];
    };
    const rest = await extractPages(bytes, request.type, {
      onTotal: (total) => sends.push(send({ total })),
      onPage: async (page) => {
        batch.push(withFlatWords(page));
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
    process.send!({ ok: true, pages: [] }, () => process.exit(0));
  } catch (error) {
    const message = (error as Error)?.message ?? String(error);
    process.send!({ ok: false, extraction: error instanceof ExtractionError, message }, () => process.exit(0));
  }
});
