/**
 * Dossier page crops of a PDF page whose crop box is not its MediaBox, end to end on the real
 * service: the flags' boxes come from pdf.js (fractions of the crop box), so the crops must be
 * cut from the crop box too, by the flag's own box and by the `pdftotext` text search alike.
 * Two reviewers confirm through the review API; the package is downloaded and its page images
 * decoded to check that the ink of the excerpt is where the box says.
 */
import fs from 'node:fs';
import path from 'node:path';
import { Types } from 'mongoose';
import request from 'supertest';
import { cropBand, PageLocator } from '../../src/export/dossier/crop';
import { readZip, verifyDossierZip } from '../../src/export/dossier/verify';
import { decodePng, inkShare, type GreyImage } from '../support/png';
import { CROPPED_PAGE, croppedTextPdf } from '../support/scanned-pdf';
import { apiKeyHeaders, createTestUser, startTestService, waitForStatus, withHeaders, type TestService } from '../support/service';

jest.setTimeout(120_000);

let service: TestService;
let analyst: ReturnType<typeof withHeaders>;

beforeAll(async () => {
  service = await startTestService();
  analyst = withHeaders(service.app, { ...(await apiKeyHeaders(service, ['analyst'])) });
});
afterAll(async () => {
  await service.dispose();
});

async function reviewer(name: string) {
  const user = await createTestUser(service, ['reviewer'], name);
  const agent = request.agent(service.app);
  const login = await agent.post('/api/auth/login').send({ username: user.username, password: user.password }).expect(200);
  return (url: string) => agent.post(url).set('X-CSRF-Token', login.body.csrfToken as string);
}

type Box = { x0: number; y0: number; x1: number; y1: number };

/**
 * The excerpt's box in pixels of a crop: the crop is the crop box's full width, and the band of
 * it that cropBand chooses (the box with a margin, widened to whole text lines).
 */
function boxInCrop(crop: GreyImage, box: Box, band: { top: number }): Box {
  const { width, height } = CROPPED_PAGE.crop;
  const scale = crop.width / width;
  const top = Math.floor(band.top * scale);
  return { x0: box.x0 * crop.width, y0: box.y0 * height * scale - top, x1: box.x1 * crop.width, y1: box.y1 * height * scale - top };
}

describe('dossier crops of a page with a crop box', () => {
  it('cut the confirmed excerpts from the crop box, by the flag box and by text search', async () => {
    const pdf = await croppedTextPdf(['Notes on the valley (synthetic).', 'The Merenites spread like a plague across Ormund.', '', 'The Tarvanis are vermin.']);
    const pdfFile = path.join(service.uploadDir, 'trimmed.pdf');
    fs.writeFileSync(pdfFile, pdf);
    const up = await analyst
      .post('/api/documents')
      .field('kind', 'other')
      .field('title', 'Trimmed leaflet (synthetic)')
      .attach('file', pdf, 'trimmed.pdf')
      .expect(202);
    const docId = up.body.document.id as string;
    await waitForStatus(service, docId, ['done'], 90_000);
    const flags = await service.db.models.Flag.find({ document: new Types.ObjectId(docId) }).lean();
    const plague = flags.find((f) => /plague/i.test(f.exact));
    const vermin = flags.find((f) => /vermin/i.test(f.exact));
    expect(plague?.box).toBeTruthy();
    expect(vermin?.box).toBeTruthy();
    // The vermin flag is cropped by searching the text layer with pdftotext, as for a flag without a box.
    const verminBox = vermin!.box!;
    await service.db.models.Flag.collection.updateOne({ _id: vermin!._id }, { $unset: { box: '' } });

    const reviewers = [await reviewer('dora.reviewer'), await reviewer('emil.reviewer')];
    for (const flag of [plague!, vermin!]) {
      for (const post of reviewers) await post(`/api/flags/${String(flag._id)}/reviews`).send({ decision: 'confirm' }).expect(201);
    }

    const requested = await analyst
      .post('/api/dossiers')
      .send({ title: 'Trimmed leaflet', submitter: 'S', addressee: 'A', filters: { documents: [docId], states: ['confirmed'] } })
      .expect(202);
    const deadline = Date.now() + 60_000;
    let dossier: Record<string, any>;
    for (;;) {
      dossier = (await analyst.get(`/api/dossiers/${requested.body.dossier.id}`).expect(200)).body.dossier;
      if (['done', 'failed'].includes(dossier.status)) break;
      if (Date.now() > deadline) throw new Error(`dossier still ${dossier.status}`);
      await new Promise((r) => setTimeout(r, 100));
    }
    expect(dossier.status).toBe('done');
    const zip = (
      await analyst
        .get(`/api/dossiers/${dossier.id}/download`)
        .buffer(true)
        .parse((r, cb) => {
          const chunks: Buffer[] = [];
          r.on('data', (c: Buffer) => chunks.push(c));
          r.on('end', () => cb(null, Buffer.concat(chunks)));
        })
        .expect(200)
    ).body as Buffer;
    const file = path.join(service.uploadDir, 'trimmed-dossier.zip');
    fs.writeFileSync(file, zip);
    expect((await verifyDossierZip(file)).ok).toBe(true);
    const entries = [...(await readZip(file))];
    const data = JSON.parse(entries.find(([n]) => n.endsWith('data/dossier.json'))![1].toString('utf8'));
    expect(data.items).toHaveLength(2);

    for (const [flag, boxSource] of [[plague!, 'flag'], [vermin!, 'text-search']] as const) {
      const item = data.items.find((i: any) => i.flagId === String(flag._id));
      expect(item.crop).toMatchObject({ boxSource });
      const box = item.crop.box as Box;
      // pdftotext's word boxes (-cropbox) and pdf.js's agree on where the phrase is.
      if (boxSource === 'text-search') for (const k of ['x0', 'y0', 'x1', 'y1'] as const) expect(Math.abs(box[k] - verminBox[k])).toBeLessThan(0.03);
      const crop = decodePng(entries.find(([n]) => n.endsWith(item.crop.file))![1]);
      // As wide as the crop box at the dossier's 110 dpi (540 pt), not the MediaBox (600 pt).
      expect(crop.width).toBe(Math.round((CROPPED_PAGE.crop.width * 110) / 72));
      expect(crop.height).toBeLessThan(crop.width / 2);
      const inBox = boxInCrop(crop, box, cropBand(box, (await new PageLocator().words(pdfFile, 0))!));
      expect(inkShare(crop, inBox)).toBeGreaterThan(0.08);
      // Printed lines on white paper: most of the band is blank.
      expect(inkShare(crop, { x0: 0, y0: 0, x1: crop.width, y1: crop.height })).toBeLessThan(0.1);
    }
  });
});
