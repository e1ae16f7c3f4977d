/**
 * The reviews repository: reviews of flag versions (never overwritten), who holds a flag in the
 * review queue (a lease under the flag's id), reviewers' skips, and translations with their
 * checks. Exclusivity is a unique index: E11000 on insert means someone else got there first.
 */
import { Types } from 'mongoose';
import { isDuplicateKeyError } from './duplicates';
import type { PeopleModels, ReviewRecord, TranslationRecord } from './people-models';

export { ADJUDICATION_ROUND, DECISIONS, STANCES } from './people-models';
export type { Decision, Stance, ReviewLeaseRecord, ReviewRecord, ReviewSkipRecord, TranslationRecord } from './people-models';

type ReviewModels = Pick<PeopleModels, 'Review' | 'ReviewLease' | 'ReviewSkip' | 'Translation'>;

export class ReviewRepository {
  constructor(private readonly models: ReviewModels) {}

  reviewsOfVersion(flag: Types.ObjectId, flagVersion: number): Promise<ReviewRecord[]> {
    return this.models.Review.find({ flag, flagVersion }).lean<ReviewRecord[]>();
  }

  countReviewsOfVersion(flag: Types.ObjectId, flagVersion: number): Promise<number> {
    return this.models.Review.countDocuments({ flag, flagVersion });
  }

  /** Every review of a flag, by version, oldest first. */
  reviewsOfFlag(flag: Types.ObjectId): Promise<ReviewRecord[]> {
    return this.models.Review.find({ flag }).sort({ flagVersion: 1, createdAt: 1 }).lean<ReviewRecord[]>();
  }

  /** Every review, streamed (for statistics). */
  allReviews(): AsyncIterable<ReviewRecord> {
    return this.models.Review.find({}).lean<ReviewRecord[]>().cursor() as unknown as AsyncIterable<ReviewRecord>;
  }

  /** Inserts a review; E11000 when its round (or this reviewer's review of the version) exists already. */
  async insertReview(review: Omit<ReviewRecord, '_id'>): Promise<ReviewRecord> {
    return (await this.models.Review.create(review)).toObject() as ReviewRecord;
  }

  /** The flag versions a person has reviewed or skipped (the queue does not offer them again). */
  async seenBy(user: Types.ObjectId): Promise<Array<{ flag: Types.ObjectId; flagVersion: number }>> {
    const [reviewed, skipped] = await Promise.all([
      this.models.Review.find({ reviewer: user }, { flag: 1, flagVersion: 1 }).lean<ReviewRecord[]>(),
      this.models.ReviewSkip.find({ user }, { flag: 1, flagVersion: 1 }).lean(),
    ]);
    return [...reviewed, ...skipped];
  }

  /** Records "not now" on a flag version; skipping twice is the same skip. */
  async insertSkip(user: Types.ObjectId, flag: Types.ObjectId, flagVersion: number): Promise<void> {
    try {
      await this.models.ReviewSkip.create({ _id: `${String(user)}:${String(flag)}:${flagVersion}`, user, flag, flagVersion, createdAt: new Date() });
    } catch (error) {
      if (!isDuplicateKeyError(error)) throw error;
    }
  }

  /**
   * Holds the flag for `holder` for `ttlMs` (renewed if they hold it already): an insert under the
   * flag's id, so only one reviewer at a time; an expired lease is removed and the insert tried again.
   */
  async claimReviewLease(flagId: string, holder: Types.ObjectId, ttlMs: number): Promise<{ expiresAt: Date } | null> {
    const { ReviewLease } = this.models;
    for (let attempt = 0; attempt < 2; attempt += 1) {
      const expiresAt = new Date(Date.now() + ttlMs);
      try {
        await ReviewLease.create({ _id: flagId, holder, expiresAt });
        return { expiresAt };
      } catch (error) {
        if (!isDuplicateKeyError(error)) throw error;
        const existing = await ReviewLease.findById(flagId).lean();
        if (!existing) continue;
        if (existing.holder.equals(holder)) {
          await ReviewLease.updateOne({ _id: flagId, holder }, { $set: { expiresAt } });
          return { expiresAt };
        }
        if (existing.expiresAt.getTime() > Date.now()) return null;
        // Expired: remove exactly that lease (same expiry), then race for a fresh insert.
        await ReviewLease.deleteOne({ _id: flagId, expiresAt: existing.expiresAt });
      }
    }
    return null;
  }

  /** Gives up the hold on a flag (only `holder`'s, when given); true if there was one. */
  async releaseReviewLease(flagId: string, holder?: Types.ObjectId): Promise<boolean> {
    const result = await this.models.ReviewLease.deleteOne({ _id: flagId, ...(holder ? { holder } : {}) });
    return result.deletedCount === 1;
  }

  async insertTranslation(translation: Omit<TranslationRecord, '_id'>): Promise<TranslationRecord> {
    return (await this.models.Translation.create(translation)).toObject() as TranslationRecord;
  }

  findTranslation(flagId: string, translationId: string): Promise<TranslationRecord | null> {
    return this.models.Translation.findOne({ _id: new Types.ObjectId(translationId), flag: new Types.ObjectId(flagId) }).lean<TranslationRecord>();
  }

  async setTranslationCheck(id: Types.ObjectId, check: NonNullable<TranslationRecord['check']>): Promise<TranslationRecord> {
    await this.models.Translation.updateOne({ _id: id }, { $set: { check } });
    return (await this.models.Translation.findById(id).lean<TranslationRecord>())!;
  }

  translationsOfFlag(flag: Types.ObjectId): Promise<TranslationRecord[]> {
    return this.models.Translation.find({ flag }).sort({ createdAt: 1 }).lean<TranslationRecord[]>();
  }
}
