/**
 * Ingest: a finished upload (a temporary file) plus its form fields become a stored original
 * and a queued document — or the existing document when the same bytes were uploaded before.
 * Validation happens before anything is kept; rejected files are deleted, never stored.
 */
import path from 'node:path';
import type { Types } from 'mongoose';
import type { Actor, AuditLog } from '../audit/log';
import { Invalid } from '../errors';
import { isDuplicateKeyError } from '../store/connection';
import type { DocumentRecord, DocumentRepository } from '../store/documents';
import { toDocumentFields, UploadMetadataSchema } from './metadata';
import { imageFrames } from '../extract/image';
import { MAX_IMAGE_PIXELS, MAX_IMAGE_TOTAL_PIXELS } from '../extract/ocr';
import { ACCEPTED_TYPES, declaredTypeConflicts, describe, isPdfHtmlPolyglot, MIME_OF, sniffType, type AcceptedType } from './sniff';
import { inflatedSizeReason, isDocx, readZipDirectory, zipBombReason } from './zip';
import type { OriginalStore } from './storage';

const ACCEPTED_DESCRIPTION = 'PDF, plain text or Markdown (UTF-8), HTML, DOCX, PNG, JPEG, TIFF';

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
    private readonly documents: DocumentRepository,
    private readonly originals: OriginalStore,
    private readonly onQueued: (id: Types.ObjectId) => void,
    private readonly audit?: AuditLog,
  ) {}

  /** `uploader`: the user id and role to record as uploader and audit actor. */
  async ingest(file: IncomingFile, fields: unknown, uploader?: { userId: Types.ObjectId; actor: Actor }): Promise<IngestResult> {
    try {
      const parsed = UploadMetadataSchema.safeParse(fields ?? {});
      if (!parsed.success) throw Invalid.fromZod('invalid_metadata', parsed.error, 'metadata');
      if (file.size === 0) throw new Invalid('empty_file', 'the file is empty (0 bytes)');

      const head = await this.originals.head(file.tempPath);
      let type = sniffType(head);
      if (type === 'html' && isPdfHtmlPolyglot(head)) {
        throw new Invalid('unsupported_media_type', 'ambiguous file: the content is both PDF and HTML; refused rather than guessed', { detected: 'html' });
      }
      if (type === 'zip') {
        // A ZIP is a DOCX only if its directory says so; a zip bomb is refused before anything inflates it.
        const entries = await readZipDirectory(file.tempPath);
        if (entries && isDocx(entries)) {
          // The directory's sizes first (free), then the bytes themselves: sizes can lie.
          const bomb = zipBombReason(entries) ?? (await inflatedSizeReason(file.tempPath));
          if (bomb) throw new Invalid('unsafe_archive', `the Word document was refused before storage: ${bomb}`, { detected: 'docx' });
          type = 'docx';
        }
      }
      if (type === null || !ACCEPTED_TYPES.includes(type as AcceptedType)) {
        throw new Invalid('unsupported_media_type', `unsupported file type: the content is ${describe(type)}; accepted: ${ACCEPTED_DESCRIPTION}`, { detected: type });
      }
      if (type === 'png' || type === 'jpeg' || type === 'tiff') {
        // Every frame of a TIFF, not only the first: a tiny first frame can hide a huge second one.
        const frames = await imageFrames(file.tempPath);
        if (!frames || frames.some((f) => !f.width || !f.height)) {
          throw new Invalid('corrupt_image', `the ${describe(type)} image is corrupt: the size of ${frames && frames.length > 1 ? 'a frame' : 'it'} cannot be read`, { detected: type });
        }
        const frame = frames.findIndex((f) => f.width * f.height > MAX_IMAGE_PIXELS);
        if (frame !== -1) {
          const { width, height } = frames[frame]!;
          const which = frames.length > 1 ? ` (frame ${frame + 1} of ${frames.length})` : '';
          throw new Invalid('image_too_large', `the image is ${width}×${height} pixels${which}; at most ${MAX_IMAGE_PIXELS / 1e6} megapixels a frame are read (refused before storage)`, { detected: type });
        }
        const pixels = frames.reduce((n, f) => n + f.width * f.height, 0);
        if (pixels > MAX_IMAGE_TOTAL_PIXELS) {
          throw new Invalid('image_too_large', `the image's ${frames.length} frames have ${Math.round(pixels / 1e6)} megapixels; at most ${MAX_IMAGE_TOTAL_PIXELS / 1e6} megapixels in all are read (refused before storage)`, { detected: type });
        }
      }
      const conflict = declaredTypeConflicts(type, file.clientMime, file.clientName);
      if (conflict) throw new Invalid('unsupported_media_type', `file type mismatch: ${conflict}`, { detected: type });

      const stored = await this.originals.commit(file.tempPath);
      const existing = await this.documents.findByOriginal(stored.sha256);
      if (existing) return { created: false, document: existing };

      try {
        const created = await this.documents.insertQueued({
          ...toDocumentFields(parsed.data),
          original: {
            sha256: stored.sha256,
            bytes: stored.bytes,
            mime: MIME_OF[type as AcceptedType],
            type: type as AcceptedType,
            storedPath: stored.storedPath,
            ...(file.clientName ? { filename: displayName(file.clientName) } : {}),
          },
          ...(uploader ? { uploadedBy: uploader.userId } : {}),
        });
        await this.audit?.append({
          actor: uploader?.actor ?? { id: 'system', role: 'system' },
          action: 'document.upload',
          entity: { type: 'document', id: String(created._id) },
          change: { sha256: stored.sha256, bytes: stored.bytes, type, metadata: toDocumentFields(parsed.data), filename: file.clientName ? displayName(file.clientName) : null },
        });
        this.onQueued(created._id);
        return { created: true, document: created };
      } catch (error) {
        // Two uploads of the same bytes at once: the unique hash index lets exactly one win.
        if (!isDuplicateKeyError(error)) throw error;
        const winner = await this.documents.findByOriginal(stored.sha256);
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

