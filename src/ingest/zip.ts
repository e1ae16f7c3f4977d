/**
 * Reads a ZIP's central directory (names and sizes) without inflating anything: enough to tell
 * a DOCX from other ZIPs and to refuse an archive that admits to being a zip bomb. The sizes
 * there are the archive's own claims; inflatedSizeReason then inflates every entry, counting,
 * and stops past the limit, so a lie is caught before anything is kept.
 */
import fs from 'node:fs';
import yauzl from 'yauzl';

export interface ZipEntry {
  name: string;
  compressedSize: number;
  uncompressedSize: number;
}

const EOCD = 0x06054b50;
const CENTRAL = 0x02014b50;
/** A central directory larger than this is itself suspicious. */
const MAX_DIRECTORY_BYTES = 16 * 1024 * 1024;

/** The entries, or null when the file is not a readable ZIP. ZIP64 sizes come back as Infinity. */
export async function readZipDirectory(filePath: string): Promise<ZipEntry[] | null> {
  const handle = await fs.promises.open(filePath, 'r');
  try {
    const { size } = await handle.stat();
    const tailLength = Math.min(size, 65_557);
    const tail = Buffer.alloc(tailLength);
    await handle.read(tail, 0, tailLength, size - tailLength);
    let eocd = -1;
    for (let i = tailLength - 22; i >= 0; i--) {
      if (tail.readUInt32LE(i) === EOCD) {
        eocd = i;
        break;
      }
    }
    if (eocd === -1) return null;
    const count = tail.readUInt16LE(eocd + 10);
    const dirSize = tail.readUInt32LE(eocd + 12);
    const dirOffset = tail.readUInt32LE(eocd + 16);
    if (dirSize > MAX_DIRECTORY_BYTES || dirOffset + dirSize > size) return null;
    const dir = Buffer.alloc(dirSize);
    await handle.read(dir, 0, dirSize, dirOffset);
    const entries: ZipEntry[] = [];
    let p = 0;
    for (let k = 0; k < count && p + 46 <= dir.length; k++) {
      if (dir.readUInt32LE(p) !== CENTRAL) return null;
      const compressed = dir.readUInt32LE(p + 20);
      const uncompressed = dir.readUInt32LE(p + 24);
      const nameLength = dir.readUInt16LE(p + 28);
      const extraLength = dir.readUInt16LE(p + 30);
      const commentLength = dir.readUInt16LE(p + 32);
      entries.push({
        name: dir.toString('utf8', p + 46, p + 46 + nameLength),
        compressedSize: compressed === 0xffffffff ? Infinity : compressed,
        uncompressedSize: uncompressed === 0xffffffff ? Infinity : uncompressed,
      });
      p += 46 + nameLength + extraLength + commentLength;
    }
    return entries;
  } finally {
    await handle.close();
  }
}

export const MAX_DOCX_UNCOMPRESSED = 256 * 1024 * 1024;
export const MAX_DOCX_RATIO = 200;
export const MAX_DOCX_ENTRIES = 5_000;

/** Why this DOCX must not be opened (a zip bomb by size, ratio or entry count), or null. */
export function zipBombReason(entries: ZipEntry[]): string | null {
  if (entries.length > MAX_DOCX_ENTRIES) return `the archive has ${entries.length} entries (at most ${MAX_DOCX_ENTRIES})`;
  const total = entries.reduce((n, e) => n + e.uncompressedSize, 0);
  const packed = entries.reduce((n, e) => n + e.compressedSize, 0);
  if (!Number.isFinite(total) || total > MAX_DOCX_UNCOMPRESSED) {
    return `the archive would expand to ${Number.isFinite(total) ? `${Math.round(total / 1024 / 1024)} MB` : 'an unknown (ZIP64) size'}; at most ${MAX_DOCX_UNCOMPRESSED / 1024 / 1024} MB`;
  }
  if (total > 10 * 1024 * 1024 && total / Math.max(1, packed) > MAX_DOCX_RATIO) {
    return `the archive expands ${Math.round(total / Math.max(1, packed))}× (a zip bomb?); at most ${MAX_DOCX_RATIO}×`;
  }
  return null;
}

export function isDocx(entries: ZipEntry[]): boolean {
  const names = new Set(entries.map((e) => e.name));
  return names.has('[Content_Types].xml') && names.has('word/document.xml');
}

/**
 * Inflates every entry of the archive as a stream, counting the bytes out (nothing is kept),
 * and stops at once when the total passes MAX_DOCX_UNCOMPRESSED or the ratio to the archive's
 * size passes MAX_DOCX_RATIO, or when an entry inflates to more than its declared size (yauzl
 * checks each entry against the central directory). Answers why the archive is refused, or null.
 */
export async function inflatedSizeReason(filePath: string, limit = MAX_DOCX_UNCOMPRESSED): Promise<string | null> {
  const packed = (await fs.promises.stat(filePath)).size;
  const zip = await new Promise<yauzl.ZipFile>((resolve, reject) =>
    yauzl.open(filePath, { lazyEntries: true, validateEntrySizes: true, autoClose: true }, (error, z) => (error ? reject(error) : resolve(z))),
  ).catch(() => null);
  if (!zip) return 'the archive cannot be read';
  let total = 0;
  const tooMuch = () =>
    total > limit ? `it expands to more than ${limit / 1024 / 1024} MB` : total > 10 * 1024 * 1024 && total / Math.max(1, packed) > MAX_DOCX_RATIO ? `it expands more than ${MAX_DOCX_RATIO}× (a zip bomb)` : null;
  try {
    return await new Promise<string | null>((resolve) => {
      let settled = false;
      const settle = (reason: string | null) => {
        if (settled) return;
        settled = true;
        resolve(reason);
      };
      zip.on('error', () => settle('the archive is damaged'));
      zip.on('end', () => settle(null));
      zip.on('entry', (entry: yauzl.Entry) => {
        if (entry.fileName.endsWith('/')) return zip.readEntry();
        zip.openReadStream(entry, (error, stream) => {
          if (error || !stream) return settle('the archive is damaged');
          stream.on('data', (chunk: Buffer) => {
            total += chunk.length;
            const reason = tooMuch();
            if (reason) {
              stream.destroy();
              settle(reason);
            }
          });
          stream.on('error', (streamError: Error) => settle(/too many bytes|expected/i.test(streamError.message) ? 'an entry expands to more than the archive says (its sizes are false)' : 'the archive is damaged'));
          stream.on('end', () => zip.readEntry());
        });
      });
      zip.readEntry();
    });
  } finally {
    zip.close();
  }
}
