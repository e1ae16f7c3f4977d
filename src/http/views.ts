/** Response shapes: what the API shows of each record (never internal paths). */
import type { DocumentRecord, FlagRecord, PageRecord } from '../store/models';

export function documentView(doc: DocumentRecord) {
  const id = String(doc._id);
  return {
    id,
    kind: doc.kind,
    title: doc.title,
    titleEnglish: doc.titleEnglish ?? null,
    languages: doc.languages,
    textbook: doc.textbook ?? null,
    statement: doc.statement ?? null,
    original: {
      sha256: doc.original.sha256,
      bytes: doc.original.bytes,
      mime: doc.original.mime,
      type: doc.original.type,
      filename: doc.original.filename ?? null,
    },
    status: doc.status,
    failure: doc.failure ? { stage: doc.failure.stage, reason: doc.failure.reason, at: doc.failure.at } : null,
    progress: { pagesDone: doc.progress?.pagesDone ?? 0, pagesTotal: doc.progress?.pagesTotal ?? 0 },
    lexicon: doc.lexicon ?? null,
    uploadedBy: doc.uploadedBy ? String(doc.uploadedBy) : null,
    withdrawal: doc.withdrawal ? { by: String(doc.withdrawal.by), reason: doc.withdrawal.reason, at: doc.withdrawal.at } : null,
    createdAt: doc.createdAt,
    updatedAt: doc.updatedAt,
    links: { self: `/api/documents/${id}`, flags: `/api/documents/${id}/flags` },
  };
}

export function pageView(page: PageRecord) {
  return {
    document: String(page.document),
    index: page.index,
    number: page.index + 1,
    label: page.label,
    text: page.text,
    textSha256: page.textSha256,
    method: page.method,
    lang: page.lang,
  };
}

export function flagView(flag: FlagRecord) {
  return {
    id: String(flag._id),
    document: String(flag.document),
    page: flag.page,
    pageNumber: flag.page + 1,
    pageLabel: flag.pageLabel,
    start: flag.start,
    end: flag.end,
    exact: flag.exact,
    prefix: flag.prefix,
    suffix: flag.suffix,
    sentence: flag.sentence,
    category: flag.category,
    severity: flag.severity,
    signals: flag.signals,
    priority: flag.priority,
    lang: flag.lang,
    matches: flag.matches,
    targets: flag.targets,
    lexicon: flag.lexicon,
    status: flag.status,
    createdAt: flag.createdAt,
  };
}
