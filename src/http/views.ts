/** Response shapes: what the API shows of each record (never internal paths). */
import { passageQuote } from '../analyze/types';
import type { DocumentRecord } from '../store/documents';
import type { FlagRecord } from '../store/flags';
import type { PageRecord, PageVersionSummary } from '../store/pages';
import { unpackWords } from '../store/word-boxes';

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
    // A capture still being taken has no original yet.
    original: doc.original
      ? { sha256: doc.original.sha256, bytes: doc.original.bytes, mime: doc.original.mime, type: doc.original.type, filename: doc.original.filename ?? null }
      : null,
    capture: doc.capture ? captureView(doc.capture) : null,
    status: doc.status,
    failure: doc.failure ? { stage: doc.failure.stage, reason: doc.failure.reason, at: doc.failure.at } : null,
    progress: progressView(doc),
    pagesFailed: doc.pagesFailed ?? 0,
    lexicon: doc.lexicon ?? null,
    uploadedBy: doc.uploadedBy ? String(doc.uploadedBy) : null,
    withdrawal: doc.withdrawal ? { by: String(doc.withdrawal.by), reason: doc.withdrawal.reason, at: doc.withdrawal.at } : null,
    createdAt: doc.createdAt,
    updatedAt: doc.updatedAt,
    links: { self: `/api/documents/${id}`, flags: `/api/documents/${id}/flags`, events: `/api/documents/${id}/events`, originals: `/api/documents/${id}/originals` },
  };
}

/** What a capture recorded, without its texts (GET /api/documents/:id/capture has those). */
function captureView(c: NonNullable<DocumentRecord['capture']>) {
  return {
    requestedUrl: c.requestedUrl,
    finalUrl: c.finalUrl ?? null,
    status: c.status ?? null,
    headers: c.headers?.map((h) => ({ name: h.name, value: h.value })) ?? [],
    startedAt: c.startedAt ?? null,
    endedAt: c.endedAt ?? null,
    browserVersion: c.browserVersion ?? null,
    userAgent: c.userAgent ?? null,
    tls: c.tls ? { subject: c.tls.subject, issuer: c.tls.issuer, protocol: c.tls.protocol ?? null, validFrom: c.tls.validFrom ?? null, validTo: c.tls.validTo ?? null } : null,
    mainTextFrom: c.mainTextFrom ?? null,
    // Which text the flags were found in: 'main' (menus and footers not analysed) or 'page'.
    analysed: c.analysed ?? null,
    requests: c.requests ?? null,
    bytesReceived: c.bytesReceived ?? null,
    previous: c.previous ? String(c.previous) : null,
  };
}

/** Pages done / total of the current stage and an estimate of the time left, from the stage's rate so far. */
export function progressView(doc: DocumentRecord, now = Date.now()) {
  const p = doc.progress ?? { pagesDone: 0, pagesTotal: 0 };
  const pagesDone = p.pagesDone ?? 0;
  const pagesTotal = p.pagesTotal ?? 0;
  const stage = doc.status === 'done' ? 'done' : doc.status === 'queued' ? 'queued' : (p.stage ?? doc.status);
  let etaSeconds: number | null = null;
  if ((stage === 'ocr' || stage === 'analyzing') && p.stageStartedAt && pagesDone > (p.stageStartDone ?? 0)) {
    const rate = (pagesDone - (p.stageStartDone ?? 0)) / Math.max(1, now - new Date(p.stageStartedAt).getTime());
    etaSeconds = Math.ceil(Math.max(0, pagesTotal - pagesDone) / rate / 1000);
  } else if (doc.status === 'done') {
    etaSeconds = 0;
  }
  return { pagesDone, pagesTotal, stage, etaSeconds };
}

export function pageView(page: PageRecord, versions: PageVersionSummary[] = []) {
  const version = page.version;
  const newest = versions.reduce((max, v) => Math.max(max, v.version), version);
  return {
    document: String(page.document),
    index: page.index,
    number: page.index + 1,
    version,
    current: version === newest,
    versions: versions.map((v) => ({
      version: v.version,
      textSha256: v.textSha256,
      method: v.method,
      state: v.state,
      ocr: v.ocr ?? null,
      createdAt: v.createdAt ?? null,
    })),
    label: page.label,
    text: page.text,
    textSha256: page.textSha256,
    method: page.method,
    ocr: page.ocr ?? null,
    words: unpackWords(page.words),
    lang: page.lang,
    state: page.state,
    failure: page.failure ? { reason: page.failure.reason, at: page.failure.at } : null,
  };
}

export function flagView(flag: FlagRecord) {
  return {
    id: String(flag._id),
    document: String(flag.document),
    page: flag.page,
    pageVersion: flag.pageVersion,
    pageNumber: flag.page + 1,
    pageLabel: flag.pageLabel,
    ...passageQuote(flag),
    category: flag.category,
    severity: flag.severity,
    signals: flag.signals,
    priority: flag.priority,
    lang: flag.lang,
    matches: flag.matches,
    frames: flag.frames ?? [],
    targets: flag.targets,
    referents: flag.referents ?? [],
    lexicon: flag.lexicon,
    box: flag.box ?? null,
    source: flag.source ?? null,
    status: flag.status,
    // A later analysis no longer finds it (a new reading of the page, another lexicon version).
    unmatched: flag.unmatched
      ? {
          cause: flag.unmatched.cause,
          note: flag.unmatched.note,
          pageVersion: flag.unmatched.pageVersion ?? null,
          lexicon: flag.unmatched.lexicon ?? null,
          reanalysis: flag.unmatched.reanalysis ? String(flag.unmatched.reanalysis) : null,
          at: flag.unmatched.at,
        }
      : null,
    createdAt: flag.createdAt,
  };
}
