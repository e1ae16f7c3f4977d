/**
 * Extraction in a child process: pdf.js runs here, not in the service, so a hostile or huge
 * file can be time-limited, memory-capped and killed without touching the server.
 * Protocol (IPC): parent sends {path, type}; child answers one {ok, pages} or {ok: false, …}.
 */
import fs from 'node:fs';
import { extractPages, ExtractionError } from './index';
import type { AcceptedType } from '../ingest/sniff';

process.once('message', async (request: { path: string; type: AcceptedType }) => {
  try {
    const pages = await extractPages(await fs.promises.readFile(request.path), request.type);
    process.send!({ ok: true, pages }, () => process.exit(0));
  } catch (error) {
    const message = (error as Error)?.message ?? String(error);
    process.send!({ ok: false, extraction: error instanceof ExtractionError, message }, () => process.exit(0));
  }
});
