/**
 * The review workflow (docs/review-workflow.md): independent reviews of a flag version,
 * blind to each other, N confirmations (setting), disagreement → disputed → adjudication by a
 * third person; withdraw with a reason (never delete); reopen a decided flag as a new version.
 *
 * Reviews are their own records and are never overwritten; a flag's `status` and `outcome` are
 * derived from its reviews by `deriveState`. Exclusivity without transactions: a review claims
 * its round by inserting under the unique index (flag, version, round), and a reviewer can
 * review a version once (unique (flag, version, reviewer)). The queue hands a flag to one
 * reviewer at a time by inserting a lease under the flag's id.
 */
import type { Types } from 'mongoose';
import { z } from 'zod';
import { CATEGORY_CODES } from '../analyze/types';
import type { Actor, AuditLog } from '../audit/log';
import type { Principal } from '../auth/principal';
import { Conflict, Forbidden, Invalid, NotFound } from '../errors';
import { isDuplicateKeyError } from '../store/connection';
import type { DocumentRecord } from '../store/documents';
import type { FlagCounts, FlagFilter, FlagRecord, FlagSort, FlagStatus } from '../store/flags';
import type { PageRecord } from '../store/pages';
import type { PageOf, Pagination } from '../store/pagination';
import type { Repositories } from '../store/repositories';
import { ADJUDICATION_ROUND, DECISIONS, STANCES, type ReviewRecord, type TranslationRecord } from '../store/reviews';
import { FINAL_STATUSES, OPEN_STATUSES, SETTLED_STATUSES } from './states';
import { reviewStats, type ReviewStats } from './stats';

export interface ReviewSettings {
  /** Independent confirmations a flag needs (default 2; 1 is allowed and stated in dossiers). */
  requiredConfirmations: number;
  /** When true, nobody reviews flags on documents they uploaded. */
  forbidOwnUploads: boolean;
  /** How long `next` holds a flag for its reviewer. */
  leaseMs: number;
}

export const DEFAULT_REVIEW_SETTINGS: ReviewSettings = { requiredConfirmations: 2, forbidOwnUploads: false, leaseMs: 5 * 60_000 };

export const ReviewInputSchema = z
  .object({
    decision: z.enum(DECISIONS),
    modification: z
      .object({
        category: z.enum(CATEGORY_CODES).optional(),
        severity: z.number().int().min(1).max(4).optional(),
        target: z.string().trim().regex(/^[A-Za-z0-9_.-]{1,80}$/, 'a target group id').optional(),
      })
      .strict()
      .optional(),
    /** Optional (older clients send none): a dossier lists only passages read as `endorses` as findings. */
    stance: z.enum(STANCES).optional(),
    note: z.string().max(10_000).optional(),
  })
  .strict()
  .superRefine((value, ctx) => {
    const mod = value.modification;
    const changes = mod && (mod.category !== undefined || mod.severity !== undefined || mod.target !== undefined);
    if (value.decision === 'modify' && !changes) ctx.addIssue({ code: 'custom', path: ['modification'], message: 'modify needs a category, severity or target' });
    if (value.decision !== 'modify' && mod) ctx.addIssue({ code: 'custom', path: ['modification'], message: 'only a modify decision carries a modification' });
  });
export type ReviewInput = z.infer<typeof ReviewInputSchema>;

export const ReasonSchema = z.object({ reason: z.string().trim().min(3, 'give a reason (at least 3 characters)').max(2000) }).strict();

/** The reason a withdrawal or reopen must give (at least 3 characters). */
export function parseReason(input: unknown): { reason: string } {
  const parsed = ReasonSchema.safeParse(input ?? {});
  if (!parsed.success) throw Invalid.fromZod('invalid_request', parsed.error, 'request');
  return parsed.data;
}

export const TranslationInputSchema = z
  .object({
    text: z.string().trim().min(1).max(20_000),
    language: z.string().regex(/^[a-z]{2,3}(-[A-Za-z0-9]{2,8})*$/, 'a BCP 47 language tag such as "en"'),
    translator: z.string().trim().min(1).max(200),
  })
  .strict();

