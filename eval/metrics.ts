/**
 * Passage-level metrics (definitions in eval/README.md). A passage "is flagged" when it has a
 * flag of any category but PO.RESPECT (counter-evidence, not harm).
 */
import type { FlagSummary, PassageAnalysis } from './analyze-passage';
import { FLAG_KINDS, NONE_KINDS, type Kind, type Passage } from './passages';

export interface Ratio {
  n: number;
  d: number;
  /** n / d, or null when nothing was measured (d = 0). */
  value: number | null;
}

export interface PassageOutcome {
  passage: Passage;
  analysis: PassageAnalysis;
  /** Flags other than PO.RESPECT. */
  harmful: FlagSummary[];
  flagged: boolean;
  /** expect=flag: flagged. expect=none: not flagged. signal: no harmful flag lacks a signal. */
  ok: boolean;
  /** expect=flag and flagged with a category the passage accepts. */
  categoryOk: boolean;
  /** A harmful flag that carries none of quoted, condemned, negated. */
  unsignalled: boolean;
}

/** Which figures a set of outcomes yields. Rates: lower is better; everything else higher. */
export interface Metrics {
  passages: number;
  recall: Ratio;
  precision: Ratio;
  categoryAccuracy: Ratio;
  recallByKind: Record<string, Ratio>;
  recallByCategory: Record<string, Ratio>;
  precisionByCategory: Record<string, Ratio>;
  rates: {
    history: Ratio;
    neutral: Ratio;
    positive: Ratio;
    otherSense: Ratio;
    /** neutral + positive + other-sense together. */
    mentions: Ratio;
    counterUnsignalled: Ratio;
  };
  /** Unlisted-group passages that must be flagged and carry signal `untargeted`. Higher is better. */
  untargeted: Ratio;
}

const COUNTER_SIGNALS = ['quoted', 'condemned', 'negated'];

export function ratio(n: number, d: number): Ratio {
  return { n, d, value: d === 0 ? null : n / d };
}

function count<T>(items: T[], pred: (item: T) => boolean): number {
  let n = 0;
  for (const item of items) if (pred(item)) n++;
  return n;
}

export function outcomeOf(passage: Passage, analysis: PassageAnalysis): PassageOutcome {
  const harmful = analysis.flags.filter((f) => f.category !== 'PO.RESPECT');
  const flagged = harmful.length > 0;
  const unsignalled = harmful.some((f) => !COUNTER_SIGNALS.some((s) => f.signals[s] === true));
  const categoryOk = passage.expect === 'flag' && harmful.some((f) => passage.categories.includes(f.category));
  const ok = passage.expect === 'flag' ? flagged : passage.expect === 'none' ? !flagged : !unsignalled;
  return { passage, analysis, harmful, flagged, ok, categoryOk, unsignalled };
}

/** A false positive: a must-not-flag passage flagged, or counter-speech flagged without a signal. */
export function isFalsePositive(o: PassageOutcome): boolean {
  return (o.passage.expect === 'none' && o.flagged) || (o.passage.expect === 'signal' && o.unsignalled);
}

function flaggedShare(outcomes: PassageOutcome[], kinds: readonly string[]): Ratio {
  const of = outcomes.filter((o) => kinds.includes(o.passage.kind));
  return ratio(count(of, (o) => o.flagged), of.length);
}

export function computeMetrics(outcomes: PassageOutcome[]): Metrics {
  const mustFlag = outcomes.filter((o) => o.passage.expect === 'flag');
  const tp = count(mustFlag, (o) => o.flagged);
  const fp = count(outcomes, isFalsePositive);

  const recallByKind: Record<string, Ratio> = {};
  for (const kind of FLAG_KINDS) {
    const of = mustFlag.filter((o) => o.passage.kind === kind);
    if (of.length) recallByKind[kind] = ratio(count(of, (o) => o.flagged), of.length);
  }
  const recallByCategory: Record<string, Ratio> = {};
  for (const code of [...new Set(mustFlag.map((o) => o.passage.categories[0]!))].sort()) {
    const of = mustFlag.filter((o) => o.passage.categories[0] === code);
    recallByCategory[code] = ratio(count(of, (o) => o.flagged), of.length);
  }
  // Precision per category C: of the passages with a flag of C, how many accept C. Counter-speech
  // flags that carry a signal are allowed, so they count for no category.
  const precisionByCategory: Record<string, Ratio> = {};
  const counted = (o: PassageOutcome): FlagSummary[] =>
    o.passage.expect === 'signal' ? o.harmful.filter((f) => !COUNTER_SIGNALS.some((s) => f.signals[s] === true)) : o.harmful;
  const flaggedCategories = new Set(outcomes.flatMap((o) => counted(o).map((f) => f.category)));
  for (const code of [...flaggedCategories].sort()) {
    const withCode = outcomes.filter((o) => counted(o).some((f) => f.category === code));
    precisionByCategory[code] = ratio(count(withCode, (o) => o.passage.categories.includes(code)), withCode.length);
  }

  const counter = outcomes.filter((o) => o.passage.expect === 'signal');
  const unlisted = mustFlag.filter((o) => o.passage.group === 'unlisted');
  return {
    passages: outcomes.length,
    recall: ratio(tp, mustFlag.length),
    precision: ratio(tp, tp + fp),
    categoryAccuracy: ratio(count(mustFlag, (o) => o.categoryOk), tp),
    recallByKind,
    recallByCategory,
    precisionByCategory,
    rates: {
      history: flaggedShare(outcomes, ['history']),
      neutral: flaggedShare(outcomes, ['neutral']),
      positive: flaggedShare(outcomes, ['positive']),
      otherSense: flaggedShare(outcomes, ['other-sense']),
      mentions: flaggedShare(outcomes, NONE_KINDS.filter((k) => k !== 'history')),
      counterUnsignalled: ratio(count(counter, (o) => o.unsignalled), counter.length),
    },
    untargeted: ratio(count(unlisted, (o) => o.harmful.some((f) => f.signals.untargeted === true)), unlisted.length),
  };
}

/** One headline figure: its value, and whether a higher or a lower value is better. */
export interface Figure {
  ratio: Ratio;
  better: 'higher' | 'lower';
}

/** The figures floors guard, by name. Per-kind recall only where `perKind` (the all-languages
 *  column): per file and split, a kind has too few passages for a floor to mean much. */
export function headlineFigures(m: Metrics, perKind: boolean): Record<string, Figure> {
  const higher = (r: Ratio): Figure => ({ ratio: r, better: 'higher' });
  const lower = (r: Ratio): Figure => ({ ratio: r, better: 'lower' });
  const figures: Record<string, Figure> = {
    recall: higher(m.recall),
    precision: higher(m.precision),
    categoryAccuracy: higher(m.categoryAccuracy),
    historyFlagged: lower(m.rates.history),
    neutralFlagged: lower(m.rates.neutral),
    positiveFlagged: lower(m.rates.positive),
    otherSenseFlagged: lower(m.rates.otherSense),
    mentionsFlagged: lower(m.rates.mentions),
    counterUnsignalled: lower(m.rates.counterUnsignalled),
    untargeted: higher(m.untargeted),
  };
  if (perKind) for (const [kind, r] of Object.entries(m.recallByKind)) figures[`recall.${kind as Kind}`] = higher(r);
  return figures;
}
