/**
 * extractPagesIsolated with a sink: pages stream in order from the real child process, and the
 * child's peak memory arrives after the last page (the service logs it, the ingest bench reports it).
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { extractPagesIsolated } from '../../src/extract/isolated';
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
