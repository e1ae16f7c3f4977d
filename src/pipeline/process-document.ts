/**
 * The document pipeline: extract → analyze → store, for one document. Every step is
 * idempotent and checkpointed in the database (pages keyed by document+index+version, a page's
 * `analyzedWith`, flags keyed by fingerprint), so a run that dies anywhere resumes where it
 * stopped with no duplicate pages or flags. No transactions: the original and the document
 * record exist before any derived data, and `status` says how far processing got.
 *
 * This file is the orchestration and the retry rule; the stages are extract-stage.ts (with
 * ocr-queue.ts) and analyze-stage.ts, the analysis of a page page-analysis.ts, the cancel
 * watcher cancel-watch.ts.
 */
import type { Types } from 'mongoose';
import { ExtractionError } from '../extract';
import { ExtractionAbortedError } from '../extract/types';
import type { DocumentRecord } from '../store/models';
import { analyzeStage } from './analyze-stage';
import { CancelledError, CancelWatch } from './cancel-watch';
import { findCancel, markCancelled } from './control';
import { RunTally, type PipelineDeps } from './document-run';
import { extractStage } from './extract-stage';

export async function processDocument(pipelineDeps: PipelineDeps, documentId: Types.ObjectId): Promise<void> {
  const deps = pipelineDeps.activeLexicon ? { ...pipelineDeps, lexicon: await pipelineDeps.activeLexicon() } : pipelineDeps;
  const { Document } = deps.models;
  const doc = await Document.findById(documentId).lean<DocumentRecord>();
  if (!doc || doc.status === 'done' || doc.status === 'failed' || doc.status === 'cancelled') return;
  // Cancelled, but a racing write put the old status back (see CancelRecord): say so again.
  const cancelled = await findCancel(deps.models, doc);
  if (cancelled) return markCancelled(deps.models, cancelled);
  const watch = new CancelWatch(deps.models, doc);
  const tally = new RunTally(doc);
  let stage = 'extracting';
  try {
    await extractStage(deps, doc, watch, tally);
    stage = 'analyzing';
    await analyzeStage(deps, doc, watch, tally);
    // Recorded before the final status, so whoever sees `done` also finds the audit event.
    const flagCount = tally.complete() ? tally.flags.size : await deps.models.Flag.countDocuments({ document: doc._id });
    await deps.audit?.append({ actor: { id: 'system', role: 'system' }, action: 'analysis.run', entity: { type: 'document', id: String(doc._id) }, change: { status: 'done', lexicon: { id: deps.lexicon.id, version: deps.lexicon.version }, flags: flagCount } });
    await Document.updateOne(
      { _id: doc._id, status: { $ne: 'cancelled' } },
      { $set: { status: 'done', lexicon: { id: deps.lexicon.id, version: deps.lexicon.version }, 'progress.stage': 'done', retryAt: null } },
    );
    deps.log.info({ document: String(doc._id) }, 'document processed');
  } catch (error) {
    if (error instanceof CancelledError || error instanceof ExtractionAbortedError) {
      // Nothing of this run writes any more: the status is set from the record, over any progress
      // write that raced the cancel.
      const cancel = watch.cancel ?? (await findCancel(deps.models, doc));
      if (cancel) await markCancelled(deps.models, cancel);
      deps.log.info({ document: String(doc._id) }, 'processing cancelled');
      return;
    }
    const input = error instanceof ExtractionError;
    const message = (error as Error)?.message ?? String(error);
    if (!input) {
      deps.log.error({ err: error, document: String(doc._id) }, 'processing failed');
      // Internal errors (database, a crashed tool) may pass: retry with backoff, then give up.
      const attempts = (doc.attempts ?? 0) + 1;
      const maxAttempts = deps.retry?.maxAttempts ?? 3;
      if (attempts < maxAttempts) {
        const delay = (deps.retry?.baseDelayMs ?? 5_000) * 2 ** (attempts - 1);
        await Document.updateOne(
          { _id: doc._id, status: { $ne: 'cancelled' } },
          { $set: { attempts, retryAt: new Date(Date.now() + delay), lastError: `while ${stage}: ${message}` } },
        );
        return;
      }
      const reason = `internal error while ${stage} (gave up after ${attempts} attempts): ${message}`;
      await fail(deps, doc, stage, reason, attempts);
      return;
    }
    // Input errors are deterministic: failing at once. The original stays stored.
    await fail(deps, doc, stage, message, doc.attempts ?? 0);
  } finally {
    watch.stop();
  }
}

async function fail(deps: PipelineDeps, doc: DocumentRecord, stage: string, reason: string, attempts: number): Promise<void> {
  await deps.audit?.append({ actor: { id: 'system', role: 'system' }, action: 'analysis.failed', entity: { type: 'document', id: String(doc._id) }, change: { status: 'failed', stage, reason } })
    .catch((auditError: unknown) => deps.log.error({ err: auditError, document: String(doc._id) }, 'audit append failed'));
  await deps.models.Document.updateOne(
    { _id: doc._id, status: { $ne: 'cancelled' } },
    { $set: { status: 'failed', attempts, retryAt: null, failure: { stage, reason, at: new Date() } } },
  );
}
