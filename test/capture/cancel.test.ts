/**
 * Cancelling a capture while its page is still loading closes the browser at once: the page of
 * the test site never finishes loading (its script is never answered), the capture's time limit
 * is far away, and yet after the cancel no Chromium of this process is left and the job has let
 * go of the document.
 */
import { startCaptureSite, type CaptureSite } from '../support/capture-site';
import { childrenOf } from '../support/processes';
import { apiKeyHeaders, startTestService, waitForStatus, withHeaders, type TestService } from '../support/service';
import { until } from '../support/until';

let service: TestService;
let site: CaptureSite;
let analyst: ReturnType<typeof withHeaders>;

const chromiumChildren = () => childrenOf(process.pid).filter((p) => /chrom/i.test(p.command));

beforeAll(async () => {
  site = await startCaptureSite('127.0.0.1');
  // Ten minutes: only a cancel can end this capture within the test's time.
  service = await startTestService({ capture: { allowHosts: ['127.0.0.1'], limits: { timeMs: 600_000 } } });
  analyst = withHeaders(service.app, await apiKeyHeaders(service, ['analyst']));
});
afterAll(async () => {
  await service.dispose();
  await site.close();
});

it('closes the browser when a capture is cancelled mid-load, and records the cancel with its reason', async () => {
  expect(chromiumChildren()).toEqual([]);
  const res = await analyst.post('/api/captures').send({ url: `${site.base}/loading-forever`, kind: 'other' }).expect(202);
  const id = res.body.document.id as string;
  // The page is loading: its script request is waiting, and our Chromium runs.
  await until('the page to be stuck loading', () => site.hanging > 0, 60_000);
  expect(chromiumChildren().length).toBeGreaterThan(0);

  const cancelled = await analyst.post(`/api/documents/${id}/cancel`).expect(200);
  expect(cancelled.body.document.status).toBe('cancelled');
  // The job has ended once it gives up the document's lease (after closing its browser).
  await until('the capture job to let go of the document', async () => (await service.db.models.Lease.countDocuments({ _id: `document:${id}` })) === 0, 30_000);
  expect(chromiumChildren()).toEqual([]);
  await until('the hanging request to be dropped', () => site.hanging === 0, 10_000);

  const doc = await waitForStatus(service, id, ['cancelled']);
  expect(doc.failure).toMatchObject({ stage: 'capturing', reason: 'cancelled on request' });
  expect(doc.originals ?? []).toEqual([]);
  const events = await service.db.models.AuditEvent.find({ action: 'document.cancel', 'entity.id': id }).lean();
  expect(events).toHaveLength(1);
}, 120_000);
