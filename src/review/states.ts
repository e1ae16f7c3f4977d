/** The review workflow's flag states, grouped as its rules use them. */
import type { FlagStatus } from '../store/flags';

export const OPEN_STATUSES: FlagStatus[] = ['new', 'in_review', 'awaiting_second', 'disputed'];
export const FINAL_STATUSES: FlagStatus[] = ['confirmed', 'rejected'];
/**
 * A flag version whose reviews anyone may see: decided, or withdrawn (no review can follow).
 * Blind review keeps every other version's reviews from those who have not reviewed it, and the
 * statistics count only these (src/review/stats.ts), so counts cannot reveal a pending decision.
 */
export const SETTLED_STATUSES: readonly FlagStatus[] = [...FINAL_STATUSES, 'withdrawn'];
