/**
 * Upload metadata: one zod schema that both validates the multipart fields and gives their
 * type. Unknown fields are refused by name (no mass assignment of status, hashes, …).
 */
import { z } from 'zod';
import { DOCUMENT_KINDS, type StatementMeta, type TextbookMeta } from '../store/documents';
import { controlCharacterProblem } from '../text';

const text = (max: number) =>
  z
    .string()
    .trim()
    .min(1, 'must not be empty')
    .max(max, `must be at most ${max} characters`)
    .superRefine((value, ctx) => {
      const problem = controlCharacterProblem(value);
      if (problem) ctx.addIssue({ code: 'custom', message: problem });
    });
const LANGUAGE_TAG = /^[a-z]{2,3}(-[A-Za-z0-9]{2,8})*$/;

/** Multipart gives strings; "en,ru" and repeated fields both mean a list. */
const languageList = z
  .union([z.string(), z.array(z.string())])
  .transform((v) => (Array.isArray(v) ? v : v.split(',')).map((s) => s.trim()).filter(Boolean))
  .pipe(z.array(z.string().regex(LANGUAGE_TAG, 'must be a BCP-47 tag such as en, ru, az-Latn')).max(10));

const isbn = z
  .string()
  .trim()
  .transform((v) => v.replace(/[\s-]/g, '').toUpperCase())
  .refine(isValidIsbn, 'must be a valid ISBN-10 or ISBN-13');

const MetadataFields = z
  .object({
    kind: z.enum(DOCUMENT_KINDS),
    title: text(500),
    titleEnglish: text(500).optional(),
    languages: languageList.optional(),
    // Textbooks
    publisher: text(300).optional(),
    subject: text(200).optional(),
    grade: text(50).optional(),
    edition: text(100).optional(),
    // Messages in plain words: the upload form shows them under the field.
    year: z.coerce.number({ error: 'must be a year in digits, e.g. 2019' }).int('must be a year in digits, e.g. 2019').min(1800, 'must be 1800 or later').max(2100, 'must be 2100 or earlier').optional(),
    isbn: isbn.optional(),
    country: text(100).optional(),
    // Statements and articles
    speaker: text(300).optional(),
    position: text(300).optional(),
    date: z
      .string()
      .trim()
      .regex(/^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2})?(\.\d+)?(Z|[+-]\d{2}:\d{2})?)?$/, 'must be an ISO 8601 date, e.g. 2024-05-09 or 2024-05-09T14:00+04:00')
      .optional(),
    venue: text(300).optional(),
    sourceUrl: z.url({ protocol: /^https?$/, error: 'must be an http(s) URL' }).max(2000).optional(),
  });

export const TEXTBOOK_FIELDS = ['publisher', 'subject', 'grade', 'edition', 'year', 'isbn', 'country'] as const;
export const STATEMENT_FIELDS = ['speaker', 'position', 'date', 'venue', 'sourceUrl'] as const;

/** Fields that do not belong to a document of this kind, with the reason. */
export function fieldsForeignToKind(kind: (typeof DOCUMENT_KINDS)[number], meta: Partial<Record<string, unknown>>): Array<{ field: string; message: string }> {
  const foreign: Array<{ field: string; message: string }> = [];
  if (kind !== 'textbook' && kind !== 'other') {
    for (const f of TEXTBOOK_FIELDS) if (meta[f] !== undefined) foreign.push({ field: f, message: `only for kind textbook (this is ${kind})` });
  }
  if (kind === 'textbook') {
    for (const f of STATEMENT_FIELDS) if (meta[f] !== undefined) foreign.push({ field: f, message: 'only for kind statement, article or other' });
  }
  return foreign;
}

export const UploadMetadataSchema = MetadataFields.strict().superRefine((meta, ctx) => {
  for (const { field, message } of fieldsForeignToKind(meta.kind, meta)) ctx.addIssue({ code: 'custom', path: [field], message });
});

/** A metadata edit: any field but `kind`, plus the editor's reason (kept in the audit trail). */
export const MetadataEditSchema = MetadataFields.omit({ kind: true })
  .partial()
  .extend({ reason: text(1000).optional() })
  .strict()
  .refine((edit) => Object.keys(edit).some((k) => k !== 'reason'), 'nothing to change: name at least one field');

export type MetadataEdit = z.infer<typeof MetadataEditSchema>;

export type UploadMetadata = z.infer<typeof UploadMetadataSchema>;

/** Splits flat form fields into the stored document's shape. */
export function toDocumentFields(meta: UploadMetadata): {
  kind: UploadMetadata['kind'];
  title: string;
  titleEnglish?: string;
  languages: string[];
  textbook?: TextbookMeta;
  statement?: StatementMeta;
} {
  const textbook = pickDefined({ publisher: meta.publisher, subject: meta.subject, grade: meta.grade, edition: meta.edition, year: meta.year, isbn: meta.isbn, country: meta.country });
  const statement = pickDefined({ speaker: meta.speaker, position: meta.position, date: meta.date, venue: meta.venue, sourceUrl: meta.sourceUrl });
  return {
    kind: meta.kind,
    title: meta.title,
    ...(meta.titleEnglish ? { titleEnglish: meta.titleEnglish } : {}),
    languages: meta.languages ?? [],
    ...(textbook ? { textbook } : {}),
    ...(statement ? { statement } : {}),
  };
}

function pickDefined<T extends object>(obj: T): Partial<T> | undefined {
  const entries = Object.entries(obj).filter(([, v]) => v !== undefined);
  return entries.length ? (Object.fromEntries(entries) as Partial<T>) : undefined;
}

function isValidIsbn(value: string): boolean {
  if (/^\d{9}[\dX]$/.test(value)) {
    const sum = [...value].reduce((acc, ch, i) => acc + (ch === 'X' ? 10 : Number(ch)) * (10 - i), 0);
    return sum % 11 === 0;
  }
  if (/^\d{13}$/.test(value)) {
    const sum = [...value].reduce((acc, ch, i) => acc + Number(ch) * (i % 2 === 0 ? 1 : 3), 0);
    return sum % 10 === 0;
  }
  return false;
}
