/**
 * Dossier export jobs run in the background like documents: the job lives in the `dossiers`
 * collection (status queued → building → done | failed, progress items done/total), so a
 * restart or another instance picks up unfinished jobs. One builder per job through a lease
 * (insert guarded by the unique _id, as for documents).
 */
import type { Logger } from 'pino';
import { SYSTEM_ACTOR, type Actor, type AuditLog } from '../../audit/log';
import { claimLease, keepLeaseAlive, newHolderId, releaseLease } from '../../store/leases';
import { PollLoop } from '../../store/poll-loop';
import type { DossierFilters, DossierRecord, Models } from '../../store/models';
import { buildDossier } from './build';
import type { EvidenceSource } from './source';

export interface DossierJobsDeps {
  models: Models;
  source: EvidenceSource;
  outDir: string;
  log: Pick<Logger, 'error' | 'info'>;
  audit: AuditLog;
  /** The review workflow's setting, stated in each dossier's methodology. */
  requiredConfirmations: number;
}

export interface NewDossier {
  title: string;
  submitter: string;
  addressee: string;
  filters: DossierFilters;
}

const PENDING = ['queued', 'building'];

export class DossierJobs {
  private readonly holder = newHolderId();
  private readonly loop: PollLoop;

  constructor(
    private readonly deps: DossierJobsDeps,
    private readonly options: { pollMs?: number; leaseMs?: number } = {},
  ) {
    this.loop = new PollLoop(() => this.drain(), options.pollMs ?? 2_000, (err) => deps.log.error({ err }, 'dossier jobs: polling failed'));
  }

  /** Queues a dossier; who asked for it (and with which filters) goes into the audit log first. */
  async create(input: NewDossier, actor: Actor): Promise<DossierRecord> {
    const created = (await this.deps.models.Dossier.create({ ...input, status: 'queued', progress: { itemsDone: 0, itemsTotal: 0 } })).toObject() as DossierRecord;
    await this.deps.audit.append({
      actor,
      action: 'dossier.request',
      entity: { type: 'dossier', id: String(created._id) },
      change: { title: input.title, submitter: input.submitter, addressee: input.addressee, filters: input.filters },
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
    const { Dossier } = this.deps.models;
    while (this.loop.running) {
      const pending = await Dossier.find({ status: { $in: PENDING } }, { _id: 1 }).sort({ createdAt: 1, _id: 1 }).limit(20).lean();
      let ran = false;
      for (const { _id } of pending) {
        if (!this.loop.running) return;
        const id = String(_id);
        if (!(await this.claim(id))) continue;
        ran = true;
        try {
          await this.run(id);
        } finally {
          await releaseLease(this.deps.models.Lease, `dossier:${id}`, this.holder);
        }
      }
      if (!ran) return;
    }
  }

  private async run(id: string): Promise<void> {
    const { Dossier, Lease } = this.deps.models;
    const stopHeartbeat = keepLeaseAlive(Lease, `dossier:${id}`, this.holder, this.options.leaseMs ?? 120_000);
    try {
      const job = await Dossier.findById(id).lean<DossierRecord>();
      if (!job || !PENDING.includes(job.status)) return;
      await Dossier.updateOne({ _id: id }, { $set: { status: 'building' } });
      const built = await buildDossier(
        this.deps.source,
        {
          id,
          title: job.title,
          submitter: job.submitter,
          addressee: job.addressee,
          filters: job.filters,
          createdAt: job.createdAt,
          requiredConfirmations: this.deps.requiredConfirmations,
        },
        this.deps.outDir,
        { progress: (done, total) => Dossier.updateOne({ _id: id }, { $set: { progress: { itemsDone: done, itemsTotal: total } } }).then(() => {}) },
      );
      await Dossier.updateOne(
        { _id: id },
        { $set: { status: 'done', result: { file: built.file, bytes: built.bytes, sha256: built.sha256, items: built.items, pdfPages: built.pdfPages, finishedAt: new Date() } } },
      );
      // The export itself: what left the system, identified by the package's hash (the package
      // cannot hold this event, so it is recorded after; its request event is inside).
      await this.deps.audit.append({
        actor: SYSTEM_ACTOR,
        action: 'dossier.export',
        entity: { type: 'dossier', id },
        change: { sha256: built.sha256, bytes: built.bytes, items: built.items, pdfPages: built.pdfPages, auditEvents: built.data.audit.events, lastSeq: built.data.audit.lastSeq },
      });
      this.deps.log.info({ dossier: id, items: built.items, bytes: built.bytes }, 'dossier built');
    } catch (err) {
      this.deps.log.error({ err, dossier: id }, 'dossier build failed');
      await Dossier.updateOne({ _id: id }, { $set: { status: 'failed', failure: { reason: (err as Error).message, at: new Date() } } });
    } finally {
      stopHeartbeat();
    }
  }

  private claim(id: string): Promise<boolean> {
    return claimLease(this.deps.models.Lease, `dossier:${id}`, this.holder, this.options.leaseMs ?? 120_000);
  }
}
