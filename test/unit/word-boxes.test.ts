/** Word boxes sent flat by the extraction child pack to exactly the bytes the objects pack to. */
import { withFlatWords, type ExtractedPage } from '../../src/extract/types';
import { packWordBoxes, packWords, unpackWords } from '../../src/store/word-boxes';

it('packs flat word boxes exactly as word objects', () => {
  const words = Array.from({ length: 300 }, (_, i) => ({ start: i * 7, end: i * 7 + 5, x0: (i % 10) / 10 + 0.01234, y0: Math.min(1, i / 300), x1: Math.min(1, (i % 10) / 10 + 0.0911), y1: i === 299 ? 1.2 : i / 290 }));
  const page: ExtractedPage = { index: 3, label: 'iv', text: 'x'.repeat(2100), method: 'text-layer', words, needsOcr: false };
  const flat = withFlatWords(page);
  expect(flat.words).toBeUndefined();
  expect(flat.wordBoxes).toBeInstanceOf(Float64Array);
  expect(flat).toMatchObject({ index: 3, label: 'iv', method: 'text-layer', needsOcr: false });
  const packed = packWordBoxes(flat.wordBoxes!);
  expect(packed.equals(packWords(words))).toBe(true);
  expect(unpackWords(packed)).toHaveLength(300);
  expect(withFlatWords({ ...page, words: undefined }).wordBoxes).toBeUndefined();
});
