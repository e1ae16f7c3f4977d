/** Morphological features as bits: the one encoding every analyzer (morph.ts) answers in. */
import { MORPH_FEATURES, type MorphFeature, type WordClassPos } from './types';

export const F: Record<MorphFeature, number> = Object.fromEntries(MORPH_FEATURES.map((f, i) => [f, 1 << i])) as Record<MorphFeature, number>;

export function featureMask(features: readonly MorphFeature[]): number {
  let mask = 0;
  for (const f of features) mask |= F[f];
  return mask;
}

export function featureNames(mask: number): MorphFeature[] {
  return MORPH_FEATURES.filter((f) => (mask & F[f]) !== 0);
}

/** Features of `word` as a form of a member (stem + tail); -1: not one of its forms. */
export type Analyzer = (pos: WordClassPos, stem: string, tail: string, word: string) => number;
