/**
 * Schema upgrades of stored data, run at connect before the indexes are built. Each step is
 * idempotent (safe on every start, and with several processes starting at once); one-time
 * backfills are recorded in the `migrations` collection and not run again.
 */
import type { Model } from 'mongoose';
import { isDuplicateKeyError } from './duplicates';
import type { MigrationRecord } from './migration-models';
import type { Models } from './models';
import { PageWordsRepository } from './page-words';

export async function migrate(models: Models): Promise<void> {
  await dropPerIndexUniquePages(models);
  await runOnce(models, BACKFILL_LEGACY_FIELDS, () => backfillLegacyFields(models));
  // The page search index (store/page-words.ts) for pages stored before it existed.
  await new PageWordsRepository(models).backfill();
  await sparseOriginalIndex(models);
}

/**
 * Fields that records from older releases lack, each with the value its absence meant. Once they
 * are set, the schemas require them and no reader needs a fallback.
 */
export const BACKFILL_LEGACY_FIELDS = 'backfill-legacy-fields';

async function backfillLegacyFields(models: Models): Promise<MigrationRecord['changed']> {
  const changed: MigrationRecord['changed'] = {};
  // On the collection itself: a backfill is no edit of the record, so `updatedAt` stays.
  const backfill = async (model: Model<any>, field: string, value: unknown): Promise<void> => {
    const result = await model.collection.updateMany({ [field]: { $exists: false } }, { $set: { [field]: value } });
    (changed[model.collection.collectionName] ??= {})[field] = result.modifiedCount;
  };
  // A document's first extraction round is 1; rounds were counted from the first re-OCR on.
  await backfill(models.Document, 'extractionRound', 1);
  // Before page versions a page was written once per index: version 1, current, read in round 1
  // (a page that could not be read had no state: it was read).
  await backfill(models.Page, 'version', 1);
  await backfill(models.Page, 'current', true);
  await backfill(models.Page, 'extractionRound', 1);
  await backfill(models.Page, 'state', 'read');
  // Flags point at version 1 of their page, and are in their first review round.
  await backfill(models.Flag, 'pageVersion', 1);
  await backfill(models.Flag, 'version', 1);
  return changed;
}

/** Runs `step` unless a record says it has run; records it afterwards (a parallel start's record wins). */
async function runOnce(models: Pick<Models, 'Migration'>, name: string, step: () => Promise<MigrationRecord['changed']>): Promise<void> {
  if (await models.Migration.exists({ _id: name })) return;
  const changed = await step();
  try {
    await models.Migration.create({ _id: name, appliedAt: new Date(), changed });
  } catch (error) {
    if (!isDuplicateKeyError(error)) throw error;
  }
}

/**
 * The unique index on `original.sha256` became sparse when web captures came (a capture has no
 * original until the page is stored). The old, dense one goes; connect builds the new one.
 */
async function sparseOriginalIndex(models: Models): Promise<void> {
  const indexes: Array<{ name?: string; sparse?: boolean; key: Record<string, unknown> }> = await models.Document.collection.indexes().catch(() => []);
  const dense = indexes.find((i) => Object.keys(i.key).join(',') === 'original.sha256' && !i.sparse);
  if (dense?.name) await models.Document.collection.dropIndex(dense.name).catch(() => {});
}

/**
 * Page versions: pages were once unique per (document, index) and rewritten on re-OCR. The old
 * unique index would refuse a second version, so it goes (the backfill makes the old pages
 * version 1).
 */
async function dropPerIndexUniquePages(models: Models): Promise<void> {
  const indexes: Array<{ name?: string; unique?: boolean; key: Record<string, unknown> }> = await models.Page.collection.indexes().catch(() => []);
  const legacy = indexes.find((i) => i.unique && Object.keys(i.key).join(',') === 'document,index');
  if (legacy?.name) await models.Page.collection.dropIndex(legacy.name).catch(() => {});
}
