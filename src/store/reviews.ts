/**
 * The reviews repository's records: reviews of flag versions, review leases and skips, and
 * translations. (The review service still reads them through the models: see docs/architecture.md.)
 */
export { ADJUDICATION_ROUND, DECISIONS } from './people-models';
export type { Decision, ReviewLeaseRecord, ReviewRecord, ReviewSkipRecord, TranslationRecord } from './people-models';
