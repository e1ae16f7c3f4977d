/**
 * Dossier export jobs run in the background on the job engine (src/jobs/leased-queue.ts), like
 * documents: the job lives in the `dossiers` collection (status queued → building → done |
 * failed, progress items done/total), so a restart or another instance picks up unfinished
 * jobs; one builder per job, under the lease `dossier:<id>`. A build that fails is failed with
 * the reason (no retry: a new request builds anew).
 */
import type { Logger } from 'pino';
import { SYSTEM_ACTOR, type Actor, type AuditLog } from '../../audit/log';
import { LeasedQueue } from '../../jobs/leased-queue';
import { QueuedService } from '../../jobs/queued-service';
import fs from 'node:fs';
import { Types } from 'mongoose';
import { Conflict, Invalid, NotFound } from '../../errors';
import type { Models } from '../../store/models';
import { JobRepository, type DossierFilters, type DossierRecord } from '../../store/jobs';
import type { PageOf, Pagination } from '../../store/pagination';
import { DocumentRepository } from '../../store/documents';
import { FINAL_STATUSES } from '../../review/states';
import { buildDossier } from './build';
import { defaultIdentity, type ReviewerIdentity } from './identities';
import type { EvidenceSource } from './source';
import type { ToolLimits } from '../../limited-process';

export interface DossierJobsDeps {
  models: Models;
  source: EvidenceSource;
  outDir: string;
  log: Pick<Logger, 'error' | 'info'>;
  audit: AuditLog;
  /** The review workflow's setting, stated in each dossier's methodology. */
  requiredConfirmations: number;
  /** Caps of the tools that crop page regions (the render limits). */
  renderLimits?: ToolLimits;
  /** The organisation's Ed25519 private key (PEM): packages are signed when it is set. */
  signingKeyPem?: string;
}

/**
 * The flag states a dossier may hold: decided ones. Confirmed flags are the findings; rejected
 * ones only when asked for, as transparency. A flag still under review never leaves the system:
 * its first reviewer's decision would reach everyone while the second review is blind.
 */
export const DOSSIER_STATES: readonly string[] = FINAL_STATUSES;

export interface NewDossier {
  title: string;
  submitter: string;
  addressee: string;
  filters: DossierFilters;
  /** Who reads it: an external addressee (the default) gets pseudonymous reviewers unless `reviewers` says otherwise. */
  audience?: 'internal' | 'external';
  reviewers?: ReviewerIdentity;
  /** Reviewers' internal notes go in only when asked for. */
  includeNotes?: boolean;
}

export class DossierJobs extends QueuedService<DossierRecord> {
  protected readonly queue: LeasedQueue<DossierRecord>;
  private readonly jobs: JobRepository;

  constructor(
    private readonly deps: DossierJobsDeps,
    options: { pollMs?: number; leaseMs?: number } = {},
  ) {
    super();
    this.jobs = new JobRepository(deps.models);
    this.queue = new LeasedQueue<DossierRecord>(
      { name: 'dossier', model: deps.models.Dossier, pending: { status: { $in: ['queued', 'building'] } }, handle: (job) => this.build(job) },
      deps.models.Lease,
      { pollMs: options.pollMs, leaseMs: options.leaseMs ?? 120_000, log: deps.log },
    );
  }

  /** Queues a dossier; who asked for it (and with which filters) goes into the audit log first. */
  async create(input: NewDossier, actor: Actor): Promise<DossierRecord> {
    const undecided = input.filters.states.filter((s) => !DOSSIER_STATES.includes(s));
    if (undecided.length) throw new Invalid('invalid_request', `a dossier holds decided flags only, not ${undecided.join(', ')}`, [{ field: 'filters.states', message: 'only confirmed and rejected' }]);
    await this.refuseWithdrawn(input.filters.documents ?? []);
    const protection = { reviewers: input.reviewers ?? defaultIdentity(input.audience ?? 'external'), includeNotes: input.includeNotes ?? false };
    const created = await this.jobs.insertDossier({ title: input.title, submitter: input.submitter, addressee: input.addressee, filters: input.filters, protection });
    await this.deps.audit.append({
      actor,
      action: 'dossier.request',
      entity: { type: 'dossier', id: String(created._id) },
      change: { title: input.title, submitter: input.submitter, addressee: input.addressee, filters: input.filters, protection },
    });
    this.poke();
    return created;
  }

