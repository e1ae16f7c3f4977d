/**
 * Ingest: a finished upload (a temporary file) plus its form fields become a stored original
 * and a queued document — or the existing document when the same bytes were uploaded before.
 * Validation happens before anything is kept; rejected files are deleted, never stored.
 */
import path from 'node:path';
import type { Types } from 'mongoose';
import type { Actor, AuditLog } from '../audit/log';
import { errors, fromZod } from '../http/errors';
import { isDuplicateKeyError } from '../store/connection';
import type { DocumentRecord, Models } from '../store/models';
import { toDocumentFields, UploadMetadataSchema } from './metadata';
import { declaredTypeConflicts, describe, MIME_OF, sniffType } from './sniff';
import type { OriginalStore } from './storage';

export interface IncomingFile {
  tempPath: string;
  size: number;
  clientMime?: string;
  clientName?: string;
}

export interface IngestResult {
  created: boolean;
  document: DocumentRecord;
}

export class IngestService {
  constructor(
    private readonly models: Models,
    private readonly originals: OriginalStore,
    private readonly onQueued: (id: Types.ObjectId) => void,
    private readonly audit?: AuditLog,
  ) {}

  /** `uploader`: the user id and role to record as uploader and audit actor. */
  async ingest(file: IncomingFile, fields: unknown, uploader?: { userId: Types.ObjectId; actor: Actor }): Promise<IngestResult> {
    try {
      const parsed = UploadMetadataSchema.safeParse(fields ?? {});
      if (!parsed.success) throw fromZod(parsed.error, 'invalid_metadata', 'metadata');
      if (file.size === 0) throw errors.badRequest('the file is empty (0 bytes)');

      const type = sniffType(await this.originals.head(file.tempPath));
      if (type !== 'pdf' && type !== 'text') {
        throw errors.unsupportedType(`unsupported file type: the content is ${describe(type)}; accepted: PDF, plain text (UTF-8)`, { detected: type });
      }
      const conflict = declaredTypeConflicts(type, file.clientMime, file.clientName);
      if (conflict) throw errors.unsupportedType(`file type mismatch: ${conflict}`, { detected: type });

      const stored = await this.originals.commit(file.tempPath);
      const existing = await this.models.Document.findOne({ 'original.sha256': stored.sha256 }).lean<DocumentRecord>();
      if (existing) return { created: false, document: existing };

      try {
        const created = await this.models.Document.create({
          ...toDocumentFields(parsed.data),
          original: {
            sha256: stored.sha256,
            bytes: stored.bytes,
            mime: MIME_OF[type],
            type,
            storedPath: stored.storedPath,
            ...(file.clientName ? { filename: displayName(file.clientName) } : {}),
          },
          status: 'queued',
          progress: { pagesDone: 0, pagesTotal: 0 },
          ...(uploader ? { uploadedBy: uploader.userId } : {}),
        });
        await this.audit?.append({
          actor: uploader?.actor ?? { id: 'system', role: 'system' },
          action: 'document.upload',
          entity: { type: 'document', id: String(created._id) },
          change: { sha256: stored.sha256, bytes: stored.bytes, type, metadata: toDocumentFields(parsed.data), filename: file.clientName ? displayName(file.clientName) : null },
        });
        this.onQueued(created._id);
        return { created: true, document: created.toObject() as DocumentRecord };
      } catch (error) {
        // Two uploads of the same bytes at once: the unique hash index lets exactly one win.
        if (!isDuplicateKeyError(error)) throw error;
        const winner = await this.models.Document.findOne({ 'original.sha256': stored.sha256 }).lean<DocumentRecord>();
        if (!winner) throw error;
        return { created: false, document: winner };
      }
    } finally {
      this.originals.discard(file.tempPath);
    }
  }
}

/** The client's file name, for display only: no directories, control or bidi-override characters. */
export function displayName(name: string): string {
  const base = path.posix.basename(name.replace(/\\/g, '/')).replace(/^\.+$/, '');
  // eslint-disable-next-line no-control-regex
  const clean = base.replace(/[\u0000-\u001f\u007f-\u009f\u200e\u200f\u202a-\u202e\u2066-\u2069]/g, '').trim();
  return (clean || 'upload').slice(0, 255);
}

