/**
 * POST /api/captures: a URL and its metadata become a document in status `capturing`, answered
 * at once; the capture itself is a job (jobs.ts). The URL passes the address guard here, before
 * any request is made: a refused address never gets a document, a job or a connection.
 */
import type { Types } from 'mongoose';
import { z } from 'zod';
import type { Actor, AuditLog } from '../audit/log';
import { Invalid } from '../errors';
import { toDocumentFields, UploadMetadataSchema } from '../ingest/metadata';
import type { CaptureRepository } from '../store/captures';
import type { DocumentRecord } from '../store/documents';
import { CAPTURE_KINDS } from '../store/original-models';
import { NotFound } from '../errors';
import type { AddressGuard } from './address-guard';
import { lineDiff, type DiffLine } from './text-diff';

export const CaptureRequest = z
  .object({
    url: z.string().trim().min(1, 'must not be empty').max(2000, 'must be at most 2000 characters'),
    kind: z.enum(CAPTURE_KINDS),
    title: z.string().optional(),
    speaker: z.string().optional(),
    position: z.string().optional(),
    date: z.string().optional(),
    venue: z.string().optional(),
    languages: z.array(z.string()).max(10).optional(),
  })
  .strict();
export type CaptureRequestBody = z.infer<typeof CaptureRequest>;

export class CaptureService {
  constructor(
    private readonly captures: CaptureRepository,
    private readonly guard: AddressGuard,
    private readonly audit: AuditLog,
    private readonly onQueued: () => void,
  ) {}

  async request(body: unknown, requester: { userId: Types.ObjectId; actor: Actor }): Promise<DocumentRecord> {
    const parsed = CaptureRequest.safeParse(body ?? {});
    if (!parsed.success) throw Invalid.fromZod('invalid_request', parsed.error, 'capture request');
    const { url, ...fields } = parsed.data;
    // Before anything else: a refused URL gets no document, no job and no connection.
    const { url: checked } = await this.guard.require(url);
    // The same rules as an upload's metadata; the URL becomes the statement's source.
    const meta = UploadMetadataSchema.safeParse({ ...fields, title: fields.title ?? url.slice(0, 500), sourceUrl: url });
    if (!meta.success) throw Invalid.fromZod('invalid_request', meta.error, 'capture request');
    const requestedUrl = checked.toString();
    const previous = await this.captures.latestOf(requestedUrl);
    const { kind, title, languages, statement } = toDocumentFields(meta.data);
    const created = await this.captures.insertCapturing({
      kind,
      title,
      languages,
      ...(statement ? { statement } : {}),
      uploadedBy: requester.userId,
      capture: { requestedUrl, ...(previous ? { previous: previous._id } : {}) },
    });
    await this.audit.append({
      actor: requester.actor,
      action: 'document.capture',
      entity: { type: 'document', id: String(created._id) },
      change: { url: requestedUrl, kind, metadata: toDocumentFields(meta.data), previous: previous ? String(previous._id) : null },
    });
    this.onQueued();
    return created;
  }

  /**
   * A capture's record with both texts, the earlier capture of the same URL it follows (if any)
   * and the line differences of the main texts from that one to this.
   */
  async details(id: string): Promise<{ document: DocumentRecord; previous: DocumentRecord | null; later: DocumentRecord[]; diff: DiffLine[] | null }> {
    const doc = await this.captures.findCapture(id);
    if (!doc?.capture) throw new NotFound('capture', 'this document is not a web capture');
    const previous = doc.capture.previous ? await this.captures.findCapture(doc.capture.previous) : null;
    const later = await this.captures.laterOf(doc._id);
    const diff = previous?.capture?.mainText !== undefined && doc.capture.mainText !== undefined ? lineDiff(previous.capture.mainText, doc.capture.mainText) : null;
    return { document: doc, previous, later, diff };
  }
}
