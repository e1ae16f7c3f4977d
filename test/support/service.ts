/**
 * A real Lexwatch service for a test file: its own database on the run's server (embedded
 * FerretDB, or MONGODB_URI), its own upload directory, the real pipeline runner.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import type { Express } from 'express';
import { Types } from 'mongoose';
import request from 'supertest';
import { createService, type Service, type ServiceOptions } from '../../src/service';
import type { Role } from '../../src/store/people-models';

export interface TestService extends Service {
  dbName: string;
  uploadDir: string;
  dispose(options?: { dropDatabase?: boolean }): Promise<void>;
}

export function testDatabaseName(label: string): string {
  return `lw_${label.replace(/[^A-Za-z0-9]/g, '_').slice(0, 30)}_${randomBytes(4).toString('hex')}`;
}

export async function startTestService(
  overrides: Partial<ServiceOptions['config']> & {
    dbName?: string;
    uploadDir?: string;
    runner?: ServiceOptions['runner'];
    review?: ServiceOptions['review'];
    auth?: ServiceOptions['auth'];
    pipeline?: ServiceOptions['pipeline'];
    capture?: ServiceOptions['capture'];
  } = {},
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
      ...(overrides.DOSSIER_SIGNING_KEY ? { DOSSIER_SIGNING_KEY: overrides.DOSSIER_SIGNING_KEY } : {}),
      ...(overrides.EVENT_STREAMS_PER_USER ? { EVENT_STREAMS_PER_USER: overrides.EVENT_STREAMS_PER_USER } : {}),
      ...(overrides.EVENT_STREAMS_PER_PROCESS ? { EVENT_STREAMS_PER_PROCESS: overrides.EVENT_STREAMS_PER_PROCESS } : {}),
      ...(overrides.EVENTS_POLL_MS ? { EVENTS_POLL_MS: overrides.EVENTS_POLL_MS } : {}),
    },
    runner: { pollMs: 100, ...overrides.runner },
    pipeline: overrides.pipeline,
    review: overrides.review,
    auth: overrides.auth,
    capture: overrides.capture,
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

// --- people: users with roles, API-key headers, logged-in browser agents --------------------

let userCounter = 0;
export const TEST_PASSWORD = 'correct horse battery staple';

/** A user with the given roles, created through the real AuthService (so it is audited). */
export async function createTestUser(service: Service, roles: Role[], username?: string): Promise<{ id: string; username: string; password: string }> {
  const name = username ?? `${roles.join('-') || 'nobody'}-${process.pid}-${(userCounter += 1)}`;
  const user = await service.auth.createUser({ username: name, password: TEST_PASSWORD, roles }, { id: 'test', role: 'test' });
  return { id: String(user._id), username: user.username, password: TEST_PASSWORD };
}

/** `Authorization: Bearer …` headers of a fresh API key for a new user with `roles`. */
export async function apiKeyHeaders(service: Service, roles: Role[]): Promise<{ Authorization: string } & { userId: string }> {
  const user = await createTestUser(service, roles);
  const { key } = await service.auth.createApiKey(new Types.ObjectId(user.id), { name: 'test' }, { id: user.id, role: 'test' });
  return Object.defineProperty({ Authorization: `Bearer ${key}` }, 'userId', { value: user.id, enumerable: false }) as { Authorization: string; userId: string };
}

/** A supertest agent logged in through POST /api/auth/login (cookie), with its CSRF token. */
export async function loginAgent(service: Service, roles: Role[]): Promise<{ agent: ReturnType<typeof request.agent>; csrfToken: string; userId: string; username: string }> {
  const user = await createTestUser(service, roles);
  const agent = request.agent(service.app);
  const res = await agent.post('/api/auth/login').send({ username: user.username, password: user.password }).expect(200);
  return { agent, csrfToken: res.body.csrfToken as string, userId: user.id, username: user.username };
}

/** `request(app)` with fixed headers on every request: `api.get(url)`, `api.post(url)`… */
export function withHeaders(app: Express, headers: Record<string, string>) {
  const wrap = (method: 'get' | 'post' | 'patch' | 'put' | 'delete') => (url: string) => request(app)[method](url).set(headers);
  return { get: wrap('get'), post: wrap('post'), patch: wrap('patch'), put: wrap('put'), delete: wrap('delete') };
}
