/**
 * After signing in, the page goes to `next` only when it is a path on this origin: in real
 * Chromium, which drops tabs and newlines from URLs and reads "\" as "/", none of the hostile
 * values leaves the origin (V7: "/%09/evil.example/" once took the browser to evil.example).
 */
import type { Server } from 'node:http';
import type { Browser, BrowserContext } from 'playwright-core';
import { createTestUser, startTestService, type TestService } from '../support/service';
import { until } from '../support/until';
import { launchChromium, listen, openPage } from '../support/browser';

jest.setTimeout(120_000);

let service: TestService;
let server: Server;
let base: string;
let chromium: Awaited<ReturnType<typeof launchChromium>>;
let browser: Browser;
const contexts: BrowserContext[] = [];
const pageErrors: string[] = [];
let user: { username: string; password: string };

beforeAll(async () => {
  service = await startTestService({ runner: { enabled: false } });
  ({ server, base } = await listen(service.app as never));
  chromium = await launchChromium();
  browser = chromium.browser;
  user = await createTestUser(service, ['viewer']);
});
afterAll(async () => {
  for (const c of contexts) await c.close().catch(() => {});
  await chromium?.close();
  await new Promise((r) => server?.close(r));
  await service?.dispose();
});

/** Signs in at /login?next=<raw> and reports where the browser went, and any request that left the origin. */
async function signInWith(rawNext: string): Promise<{ landed: string; elsewhere: string[] }> {
  const page = await openPage(browser, { contexts, errors: pageErrors });
  const elsewhere: string[] = [];
  // Nothing may leave the machine: requests to other origins are recorded and refused.
  await page.context().route('**/*', (route) => {
    const url = route.request().url();
    if (url.startsWith(`${base}/`)) return route.continue();
    elsewhere.push(url);
    return route.abort();
  });
  await page.goto(`${base}/login?next=${rawNext}`);
  await page.getByLabel('Username').fill(user.username);
  await page.getByLabel('Password').fill(user.password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await until(`the page after signing in with next=${rawNext}`, async () => elsewhere.length > 0 || (!page.url().includes('/login') && (await page.locator('#who').getByText(user.username).count()) > 0), 20_000);
  return { landed: page.url(), elsewhere };
}

it.each([
  '/%09/evil.example/',
  '/%0A/evil.example/',
  '/%0D%0A/evil.example/',
  '//evil.example/',
  '/%5Cevil.example/',
  '/%5C%5Cevil.example/',
  '/%09%5C/evil.example/',
  'https:evil.example',
  'https://evil.example/',
  'javascript:alert(1)',
])('next=%s stays on our origin and goes home', async (rawNext) => {
  const { landed, elsewhere } = await signInWith(rawNext);
  expect(elsewhere).toEqual([]);
  expect(landed).toBe(`${base}/`);
});

it('follows a path on our origin, with its query', async () => {
  const { landed, elsewhere } = await signInWith(encodeURIComponent('/documents?status=done'));
  expect(elsewhere).toEqual([]);
  expect(landed).toBe(`${base}/documents?status=done`);
  expect(pageErrors).toEqual([]);
});
