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
