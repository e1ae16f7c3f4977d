import { Router } from 'express';
import { actorOf, requirePrincipal } from '../../auth/principal';
import type { ReviewService } from '../../review/service';
import type { FlagRecord } from '../../store/flags';
import type { PageRecord } from '../../store/pages';
import type { ReviewRecord, TranslationRecord } from '../../store/reviews';
import { idParam } from '../validate';
import { flagView } from '../views';

/** Characters of page text shown on each side of a flag in the review queue. */
const CONTEXT_CHARS = 600;

function reviewedFlagView(flag: FlagRecord) {
  return {
    ...flagView(flag),
    version: flag.version,
    outcome: flag.outcome ?? null,
    withdrawal: flag.withdrawal ? { by: String(flag.withdrawal.by), reason: flag.withdrawal.reason, at: flag.withdrawal.at } : null,
    history: (flag.history ?? []).map((h) => ({ ...h, reopenedBy: String(h.reopenedBy) })),
    links: { reviews: `/api/flags/${String(flag._id)}/reviews`, history: `/api/flags/${String(flag._id)}/history` },
  };
}

function reviewView(r: ReviewRecord) {
  return {
    id: String(r._id),
    flagVersion: r.flagVersion,
    reviewer: String(r.reviewer),
    round: r.round === 0 ? 'adjudication' : r.round,
    decision: r.decision,
    modification: r.modification ?? null,
    stance: r.stance ?? null,
    note: r.note ?? null,
    createdAt: r.createdAt,
  };
}

function translationView(t: TranslationRecord) {
  return {
    id: String(t._id),
    text: t.text,
    language: t.language,
    translator: t.translator,
    createdBy: String(t.createdBy),
    check: t.check ? { by: String(t.check.by), verdict: t.check.verdict, note: t.check.note ?? null, at: t.check.at } : null,
    createdAt: t.createdAt,
  };
}

/** The page text around a flag, with the flag's offsets relative to the returned window. */
function contextOf(flag: FlagRecord, page: PageRecord | null) {
  if (!page) return null;
  const from = Math.max(0, flag.start - CONTEXT_CHARS);
  const to = Math.min(page.text.length, flag.end + CONTEXT_CHARS);
  return { text: page.text.slice(from, to), offset: from, start: flag.start - from, end: flag.end - from, pageLabel: page.label, pageVersion: page.version };
}

/** Review workflow routes under /api: flag decisions, history, translations, the queue. */
export function reviewRoutes(review: ReviewService): Router {
  const router = Router();
  const flagId = (value: unknown) => idParam(value, 'flag');

  router.get('/flags/:id', async (req, res) => {
    res.json({ flag: reviewedFlagView(await review.getFlag(flagId(req.params.id))) });
  });

  router.get('/flags/:id/reviews', async (req, res) => {
    const flag = await review.getFlag(flagId(req.params.id));
    const { reviews, hidden } = await review.visibleReviews(flag, requirePrincipal(res));
    res.json({ items: reviews.map(reviewView), hiddenUntilYouReview: hidden });
  });

  router.get('/flags/:id/history', async (req, res) => {
    const flag = await review.getFlag(flagId(req.params.id));
    const { reviews, hidden } = await review.visibleReviews(flag, requirePrincipal(res));
    const versions = [
      ...(flag.history ?? []).map((h) => ({ version: h.version, status: h.status, outcome: h.outcome, closedAt: h.closedAt, reopenedBy: String(h.reopenedBy), reopenReason: h.reason })),
      { version: flag.version, status: flag.status, outcome: flag.outcome ?? null, closedAt: null, reopenedBy: null, reopenReason: null },
    ].map((v) => ({ ...v, reviews: reviews.filter((r) => r.flagVersion === v.version).map(reviewView) }));
    res.json({ flag: String(flag._id), versions, hiddenUntilYouReview: hidden });
  });

  router.post('/flags/:id/reviews', async (req, res) => {
    const result = await review.submit(flagId(req.params.id), requirePrincipal(res), req.body, actorOf(res));
    res.status(201).json({ review: reviewView(result.review), flag: reviewedFlagView(result.flag) });
  });

  router.get('/flags/:id/translations', async (req, res) => {
    const flag = await review.getFlag(flagId(req.params.id));
    res.json({ items: (await review.translations(flag._id)).map(translationView) });
  });

  router.post('/flags/:id/translations', async (req, res) => {
    const t = await review.addTranslation(flagId(req.params.id), requirePrincipal(res), req.body, actorOf(res));
    res.status(201).json({ translation: translationView(t) });
  });

  router.post('/flags/:id/translations/:tid/check', async (req, res) => {
    const t = await review.checkTranslation(flagId(req.params.id), idParam(req.params.tid, 'translation'), requirePrincipal(res), req.body, actorOf(res));
    res.json({ translation: translationView(t) });
  });

  router.post('/flags/:id/withdraw', async (req, res) => {
    res.json({ flag: reviewedFlagView(await review.withdraw(flagId(req.params.id), requirePrincipal(res), req.body, actorOf(res))) });
  });

  router.post('/flags/:id/reopen', async (req, res) => {
    res.json({ flag: reviewedFlagView(await review.reopen(flagId(req.params.id), requirePrincipal(res), req.body, actorOf(res))) });
  });

  router.get('/review/next', async (_req, res) => {
    const next = await review.next(requirePrincipal(res));
    if (!next) {
      res.json({ flag: null, message: 'nothing left for you to review' });
      return;
    }
    const flagRef = String(next.flag._id);
    res.json({
      flag: reviewedFlagView(next.flag),
      stage: next.stage,
      lease: { expiresAt: next.lease.expiresAt },
      context: contextOf(next.flag, next.page),
      document: next.document ? { id: String(next.document._id), title: next.document.title, kind: next.document.kind, textbook: next.document.textbook ?? null, statement: next.document.statement ?? null } : null,
      // For adjudication the disputing reviews are shown (blindness ends with the dispute).
      reviews: next.stage === 'adjudication' ? (await review.visibleReviews(next.flag, requirePrincipal(res))).reviews.filter((r) => r.flagVersion === next.flag.version).map(reviewView) : [],
      links: { decide: `/api/flags/${flagRef}/reviews`, skip: `/api/review/${flagRef}/skip`, release: `/api/review/${flagRef}/release` },
    });
  });

  router.post('/review/:flagId/skip', async (req, res) => {
    await review.skip(flagId(req.params.flagId), requirePrincipal(res));
    res.status(204).end();
  });

  router.post('/review/:flagId/release', async (req, res) => {
    const released = await review.release(flagId(req.params.flagId), requirePrincipal(res));
    res.json({ released });
  });

  return router;
}
