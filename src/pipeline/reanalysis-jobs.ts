/**
 * Re-analysis jobs run in the background on the job engine (src/jobs/leased-queue.ts), like
 * documents and dossiers: the job lives in the `reanalyses` collection (status queued → running
 * → done | failed, progress in pages, counts), so a restart or another instance picks up
 * unfinished jobs. A job holds its DOCUMENT's lease (`document:<id>`, the one the document
 * runner takes), so two re-analyses of one document, or a re-analysis and the document's own
 * processing, never run at the same time; a job whose holder died is taken over when the lease
 * expires and resumes after its last finished page. A job refused by the document's state fails
 * with that reason; an internal error fails it as "internal error: …" (not retried: whoever asked
 * can ask again).
 */
import type { Logger } from 'pino';
import type { Actor, AuditLog } from '../audit/log';
import type { LexiconService } from '../lexicon/service';
import { LeasedQueue } from '../jobs/leased-queue';
import { QueuedService } from '../jobs/queued-service';
import type { Models } from '../store/models';
import { Types } from 'mongoose';
import { JobRepository, type ReanalysisRecord } from '../store/jobs';
import { runReanalysis } from './reanalyze';

export interface ReanalysisJobsDeps {
  models: Models;
  lexicons: LexiconService;
  audit: AuditLog;
  log: Pick<Logger, 'error' | 'info'>;
}

export class ReanalysisJobs extends QueuedService<ReanalysisRecord> {
  protected readonly queue: LeasedQueue<ReanalysisRecord>;

  constructor(
    private readonly deps: ReanalysisJobsDeps,
    options: { pollMs?: number; leaseMs?: number } = {},
  ) {
    super();
    this.queue = new LeasedQueue<ReanalysisRecord>(
      {
        name: 'reanalysis',
        model: deps.models.Reanalysis,
        pending: { status: { $in: ['queued', 'running'] } },
        // The document's own key: never beside its processing or another re-analysis of it, and
        // jobs of one document in request order.
        keyFields: ['document'],
        lockKey: (job) => `document:${String(job.document)}`,
        handle: (job) => this.reanalyse(job),
      },
      deps.models.Lease,
      { pollMs: options.pollMs, leaseMs: options.leaseMs ?? 60_000, log: deps.log },
    );
  }

  get holder(): string {
    return this.queue.holder;
  }

  /** Queues a re-analysis of a document with the lexicon version `version`; audited first. */
  async create(documentId: string, version: { id: string; version: string }, reason: string | null, actor: Actor): Promise<ReanalysisRecord> {
    const created = await new JobRepository(this.deps.models).insertReanalysis({
      document: new Types.ObjectId(documentId), requestedBy: { id: actor.id, role: actor.role }, lexicon: version, reason,
    });
    await this.deps.audit.append({
      actor,
      action: 'analysis.reanalyze.request',
      entity: { type: 'document', id: documentId },
      change: { job: String(created._id), lexicon: version },
      ...(reason === null ? {} : { reason }),
    });
    this.poke();
    return created;
  }

  private async reanalyse(job: ReanalysisRecord): Promise<void> {
    const { Reanalysis } = this.deps.models;
    const id = String(job._id);
    await Reanalysis.updateOne({ _id: id }, { $set: { status: 'running', startedAt: new Date() } });
    const lexicon = await this.deps.lexicons.compiledVersion(job.lexicon.version);
    const result = await runReanalysis(this.deps.models, lexicon, job, (pagesDone, pagesTotal) =>
      Reanalysis.updateOne({ _id: id }, { $set: { progress: { pagesDone, pagesTotal } } }).then(() => {}));
    const counts = { added: result.added, kept: result.kept, obsoleted: result.obsoleted };
    await Reanalysis.updateOne({ _id: id }, { $set: { status: 'done', counts, progress: { pagesDone: result.pages, pagesTotal: result.pages }, finishedAt: new Date() } });
    // The run itself, in the name of the person who asked for it.
    await this.deps.audit.append({
      actor: job.requestedBy,
      action: 'analysis.reanalyze',
      entity: { type: 'document', id: String(job.document) },
      change: { job: id, lexicon: job.lexicon, pages: result.pages, ...counts, marked: result.marked },
    });
    this.deps.log.info({ reanalysis: id, document: String(job.document), ...counts, marked: result.marked }, 're-analysis done');
  }
}
