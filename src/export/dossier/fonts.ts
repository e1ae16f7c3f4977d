/**
 * Fonts for the dossier PDF: DejaVu Sans first (Latin incl. Azerbaijani ə, Cyrillic, Armenian,
 * Greek, Hebrew, Arabic), then Noto fallbacks. Text is split into runs by the first font that
 * has each character's glyph, so no character is set in a font that lacks it.
 */
import fs from 'node:fs';

interface GlyphFont {
  hasGlyphForCodePoint(codePoint: number): boolean;
}
// fontkit ships with pdfkit and has no type declarations; only this one call is used.
const fontkit = require('fontkit') as { openSync(path: string): GlyphFont };

const DEJAVU = '/usr/share/fonts/truetype/dejavu';
const NOTO = '/usr/share/fonts/truetype/noto';

export interface FontFace {
  name: string;
  regular: string;
  bold: string;
}

const CANDIDATES: FontFace[] = [
  { name: 'DejaVuSans', regular: `${DEJAVU}/DejaVuSans.ttf`, bold: `${DEJAVU}/DejaVuSans-Bold.ttf` },
  { name: 'NotoSans', regular: `${NOTO}/NotoSans-Regular.ttf`, bold: `${NOTO}/NotoSans-Bold.ttf` },
  { name: 'NotoSansArmenian', regular: `${NOTO}/NotoSansArmenian-Regular.ttf`, bold: `${NOTO}/NotoSansArmenian-Bold.ttf` },
  { name: 'NotoSansArabic', regular: `${NOTO}/NotoSansArabic-Regular.ttf`, bold: `${NOTO}/NotoSansArabic-Bold.ttf` },
  { name: 'NotoSansHebrew', regular: `${NOTO}/NotoSansHebrew-Regular.ttf`, bold: `${NOTO}/NotoSansHebrew-Bold.ttf` },
  { name: 'NotoSansGeorgian', regular: `${NOTO}/NotoSansGeorgian-Regular.ttf`, bold: `${NOTO}/NotoSansGeorgian-Bold.ttf` },
];

export interface FontChain {
  faces: FontFace[];
  /** Index into faces of the first font with a glyph for this code point (0 if none has it). */
  faceFor(codePoint: number): number;
  has(face: number, codePoint: number): boolean;
}

let cached: FontChain | null = null;

export function fontChain(): FontChain {
  if (cached) return cached;
  const faces = CANDIDATES.filter((f) => fs.existsSync(f.regular));
  if (faces.length === 0 || faces[0]!.name !== 'DejaVuSans') {
    throw new Error(`DejaVu Sans is required for dossier PDFs (${DEJAVU}/DejaVuSans.ttf); run scripts/setup-system.sh`);
  }
  const glyphs = faces.map((f) => fontkit.openSync(f.regular));
  const memo = new Map<number, number>();
  cached = {
    faces,
    faceFor(cp) {
      let hit = memo.get(cp);
      if (hit === undefined) {
        hit = Math.max(0, glyphs.findIndex((g) => g.hasGlyphForCodePoint(cp)));
        memo.set(cp, hit);
      }
      return hit;
    },
    has: (face, cp) => glyphs[face]!.hasGlyphForCodePoint(cp),
  };
  return cached;
}

const RTL = /[\u0590-\u08FF\uFB1D-\uFDFF\uFE70-\uFEFF]/u;

export interface Run {
  text: string;
  face: number;
  mark: boolean;
  rtl: boolean;
}

const STRONG_LTR = /[\p{L}\p{N}]/u;

/**
 * Splits text into runs of one font, one highlight state and one direction. Whitespace and
 * punctuation stay in the current run when its font has them, so runs stay long. Right-to-left
 * runs get their word order reversed (the shaper orders glyphs within a word; pdfkit lays words
 * out left to right), keeping their surrounding spaces in place.
 */
export function toRuns(text: string, marks: Array<{ start: number; end: number }> = []): Run[] {
  const chain = fontChain();
  const runs: Run[] = [];
  let i = 0;
  for (const ch of text) {
    const cp = ch.codePointAt(0)!;
    const mark = marks.some((m) => i >= m.start && i < m.end);
    const last = runs[runs.length - 1];
    const neutral = /[\s\p{P}]/u.test(ch);
    const face = neutral && last && chain.has(last.face, cp) ? last.face : chain.faceFor(cp);
    const rtl = RTL.test(ch) ? true : STRONG_LTR.test(ch) && !neutral ? false : (last?.rtl ?? false);
    if (last && last.face === face && last.mark === mark && last.rtl === rtl) last.text += ch;
    else runs.push({ text: ch, face, mark, rtl });
    i += ch.length;
  }
  for (const run of runs) {
    if (!run.rtl) continue;
    const [, lead = '', core = '', trail = ''] = /^(\s*)([\s\S]*?)(\s*)$/u.exec(run.text) ?? [];
    run.text = lead + core.split(/(\s+)/u).reverse().join('') + trail;
  }
  return runs;
}