export const TranslationCheckSchema = z.object({ verdict: z.enum(['approved', 'needs_changes']), note: z.string().max(5000).optional() }).strict();

export { SETTLED_STATUSES };

interface Reading {
  verdict: 'confirm' | 'reject' | 'escalate';
  category: string;
  severity: number;
  target: string | null;
}

function readingOf(flag: FlagRecord, review: Pick<ReviewRecord, 'decision' | 'modification'>): Reading {
  const base = { category: flag.category, severity: flag.severity, target: flag.targets[0]?.groupId ?? null };
  if (review.decision === 'reject' || review.decision === 'escalate') return { verdict: review.decision, ...base };
  const mod = review.modification ?? {};
  return { verdict: 'confirm', category: mod.category ?? base.category, severity: mod.severity ?? base.severity, target: mod.target ?? base.target };
}

/**
 * A flag version's state from its reviews alone (pure: the stored status is a cache of this).
 *
 * `escalate` says "I cannot decide this; someone else must" (another language, more context). It
 * is recorded with its note but is not one of the `required` independent reviews and ends none
 * of them: the flag stays open (`awaiting_second`) until `required` reviewers have confirmed,
 * modified or rejected it alike, or two of them disagree (then a third person adjudicates). An
 * escalation once sent the flag straight to adjudication, so one adjudicator alone could confirm
 * a flag nobody else had confirmed.
 */
export function deriveState(
  flag: FlagRecord,
  reviews: Array<Pick<ReviewRecord, 'decision' | 'modification' | 'round'>>,
  required: number,
): { status: FlagStatus; outcome: Omit<NonNullable<FlagRecord['outcome']>, 'decidedAt'> | null } {
  const adjudication = reviews.find((r) => r.round === ADJUDICATION_ROUND);
  const final = (reading: Reading) =>
    reading.verdict === 'confirm'
      ? { status: 'confirmed' as const, outcome: { category: reading.category, severity: reading.severity, target: reading.target } }
      : { status: 'rejected' as const, outcome: null };
  if (adjudication) return final(readingOf(flag, adjudication));
  const independent = reviews.filter((r) => r.round !== ADJUDICATION_ROUND);
  if (independent.length === 0) return { status: flag.status === 'in_review' ? 'in_review' : 'new', outcome: null };
  const readings = independent.filter((r) => r.decision !== 'escalate').map((r) => readingOf(flag, r));
  const first = readings[0];
  if (!readings.every((r) => sameReading(r, first!))) return { status: 'disputed', outcome: null };
  if (!first || readings.length < required) return { status: 'awaiting_second', outcome: null };
  return final(first);
}

function sameReading(a: Reading, b: Reading): boolean {
  return a.verdict === b.verdict && (a.verdict === 'reject' || (a.category === b.category && a.severity === b.severity && a.target === b.target));
}

/** The independent reviews that count towards the required number: every one but an escalation. */
export function decidingReviews(reviews: Array<Pick<ReviewRecord, 'decision' | 'round'>>): number {
  return reviews.filter((r) => r.round !== ADJUDICATION_ROUND && r.decision !== 'escalate').length;
}

export class ReviewService {
  constructor(
    private readonly repos: Pick<Repositories, 'flags' | 'reviews' | 'documents' | 'pages' | 'users'>,
    private readonly audit: AuditLog,
    readonly settings: ReviewSettings = DEFAULT_REVIEW_SETTINGS,
  ) {}

  /** Flags in the stable order (document, page, offset) or another `sort`, filtered. */
  listFlags(filter: FlagFilter, page: Pagination, sort?: FlagSort): Promise<PageOf<FlagRecord>> {
    return this.repos.flags.listFlags(filter, page, sort);
  }

  /**
   * How many flags match, per status, category, severity and language. Counts of states are no
   * reviewer's decision: who decided what stays behind GET /api/flags/:id/reviews (blind rounds).
   */
  countFlags(filter: FlagFilter): Promise<FlagCounts> {
    return this.repos.flags.countFlags(filter);
  }

