/**
 * Flag exports for machines: CSV and JSON with a citation precise enough to find each passage
 * in the original (document, page label and PDF page, offsets, source SHA-256). Streamed, so
 * the size of an export does not depend on memory.
 */
import { passageQuote, type PassageQuote } from '../analyze/types';
import type { Actor, AuditLog } from '../audit/log';
import { csvCell } from '../csv';
import type { DocumentRecord } from '../store/documents';
import type { FlagFilter, FlagRecord, FlagSort } from '../store/flags';
import type { Repositories } from '../store/repositories';

export type ExportFormat = 'csv' | 'json';

/** One exported flag (its CSV columns, in order: CSV_COLUMNS). */
export interface ExportRow extends PassageQuote {
  flagId: string;
  documentId: string;
  documentTitle: string;
  citation: string;
  kind: string;
  pageNumber: number;
  pageLabel: string | null;
  category: string;
  severity: number;
  signals: string;
  entries: string;
  lexicon: string;
  status: string;
  sourceSha256: string;
  /** The page text version `start`/`end` refer to (a re-OCR adds versions). */
  pageVersion: number;
  /** Frames that matched, `id@version;…` (empty for flags of entries alone). */
  frames: string;
  /** Words standing for an unlisted group, `kind:words` (a pronoun `pronoun:them<Zelvans`); `;`-separated. */
  referents: string;
}

export function citationOf(doc: DocumentRecord, flag: Pick<FlagRecord, 'page' | 'pageLabel'>): string {
  const parts: string[] = [doc.title];
  const tb = doc.textbook;
  if (tb) {
    if (tb.publisher) parts.push(tb.publisher);
    if (tb.grade) parts.push(`grade ${tb.grade}`);
    if (tb.subject) parts.push(tb.subject);
    if (tb.edition) parts.push(`${tb.edition} edition`);
    if (tb.year) parts.push(String(tb.year));
    if (tb.country) parts.push(tb.country);
    if (tb.isbn) parts.push(`ISBN ${tb.isbn}`);
  }
  const st = doc.statement;
  if (st) {
    if (st.speaker) parts.push(st.position ? `${st.speaker} (${st.position})` : st.speaker);
    if (st.venue) parts.push(st.venue);
    if (st.date) parts.push(st.date);
    if (st.sourceUrl) parts.push(st.sourceUrl);
  }
  const page = flag.pageLabel && flag.pageLabel !== String(flag.page + 1) ? `p. ${flag.pageLabel} (PDF page ${flag.page + 1})` : `page ${flag.page + 1}`;
  parts.push(page);
  return parts.join(', ');
}

export function toExportRow(flag: FlagRecord, doc: DocumentRecord): ExportRow {
  return {
    flagId: String(flag._id),
    documentId: String(doc._id),
    documentTitle: doc.title,
    citation: citationOf(doc, flag),
    kind: doc.kind,
    pageNumber: flag.page + 1,
    pageLabel: flag.pageLabel,
    ...passageQuote(flag),
    category: flag.category,
    severity: flag.severity,
    signals: Object.entries(flag.signals ?? {}).filter(([, on]) => on).map(([name]) => name).join(';'),
    entries: flag.matches.map((m) => `${m.entryId}@${m.entryVersion}`).join(';'),
    lexicon: `${flag.lexicon.id}@${flag.lexicon.version}`,
    status: flag.status,
    sourceSha256: doc.original.sha256,
    pageVersion: flag.pageVersion ?? 1,
    frames: (flag.frames ?? []).map((f) => `${f.frameId}@${f.frameVersion}`).join(';'),
    referents: (flag.referents ?? []).map((r) => `${r.kind}:${r.exact}${r.antecedent ? `<${r.antecedent.exact}` : ''}`).join(';'),
  };
}

const CSV_COLUMNS: Array<keyof ExportRow> = [
  'flagId', 'documentId', 'documentTitle', 'citation', 'kind', 'pageNumber', 'pageLabel', 'start', 'end',
  'exact', 'prefix', 'suffix', 'sentence', 'category', 'severity', 'signals', 'entries', 'lexicon', 'status', 'sourceSha256',
  'pageVersion', 'frames', 'referents',
];

export function csvHeader(): string {
  return CSV_COLUMNS.join(',') + '\r\n';
}

export function csvLine(row: ExportRow): string {
  return CSV_COLUMNS.map((column) => csvCell(row[column])).join(',') + '\r\n';
}

// One CSV cell rule for every export: src/csv.ts.
export { csvCell };

/** How many flags are resolved to their documents at a time while streaming an export. */
const EXPORT_BATCH = 500;

/** Flag exports as a service: each export is recorded (who, which filters) before a row leaves. */
export class FlagExports {
  constructor(
    private readonly repos: Pick<Repositories, 'flags' | 'documents'>,
    private readonly audit: AuditLog,
  ) {}

  /** Names the export file and records the export in the audit trail. */
  async start(format: ExportFormat, filter: FlagFilter, actor: Actor): Promise<{ name: string; exportedAt: string }> {
    const exportedAt = new Date().toISOString();
    const name = `lexwatch-flags-${exportedAt.slice(0, 19).replace(/[:T]/g, '-')}.${format}`;
    await this.audit.append({ actor, action: 'flags.export', entity: { type: 'export', id: name }, change: { format, filters: filter } });
    return { name, exportedAt };
  }

  /** The matching flags' rows in the stable order, in batches (each batch's documents read at once). */
  async *rows(filter: FlagFilter, sort: FlagSort = 'position'): AsyncIterable<ExportRow[]> {
    for await (const batch of batches(this.repos.flags.streamFlags(filter, sort), EXPORT_BATCH)) {
      const docs = await this.repos.documents.documentsById([...new Map(batch.map((f) => [String(f.document), f.document])).values()]);
      const rows: ExportRow[] = [];
      for (const flag of batch) {
        const doc = docs.get(String(flag.document));
        if (doc) rows.push(toExportRow(flag, doc));
      }
      yield rows;
    }
  }
}

async function* batches<T>(source: AsyncIterable<T>, size: number): AsyncIterable<T[]> {
  let batch: T[] = [];
  for await (const item of source) {
    batch.push(item);
    if (batch.length >= size) {
      yield batch;
      batch = [];
    }
  }
  if (batch.length) yield batch;
}
