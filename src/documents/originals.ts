/**
 * A document's stored files, listed and downloaded. Every download is audited and checked
 * against the SHA-256 the record holds before a byte leaves: a file altered on disk is refused,
 * never served as evidence.
 */
import type { Types } from 'mongoose';
import type { Actor, AuditLog } from '../audit/log';
import { Conflict, NotFound } from '../errors';
import { sha256OfFile } from '../hash';
import type { OriginalStore } from '../ingest/storage';
import type { DocumentRecord, DocumentRepository } from '../store/documents';
import { ORIGINAL_ROLES, type OriginalRole, type StoredFileRecord } from '../store/original-models';

export { ORIGINAL_ROLES, type OriginalRole };

const EXTENSION: Record<string, string> = {
  'application/pdf': 'pdf',
  'text/plain': 'txt',
  'text/markdown': 'md',
  'text/html': 'html',
  'application/vnd.openxmlformats-officedocument.wordprocessingml.document': 'docx',
  'image/png': 'png',
  'image/jpeg': 'jpg',
  'image/tiff': 'tif',
  'application/warc': 'warc.gz',
};

/** The document's files by role: its `originals`, or (an upload) its one original as `upload`. */
export function originalsOf(doc: DocumentRecord): StoredFileRecord[] {
  if (doc.originals?.length) return doc.originals;
  if (!doc.original) return [];
  return [{ role: 'upload', sha256: doc.original.sha256, bytes: doc.original.bytes, mediaType: doc.original.mime, storedPath: doc.original.storedPath }];
}

export interface OriginalDownload {
  /** Absolute path of the stored file (checked: its bytes hash to `sha256`). */
  file: string;
  sha256: string;
  bytes: number;
  mediaType: string;
  /** A safe download name made of the document id and the role, never the client's name. */
  filename: string;
}

export class OriginalFiles {
  constructor(
    private readonly documents: Pick<DocumentRepository, 'findDocument'>,
    private readonly store: OriginalStore,
    private readonly audit: AuditLog,
  ) {}

  async list(id: string | Types.ObjectId): Promise<StoredFileRecord[]> {
    return originalsOf(await this.document(id));
  }

  /** The stored file of `role`, verified, with the download audited. */
  async open(id: string | Types.ObjectId, role: string, actor: Actor): Promise<OriginalDownload> {
    const doc = await this.document(id);
    const stored = originalsOf(doc).find((o) => o.role === role);
    if (!stored) throw new NotFound(`original "${role}"`, `this document has no ${ORIGINAL_ROLES.includes(role as OriginalRole) ? `"${role}" file` : `file of role "${role}"; roles are ${ORIGINAL_ROLES.join(', ')}`}`);
    const file = this.store.resolve(stored.storedPath);
    const actual = await sha256OfFile(file).catch(() => null);
    if (!actual || actual.sha256 !== stored.sha256 || actual.size !== stored.bytes) {
      throw new Conflict('original_altered', `the stored ${role} file ${actual ? 'no longer matches its SHA-256' : 'is missing'}; it is not served (restore it from a backup)`, { role, sha256: stored.sha256 });
    }
    await this.audit.append({ actor, action: 'document.original.download', entity: { type: 'document', id: String(doc._id) }, change: { role, sha256: stored.sha256, bytes: stored.bytes } });
    return { file, sha256: stored.sha256, bytes: stored.bytes, mediaType: stored.mediaType, filename: `${String(doc._id)}-${role}.${EXTENSION[stored.mediaType.split(';')[0]!.trim()] ?? 'bin'}` };
  }

  private async document(id: string | Types.ObjectId): Promise<DocumentRecord> {
    const doc = await this.documents.findDocument(id);
    if (!doc) throw new NotFound('document');
    return doc;
  }
}
