/**
 * A document's stored files by role, and the record of a web capture. An upload has one
 * original (role `upload`, kept in `DocumentRecord.original` as before); a captured page has
 * three (`warc`, `pdf`, `png`), of which the PDF is also `original`, the file the pipeline reads.
 */
import { Schema, type Types } from 'mongoose';

export const ORIGINAL_ROLES = ['upload', 'warc', 'pdf', 'png'] as const;
export type OriginalRole = (typeof ORIGINAL_ROLES)[number];

export interface StoredFileRecord {
  role: OriginalRole;
  sha256: string;
  bytes: number;
  mediaType: string;
  /** Relative to the upload directory; always derived from the hash. */
  storedPath: string;
}

export const CAPTURE_KINDS = ['statement', 'article', 'other'] as const;
export type CaptureKind = (typeof CAPTURE_KINDS)[number];

/** What the capture saw: collection metadata in the sense of the Berkeley Protocol. */
export interface CaptureRecord {
  requestedUrl: string;
  /** Set once the capture ran. */
  finalUrl?: string;
  status?: number;
  /** Response headers of the main document, as received (names lower-cased). */
  headers?: Array<{ name: string; value: string }>;
  startedAt?: Date;
  endedAt?: Date;
  browserVersion?: string;
  userAgent?: string;
  /** Only when the page was served over https. */
  tls?: { subject: string; issuer: string; protocol?: string; validFrom?: Date; validTo?: Date };
  /** Visible text of the whole page (DOM innerText) and the main text (readability), NFC. */
  pageText?: string;
  mainText?: string;
  /** How the main text was found: `readability`, or `page` when no article could be told apart. */
  mainTextFrom?: 'readability' | 'page';
  /**
   * Which text the pipeline analyses: `main` (the main text; menus and footers are not analysed)
   * or `page` (all of it: no main text was found, or it was not found in the page's text).
   * Unset on captures made before it was recorded, which were analysed whole.
   */
  analysed?: 'main' | 'page';
  requests?: number;
  bytesReceived?: number;
  /** The earlier capture of the same URL, when this is a re-capture. */
  previous?: Types.ObjectId;
}

export const storedFileSchema = new Schema<StoredFileRecord>(
  {
    role: { type: String, enum: ORIGINAL_ROLES, required: true },
    sha256: { type: String, required: true },
    bytes: { type: Number, required: true },
    mediaType: { type: String, required: true },
    storedPath: { type: String, required: true },
  },
  { _id: false },
);

export const captureSchema = new Schema<CaptureRecord>(
  {
    requestedUrl: { type: String, required: true },
    finalUrl: String,
    status: Number,
    headers: { type: [new Schema({ name: String, value: String }, { _id: false })], default: undefined },
    startedAt: Date,
    endedAt: Date,
    browserVersion: String,
    userAgent: String,
    tls: { type: new Schema({ subject: String, issuer: String, protocol: String, validFrom: Date, validTo: Date }, { _id: false }), default: undefined },
    pageText: String,
    mainText: String,
    mainTextFrom: String,
    analysed: { type: String, enum: ['main', 'page'] },
    requests: Number,
    bytesReceived: Number,
    previous: { type: Schema.Types.ObjectId, default: undefined },
  },
  { _id: false },
);
