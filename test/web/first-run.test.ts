/**
 * First run in the browser: the one-time setup link creates the first admin, who lands signed in;
 * the link is then dead. axe finds nothing serious at 1280 and 390 px.
 */
import { screenshot, seriousViolations } from '../support/browser';
import { useWebRig } from '../support/web';

jest.setTimeout(120_000);

const rig = useWebRig({ runner: { enabled: false } });

it('the setup link creates the first admin in the browser, then is dead', async () => {
  const token = (await rig.service.setup.issueIfNoAdmin())!;
  const narrow = await rig.newPage({ width: 390, height: 800 });
  await narrow.goto(`${rig.base}/setup#token=${token}`);
  await narrow.getByRole('button', { name: 'Create the admin' }).waitFor();
  expect(await seriousViolations(narrow)).toEqual([]);
  expect(await narrow.evaluate('document.documentElement.scrollWidth')).toBeLessThanOrEqual(390);

  const page = await rig.newPage();
  await page.goto(`${rig.base}/setup#token=${token}`);
  // The token leaves the address bar at once.
  await page.getByRole('button', { name: 'Create the admin' }).waitFor();
  expect(page.url()).toBe(`${rig.base}/setup`);
  await page.getByLabel('Username').fill('first-admin');
  await page.getByLabel('Password', { exact: true }).fill('a long first-run passphrase');
  await page.getByLabel('The same password again').fill('a long first-run passphrase, not');
  await page.getByRole('button', { name: 'Create the admin' }).click();
  await page.locator('#setup-error', { hasText: 'The two passwords differ.' }).waitFor();
  await page.getByLabel('The same password again').fill('a long first-run passphrase');
  expect(await seriousViolations(page)).toEqual([]);
  await page.getByRole('button', { name: 'Create the admin' }).click();
  await page.waitForURL(`${rig.base}/`);
  await page.locator('#who').getByText('first-admin (admin)').waitFor();
  await screenshot(page, 'first-run-signed-in');

  // The same link again: dead, and the page says so.
  const again = await rig.newPage();
  await again.goto(`${rig.base}/setup#token=${token}`);
  await again.getByRole('alert').filter({ hasText: 'This setup link is not valid' }).waitFor();
  expect(await again.getByRole('button', { name: 'Create the admin' }).count()).toBe(0);
  expect(await seriousViolations(again)).toEqual([]);
  expect(rig.pageErrors).toEqual([]);
});