  /** A withdrawn document is no evidence: naming one is refused, naming it in the answer. */
  private async refuseWithdrawn(documentIds: string[]): Promise<void> {
    if (documentIds.length === 0) return;
    const docs = await new DocumentRepository(this.deps.models).documentsById(documentIds.map((id) => new Types.ObjectId(id)));
    const withdrawn = [...docs.values()].filter((d) => d.withdrawal);
    if (withdrawn.length === 0) return;
    const named = withdrawn.map((d) => `${String(d._id)} ("${d.title}", withdrawn: ${d.withdrawal!.reason})`).join('; ');
    throw new Conflict('conflict', `withdrawn document(s) cannot be evidence: ${named}`, {
      withdrawn: withdrawn.map((d) => ({ id: String(d._id), title: d.title, reason: d.withdrawal!.reason, at: d.withdrawal!.at })),
    });
  }

  async get(id: string): Promise<DossierRecord> {
    const dossier = await this.jobs.findDossier(id);
    if (!dossier) throw new NotFound('dossier');
    return dossier;
  }

  /** Past and running dossier jobs, newest first. */
  list(page: Pagination): Promise<PageOf<DossierRecord>> {
    return this.jobs.listDossiers(page);
  }

  /** The finished package of a dossier (a conflict while it is still being built). */
  async package(id: string): Promise<{ dossier: DossierRecord; file: string; sha256: string }> {
    const d = await this.get(id);
    if (d.status !== 'done' || !d.result?.file) {
      throw new Conflict('conflict', `dossier is ${d.status}, not ready for download`, { status: d.status, progress: d.progress });
    }
    if (!fs.existsSync(d.result.file)) throw new NotFound('dossier package file');
    return { dossier: d, file: d.result.file, sha256: d.result.sha256 };
  }

  private async build(job: DossierRecord): Promise<void> {
    const id = String(job._id);
    await this.jobs.setDossierFields(id, { status: 'building' });
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
        identity: job.protection ?? { reviewers: 'pseudonymous', includeNotes: false },
      },
      this.deps.outDir,
      { progress: (done, total) => this.jobs.setDossierFields(id, { progress: { itemsDone: done, itemsTotal: total } }), limits: this.deps.renderLimits, signingKeyPem: this.deps.signingKeyPem },
    );
    await this.jobs.setDossierFields(id, {
      status: 'done',
      result: { file: built.file, bytes: built.bytes, sha256: built.sha256, items: built.items, pdfPages: built.pdfPages, finishedAt: new Date() },
    });
    // Who the pseudonyms are stays with the organisation: in its audit trail, not in the package.
    if (Object.keys(built.pseudonyms).length) {
      await this.deps.audit.append({ actor: SYSTEM_ACTOR, action: 'dossier.pseudonyms', entity: { type: 'dossier', id }, change: { pseudonyms: built.pseudonyms } });
    }
    // The export itself: what left the system, identified by the package's hash (the package
    // cannot hold this event, so it is recorded after; its request event is inside).
    await this.deps.audit.append({
      actor: SYSTEM_ACTOR,
      action: 'dossier.export',
      entity: { type: 'dossier', id },
      change: { sha256: built.sha256, bytes: built.bytes, items: built.items, pdfPages: built.pdfPages, auditEvents: built.data.audit.events, lastSeq: built.data.audit.lastSeq },
    });
    this.deps.log.info({ dossier: id, items: built.items, bytes: built.bytes }, 'dossier built');
  }
}
