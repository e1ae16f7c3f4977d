/**
 * One capture in headless Chromium (Debian's, driven by playwright-core; never a downloaded
 * browser): load the page with every request going through the guarded fetcher, let its scripts
 * run, then keep the visible text, the main text (Mozilla Readability, run on a copy of the
 * page's own DOM), a PDF and a full-page PNG, and the WARC of everything that was fetched.
 * Each capture launches its own browser with a fresh temporary profile: no cookies, storage or
 * files of the service are visible to the page. Service workers are blocked and WebSockets are
 * never connected, so nothing leaves except through the fetcher.
 */
import fs from 'node:fs';
import { chromium, type Browser, type Route } from 'playwright-core';
import type { AddressGuard } from './address-guard';
import { CaptureFailure, fetchFollowing, GuardedFetcher, redirectTarget, type CaptureLimits, type Exchange } from './fetcher';
import { warcFields, warcRecord } from './warc';

export const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

export interface PageCapture {
  requestedUrl: string;
  finalUrl: string;
  main: Exchange;
  startedAt: Date;
  endedAt: Date;
  browserVersion: string;
  userAgent: string;
  pageText: string;
  mainText: string | null;
  warc: Buffer;
  pdf: Buffer;
  png: Buffer;
  requests: number;
  bytesReceived: number;
}

let readabilitySource: string | null = null;

/**
 * Run in the page after Readability's source: the article's title, byline and body as text, one
 * block (heading, paragraph, list item, cell…) per paragraph. Readability's own textContent joins
 * blocks without a break ("…towns.The office…" on minified pages), which would merge words.
 * The article's HTML is read by DOMParser: an inert document, so nothing in it loads or runs.
 */
const ARTICLE_TEXT = `
const a = new Readability(document.cloneNode(true)).parse();
if (!a || !a.content) return null;
const BLOCK = new Set(['address','article','aside','blockquote','dd','details','div','dl','dt','figcaption','figure','footer','h1','h2','h3','h4','h5','h6','header','hr','li','main','nav','ol','p','pre','section','summary','table','td','th','tr','ul']);
const out = [];
const walk = (node, pre) => {
  if (node.nodeType === 3) { out.push(pre ? node.data : node.data.replace(/\\s+/g, ' ')); return; }
  if (node.nodeType !== 1) return;
  const tag = node.tagName.toLowerCase();
  if (tag === 'br') { out.push('\\n'); return; }
  const block = BLOCK.has(tag);
  if (block) out.push('\\n\\n');
  for (const child of node.childNodes) walk(child, pre || tag === 'pre');
  if (block) out.push('\\n\\n');
};
walk(new DOMParser().parseFromString(a.content, 'text/html').body, false);
const body = out.join('').split('\\n').map((line) => line.trim()).join('\\n').replace(/\\n{3,}/g, '\\n\\n').trim();
const head = [a.title, a.byline].map((t) => (t || '').replace(/\\s+/g, ' ').trim()).filter((t) => t && !body.startsWith(t));
return [...head, body].filter(Boolean).join('\\n\\n') || null;
`;

