/**
 * The document pipeline: extract → analyze → store, for one document, as the job the document
 * runner (runner.ts) hands the job engine. Every step is idempotent and checkpointed in the
 * database (pages keyed by document+index+version, a page's `analyzedWith`, flags keyed by
 * fingerprint), so a run that dies anywhere resumes where it stopped with no duplicate pages or
 * flags. No transactions: the original and the document record exist before any derived data,
 * and `status` says how far processing got. Retries, failures and cancels are the engine's:
 * this run names its stage and throws.
 *
 * The stages are extract-stage.ts (with ocr-queue.ts) and analyze-stage.ts; the analysis of a
 * page is page-analysis.ts.
 */
import type { JobRun } from '../jobs/leased-queue';
import { DocumentRepository, type DocumentRecord } from '../store/documents';
import { FlagRepository } from '../store/flags';
import { PageRepository } from '../store/pages';
import { analyzeStage } from './analyze-stage';
import { RunTally, type PipelineDeps } from './document-run';
import { extractStage } from './extract-stage';
import { ExtractionError } from '../extract';

/**
 * The current pages that could not be read. A bad page fails itself, not the document; but a
 * document none of whose pages could be read has failed, with the (first) page's reason.
 */
async function failedPages(deps: PipelineDeps, doc: DocumentRecord, tally: RunTally): Promise<number> {
  let failed = tally.failedPages;
  let total = tally.pages;
  let reason = tally.firstFailure;
  if (!tally.complete()) {
    const pages = await new PageRepository(deps.models).currentPageStates(doc._id);
    const failures = pages.filter((p) => p.state === 'failed');
    [failed, total, reason] = [failures.length, pages.length, failures[0]?.failure?.reason ?? null];
  }
  if (total > 0 && failed === total) throw new ExtractionError(total === 1 ? reason! : `none of its ${total} pages could be read; ${reason}`);
  return failed;
}

export async function processDocument(pipelineDeps: PipelineDeps, doc: DocumentRecord, run: JobRun): Promise<void> {
  run.stage = 'extracting';
  const deps = pipelineDeps.activeLexicon ? { ...pipelineDeps, lexicon: await pipelineDeps.activeLexicon() } : pipelineDeps;
  const tally = new RunTally(doc);
  await extractStage(deps, doc, run, tally);
  const failed = await failedPages(deps, doc, tally);
  run.stage = 'analyzing';
  await analyzeStage(deps, doc, run, tally);
  // Recorded before the final status, so whoever sees `done` also finds the audit event.
  const flagCount = tally.complete() ? tally.flags.size : await new FlagRepository(deps.models).countFlagsOf(doc._id);
  await deps.audit?.append({ actor: { id: 'system', role: 'system' }, action: 'analysis.run', entity: { type: 'document', id: String(doc._id) }, change: { status: 'done', lexicon: { id: deps.lexicon.id, version: deps.lexicon.version }, flags: flagCount, pagesFailed: failed } });
  await new DocumentRepository(deps.models).markDone(doc._id, { id: deps.lexicon.id, version: deps.lexicon.version }, failed);
  deps.log.info({ document: String(doc._id) }, 'document processed');
}