  /** The review statistics (src/review/stats.ts) under this protocol. */
  stats(): Promise<ReviewStats> {
    return reviewStats(this.repos, this.settings);
  }

  async getFlag(id: string): Promise<FlagRecord> {
    const flag = await this.repos.flags.findFlag(id);
    if (!flag) throw new NotFound('flag');
    return flag;
  }

  async submit(flagId: string, principal: Principal, input: unknown, actor: Actor): Promise<{ review: ReviewRecord; flag: FlagRecord }> {
    const parsed = ReviewInputSchema.safeParse(input);
    if (!parsed.success) throw Invalid.fromZod('invalid_request', parsed.error, 'review');
    const data = parsed.data;
    let firstSeen: FlagStatus | undefined;
    for (let attempt = 0; ; attempt += 1) {
      const flag = await this.getFlag(flagId);
      firstSeen ??= flag.status;
      // A race turned the flag into a dispute: this review was meant as an independent one,
      // not as a (non-blind) adjudication, so the reviewer must look again.
      if (flag.status === 'disputed' && firstSeen !== 'disputed') throw new Conflict('changed_concurrently', 'the flag became disputed while you reviewed it; reload it');
      const version = flag.version;
      if (flag.status === 'withdrawn' || flag.status === 'obsolete') throw new Conflict('conflict', `the flag is ${flag.status}; it cannot be reviewed`, { status: flag.status });
      if (FINAL_STATUSES.includes(flag.status)) throw new Conflict('conflict', `the flag is already ${flag.status}; reopen it (with a reason) to review it again`, { status: flag.status });
      await this.assertMayReview(flag, principal);
      const reviews = await this.repos.reviews.reviewsOfVersion(flag._id, version);
      if (reviews.some((r) => r.reviewer.equals(principal.userId))) throw new Conflict('already_reviewed', 'you have already reviewed this version of the flag; another person must give the next review');
      const adjudicating = flag.status === 'disputed';
      if (adjudicating && data.decision === 'escalate') throw new Invalid('invalid_request', 'an adjudication must decide: confirm, reject or modify', [{ field: 'decision', message: 'an adjudication must decide: confirm, reject or modify' }]);
      const round = adjudicating ? ADJUDICATION_ROUND : reviews.filter((r) => r.round !== ADJUDICATION_ROUND).length + 1;
      if (!adjudicating && decidingReviews(reviews) >= this.settings.requiredConfirmations) {
        throw new Conflict('conflict', `this flag already has its ${this.settings.requiredConfirmations} independent reviews`, { status: flag.status });
      }
      try {
        const review = await this.repos.reviews.insertReview({
          flag: flag._id,
          flagVersion: version,
          reviewer: principal.userId,
          round,
          decision: data.decision,
          ...(data.modification ? { modification: data.modification } : {}),
          ...(data.stance ? { stance: data.stance } : {}),
          ...(data.note !== undefined ? { note: data.note } : {}),
          createdAt: new Date(),
        });
        await this.repos.reviews.releaseReviewLease(String(flag._id), principal.userId);
        const updated = await this.refreshState(flag._id);
        await this.audit.append({
          actor,
          action: adjudicating ? 'review.adjudicate' : 'review.decide',
          entity: { type: 'flag', id: String(flag._id) },
          change: { review: String(review._id), version, round, decision: data.decision, modification: data.modification ?? null, stance: data.stance ?? null, note: data.note ?? null, status: { from: flag.status, to: updated.status } },
        });
        return { review, flag: updated };
      } catch (error) {
        if (!isDuplicateKeyError(error)) throw error;
        // Lost the race for this round (or submitted twice at once): re-read and try once more.
        if (attempt >= 2) throw new Conflict('changed_concurrently', 'another reviewer submitted this round at the same moment; reload the flag');
      }
    }
  }

