/**
 * Debian's Chromium driven by playwright-core (never a downloaded browser), against a real
 * service listening on a loopback port. Screenshots go to test-artifacts/web (git-ignored).
 */
import fs from 'node:fs';
import path from 'node:path';
import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';

export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
export const ARTIFACTS = path.resolve(__dirname, '..', '..', 'test-artifacts', 'web');

export async function launchChromium(): Promise<{ browser: Browser; close(): Promise<void> }> {
  // playwright-core gives every launch() a fresh temporary profile (--user-data-dir) of its own.
  const browser = await chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
  return {
    browser,
    async close() {
      await browser.close();
    },
  };
}

export function listen(app: (req: never, res: never) => void): Promise<{ server: Server; base: string }> {
  return new Promise((resolve) => {
    const server = (require('node:http') as typeof import('node:http')).createServer(app as never);
    server.listen(0, '127.0.0.1', () => resolve({ server, base: `http://127.0.0.1:${(server.address() as AddressInfo).port}` }));
  });
}

export async function screenshot(page: Page, name: string): Promise<void> {
  fs.mkdirSync(ARTIFACTS, { recursive: true });
  await page.screenshot({ path: path.join(ARTIFACTS, `${name}.png`), fullPage: true });
}

/** Sign in through the form, as a person would. */
export async function signIn(page: Page, base: string, username: string, password: string, next = '/'): Promise<void> {
  await page.goto(`${base}/login?next=${encodeURIComponent(next)}`);
  await page.getByLabel('Username').fill(username);
  await page.getByLabel('Password').fill(password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.waitForURL((url) => url.pathname === next);
  await page.locator('#who').getByText(username).waitFor();
}

export interface AxeViolation {
  id: string;
  impact: string | null;
  help: string;
  nodes: Array<{ target: unknown[]; failureSummary?: string }>;
}

let axeSource: string | null = null;

/**
 * Runs axe-core (WCAG 2.x A/AA rules and best practices) on the page as it is now and returns
 * the serious and critical violations, each as one readable line. The app's CSP (script-src
 * 'self') blocks an injected inline <script> (page.addScriptTag with content), so the source is
 * evaluated through the DevTools protocol (page.evaluate), which CSP does not govern: the page
 * under test keeps its real policy.
 */
export async function seriousViolations(page: Page): Promise<string[]> {
  axeSource ??= fs.readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');
  await page.evaluate(axeSource);
  const violations = (await page.evaluate('axe.run(document, { resultTypes: ["violations"] }).then((r) => r.violations)')) as AxeViolation[];
  return violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => `${v.id} (${v.impact}): ${v.help} — ${v.nodes.slice(0, 5).map((n) => `${n.target.join(' ')}: ${n.failureSummary ?? ''}`.replace(/\s+/g, ' ')).join(' | ')}`);
}

/**
 * A page in a new browser context of its own (closed with the others in `contexts`), with a
 * viewport of `width`×`height`; page errors and console errors are collected in `errors`.
 */
export async function openPage(
  browser: Browser,
  track: { contexts: BrowserContext[]; errors: string[] },
  options: { width?: number; height?: number; acceptDownloads?: boolean } = {},
): Promise<Page> {
  const context = await browser.newContext({ viewport: { width: options.width ?? 1280, height: options.height ?? 800 }, acceptDownloads: options.acceptDownloads ?? false });
  track.contexts.push(context);
  const page = await context.newPage();
  page.setDefaultTimeout(15_000);
  page.on('pageerror', (error) => track.errors.push(error.message));
  page.on('console', (msg) => msg.type() === 'error' && track.errors.push(msg.text()));
  return page;
}
