/**
 * The preamble of a browser test, once: a real service (its own database) listening on a
 * loopback port, Debian's Chromium through playwright-core, pages in contexts of their own, and
 * after each test no page error or console error left. `useWebRig()` registers the jest hooks
 * in the calling file; its fields are set once beforeAll has run.
 */
import type { Server } from 'node:http';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { launchChromium, listen, openPage, seriousViolations } from './browser';
import { startTestService, type TestService } from './service';

export interface WebRig {
  readonly service: TestService;
  /** http://127.0.0.1:<port> of the service. */
  readonly base: string;
  readonly browser: Browser;
  /** Page errors and console errors of every page so far (checked and emptied after each test). */
  readonly pageErrors: string[];
  newPage(options?: { width?: number; height?: number; acceptDownloads?: boolean }): Promise<Page>;
  /** This test provokes refusals on purpose: the browser's "status of 4xx" console lines are not errors. */
  allowRefusals(): void;
}

export function useWebRig(serviceOptions: Parameters<typeof startTestService>[0] = {}, options: { checkPageErrors?: boolean } = {}): WebRig {
  const contexts: BrowserContext[] = [];
  const pageErrors: string[] = [];
  let refusalsAllowed = false;
  let service: TestService | undefined;
  let server: Server | undefined;
  let base = '';
  let chromium: Awaited<ReturnType<typeof launchChromium>> | undefined;
  const ready = <T>(value: T | undefined, what: string): T => {
    if (value === undefined) throw new Error(`the web rig's ${what} is used before beforeAll ran`);
    return value;
  };

  beforeAll(async () => {
    service = await startTestService(serviceOptions);
    ({ server, base } = await listen(service.app as never));
    chromium = await launchChromium();
  });
  afterAll(async () => {
    for (const c of contexts) await c.close().catch(() => {});
    await chromium?.close();
    await new Promise((r) => (server ? server.close(r) : r(undefined)));
    await service?.dispose();
  });
  if (options.checkPageErrors !== false) {
    afterEach(() => {
      const seen = pageErrors.filter((e) => !(refusalsAllowed && /status of 4\d\d/.test(e)));
      pageErrors.length = 0;
      refusalsAllowed = false;
      expect(seen).toEqual([]);
    });
  }

  return {
    get service() {
      return ready(service, 'service');
    },
    get base() {
      return ready(base || undefined, 'base');
    },
    get browser() {
      return ready(chromium?.browser, 'browser');
    },
    pageErrors,
    allowRefusals: () => {
      refusalsAllowed = true;
    },
    newPage: (o = {}) => openPage(ready(chromium?.browser, 'browser'), { contexts, errors: pageErrors }, o),
  };
}

/**
 * What an accessibility check at this page's width finds: axe's serious and critical violations,
 * and whether anything makes the page wider than the window. Compare with `{ violations: [], overflow: 0 }`.
 */
export async function accessibilityAt(page: Page): Promise<{ violations: string[]; overflow: number }> {
  const width = page.viewportSize()?.width ?? 0;
  const scrollWidth = (await page.evaluate('document.documentElement.scrollWidth')) as number;
  return { violations: await seriousViolations(page), overflow: Math.max(0, scrollWidth - width) };
}
