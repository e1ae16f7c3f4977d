/**
 * Review statistics: counts per state, category and reviewer; agreement (Cohen's kappa per
 * reviewer pair and per category, Krippendorff's alpha overall); flags per page; and the share
 * of decided flags confirmed per lexicon entry. FerretDB's `$group` only sums, so the counts
 * use it and everything else is computed here over streamed cursors.
 *
 * Agreement labels: `confirm` and `modify` both read "this is a finding" (label `confirm`),
 * `reject` and `escalate` are their own labels. Only the independent rounds count, never the
 * adjudication. A reviewer's unit is one flag version.
 *
 * Only settled flag versions count (decided, withdrawn, or an earlier version of a reopened
 * flag): a reviewer must not learn another's decision on a flag still awaiting their own review
 * from the counts (blind review).
 */
import type { Repositories } from '../store/repositories';
import { ADJUDICATION_ROUND } from '../store/reviews';
import { cohensKappa, krippendorffAlphaNominal } from './agreement';
import { SETTLED_STATUSES } from './states';

export interface ReviewStats {
  generatedAt: string;
  /** The review protocol in force, for dossiers to state (e.g. when one confirmation sufficed). */
  settings: { requiredConfirmations: number; forbidOwnUploads: boolean } | null;
  flags: { total: number; byStatus: Record<string, number>; byCategory: Record<string, Record<string, number>> };
  reviewers: Array<{ id: string; username: string; reviews: number; confirm: number; reject: number; modify: number; escalate: number; adjudications: number }>;
  agreement: {
    alpha: { units: number; value: number | null };
    pairs: Array<{ reviewers: [string, string]; items: number; kappa: number | null }>;
    byCategory: Array<{ category: string; items: number; kappa: number | null }>;
  };
  flagsPerPage: { pages: number; flags: number; mean: number | null };
  lexiconEntries: Array<{ entryId: string; flags: number; confirmed: number; rejected: number; confirmedShare: number | null }>;
}

function label(decision: string): string {
  return decision === 'modify' ? 'confirm' : decision;
}

export async function reviewStats(repos: Pick<Repositories, 'flags' | 'pages' | 'reviews' | 'users'>, settings?: { requiredConfirmations: number; forbidOwnUploads: boolean }): Promise<ReviewStats> {
  const byStatus: Record<string, number> = {};
  const byCategory: Record<string, Record<string, number>> = {};
  for (const row of await repos.flags.countByCategoryAndStatus()) {
    byStatus[row._id.status] = (byStatus[row._id.status] ?? 0) + row.n;
    (byCategory[row._id.category] ??= {})[row._id.status] = row.n;
  }
  const total = Object.values(byStatus).reduce((a, b) => a + b, 0);

  // One pass over flags: category per flag (for per-category kappa) and per-entry outcomes.
  const categoryOf = new Map<string, string>();
  // Per flag, the versions whose reviews may be counted: all below `settledUpTo`.
  const settledUpTo = new Map<string, number>();
  const entries = new Map<string, { flags: number; confirmed: number; rejected: number }>();
  for await (const flag of repos.flags.reviewSummaries()) {
    categoryOf.set(String(flag._id), flag.category);
    const version = flag.version;
    settledUpTo.set(String(flag._id), SETTLED_STATUSES.includes(flag.status) ? version + 1 : version);
    for (const entryId of new Set((flag.matches ?? []).map((m) => m.entryId))) {
      const e = entries.get(entryId) ?? { flags: 0, confirmed: 0, rejected: 0 };
      e.flags += 1;
      if (flag.status === 'confirmed') e.confirmed += 1;
      if (flag.status === 'rejected') e.rejected += 1;
      entries.set(entryId, e);
    }
  }

  const perReviewer = new Map<string, ReviewStats['reviewers'][number]>();
  const units = new Map<string, { category: string; byRound: Map<number, { reviewer: string; label: string }> }>();
  for await (const review of repos.reviews.allReviews()) {
    if (review.flagVersion >= (settledUpTo.get(String(review.flag)) ?? 0)) continue;
    const id = String(review.reviewer);
    const r = perReviewer.get(id) ?? { id, username: '', reviews: 0, confirm: 0, reject: 0, modify: 0, escalate: 0, adjudications: 0 };
    r.reviews += 1;
    r[review.decision] += 1;
    if (review.round === ADJUDICATION_ROUND) {
      r.adjudications += 1;
    } else {
      const key = `${String(review.flag)}:${review.flagVersion}`;
      const unit = units.get(key) ?? { category: categoryOf.get(String(review.flag)) ?? 'unknown', byRound: new Map() };
      unit.byRound.set(review.round, { reviewer: id, label: label(review.decision) });
      units.set(key, unit);
    }
    perReviewer.set(id, r);
  }
  const nameOf = await repos.users.usernamesOf([...perReviewer.keys()]);
  for (const r of perReviewer.values()) r.username = nameOf.get(r.id) ?? '(unknown)';

  const pairItems = new Map<string, Array<[string, string]>>();
  const categoryItems = new Map<string, Array<[string, string]>>();
  const alphaUnits: string[][] = [];
  for (const unit of units.values()) {
    const rounds = [...unit.byRound.entries()].sort((a, b) => a[0] - b[0]).map(([, v]) => v);
    alphaUnits.push(rounds.map((r) => r.label));
    if (rounds.length < 2) continue;
    const [first, second] = rounds as [{ reviewer: string; label: string }, { reviewer: string; label: string }];
    // Pairs keyed in a stable reviewer order, labels kept in that same order.
    const swap = first.reviewer > second.reviewer;
    const key = swap ? `${second.reviewer}|${first.reviewer}` : `${first.reviewer}|${second.reviewer}`;
    const pair: [string, string] = swap ? [second.label, first.label] : [first.label, second.label];
    (pairItems.get(key) ?? pairItems.set(key, []).get(key)!).push(pair);
    (categoryItems.get(unit.category) ?? categoryItems.set(unit.category, []).get(unit.category)!).push([first.label, second.label]);
  }

  const pages = await repos.pages.countCurrentPages();
  const entryRows = [...entries.entries()].map(([entryId, e]) => {
    const decided = e.confirmed + e.rejected;
    return { entryId, ...e, confirmedShare: decided ? e.confirmed / decided : null };
  });
  // Entries whose flags reviewers reject most come first: they cost review time for nothing.
  entryRows.sort((a, b) => (a.confirmedShare ?? 2) - (b.confirmedShare ?? 2) || b.flags - a.flags || a.entryId.localeCompare(b.entryId));

  return {
    generatedAt: new Date().toISOString(),
    settings: settings ? { requiredConfirmations: settings.requiredConfirmations, forbidOwnUploads: settings.forbidOwnUploads } : null,
    flags: { total, byStatus, byCategory },
    reviewers: [...perReviewer.values()].sort((a, b) => a.username.localeCompare(b.username)),
    agreement: {
      alpha: { units: alphaUnits.filter((u) => u.length >= 2).length, value: krippendorffAlphaNominal(alphaUnits) },
      pairs: [...pairItems.entries()].map(([key, items]) => {
        const [a, b] = key.split('|') as [string, string];
        return { reviewers: [nameOf.get(a) ?? a, nameOf.get(b) ?? b] as [string, string], items: items.length, kappa: cohensKappa(items) };
      }),
      byCategory: [...categoryItems.entries()].sort(([a], [b]) => a.localeCompare(b)).map(([category, items]) => ({ category, items: items.length, kappa: cohensKappa(items) })),
    },
    flagsPerPage: { pages, flags: total, mean: pages ? total / pages : null },
    lexiconEntries: entryRows,
  };
}
