/**
 * Captured documents: a web capture is a document whose record starts in status `capturing`
 * (no original yet) and gets its files and capture record once the page is stored.
 */
import type { Types } from 'mongoose';
import type { DocumentRecord, Models } from './models';
import type { CaptureRecord, StoredFileRecord } from './original-models';

type NewCapture = Pick<DocumentRecord, 'kind' | 'title' | 'languages' | 'statement' | 'uploadedBy'> & { capture: CaptureRecord };

export class CaptureRepository {
  constructor(private readonly models: Pick<Models, 'Document'>) {}

  async insertCapturing(fields: NewCapture): Promise<DocumentRecord> {
    const created = await this.models.Document.create({ ...fields, status: 'capturing', extractionRound: 1, progress: { pagesDone: 0, pagesTotal: 0, stage: 'queued' } });
    return created.toObject() as DocumentRecord;
  }

  findCapture(id: string | Types.ObjectId): Promise<DocumentRecord | null> {
    return this.models.Document.findById(id).lean<DocumentRecord>();
  }

  /** The newest earlier capture of this URL (by requested URL), if any. */
  latestOf(requestedUrl: string): Promise<DocumentRecord | null> {
    return this.models.Document.findOne({ 'capture.requestedUrl': requestedUrl }).sort({ createdAt: -1, _id: -1 }).lean<DocumentRecord>();
  }

  /** Later captures that name this one as their previous. */
  laterOf(id: Types.ObjectId): Promise<DocumentRecord[]> {
    return this.models.Document.find({ 'capture.previous': id }).sort({ createdAt: 1 }).lean<DocumentRecord[]>();
  }

  /**
   * Stores the capture's outcome and queues the document for the pipeline — only if it is still
   * capturing (a cancel or a second holder may have ended it). Returns whether it did.
   */
  async completeCapture(id: Types.ObjectId, done: { original: DocumentRecord['original']; originals: StoredFileRecord[]; capture: CaptureRecord }): Promise<boolean> {
    const set: Record<string, unknown> = { original: done.original, originals: done.originals, status: 'queued', attempts: 0, retryAt: null, progress: { pagesDone: 0, pagesTotal: 0, stage: 'queued' } };
    for (const [key, value] of Object.entries(done.capture)) if (value !== undefined) set[`capture.${key}`] = value;
    const result = await this.models.Document.updateOne({ _id: id, status: 'capturing' }, { $set: set });
    return result.modifiedCount === 1;
  }
}
