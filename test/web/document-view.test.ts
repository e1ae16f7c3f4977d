/**
 * The document screen's edges: an unknown id says "Document not found" with no "Loading…" left
 * on screen, and a one-page document has no Previous/Next buttons. axe-clean at 1280 and 390 px.
 */
import fs from 'node:fs';
import path from 'node:path';
import { apiKeyHeaders, createTestUser, FIXTURES, waitForStatus, withHeaders } from '../support/service';
import { seriousViolations, signIn } from '../support/browser';
import { useWebRig } from '../support/web';

jest.setTimeout(180_000);

const rig = useWebRig();
let viewer: { username: string; password: string };
let onePage: string;

beforeAll(async () => {
  viewer = await createTestUser(rig.service, ['viewer']);
  const analyst = withHeaders(rig.service.app, await apiKeyHeaders(rig.service, ['analyst']));
  const res = await analyst
    .post('/api/documents')
    .field('kind', 'statement')
    .field('title', 'A one-page statement (synthetic)')
    .attach('file', fs.readFileSync(path.join(FIXTURES, 'statement-sample.txt')), 'statement.txt')
    .expect(202);
  onePage = res.body.document.id as string;
  const doc = await waitForStatus(rig.service, onePage, ['done'], 90_000);
  expect((doc.progress as { pagesTotal: number }).pagesTotal).toBe(1);
});

it.each([1280, 390])('at %i px: an unknown document says not found, without Loading…', async (width) => {
  rig.allowRefusals(); // the 404 of the unknown document
  const page = await rig.newPage({ width });
  await signIn(page, rig.base, viewer.username, viewer.password, '/documents/0123456789abcdef01234567');
  await page.getByRole('heading', { name: 'Document not found' }).waitFor();
  expect(await page.locator('main').innerText()).not.toContain('Loading');
  expect(await seriousViolations(page)).toEqual([]);
});

it.each([1280, 390])('at %i px: a one-page document has no Previous/Next page buttons', async (width) => {
  const page = await rig.newPage({ width });
  await signIn(page, rig.base, viewer.username, viewer.password, `/documents/${onePage}`);
  await page.locator('#page-label', { hasText: 'Page 1 of 1' }).waitFor();
  expect(await page.getByRole('button', { name: /Previous page|Next page/ }).count()).toBe(0);
  expect(await seriousViolations(page)).toEqual([]);
});
