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
  words.forEach((w, i) => {
    const o = i * BYTES_PER_WORD;
    buf.writeUInt32LE(w.start, o);
    buf.writeUInt32LE(w.end, o + 4);
    buf.writeUInt16LE(Math.round(clamp(w.x0) * SCALE), o + 8);
    buf.writeUInt16LE(Math.round(clamp(w.y0) * SCALE), o + 10);
    buf.writeUInt16LE(Math.round(clamp(w.x1) * SCALE), o + 12);
    buf.writeUInt16LE(Math.round(clamp(w.y1) * SCALE), o + 14);
  });
  return buf;
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