  /** Recomputes and stores a flag's status from its reviews; re-reads until stable. */
  async refreshState(flagId: Types.ObjectId): Promise<FlagRecord> {
    for (let i = 0; i < 3; i += 1) {
      const flag = (await this.repos.flags.findFlag(flagId))!;
      const version = flag.version;
      const reviews = await this.repos.reviews.reviewsOfVersion(flagId, version);
      const state = deriveState(flag, reviews, this.settings.requiredConfirmations);
      const outcome = state.outcome ? { ...state.outcome, decidedAt: new Date() } : null;
      await this.repos.flags.setReviewState(flagId, version, state.status, outcome);
      // Concurrent submissions: if a review arrived meanwhile, derive again from the newer set.
      const after = await this.repos.reviews.countReviewsOfVersion(flagId, version);
      if (after === reviews.length) break;
    }
    return (await this.repos.flags.findFlag(flagId))!;
  }

  private async assertMayReview(flag: FlagRecord, principal: Principal): Promise<void> {
    if (!this.settings.forbidOwnUploads) return;
    const uploader = await this.repos.documents.uploaderOf(flag.document);
    if (uploader && uploader.equals(principal.userId)) throw new Forbidden('self_review', 'you uploaded this document; flags on it must be reviewed by someone else');
  }

  /**
   * Reviews of a flag as `principal` may see them: earlier versions always; the current version
   * only once it is decided, once the caller has submitted their own review (blind review), or
   * to a reviewer adjudicating a dispute.
   */
  async visibleReviews(flag: FlagRecord, principal: Principal): Promise<{ reviews: ReviewRecord[]; hidden: number }> {
    const all = await this.repos.reviews.reviewsOfFlag(flag._id);
    const version = flag.version;
    const current = all.filter((r) => r.flagVersion === version);
    const open =
      SETTLED_STATUSES.includes(flag.status) ||
      current.some((r) => r.reviewer.equals(principal.userId)) ||
      (flag.status === 'disputed' && principal.roles.includes('reviewer'));
    if (open) return { reviews: all, hidden: 0 };
    return { reviews: all.filter((r) => r.flagVersion !== version), hidden: current.length };
  }

  async withdraw(flagId: string, principal: Principal, input: unknown, actor: Actor): Promise<FlagRecord> {
    const { reason } = parseReason(input);
    const flag = await this.getFlag(flagId);
    if (flag.status === 'withdrawn') throw new Conflict('conflict', 'the flag is already withdrawn', { status: flag.status });
    await this.repos.flags.setWithdrawn(flag._id, { by: principal.userId, reason, at: new Date() });
    await this.repos.reviews.releaseReviewLease(String(flag._id));
    await this.audit.append({ actor, action: 'flag.withdraw', entity: { type: 'flag', id: flagId }, change: { status: { from: flag.status, to: 'withdrawn' } }, reason });
    return this.getFlag(flagId);
  }

  /** A decided flag goes back to `new` as version + 1; the old result moves into `history`. */
  async reopen(flagId: string, principal: Principal, input: unknown, actor: Actor): Promise<FlagRecord> {
    const { reason } = parseReason(input);
    const flag = await this.getFlag(flagId);
    if (!FINAL_STATUSES.includes(flag.status)) throw new Conflict('conflict', `only a confirmed or rejected flag can be reopened (this one is ${flag.status})`, { status: flag.status });
    const version = flag.version;
    const entry = { version, status: flag.status, outcome: flag.outcome ?? null, closedAt: flag.updatedAt, reopenedBy: principal.userId, reason };
    if (!(await this.repos.flags.reopen(flag, version, entry))) throw new Conflict('changed_concurrently', 'the flag changed meanwhile; reload it');
    await this.audit.append({ actor, action: 'flag.reopen', entity: { type: 'flag', id: flagId }, change: { version: { from: version, to: version + 1 }, status: { from: flag.status, to: 'new' } }, reason });
    return this.getFlag(flagId);
  }

  async addTranslation(flagId: string, principal: Principal, input: unknown, actor: Actor): Promise<TranslationRecord> {
    const parsed = TranslationInputSchema.safeParse(input);
    if (!parsed.success) throw Invalid.fromZod('invalid_request', parsed.error, 'translation');
    const flag = await this.getFlag(flagId);
    const created = await this.repos.reviews.insertTranslation({ flag: flag._id, ...parsed.data, createdBy: principal.userId, createdAt: new Date() });
    await this.audit.append({ actor, action: 'translation.add', entity: { type: 'flag', id: flagId }, change: { translation: String(created._id), ...parsed.data } });
    return created;
  }

