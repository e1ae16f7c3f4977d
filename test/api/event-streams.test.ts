/**
 * Progress streams (GET /api/documents/:id/events) are capped per user and per process: each
 * polls the database, and 300 of them once slowed every other request to seconds. Over a cap the
 * answer is 429 with a JSON body naming it; a closed stream gives its slot back.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { apiKeyHeaders, startTestService, withHeaders, type TestService } from '../support/service';
import { until } from '../support/until';

let service: TestService;
let server: http.Server;
let base: string;
let documentId: string;
let alice: { Authorization: string };
let bob: { Authorization: string };

beforeAll(async () => {
  // No runner: the document stays queued, so its stream stays open until the client leaves.
  service = await startTestService({ runner: { enabled: false }, EVENT_STREAMS_PER_USER: 2, EVENT_STREAMS_PER_PROCESS: 3 });
  const analyst = withHeaders(service.app, await apiKeyHeaders(service, ['analyst']));
  const res = await analyst.post('/api/documents').field('kind', 'other').field('title', 'synthetic stream test').attach('file', Buffer.from('The Merenites live by the river.\n'), 'streams.txt').expect(202);
  documentId = res.body.document.id;
  alice = await apiKeyHeaders(service, ['viewer']);
  bob = await apiKeyHeaders(service, ['viewer']);
  server = http.createServer(service.app);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(async () => {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
  await service.dispose();
});

interface Opened {
  status: number;
  body: string;
  close(): void;
}

/** Opens the stream and resolves at its first event (kept open) or at the end of a refusal. */
function open(headers: { Authorization: string }): Promise<Opened> {
  return new Promise((resolve, reject) => {
    const req = http.get(`${base}/api/documents/${documentId}/events`, { headers }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      const opened = () => resolve({ status: res.statusCode!, body, close: () => req.destroy() });
      res.on('data', (chunk: string) => {
        body += chunk;
        if (res.statusCode === 200 && body.includes('\n\n')) opened();
      });
      res.on('end', opened);
    });
    req.on('error', (error) => (error.message === 'socket hang up' ? undefined : reject(error)));
  });
}

it('refuses a user their third stream and the process its fourth, with 429 and a JSON body', async () => {
  const a1 = await open(alice);
  const a2 = await open(alice);
  expect([a1.status, a2.status]).toEqual([200, 200]);
  expect(a1.body).toMatch(/^event: progress\n/);

  const a3 = await open(alice);
  expect(a3.status).toBe(429);
  expect(JSON.parse(a3.body)).toEqual({ error: { code: 'too_many_streams', message: expect.stringMatching(/streams open/), details: { scope: 'user', limit: 2 } } });

  const b1 = await open(bob);
  expect(b1.status).toBe(200);
  const b2 = await open(bob);
  expect(b2.status).toBe(429);
  expect(JSON.parse(b2.body).error.details).toEqual({ scope: 'process', limit: 3 });

  // Closing a stream gives its slot back.
  a1.close();
  const again = await until('a slot freed by a closed stream', async () => {
    const attempt = await open(bob);
    if (attempt.status === 200) return attempt;
    return null;
  }, 10_000);
  for (const stream of [a2, b1, again]) stream.close();
});
