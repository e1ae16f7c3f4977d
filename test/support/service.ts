/**
 * A real Lexwatch service for a test file: its own database on the run's server (embedded
 * FerretDB, or MONGODB_URI), its own upload directory, the real pipeline runner.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import { createService, type Service, type ServiceOptions } from '../../src/service';

export interface TestService extends Service {
  dbName: string;
  uploadDir: string;
  dispose(options?: { dropDatabase?: boolean }): Promise<void>;
}

export function testDatabaseName(label: string): string {
  return `lw_${label.replace(/[^A-Za-z0-9]/g, '_').slice(0, 30)}_${randomBytes(4).toString('hex')}`;
}

export async function startTestService(
  overrides: Partial<ServiceOptions['config']> & { dbName?: string; uploadDir?: string; runner?: ServiceOptions['runner']; pipeline?: ServiceOptions['pipeline'] } = {},
): Promise<TestService> {
  const uri = process.env.MONGODB_URI;
  if (!uri) throw new Error('MONGODB_URI is not set: the jest global setup should have started a database');
  const dbName = overrides.dbName ?? testDatabaseName(path.basename(expect.getState().testPath ?? 'test', '.test.ts'));
  const uploadDir = overrides.uploadDir ?? fs.mkdtempSync(path.join(os.tmpdir(), 'lexwatch-uploads-'));
  const service = await createService({
    mongodbUri: uri,
    config: {
      UPLOAD_DIR: uploadDir,
      MAX_UPLOAD_BYTES: overrides.MAX_UPLOAD_BYTES ?? 200 * 1024 * 1024,
      LEXICON: overrides.LEXICON,
      TARGETS: overrides.TARGETS,
      LOG_LEVEL: overrides.LOG_LEVEL ?? 'silent',
      MONGODB_DB: dbName,
      ...(overrides.OCR_CONCURRENCY ? { OCR_CONCURRENCY: overrides.OCR_CONCURRENCY } : {}),
    },
    runner: { pollMs: 100, ...overrides.runner },
    pipeline: overrides.pipeline,
  });
  return {
    ...service,
    dbName,
    uploadDir,
    async dispose(options = {}) {
      if (options.dropDatabase !== false) await service.db.connection.dropDatabase().catch(() => {});
      await service.close();
      if (!overrides.uploadDir) fs.rmSync(uploadDir, { recursive: true, force: true });
    },
  };
}

export const FIXTURES = path.resolve(__dirname, '..', '..', 'fixtures');

export async function waitForStatus(service: Service, id: string, statuses: string[], timeoutMs = 30_000): Promise<Record<string, unknown>> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const doc = await service.db.models.Document.findById(id).lean();
    if (doc && statuses.includes(doc.status)) return doc as unknown as Record<string, unknown>;
    if (Date.now() > deadline) throw new Error(`document ${id} did not reach ${statuses.join('|')} (now ${doc?.status})`);
    await new Promise((r) => setTimeout(r, 50));
  }
}
