/**
 * The hostile corpus (scripts/generate-bad-files.ts), uploaded through the real service: each
 * file gets a clear 4xx before storage or a `failed` status with a readable reason (the original
 * kept), the server keeps answering other requests meanwhile, and its memory stays bounded.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import request from 'supertest';
import { generateHostileCorpus, type HostileCase } from '../../scripts/generate-bad-files';
import { DEFAULT_CHILD_LIMITS } from '../../src/limited-process';
import { apiKeyHeaders, startTestService, waitForStatus, withHeaders, type TestService } from '../support/service';

let service: TestService;

let api: ReturnType<typeof withHeaders>;
let dir: string;
let cases: HostileCase[];
beforeAll(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'lexwatch-hostile-'));
  cases = generateHostileCorpus(dir);
  service = await startTestService({ pipeline: { limits: { ...DEFAULT_CHILD_LIMITS, extract: { timeoutMs: 60_000, memoryMb: 1024, cpuSeconds: 60 } } } });
  // Uploads and processing controls are an analyst's: every call authenticates.
  api = withHeaders(service.app, await apiKeyHeaders(service, ['analyst']));
}, 60_000);
afterAll(async () => {
  await service.dispose();
  fs.rmSync(dir, { recursive: true, force: true });
});

it('answers every hostile file with a 4xx or a failed status and a reason, and keeps serving', async () => {
  let healthChecks = 0;
  // The service's own growth: jest runs every file in one process, so absolute RSS counts the rest of the suite.
  const baselineRss = process.memoryUsage().rss;
  let peakRss = baselineRss;
  let probing = true;
  const probe = (async () => {
    while (probing) {
      // Every probe is answered while hostile files are read (extraction runs in capped child
      // processes). How fast is a benchmark's question, not a test's: the machine may be loaded.
      await request(service.app).get('/api/health').expect(200);
      healthChecks += 1;
      peakRss = Math.max(peakRss, process.memoryUsage().rss);
      await new Promise((r) => setTimeout(r, 100));
    }
  })();

  const outcomes: Array<Record<string, unknown>> = [];
  try {
  for (const c of cases) {
    const req = api.post('/api/documents').field('kind', 'other').field('title', `hostile: ${c.description}`);
    for (const [k, v] of Object.entries(c.fields ?? {})) req.field(k, v);
    const res = await req.attach('file', fs.readFileSync(path.join(dir, c.file)), c.uploadName);
    if (c.expect === 'reject') {
      outcomes.push({ file: c.file, status: res.status, message: res.body.error?.message });
      expect({ file: c.file, status: res.status }).toEqual({ file: c.file, status: c.status });
      expect(res.body.error.message).toMatch(new RegExp(c.reason!));
      continue;
    }
    expect({ file: c.file, status: res.status }).toEqual({ file: c.file, status: 202 });
    const doc = await waitForStatus(service, res.body.document.id, ['done', 'failed'], 120_000);
    const failure = doc.failure as { reason: string } | undefined;
    outcomes.push({ file: c.file, status: doc.status, reason: failure?.reason });
    expect({ file: c.file, status: doc.status }).toEqual({ file: c.file, status: c.expect });
    if (c.expect === 'failed') expect(failure!.reason).toMatch(new RegExp(c.reason!, 'i'));
    // The original is kept, byte for byte, whatever happened.
    const sha = res.body.document.original.sha256 as string;
    expect(fs.readFileSync(path.join(service.uploadDir, sha.slice(0, 2), sha)).equals(fs.readFileSync(path.join(dir, c.file)))).toBe(true);
    // File names are for display only: no directories, control or bidi characters survive.
    expect(res.body.document.original.filename).not.toMatch(/[/\\\u202a-\u202e]/);
    expect([...String(res.body.document.original.filename)].some((ch) => ch.charCodeAt(0) < 0x20)).toBe(false);
  }
  } finally {
    probing = false;
    await probe;
  }
  expect(healthChecks).toBeGreaterThan(3);
  expect(peakRss - baselineRss).toBeLessThan(512 * 1024 * 1024);
  // Keep the outcomes visible in the test log for the closing note.
  if (process.env.LEXWATCH_SHOW_OUTCOMES) process.stderr.write(`${JSON.stringify(outcomes, null, 1)}\n`);
}, 600_000);
