/**
 * Word boxes are stored packed, 16 bytes a word (start and end as uint32, the box as four uint16
 * fractions of 65535), in one binary field per page: as an array of subdocuments they made page
 * writes on FerretDB ~4× slower and the documents many times larger.
 */
import type { WordBoxRecord } from './models';

const BYTES_PER_WORD = 16;
const SCALE = 65_535;

export function packWords(words: readonly WordBoxRecord[]): Buffer {
  const buf = Buffer.alloc(words.length * BYTES_PER_WORD);
  words.forEach((w, i) => writeWord(buf, i * BYTES_PER_WORD, w.start, w.end, w.x0, w.y0, w.x1, w.y1));
  return buf;
}

/** The same packing from flat boxes, six numbers a word (start, end, x0, y0, x1, y1), as the extraction child sends them. */
export function packWordBoxes(flat: Float64Array): Buffer {
  const count = Math.floor(flat.length / 6);
  const buf = Buffer.alloc(count * BYTES_PER_WORD);
  for (let i = 0, f = 0; i < count; i++, f += 6) writeWord(buf, i * BYTES_PER_WORD, flat[f]!, flat[f + 1]!, flat[f + 2]!, flat[f + 3]!, flat[f + 4]!, flat[f + 5]!);
  return buf;
}

function writeWord(buf: Buffer, o: number, start: number, end: number, x0: number, y0: number, x1: number, y1: number): void {
  buf.writeUInt32LE(start, o);
  buf.writeUInt32LE(end, o + 4);
  buf.writeUInt16LE(Math.round(clamp(x0) * SCALE), o + 8);
  buf.writeUInt16LE(Math.round(clamp(y0) * SCALE), o + 10);
  buf.writeUInt16LE(Math.round(clamp(x1) * SCALE), o + 12);
  buf.writeUInt16LE(Math.round(clamp(y1) * SCALE), o + 14);
}

/** Accepts what the driver returns (Buffer, or a BSON Binary from lean queries). */
export function unpackWords(stored: unknown): WordBoxRecord[] {
  const buf = toBuffer(stored);
  if (!buf) return [];
  const words: WordBoxRecord[] = [];
  for (let o = 0; o + BYTES_PER_WORD <= buf.length; o += BYTES_PER_WORD) {
    words.push({
      start: buf.readUInt32LE(o),
      end: buf.readUInt32LE(o + 4),
      x0: round(buf.readUInt16LE(o + 8) / SCALE),
      y0: round(buf.readUInt16LE(o + 10) / SCALE),
      x1: round(buf.readUInt16LE(o + 12) / SCALE),
      y1: round(buf.readUInt16LE(o + 14) / SCALE),
    });
  }
  return words;
}

function toBuffer(stored: unknown): Buffer | null {
  if (!stored) return null;
  if (Buffer.isBuffer(stored)) return stored;
  const inner = (stored as { buffer?: unknown }).buffer;
  if (inner instanceof Uint8Array) return Buffer.from(inner.buffer, inner.byteOffset, inner.byteLength);
  return null;
}

function clamp(v: number): number {
  return Math.min(1, Math.max(0, v));
}
function round(v: number): number {
  return Math.round(v * 10_000) / 10_000;
}
