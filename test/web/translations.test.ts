/**
 * Translations in Chromium (issue 14 item 6): an analyst adds a translation to a flag that is in
 * nobody's queue (state "new"); the author gets no check buttons (and the server refuses the
 * author's own check); a reviewer sends it back with a note; a revision is approved by another
 * person; each step is audited, and the dossier prints the approved translation with its checker.
 * axe finds nothing serious or critical on the flag screen at 1280 and 390 px. Passages are
 * synthetic (fixtures/statement-sample.txt: an invented speaker, invented groups).
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { readZip } from '../../src/export/dossier/verify';
import { apiKeyHeaders, createTestUser, FIXTURES, loginAgent, waitForStatus, withHeaders } from '../support/service';
import { screenshot, signIn } from '../support/browser';
import { until } from '../support/until';
import { accessibilityAt, useWebRig } from '../support/web';

jest.setTimeout(240_000);

const rig = useWebRig();
type User = { id: string; username: string; password: string };
let analyst: User;
let reviewer: User;
let flagId = '';
let documentId = '';
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'lexwatch-web-translations-'));

beforeAll(async () => {
  [analyst, reviewer] = await Promise.all([createTestUser(rig.service, ['analyst']), createTestUser(rig.service, ['reviewer'])]);
  const api = withHeaders(rig.service.app, await apiKeyHeaders(rig.service, ['analyst']));
  const st = api.post('/api/documents');
  for (const [k, v] of Object.entries({ kind: 'statement', title: 'Harvest address (synthetic)', speaker: 'Ardel Voss', date: '2023-05-04' })) st.field(k, v);
  documentId = (await st.attach('file', path.join(FIXTURES, 'statement-sample.txt')).expect(202)).body.document.id;
  await waitForStatus(rig.service, documentId, ['done'], 90_000);
  const flags = (await api.get(`/api/documents/${documentId}/flags`).expect(200)).body.items as Array<{ id: string; status: string }>;
  flagId = flags[0]!.id;
  expect(flags[0]!.status).toBe('new');
});

afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

const translationsOf = () => rig.service.db.models.Translation.find({ flag: flagId }).sort({ createdAt: 1, _id: 1 }).lean();

it('a translation of a flag in any state, sent back, revised, approved by a second person, and printed in the dossier', async () => {
  // The analyst finds the flag on the flags screen and adds a translation: the flag is "new", in nobody's queue.
  const author = await rig.newPage();
  await signIn(author, rig.base, analyst.username, analyst.password, '/flags');
  await author.locator(`#flags-table tr[data-flag="${flagId}"] a.flag-link`).click();
  await author.waitForURL((url) => url.pathname === `/flags/${flagId}`);
  await author.getByText('No translation yet.').waitFor();
  await author.getByLabel('Translation of the passage').fill('Merenitlər həşəratdır (synthetic test translation).');
  await author.getByLabel(/^Language/).fill('az');
  await author.getByLabel('Translator', { exact: true }).fill('Lale Orun (fictional)');
  await author.getByRole('button', { name: 'Save the translation' }).click();
  const first = author.locator('#translations li').first();
  await first.getByText('awaiting a check by another person').waitFor();
  // The author is offered no check, and the server would refuse one.
  expect(await first.getByRole('button', { name: 'Approve' }).count()).toBe(0);
  const [saved] = await translationsOf();
  expect(saved).toMatchObject({ text: 'Merenitlər həşəratdır (synthetic test translation).', language: 'az', translator: 'Lale Orun (fictional)', createdBy: expect.anything() });
  expect(String(saved!.createdBy)).toBe(analyst.id);
  const self = await loginAgent(rig.service, ['analyst']);
  await self.agent.post(`/api/flags/${flagId}/translations`).set('X-CSRF-Token', self.csrfToken).send({ text: 'Own rendering', language: 'az', translator: 'Self' }).expect(201);
  const own = (await translationsOf()).find((t) => t.text === 'Own rendering')!;
  const refused = await self.agent.post(`/api/flags/${flagId}/translations/${String(own._id)}/check`).set('X-CSRF-Token', self.csrfToken).send({ verdict: 'approved' }).expect(403);
  expect(refused.body.error.code).toBe('self_review');

  // A reviewer sends the first one back with a note.
  const checker = await rig.newPage();
  await signIn(checker, rig.base, reviewer.username, reviewer.password, `/flags/${flagId}`);
  const toCheck = checker.locator(`#translations li[data-translation="${String(saved!._id)}"]`);
  await toCheck.getByLabel('Note for the translator (optional)').fill('The verb is missing.');
  await toCheck.getByRole('button', { name: 'Needs changes' }).click();
  await toCheck.getByText(/sent back by you .*needs changes \(The verb is missing\.\)/).waitFor();
  expect((await translationsOf())[0]!.check).toMatchObject({ verdict: 'needs_changes', note: 'The verb is missing.' });

  // The author sees why, and enters a revision; the reviewer approves it.
  await author.reload();
  await author.getByText(/sent back by another person .*The verb is missing/).waitFor();
  await author.getByLabel('Translation of the passage').fill('Merenitlər həşəratdırlar (synthetic test translation, revised).');
  await author.getByLabel(/^Language/).fill('az');
  await author.getByLabel('Translator', { exact: true }).fill('Lale Orun (fictional)');
  await author.getByRole('button', { name: 'Save the translation' }).click();
  await author.locator('#translations li').nth(2).waitFor();
  await checker.reload();
  const revision = checker.locator('#translations li', { hasText: 'revised' });
  await revision.getByRole('button', { name: 'Approve' }).click();
  await revision.getByText(/^approved by you/).waitFor();
  await screenshot(checker, 'flag-translations');

  const audit = await rig.service.db.models.AuditEvent.find({ 'entity.id': flagId, action: /^translation\./ }).sort({ seq: 1 }).lean();
  expect(audit.map((e) => [e.action, e.actor])).toEqual([
    ['translation.add', analyst.id],
    ['translation.add', self.userId],
    ['translation.check', reviewer.id],
    ['translation.add', analyst.id],
    ['translation.check', reviewer.id],
  ]);

  // Two reviewers confirm the flag; the dossier prints the approved revision with its checker,
  // not the one sent back nor the unchecked one entered later.
  for (const roles of [['reviewer'], ['reviewer']] as const) {
    await withHeaders(rig.service.app, await apiKeyHeaders(rig.service, [...roles])).post(`/api/flags/${flagId}/reviews`).send({ decision: 'confirm' }).expect(201);
  }
  const api = withHeaders(rig.service.app, await apiKeyHeaders(rig.service, ['analyst']));
  const job = (await api.post('/api/dossiers').send({ title: 'Translations (synthetic)', submitter: 'S', addressee: 'A', filters: { documents: [documentId], states: ['confirmed'] } }).expect(202)).body.dossier.id as string;
  await until('the dossier', async () => ['done', 'failed'].includes((await api.get(`/api/dossiers/${job}`).expect(200)).body.dossier.status));
  const zip = await api.get(`/api/dossiers/${job}/download`).buffer(true).parse((r, cb) => {
    const chunks: Buffer[] = [];
    r.on('data', (c: Buffer) => chunks.push(c));
    r.on('end', () => cb(null, Buffer.concat(chunks)));
  }).expect(200);
  const file = path.join(tmp, 'dossier.zip');
  fs.writeFileSync(file, zip.body as Buffer);
  const json = JSON.parse([...(await readZip(file))].find(([n]) => n.endsWith('data/dossier.json'))![1].toString('utf8'));
  const item = json.items.find((i: { flagId: string }) => i.flagId === flagId);
  expect(item.translation).toMatchObject({ text: 'Merenitlər həşəratdırlar (synthetic test translation, revised).', language: 'az', translator: 'Lale Orun (fictional)', checkedAt: expect.any(String) });
  expect(item.translation.checkedBy).toEqual(expect.any(String));
});

it('is for analysts and reviewers to change; a viewer reads the translations without forms', async () => {
  const viewer = await createTestUser(rig.service, ['viewer']);
  const page = await rig.newPage();
  await signIn(page, rig.base, viewer.username, viewer.password, `/flags/${flagId}`);
  await page.locator('#translations li').first().waitFor();
  expect(await page.locator('#translation-form').count()).toBe(0);
  expect(await page.getByRole('button', { name: 'Approve' }).count()).toBe(0);
});

it.each([1280, 390])('the flag screen: axe finds nothing serious or critical at %i px, nothing wider than the window', async (width) => {
  const page = await rig.newPage({ width, height: 800 });
  await signIn(page, rig.base, reviewer.username, reviewer.password, `/flags/${flagId}`);
  await page.locator('#translations li').first().waitFor();
  expect(await accessibilityAt(page)).toEqual({ violations: [], overflow: 0 });
});