  async checkTranslation(flagId: string, translationId: string, principal: Principal, input: unknown, actor: Actor): Promise<TranslationRecord> {
    const parsed = TranslationCheckSchema.safeParse(input);
    if (!parsed.success) throw Invalid.fromZod('invalid_request', parsed.error, 'translation check');
    const translation = await this.repos.reviews.findTranslation(flagId, translationId);
    if (!translation) throw new NotFound('translation');
    if (translation.createdBy.equals(principal.userId)) throw new Forbidden('self_review', 'a translation is checked by another person than the one who entered it');
    if (translation.check) throw new Conflict('conflict', 'this translation has already been checked; add a new translation to revise it');
    const check = { by: principal.userId, verdict: parsed.data.verdict, ...(parsed.data.note ? { note: parsed.data.note } : {}), at: new Date() };
    const checked = await this.repos.reviews.setTranslationCheck(translation._id, check);
    await this.audit.append({ actor, action: 'translation.check', entity: { type: 'flag', id: flagId }, change: { translation: translationId, verdict: check.verdict, note: check.note ?? null } });
    return checked;
  }

  translations(flagId: Types.ObjectId): Promise<TranslationRecord[]> {
    return this.repos.reviews.translationsOfFlag(flagId);
  }

  // --- the queue ---------------------------------------------------------------------------

  /**
   * The highest-priority open flag this reviewer has not reviewed (nor skipped) in its current
   * version, held for them by a lease so nobody else gets it meanwhile. Disputed flags go to
   * reviewers who were not among the disputing ones (the adjudicator is a third person).
   */
  async next(principal: Principal): Promise<{ flag: FlagRecord; lease: { expiresAt: Date }; page: PageRecord | null; document: DocumentRecord | null; stage: 'review' | 'adjudication' } | null> {
    const me = principal.userId;
    const [seen, excludedDocs] = await Promise.all([
      this.repos.reviews.seenBy(me),
      this.repos.documents.idsWithdrawnOrUploadedBy(this.settings.forbidOwnUploads ? me : undefined),
    ]);
    const seenVersions = new Set(seen.map((r) => `${String(r.flag)}:${r.flagVersion}`));
    const cursor = this.repos.flags.byPriority(OPEN_STATUSES, excludedDocs);
    try {
      for await (const flag of cursor) {
        if (seenVersions.has(`${String(flag._id)}:${flag.version}`)) continue;
        const lease = await this.repos.reviews.claimReviewLease(String(flag._id), me, this.settings.leaseMs);
        if (!lease) continue;
        if (flag.status === 'new') await this.repos.flags.changeStatusIf(flag._id, 'new', 'in_review');
        const [page, document] = await Promise.all([this.repos.pages.pageOfFlag(flag), this.repos.documents.findDocument(flag.document)]);
        return { flag: await this.getFlag(String(flag._id)), lease, page, document, stage: flag.status === 'disputed' ? 'adjudication' : 'review' };
      }
    } finally {
      await cursor.close();
    }
    return null;
  }

  async release(flagId: string, principal: Principal): Promise<boolean> {
    const released = await this.repos.reviews.releaseReviewLease(flagId, principal.userId);
    if (released) await this.resetIfUntouched(flagId);
    return released;
  }

  async skip(flagId: string, principal: Principal): Promise<void> {
    const flag = await this.getFlag(flagId);
    await this.repos.reviews.insertSkip(principal.userId, flag._id, flag.version);
    await this.release(flagId, principal);
  }

  private async resetIfUntouched(flagId: string): Promise<void> {
    const flag = await this.getFlag(flagId);
    if (flag.status !== 'in_review') return;
    const reviews = await this.repos.reviews.countReviewsOfVersion(flag._id, flag.version);
    if (reviews === 0) await this.repos.flags.changeStatusIf(flag._id, 'in_review', 'new');
  }

}
