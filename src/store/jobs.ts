/**
 * The jobs repository: dossier builds and re-analyses (the job records), and document cancels.
 * Leases, which the job engine claims, are in leases.ts.
 */
import type { Types } from 'mongoose';
import { insertIgnoringDuplicates } from './duplicates';
import type { CancelRecord, DossierRecord, JobModels, ReanalysisRecord } from './job-models';
import type { PageOf, Pagination } from './pagination';

export { DOSSIER_STATUSES, REANALYSIS_STATUSES } from './job-models';
export type { CancelRecord, DossierFilters, DossierRecord, DossierStatus, ReanalysisRecord, ReanalysisStatus } from './job-models';

export class JobRepository {
  constructor(private readonly models: Pick<JobModels, 'Dossier' | 'Reanalysis' | 'Cancel'>) {}

  findDossier(id: string | Types.ObjectId): Promise<DossierRecord | null> {
    return this.models.Dossier.findById(id).lean<DossierRecord>();
  }

  /** Every dossier job, newest first (the dossiers screen's list of past jobs). */
  async listDossiers(page: Pagination): Promise<PageOf<DossierRecord>> {
    const [items, total] = await Promise.all([
      this.models.Dossier.find({}).sort({ createdAt: -1, _id: -1 }).skip(page.offset).limit(page.limit).lean<DossierRecord[]>(),
      this.models.Dossier.countDocuments({}),
    ]);
    return { items, total, ...page };
  }

  async insertDossier(dossier: Pick<DossierRecord, 'title' | 'submitter' | 'addressee' | 'filters' | 'protection'>): Promise<DossierRecord> {
    return (await this.models.Dossier.create({ ...dossier, status: 'queued', progress: { itemsDone: 0, itemsTotal: 0 } })).toObject() as DossierRecord;
  }

  async setDossierFields(id: string, set: Partial<Pick<DossierRecord, 'status' | 'progress' | 'result'>>): Promise<void> {
    await this.models.Dossier.updateOne({ _id: id }, { $set: set });
  }

  async insertReanalysis(job: Pick<ReanalysisRecord, 'document' | 'requestedBy' | 'lexicon' | 'reason'>): Promise<ReanalysisRecord> {
    return (await this.models.Reanalysis.create({
      ...job, status: 'queued', progress: { pagesDone: 0, pagesTotal: 0 }, counts: { added: 0, kept: 0, obsoleted: 0 },
    })).toObject() as ReanalysisRecord;
  }

  findReanalysis(id: string | Types.ObjectId): Promise<ReanalysisRecord | null> {
    return this.models.Reanalysis.findById(id).lean<ReanalysisRecord>();
  }

  /** The cancel of one extraction round of a document, if one was asked for. */
  findCancel(documentId: Types.ObjectId, round: number): Promise<CancelRecord | null> {
    return this.models.Cancel.findById(cancelKey(documentId, round)).lean<CancelRecord>();
  }

  /** Records a cancel of the round; a second cancel of the same round keeps (and returns) the first. */
  async insertCancel(cancel: Omit<CancelRecord, '_id'>): Promise<CancelRecord> {
    const record: CancelRecord = { _id: cancelKey(cancel.document, cancel.round), ...cancel };
    const cancelledBefore = await insertIgnoringDuplicates(() => this.models.Cancel.create(record));
    return (cancelledBefore && (await this.findCancel(cancel.document, cancel.round))) || record;
  }
}

function cancelKey(documentId: Types.ObjectId, round: number): string {
  return `${String(documentId)}:${round}`;
}