export async function capturePage(url: string, options: { guard: AddressGuard; limits: CaptureLimits; chromiumPath?: string; signal?: AbortSignal }): Promise<PageCapture> {
  const startedAt = new Date();
  const abort = new AbortController();
  options.signal?.addEventListener('abort', () => abort.abort(), { once: true });
  const seconds = Math.round(options.limits.timeMs / 1000);
  const timer = setTimeout(() => abort.abort(), options.limits.timeMs);
  const fetcher = new GuardedFetcher(options.guard, options.limits, abort.signal);
  let browser: Browser | null = null;
  // One close for the browser, awaited by everyone: Playwright's first close() waits until the
  // process has exited, a second one only until the connection is gone (the process may still run).
  let closing: Promise<void> | null = null;
  const closeBrowser = (): Promise<void> => (browser ? (closing ??= browser.close().catch(() => {})) : Promise.resolve());
  const closeOnAbort = () => void closeBrowser();
  abort.signal.addEventListener('abort', closeOnAbort, { once: true });
  try {
    browser = await chromium.launch({
      executablePath: options.chromiumPath ?? CHROMIUM_PATH,
      headless: true,
      // Every request is answered by the fetcher (route below). Anything Chromium might still send
      // on its own goes to a proxy where nothing listens, and it resolves no host name itself.
      args: ['--no-sandbox', '--disable-dev-shm-usage', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--disable-features=DnsOverHttps', '--proxy-server=http://127.0.0.1:9', '--proxy-bypass-list=<-loopback>', '--host-resolver-rules=MAP * ~NOTFOUND'],
    });
    // A cancel or the time limit that came while the browser was starting: closeOnAbort found none to close.
    if (abort.signal.aborted) throw new Error('the capture was stopped');
    const context = await browser.newContext({ serviceWorkers: 'block', acceptDownloads: false, viewport: { width: 1280, height: 900 } });
    await context.routeWebSocket(/.*/, (ws) => ws.close({ code: 1008, reason: 'not captured' }));
    const navigation = { redirect: null as string | null };
    await context.route('**/*', (route) => answer(route, fetcher, navigation));
    const page = await context.newPage();
    // The page's redirects are followed here, one goto per hop, so each hop is a routed request.
    let target = url;
    let response = null;
    for (let hop = 0; ; hop++) {
      navigation.redirect = null;
      try {
        response = await page.goto(target, { waitUntil: 'load', timeout: options.limits.timeMs });
        break;
      } catch (error) {
        if (!navigation.redirect || hop === 10) throw error;
        target = navigation.redirect;
      }
    }
    if (fetcher.limitFailure) throw new CaptureFailure(fetcher.limitFailure);
    // Scripts that fill the page after `load` get a moment, bounded, to finish their requests.
    await page.waitForLoadState('networkidle', { timeout: Math.min(10_000, options.limits.timeMs / 4) }).catch(() => {});
    const finalUrl = page.url();
    const main = [...fetcher.exchanges].reverse().find((e) => e.url === finalUrl) ?? fetcher.exchanges.at(-1);
    if (!response || !main) {
      const refused = fetcher.refusals[0];
      throw new CaptureFailure(refused ? `the page was not loaded: ${refused.message}` : 'the page did not answer');
    }
    const pageText = ((await page.evaluate('document.body ? document.body.innerText : ""')) as string).normalize('NFC');
    readabilitySource ??= fs.readFileSync(require.resolve('@mozilla/readability/Readability.js'), 'utf8');
    // On a copy of the DOM as the scripts left it: Readability changes the tree it reads.
    const article = (await page.evaluate(`(() => { ${readabilitySource}\n;${ARTICLE_TEXT} })()`)) as string | null;
    const userAgent = (await page.evaluate('navigator.userAgent')) as string;
    const pdf = await page.pdf({ format: 'A4', printBackground: true });
    const png = await page.screenshot({ fullPage: true, type: 'png' });
    const browserVersion = browser.version();
    await browser.close();
    closing = Promise.resolve();
    const endedAt = new Date();
    const info = warcRecord({
      type: 'warcinfo',
      date: startedAt,
      contentType: 'application/warc-fields',
      block: warcFields([['software', `Lexwatch capture; Chromium ${browserVersion}`], ['format', 'WARC File Format 1.1'], ['conformsTo', 'https://iipc.github.io/warc-specifications/specifications/warc-format/warc-1.1/'], ['http-header-user-agent', userAgent], ['robots', 'not consulted (a capture is made for one person, on request)']]),
    });
    const metadata = warcRecord({
      type: 'metadata',
      targetUri: finalUrl,
      date: endedAt,
      contentType: 'application/warc-fields',
      block: warcFields([
        ['requested-url', url],
        ['final-url', finalUrl],
        ['capture-start', startedAt.toISOString()],
        ['capture-end', endedAt.toISOString()],
        ['browser', `Chromium ${browserVersion}`],
        ['requests', String(fetcher.requests)],
        ['bytes-received', String(fetcher.bytes)],
        ['note', 'bodies are recorded as received with Accept-Encoding: identity; a chunked transfer coding was undone and its Transfer-Encoding header left out'],
        ...fetcher.refusals.map((r): [string, string] => ['refused', `${r.url} (${r.rule})`]),
        ...fetcher.skipped.map((s): [string, string] => ['not-fetched', `${s.url} (${s.reason})`]),
      ]),
    });
    return {
      requestedUrl: url,
      finalUrl,
      main,
      startedAt,
      endedAt,
      browserVersion,
      userAgent,
      pageText,
      mainText: article ? article.normalize('NFC') : null,
      warc: Buffer.concat([info.bytes, ...fetcher.records, metadata.bytes]),
      pdf,
      png,
      requests: fetcher.requests,
      bytesReceived: fetcher.bytes,
    };
  } catch (error) {
    if (fetcher.limitFailure) throw new CaptureFailure(fetcher.limitFailure);
    if (abort.signal.aborted && !options.signal?.aborted) throw new CaptureFailure(`the page did not finish loading in ${seconds} s`);
    if (error instanceof CaptureFailure) throw error;
    const refused = fetcher.refusals.at(-1);
    if (refused) throw new CaptureFailure(`the page was not loaded: ${refused.message}`);
    throw error;
  } finally {
    clearTimeout(timer);
    abort.signal.removeEventListener('abort', closeOnAbort);
    await closeBrowser();
  }
}

async function answer(route: Route, fetcher: GuardedFetcher, navigation: { redirect: string | null }): Promise<void> {
  const request = route.request();
  const scheme = new URL(request.url()).protocol;
  if (scheme === 'data:' || scheme === 'blob:') return route.continue();
  const mainFrame = request.isNavigationRequest() && !request.frame().parentFrame();
  try {
    const outgoing = { url: request.url(), method: request.method(), headers: await request.allHeaders(), body: request.postDataBuffer() };
    const result = mainFrame ? await fetcher.fetch(outgoing) : await fetchFollowing(fetcher, outgoing);
    if ('refused' in result) return await route.abort('blockedbyclient');
    const redirect = mainFrame ? redirectTarget(outgoing.url, result) : null;
    if (redirect) {
      // The capture loop goes there itself (see capturePage): a routed request, guarded again.
      navigation.redirect = redirect;
      return await route.abort('aborted');
    }
    const headers: Record<string, string> = {};
    for (const [name, value] of result.headers) {
      const key = name.toLowerCase();
      headers[key] = headers[key] === undefined ? value : `${headers[key]}\n${value}`;
    }
    await route.fulfill({ status: result.status, headers, body: result.body });
  } catch {
    await route.abort('failed').catch(() => {});
  }
}
