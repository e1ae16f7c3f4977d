/**
 * Operator actions on a document's processing: cancel, and read again by OCR with other
 * languages. A cancel is recorded as its own record (see CancelRecord in store/models): runners
 * look for it about once a second, kill the document's running child processes (the extraction
 * child, mutool, tesseract) and set the status from it again, so that the cancel holds even on a
 * server where a racing progress write could put the old status back.
 */
import type { Types } from 'mongoose';
import { Conflict, NotFound } from '../errors';
import { insertIgnoringDuplicates } from '../store/connection';
import type { DocumentRecord, Models } from '../store/models';
import type { CancelRecord } from '../store/job-models';

const FINAL = ['done', 'failed', 'cancelled'];

/** Cancels a queued or running document; `before` is the status it had. */
export async function cancelDocument(models: Models, id: string | Types.ObjectId): Promise<{ before: string; doc: DocumentRecord }> {
  const doc = await models.Document.findById(id).lean<DocumentRecord>();
  if (!doc) throw new NotFound('document');
  if (FINAL.includes(doc.status)) throw new Conflict('conflict', `the document is already ${doc.status}; only queued or running documents can be cancelled`, { status: doc.status });
  const record: CancelRecord = { _id: cancelKey(doc), document: doc._id, round: doc.extractionRound ?? 1, stage: doc.status, at: new Date() };
  // A second cancel of the same round keeps the first record.
  const cancelledBefore = await insertIgnoringDuplicates(() => models.Cancel.create(record));
  await markCancelled(models, (cancelledBefore && (await findCancel(models, doc))) || record);
  return { before: doc.status, doc: (await models.Document.findById(id).lean<DocumentRecord>())! };
}

/** The cancel of the document's current extraction round, if one was asked for. */
export function findCancel(models: Models, doc: Pick<DocumentRecord, '_id' | 'extractionRound'>): Promise<CancelRecord | null> {
  return models.Cancel.findById(cancelKey(doc)).lean<CancelRecord>();
}

/**
 * Sets the document's status from its cancel record (again, if a racing write put the old one
 * back). Only in the round that was cancelled: a later re-OCR round is not touched.
 */
export async function markCancelled(models: Models, cancel: CancelRecord): Promise<void> {
  const inRound = cancel.round === 1 ? { $or: [{ extractionRound: 1 }, { extractionRound: { $exists: false } }] } : { extractionRound: cancel.round };
  await models.Document.updateOne(
    { _id: cancel.document, status: { $nin: ['done', 'failed'] }, ...inRound },
    { $set: { status: 'cancelled', retryAt: null, failure: { stage: cancel.stage, reason: 'cancelled on request', at: cancel.at } } },
  );
}

function cancelKey(doc: Pick<DocumentRecord, '_id' | 'extractionRound'>): string {
  return `${String(doc._id)}:${doc.extractionRound ?? 1}`;
}

/**
 * Queues the document to be read again by OCR with `languages` (BCP-47): pages that were read
 * by OCR (every page with `force`) get a NEW page version; the old versions stay, so every flag
 * keeps the exact text its offsets index into. The request starts a new extraction round; a
 * page version records its round, so a run that dies mid-way resumes without reading a page
 * twice. Flags are settled when the new text is analysed: those the new text no longer has
 * become `obsolete` (kept as evidence) if nobody has reviewed them yet; flags under review or
 * decided keep their state, reviews and page version.
 */
export async function reprocessWithOcr(models: Models, id: string | Types.ObjectId, options: { languages: string[]; force: boolean }): Promise<DocumentRecord> {
  const doc = await models.Document.findById(id).lean<DocumentRecord>();
  if (!doc) throw new NotFound('document');
  if (!FINAL.includes(doc.status)) throw new Conflict('conflict', `the document is ${doc.status}; cancel it or wait until it is done`, { status: doc.status });
  if (doc.withdrawal) throw new Conflict('conflict', 'the document was withdrawn; a withdrawn document is not processed again');
  if (doc.original.type === 'text' || doc.original.type === 'html' || doc.original.type === 'docx') {
    throw new Conflict('conflict', `a ${doc.original.type} document has no page images to read by OCR`);
  }
  await models.Document.updateOne(
    { _id: doc._id, status: { $in: FINAL } },
    {
      $set: {
        status: 'queued',
        ocr: { languages: options.languages, force: options.force },
        extractionRound: (doc.extractionRound ?? 1) + 1,
        attempts: 0,
        retryAt: null,
        progress: { pagesDone: 0, pagesTotal: doc.progress?.pagesTotal ?? 0, stage: 'queued' },
      },
      $unset: { failure: 1, lastError: 1 },
    },
  );
  return (await models.Document.findById(id).lean<DocumentRecord>())!;
}
