/**
 * extractPagesIsolated with a sink: pages stream in order from the real child process, and the
 * child's peak memory arrives after the last page (the service logs it, the ingest bench reports it).
 * An abort kills the child at once, but the extraction settles only after the sink call in hand:
 * a cancelled run must not write after it has set the document's status.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { extractPagesIsolated } from '../../src/extract/isolated';
import { ExtractionAbortedError } from '../../src/extract/types';
import { childrenOf, isAlive } from '../support/processes';
import { until } from '../support/until';
import type { ExtractedPage } from '../../src/extract';
import { textPdf } from '../support/scanned-pdf';

it('streams every page in order, then reports the child\'s peak RSS', async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'lexwatch-isolated-'));
  try {
    const file = path.join(dir, 'book.pdf');
    fs.writeFileSync(file, await textPdf(Array.from({ length: 60 }, (_, k) => [`Page ${k + 1}: the river Ormund and the valley markets (synthetic).`])));
    const events: string[] = [];
    const pages: ExtractedPage[] = [];
    let peak: number | null = null;
    const rest = await extractPagesIsolated(file, 'pdf', {}, {
      total: (n) => void events.push(`total ${n}`),
      pages: async (batch) => {
        events.push(`pages ${batch.length}`);
        pages.push(...batch);
      },
      finished: ({ peakRssMb }) => {
        events.push('finished');
        peak = peakRssMb;
      },
    });
    expect(rest).toEqual([]);
    expect(pages.map((p) => p.index)).toEqual(Array.from({ length: 60 }, (_, k) => k));
    expect(pages[59]!.text).toContain('Page 60');
    expect(events[0]).toBe('total 60');
    expect(events[events.length - 1]).toBe('finished');
    // A node process with pdf.js loaded, well under the 1 GB heap cap.
    expect(peak).toBeGreaterThan(20);
    expect(peak).toBeLessThan(1024);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

it('an abort kills the child at once and settles after the sink call in hand; no sink call starts after it', async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'lexwatch-isolated-'));
  try {
    const file = path.join(dir, 'long.pdf');
    fs.writeFileSync(file, await textPdf(Array.from({ length: 1_500 }, (_, k) => [`Page ${k + 1} of a long synthetic book about the Ormund hills.`])));
    const controller = new AbortController();
    const events: string[] = [];
    let childPid = 0;
    const extraction = extractPagesIsolated(file, 'pdf', { signal: controller.signal }, {
      pages: async () => {
        events.push('call');
        if (events.length > 1) return;
        // The first batch: abort while this call is still storing.
        childPid = childrenOf(process.pid).find((p) => /lexwatch-extract: reading/.test(p.command))!.pid;
        controller.abort();
        const gone = await until('the child gone', () => !isAlive(childPid), 3_000).then(() => true, () => false);
        events.push(gone ? 'child gone' : 'child alive');
        await new Promise((r) => setTimeout(r, 300));
        events.push('call returned');
      },
    });
    const settled = extraction.then(() => 'resolved', (error: unknown) => {
      events.push('settled');
      return error instanceof ExtractionAbortedError ? 'aborted' : String(error);
    });
    expect(await settled).toBe('aborted');
    expect(events).toEqual(['call', 'child gone', 'call returned', 'settled']);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});
