/**
 * Re-analysis jobs run in the background like documents and dossiers: the job lives in the
 * `reanalyses` collection (status queued → running → done | failed, progress in pages, counts),
 * so a restart or another instance picks up unfinished jobs. A job holds its DOCUMENT's lease
 * (`document:<id>`, the one the document runner takes), so two re-analyses of one document, or
 * a re-analysis and the document's own processing, never run at the same time; a job whose
 * holder died is taken over when the lease expires and resumes after its last finished page.
 */
import type { Logger } from 'pino';
import type { Actor, AuditLog } from '../audit/log';
import type { LexiconService } from '../lexicon/service';
import { claimLease, keepLeaseAlive, newHolderId, releaseLease } from '../store/leases';
import { PollLoop } from '../store/poll-loop';
import type { Models, ReanalysisRecord } from '../store/models';
import { DomainError } from '../errors';
import { runReanalysis } from './reanalyze';

export interface ReanalysisJobsDeps {
  models: Models;
  lexicons: LexiconService;
  audit: AuditLog;
  log: Pick<Logger, 'error' | 'info'>;
}

const PENDING = ['queued', 'running'];

export class ReanalysisJobs {
  readonly holder = newHolderId();
  private readonly loop: PollLoop;

  constructor(
    private readonly deps: ReanalysisJobsDeps,
    private readonly options: { pollMs?: number; leaseMs?: number } = {},
  ) {
    this.loop = new PollLoop(() => this.drain(), options.pollMs ?? 2_000, (err) => deps.log.error({ err }, 're-analysis jobs: polling failed'));
  }

  /** Queues a re-analysis of a document with the lexicon version `version`; audited first. */
  async create(documentId: string, version: { id: string; version: string }, reason: string | null, actor: Actor): Promise<ReanalysisRecord> {
    const created = (await this.deps.models.Reanalysis.create({
      document: documentId, requestedBy: { id: actor.id, role: actor.role }, lexicon: version, reason,
      status: 'queued', progress: { pagesDone: 0, pagesTotal: 0 }, counts: { added: 0, kept: 0, obsoleted: 0 },
    })).toObject() as ReanalysisRecord;
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

  start(): void {
    this.loop.start();
  }

  /** Look for work now instead of at the next poll. */
  poke(): void {
    this.loop.poke();
  }

  async stop(): Promise<void> {
    await this.loop.stop();
  }

  private async drain(): Promise<void> {
    const { Reanalysis, Lease } = this.deps.models;
    while (this.loop.running) {
      const pending = await Reanalysis.find({ status: { $in: PENDING } }, { _id: 1, document: 1 }).sort({ createdAt: 1, _id: 1 }).limit(20).lean();
      let ran = false;
      const busy = new Set<string>();
      for (const { _id, document } of pending) {
        if (!this.loop.running) return;
        const leaseId = `document:${String(document)}`;
        // Jobs of one document run in request order: a later one waits for the earlier.
        if (busy.has(leaseId)) continue;
        busy.add(leaseId);
        if (!(await claimLease(Lease, leaseId, this.holder, this.leaseMs))) continue;
        ran = true;
        try {
          await this.run(String(_id), leaseId);
        } finally {
          await releaseLease(Lease, leaseId, this.holder);
        }
      }
      if (!ran) return;
    }
  }

  private get leaseMs(): number {
    return this.options.leaseMs ?? 60_000;
  }

  private async run(id: string, leaseId: string): Promise<void> {
    const { Reanalysis, Lease } = this.deps.models;
    const stopHeartbeat = keepLeaseAlive(Lease, leaseId, this.holder, this.leaseMs);
    try {
      const job = await Reanalysis.findById(id).lean<ReanalysisRecord>();
      if (!job || !PENDING.includes(job.status)) return;
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
        change: { job: id, lexicon: job.lexicon, pages: result.pages, ...counts },
      });
      this.deps.log.info({ reanalysis: id, document: String(job.document), ...counts }, 're-analysis done');
    } catch (err) {
      const reason = err instanceof DomainError ? err.message : `internal error: ${(err as Error).message}`;
      this.deps.log.error({ err, reanalysis: id }, 're-analysis failed');
      await Reanalysis.updateOne({ _id: id }, { $set: { status: 'failed', failure: { reason, at: new Date() } } });
    } finally {
      stopHeartbeat();
    }
  }
}
