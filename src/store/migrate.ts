/**
 * Schema upgrades of stored data, run at connect before the indexes are built. Each step is
 * idempotent (safe on every start, and with several processes starting at once).
 */
import type { Models } from './models';
import { PageWordsRepository } from './page-words';

export async function migrate(models: Models): Promise<void> {
  await pageVersions(models);
  // The page search index (store/page-words.ts) for pages stored before it existed.
  await new PageWordsRepository(models).backfill();
  await sparseOriginalIndex(models);
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
 * unique index would refuse a second version, so it goes; pages without a version are version 1
 * and current (they were the only text of their index).
 */
async function pageVersions(models: Models): Promise<void> {
  const { Page } = models;
  const indexes: Array<{ name?: string; unique?: boolean; key: Record<string, unknown> }> = await Page.collection.indexes().catch(() => []);
  const legacy = indexes.find((i) => i.unique && Object.keys(i.key).join(',') === 'document,index');
  if (legacy?.name) await Page.collection.dropIndex(legacy.name).catch(() => {});
  await Page.updateMany({ version: { $exists: false } }, { $set: { version: 1, current: true, extractionRound: 1 } });
}
