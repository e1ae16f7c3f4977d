/**
 * Served over plain HTTP on a LAN address (HOST=0.0.0.0), the interface loads: the CSP asks the
 * browser to upgrade requests to https only when the page itself came over https. Chromium
 * trusts loopback addresses anyway, so the page is opened at this machine's non-loopback address.
 */
import os from 'node:os';
import type { AddressInfo } from 'node:net';
import http, { type Server } from 'node:http';
import type { Browser, BrowserContext } from 'playwright-core';
import request from 'supertest';
import { createTestUser, startTestService, type TestService } from '../support/service';
import { launchChromium, openPage, signIn } from '../support/browser';

jest.setTimeout(120_000);

const lan = Object.values(os.networkInterfaces())
  .flat()
  .find((i) => i && i.family === 'IPv4' && !i.internal)?.address;

let service: TestService;
let server: Server;
let chromium: Awaited<ReturnType<typeof launchChromium>>;
let browser: Browser;
const contexts: BrowserContext[] = [];
const pageErrors: string[] = [];

beforeAll(async () => {
  service = await startTestService({ runner: { enabled: false } });
  chromium = await launchChromium();
  browser = chromium.browser;
});
afterAll(async () => {
  for (const c of contexts) await c.close().catch(() => {});
  await chromium?.close();
  await new Promise((r) => (server ? server.close(r) : r(undefined)));
  await service?.dispose();
});

it('asks for upgrade-insecure-requests only over https', async () => {
  const plain = await request(service.app).get('/login').expect(200);
  expect(plain.headers['content-security-policy']).not.toContain('upgrade-insecure-requests');
  expect(plain.headers['content-security-policy']).toContain("script-src 'self'");
});

(lan ? it : it.skip)('loads and signs in at a LAN address over plain HTTP', async () => {
  server = http.createServer(service.app as never);
  await new Promise<void>((resolve) => server.listen(0, '0.0.0.0', resolve));
  const base = `http://${lan}:${(server.address() as AddressInfo).port}`;
  const user = await createTestUser(service, ['viewer']);
  const page = await openPage(browser, { contexts, errors: pageErrors });
  await signIn(page, base, user.username, user.password, '/documents');
  await page.getByRole('heading', { name: 'Documents' }).waitFor();
  expect(pageErrors).toEqual([]);
});
