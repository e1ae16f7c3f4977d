/**
 * Inter-rater agreement, pure: Cohen's kappa for two raters, Krippendorff's alpha (nominal)
 * for any number of raters with missing values. Both return null when undefined (no items,
 * or no variation in the labels so chance agreement is total).
 */

/** Cohen's kappa over paired labels [a, b]. */
export function cohensKappa(pairs: Array<[string, string]>): number | null {
  const n = pairs.length;
  if (n === 0) return null;
  const a = new Map<string, number>();
  const b = new Map<string, number>();
  let agree = 0;
  for (const [x, y] of pairs) {
    if (x === y) agree += 1;
    a.set(x, (a.get(x) ?? 0) + 1);
    b.set(y, (b.get(y) ?? 0) + 1);
  }
  const po = agree / n;
  let pe = 0;
  for (const [label, count] of a) pe += (count / n) * ((b.get(label) ?? 0) / n);
  if (pe === 1) return null;
  return (po - pe) / (1 - pe);
}

/**
 * Krippendorff's alpha for nominal data. `units` = for each item, the labels the raters gave
 * (units with fewer than two labels are not pairable and are ignored, as the method says).
 */
export function krippendorffAlphaNominal(units: string[][]): number | null {
  const coincidence = new Map<string, Map<string, number>>();
  const add = (c: string, k: string, w: number) => {
    const row = coincidence.get(c) ?? new Map<string, number>();
    row.set(k, (row.get(k) ?? 0) + w);
    coincidence.set(c, row);
  };
  for (const labels of units) {
    const m = labels.length;
    if (m < 2) continue;
    for (let i = 0; i < m; i += 1) for (let j = 0; j < m; j += 1) if (i !== j) add(labels[i]!, labels[j]!, 1 / (m - 1));
  }
  const totals = new Map<string, number>();
  let n = 0;
  let observedDisagreement = 0;
  for (const [c, row] of coincidence) {
    for (const [k, w] of row) {
      totals.set(c, (totals.get(c) ?? 0) + w);
      n += w;
      if (c !== k) observedDisagreement += w;
    }
  }
  if (n <= 1) return null;
  let expected = 0;
  for (const [c, nc] of totals) for (const [k, nk] of totals) if (c !== k) expected += nc * nk;
  if (expected === 0) return null;
  return 1 - ((n - 1) * observedDisagreement) / expected;
}
