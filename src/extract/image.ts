import fs from 'node:fs';

/** Image dimensions from the header bytes, to refuse absurd sizes before any decoder allocates them. */
export function imageDimensions(bytes: Buffer): { width: number; height: number } | null {
  // PNG: IHDR is the first chunk; width and height are big-endian at 16 and 20.
  if (bytes.length >= 24 && bytes[0] === 0x89 && bytes.toString('latin1', 12, 16) === 'IHDR') {
    return { width: bytes.readUInt32BE(16), height: bytes.readUInt32BE(20) };
  }
  // JPEG: walk the markers to the first start-of-frame.
  if (bytes.length >= 4 && bytes[0] === 0xff && bytes[1] === 0xd8) {
    let i = 2;
    while (i + 9 < bytes.length) {
      if (bytes[i] !== 0xff) return null;
      const marker = bytes[i + 1]!;
      const length = bytes.readUInt16BE(i + 2);
      if (marker >= 0xc0 && marker <= 0xcf && marker !== 0xc4 && marker !== 0xc8 && marker !== 0xcc) {
        return { width: bytes.readUInt16BE(i + 7), height: bytes.readUInt16BE(i + 5) };
      }
      i += 2 + length;
    }
    return null;
  }
  // TIFF: the first IFD's ImageWidth (256) and ImageLength (257).
  if (bytes.length >= 8 && (bytes.toString('latin1', 0, 2) === 'II' || bytes.toString('latin1', 0, 2) === 'MM')) {
    const le = bytes[0] === 0x49;
    const u16 = (o: number) => (le ? bytes.readUInt16LE(o) : bytes.readUInt16BE(o));
    const u32 = (o: number) => (le ? bytes.readUInt32LE(o) : bytes.readUInt32BE(o));
    const ifd = u32(4);
    if (ifd + 2 > bytes.length) return null;
    const count = u16(ifd);
    let width = 0;
    let height = 0;
    for (let k = 0; k < count; k++) {
      const e = ifd + 2 + k * 12;
      if (e + 12 > bytes.length) break;
      const tag = u16(e);
      const type = u16(e + 2);
      const value = type === 3 ? u16(e + 8) : u32(e + 8);
      if (tag === 256) width = value;
      if (tag === 257) height = value;
    }
    return width && height ? { width, height } : null;
  }
  return null;
}

/** Frames of a multi-page TIFF that are read at most (a scanned book of 5,000 pages is the PDF cap too). */
export const MAX_TIFF_FRAMES = 5_000;

/**
 * The size of every frame of an image file: one for PNG and JPEG, each frame of a TIFF (its IFD
 * chain, followed with positioned reads across the whole file, not only the header bytes). Null
 * when a size cannot be read. A chain that loops, or has more than MAX_TIFF_FRAMES frames,
 * answers that many frames plus one of unknown (zero) size, which callers refuse.
 */
export async function imageFrames(filePath: string): Promise<Array<{ width: number; height: number }> | null> {
  const handle = await fs.promises.open(filePath, 'r');
  try {
    const { size } = await handle.stat();
    const read = async (offset: number, length: number): Promise<Buffer> => {
      const buffer = Buffer.alloc(Math.max(0, Math.min(length, size - offset)));
      if (buffer.length > 0) await handle.read(buffer, 0, buffer.length, offset);
      return buffer;
    };
    const head = await read(0, 256 * 1024);
    if (!(head.length >= 8 && (head.toString('latin1', 0, 2) === 'II' || head.toString('latin1', 0, 2) === 'MM'))) {
      const dims = imageDimensions(head);
      return dims ? [dims] : null;
    }
    const le = head[0] === 0x49;
    const u16 = (b: Buffer, o: number) => (le ? b.readUInt16LE(o) : b.readUInt16BE(o));
    const u32 = (b: Buffer, o: number) => (le ? b.readUInt32LE(o) : b.readUInt32BE(o));
    const frames: Array<{ width: number; height: number }> = [];
    const visited = new Set<number>();
    for (let ifd = u32(head, 4); ifd !== 0; ) {
      if (visited.has(ifd) || frames.length >= MAX_TIFF_FRAMES || ifd + 2 > size) {
        frames.push({ width: 0, height: 0 });
        break;
      }
      visited.add(ifd);
      const count = u16(await read(ifd, 2), 0);
      const entries = await read(ifd + 2, count * 12 + 4);
      let width = 0;
      let height = 0;
      for (let k = 0; k < count && (k + 1) * 12 <= entries.length; k++) {
        const e = k * 12;
        const tag = u16(entries, e);
        const type = u16(entries, e + 2);
        const value = type === 3 ? u16(entries, e + 8) : u32(entries, e + 8);
        if (tag === 256) width = value;
        if (tag === 257) height = value;
      }
      frames.push({ width, height });
      ifd = entries.length >= count * 12 + 4 ? u32(entries, count * 12) : 0;
    }
    return frames.length > 0 ? frames : null;
  } finally {
    await handle.close();
  }
}
