import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import mongoose from 'mongoose';
import { BuildProgress } from '../../src/store/build-progress';
import { startEmbeddedDatabase } from '../../src/store/embedded-ferretdb';
import { ferretdbLogFilter } from '../../src/store/ferretdb-log';

describe('the embedded FerretDB log an operator sees', () => {
  it('shows nothing for a start, a client that closes, an expected error reply and a stop', async () => {
    const raw: string[] = [];
    const shown: string[] = [];
    const filter = ferretdbLogFilter((line) => shown.push(line));
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'lexwatch-log-test-'));
    const db = await startEmbeddedDatabase({ dataDir, log: (line) => (raw.push(line), filter(line)) });
    try {
      const client = new mongoose.mongo.MongoClient(db.uri, { directConnection: true });
      await client.connect();
      // A collection that does not exist yet: FerretDB answers NamespaceNotFound and logs it at WARN.
      await expect(client.db('lexwatch-log-test').collection('missing').indexes()).rejects.toThrow();
      await client.close();
    } finally {
      await db.stop();
      fs.rmSync(dataDir, { recursive: true, force: true });
    }
    // The noise was there to be filtered (else this test could not fail) …
    expect(raw.join('\n')).toMatch(/WARN Response message:/);
    expect(raw.join('\n')).toMatch(/connection reset by peer/);
    // … and none of it reaches the operator.
    expect(shown).toEqual([]);
  });

  it('shows a real warning or error whole, continuation lines included, and everything when verbose', () => {
    const shown: string[] = [];
    const filter = ferretdbLogFilter((line) => shown.push(line));
    const lines = [
      '2026/12/06 04:48:40 INFO Connection started name=listener',
      '2026/12/06 04:48:41 ERROR Failed to open database',
      '  sqlite: disk I/O error',
      '2026/12/06 04:48:42 WARN Response message:',
      '{ "ok": 0.0 }',
      '2026/12/06 04:48:43 WARN Connection stopped name=listener error="read: connection reset by peer"',
    ];
    lines.forEach(filter);
    expect(shown).toEqual(['2026/12/06 04:48:41 ERROR Failed to open database', '  sqlite: disk I/O error']);
    const all: string[] = [];
    lines.forEach(ferretdbLogFilter((line) => all.push(line), true));
    expect(all).toEqual(lines);
  });
});

describe('the one-time FerretDB build', () => {
  it('reports packages compiled of the total and the time elapsed, at most every 10 s, and passes compiler messages on', () => {
    let now = 0;
    const reports: string[] = [];
    const progress = new BuildProgress(200, (line) => reports.push(line), () => now);
    for (let i = 0; i < 50; i += 1) progress.line('github.com/FerretDB/FerretDB/internal/pkg' + i);
    expect(reports).toEqual([]);
    now = 65_000;
    progress.line('internal/goarch');
    expect(reports).toEqual(['building FerretDB: 51 of 200 packages compiled (25%), 1:05 elapsed']);
    progress.line('main.go:3:2: undefined: x');
    expect(reports[1]).toBe('main.go:3:2: undefined: x');
    now = 70_000;
    progress.tick();
    expect(reports).toHaveLength(2);
  });
});
