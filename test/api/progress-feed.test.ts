/**
 * Progress streams share one feed per process: on the embedded FerretDB (no change streams) that
 * is ONE poll of the documents collection per interval, however many streams are open. Each
 * stream used to poll on its own, and 300 of them slowed every other request to seconds.
 * Queries are counted as mongoose sends them to the server (its debug hook on this connection).
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { apiKeyHeaders, startTestService, withHeaders, type TestService } from '../support/service';
import { until } from '../support/until';

const POLL_MS = 100;
const STREAMS = 20;

let service: TestService;
let server: http.Server;
let base: string;
let documentIds: string[];
let viewer: { Authorization: string };
/** Every `find` on the documents collection, with when it was sent. */
const documentFinds: number[] = [];

beforeAll(async () => {
  // No runner: the documents stay queued until the test moves them, as another process would.
  service = await startTestService({ runner: { enabled: false }, EVENTS_POLL_MS: POLL_MS, EVENT_STREAMS_PER_USER: 50, EVENT_STREAMS_PER_PROCESS: 50 });
  const analyst = withHeaders(service.app, await apiKeyHeaders(service, ['analyst']));
  documentIds = [];
  for (const n of [1, 2, 3]) {
    const res = await analyst.post('/api/documents').field('kind', 'other').field('title', `synthetic feed test ${n}`).attach('file', Buffer.from(`The Merenites crossed river ${n}.\n`), `feed-${n}.txt`).expect(202);
    documentIds.push(res.body.document.id);
  }
  viewer = await apiKeyHeaders(service, ['viewer']);
  service.db.connection.set('debug', (collection: string, method: string) => {
    if (collection === 'documents' && method === 'find') documentFinds.push(Date.now());
  });
  server = http.createServer(service.app);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(async () => {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
  await service.dispose();
});

interface Stream {
  status: number;
  body(): string;
  ended: Promise<void>;
  close(): void;
}

/** Opens a stream; resolves at its first event, and keeps collecting what follows. */
function open(documentId: string): Promise<Stream> {
  return new Promise((resolve, reject) => {
    const req = http.get(`${base}/api/documents/${documentId}/events`, { headers: viewer }, (res) => {
      let body = '';
      let resolveEnd: () => void = () => {};
      const ended = new Promise<void>((r) => (resolveEnd = r));
      const stream = { status: res.statusCode!, body: () => body, ended, close: () => req.destroy() };
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => {
        body += chunk;
        if (body.includes('\n\n')) resolve(stream);
      });
      res.on('end', () => {
        resolveEnd();
        resolve(stream);
      });
    });
    req.on('error', (error) => (error.message === 'socket hang up' ? undefined : reject(error)));
  });
}

it(`serves ${STREAMS} open streams with one query of the documents per interval, not one per stream`, async () => {
  const streams = await Promise.all(Array.from({ length: STREAMS }, (_, i) => open(documentIds[i % documentIds.length]!)));
  expect(streams.every((s) => s.status === 200)).toBe(true);
  await until('every stream subscribed', () => service.documentFeed.subscribers === STREAMS, 10_000);

  const start = Date.now();
  const before = documentFinds.length;
  const pollsBefore = service.documentFeed.queries;
  await until('ten polls', () => documentFinds.length - before >= 10, 20_000);
  const elapsed = Date.now() - start;
  const finds = documentFinds.length - before;
  // One poll per interval at most (the next is scheduled when the last answered), plus one in flight;
  // a poll per stream would be STREAMS per interval.
  expect(finds).toBeLessThanOrEqual(Math.floor(elapsed / POLL_MS) + 2);
  // And the feed sent each of them (they are its polls, not some other reader's).
  expect(service.documentFeed.queries - pollsBefore).toBeGreaterThanOrEqual(finds - 1);
  expect(await service.documentFeed.currentMode()).toBe('poll');

  for (const stream of streams) stream.close();
  await until('every stream unsubscribed', () => service.documentFeed.subscribers === 0, 10_000);
  // No stream open, no polling.
  const idle = documentFinds.length;
  const idleStart = Date.now();
  await until('five intervals pass', () => Date.now() - idleStart > 5 * POLL_MS, 5_000);
  expect(documentFinds.length - idle).toBeLessThanOrEqual(1);
});

it('brings every stream the status another process writes, through to done', async () => {
  const id = documentIds[0]!;
  const streams = await Promise.all([open(id), open(id), open(id)]);
  for (const stream of streams) expect(stream.body()).toContain('"status":"queued"');
  const objectId = await service.db.repos.documents.findDocument(id);
  // As a worker in another process would: the database changes, nobody tells this process.
  await service.db.repos.documents.setFields(objectId!._id, { status: 'analyzing', 'progress.stage': 'analyzing', 'progress.pagesTotal': 1 });
  await until('streams see analyzing', () => streams.every((s) => s.body().includes('"status":"analyzing"')), 10_000);
  await service.db.repos.documents.setFields(objectId!._id, { status: 'done', 'progress.stage': 'done', 'progress.pagesDone': 1 });
  await Promise.all(streams.map((s) => s.ended));
  for (const stream of streams) {
    expect(stream.body()).toMatch(/event: end\ndata: \{"status":"done"\}\n\n$/);
  }
  await until('ended streams unsubscribed', () => service.documentFeed.subscribers === 0, 10_000);
});
