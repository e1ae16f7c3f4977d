/**
 * Image originals (PNG, JPEG, TIFF) as PDFs, so that the page region around an excerpt on a
 * scanned leaflet or a photographed page is cropped by the same `pdftoppm` path as a PDF
 * source. A TIFF is converted by libtiff's `tiff2pdf` (every frame a page, its own resolution);
 * a PNG or JPEG is placed on one page by pdfkit, sized as if scanned at ASSUMED_DPI (boxes are
 * fractions of the page, so the choice only sets the crop's pixel size). The PDF is a working
 * copy in a temporary directory; the package carries the original, byte for byte.
 */
import fs from 'node:fs';
import PDFDocument from 'pdfkit';
import { imageDimensions } from '../../extract/image';
import { DEFAULT_CHILD_LIMITS, runLimited, type ToolLimits } from '../../limited-process';

const ASSUMED_DPI = 150;

export const CROPPABLE_IMAGE_TYPES: ReadonlySet<string> = new Set(['png', 'jpeg', 'tiff']);

export async function imageAsPdf(type: string, imagePath: string, outFile: string, limits: ToolLimits = DEFAULT_CHILD_LIMITS.render): Promise<void> {
  if (type === 'tiff') {
    await runLimited('tiff2pdf', ['-o', outFile, imagePath], { limits });
    return;
  }
  if (type !== 'png' && type !== 'jpeg') throw new Error(`a ${type} original is not an image`);
  const fd = await fs.promises.open(imagePath, 'r');
  const head = Buffer.alloc(256 * 1024);
  const { bytesRead } = await fd.read(head, 0, head.length, 0).finally(() => fd.close());
  const dims = imageDimensions(head.subarray(0, bytesRead));
  if (!dims) throw new Error('the image dimensions could not be read');
  const size: [number, number] = [(dims.width * 72) / ASSUMED_DPI, (dims.height * 72) / ASSUMED_DPI];
  const doc = new PDFDocument({ size, margin: 0 });
  const out = fs.createWriteStream(outFile);
  const done = new Promise<void>((resolve, reject) => {
    out.on('finish', resolve);
    out.on('error', reject);
    doc.on('error', reject);
  });
  doc.pipe(out);
  doc.image(imagePath, 0, 0, { width: size[0], height: size[1] });
  doc.end();
  await done;
}
