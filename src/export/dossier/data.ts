/**
 * The dossier's content as data (this is what `dossier.json` holds and the PDF is set from):
 * pure functions from evidence items, reviews and audit events to a DossierData.
 */
import type { AuditEventRecord } from '../../store/audit';
import type { DossierFilters } from '../../store/jobs';
import type { SpeakerRecord } from '../../store/people';
import { citationOf } from '../flags-export';
import type { Box } from './crop';
import { ReviewerNames, type IdentityChoice } from './identities';
import { speakersOf } from './speakers';
import { documentDate, type DossierReview, type DossierTranslation, type EvidenceItem } from './source';
import type { LexiconData } from '../../analyze/types';
import {
  BASIS_WORKS, categoryLegend, dossierAgreement, lexiconRuleNotes, limitations, reviewProtocol, rulesOf, severityLegend, signalLegend, signalsOf, stanceOf,
  outcomeOf, targetOf, textSourceOf, type CategoryLegendEntry, type Evidence, type DossierAgreement, type ItemRule, type ItemSignals, type ItemStance, type ItemTarget,
  type ItemTextSource, type LexiconRuleNote, type ReviewProtocol,
} from './method';

export const DOSSIER_SCHEMA_ID = 'https://lexwatch.example/schemas/dossier.schema.json';

export interface DossierItem {
  itemId: string;
  flagId: string;
  documentId: string;
  citation: string;
  pageIndex: number;
  /** The page text version the excerpt was found in (a re-OCR adds versions; the quote is of this one). */
  pageVersion: number;
  pdfPage: number;
  printedPage: string | null;
  lang: string | null;
  exact: string;
  quote: string;
  /** UTF-16 ranges of the matched words within `quote`. */
  highlights: Array<{ start: number; end: number }>;
  contextBefore: string;
  contextAfter: string;
  category: string;
  severity: number;
  status: string;
  /**
   * How the dossier presents it: a confirmed flag whose passage endorses its words is a finding;
   * a confirmed one that reports, quotes or condemns them (or whose stance is unclear) is
   * context, listed apart; a rejected one (only when asked for) is transparency about what the
   * reviewers turned down.
   */
  evidence: Evidence;
  /** What the passage does with the words: the reviewers' reading, else the analyser's cues. */
  stance: ItemStance;
  /** The analyser's signals, in plain words. */
  signals: ItemSignals;
  /** The target group(s) named, or untargeted with the words that stand for a group. */
  target: ItemTarget;
  /** The lexicon entries and frames that raised it, each with its version. */
  rules: ItemRule[];
  /** How the page text was obtained (text layer, plain text, or OCR with engine and confidence). */
  textSource: ItemTextSource;
  /** The review outcome in plain words. */
  outcome: string;
  /** For a captured web page: where and when, and the web archive it is in. */
  capture: ItemCapture | null;
  entries: string[];
  lexicon: string;
  translation: DossierTranslation | null;
  /** Reviews of the flag's current version, in order. */
  reviews: DossierReview[];
  /** The reviewers whose reviews confirmed it (confirm or modify), comma-separated. */
  confirmedBy: string | null;
  /** When the last of those reviews was given. */
  confirmedAt: string | null;
  sourceSha256: string;
  crop: { file: string; boxSource: 'flag' | 'text-search'; box: Box } | null;
}

export interface ItemCapture {
  url: string;
  finalUrl: string | null;
  capturedAt: string | null;
  warcSha256: string | null;
  warcFile: string | null;
}

export interface SourceCapture {
  requestedUrl: string;
  finalUrl: string | null;
  status: number | null;
  startedAt: string | null;
  endedAt: string | null;
  browserVersion: string | null;
  userAgent: string | null;
  /** The capture's web archive (WARC 1.1), in the package. */
  warc: { sha256: string; bytes: number; file: string } | null;
}

export interface DossierSource {
  documentId: string;
  kind: string;
  title: string;
  titleEnglish: string | null;
  date: string | null;
  textbook: Record<string, unknown> | null;
  statement: Record<string, unknown> | null;
  sha256: string;
  bytes: number;
  mime: string;
  file: string;
  capture: SourceCapture | null;
}

export interface DossierSpeaker {
  /** In the original script when the speaker is registered; else as recorded on the statements. */
  name: string;
  transliterations: string[];
  aliases: string[];
  /** True when positions come from the speaker registry, false when derived from statements. */
  registered: boolean;
  positions: Array<{ title: string; institution: string | null; from: string | null; to: string | null }>;
  statements: Array<{ itemId: string; date: string | null; position: string | null; venue: string | null; sourceUrl: string | null; sha256: string }>;
}

export interface DossierData {
  $schema: string;
  format: 'lexwatch-dossier';
  formatVersion: 1;
  dossierId: string;
  title: string;
  submitter: string;
  addressee: string;
  createdAt: string;
  states: string[];
  filters: DossierFilters;
  /** Counts are of the findings; rejected flags asked for as transparency are counted apart. */
  summary: {
    total: number;
    /** Confirmed items that report, quote or condemn the words (or whose stance is unclear). */
    context: number;
    transparency: number;
    byCategory: Record<string, number>;
    bySeverity: Record<string, number>;
    bySource: Record<string, number>;
    byYear: Record<string, number>;
  };
  methodology: {
    lexicons: string[];
    /** Each lexicon version used, with its name and description. */
    lexiconVersions: Array<{ version: string; name: string | null; description: string | null }>;
    /** The entries and frames the items used, with their meaning and basis. */
    lexiconRules: LexiconRuleNote[];
    taxonomy: string;
    /** Every category the items use, defined, with its basis. */
    categories: CategoryLegendEntry[];
    severities: Array<{ severity: number; meaning: string }>;
    signals: Array<{ signal: string; meaning: string }>;
    /** The works the categories' basis names. */
    basisWorks: Array<{ short: string; work: string }>;
    reviewProtocol: string;
    protocol: ReviewProtocol;
    requiredConfirmations: number;
    agreement: DossierAgreement;
    /** OCR engines that read the items' pages, with how many items each. */
    textSources: Array<{ method: string; engine: string | null; items: number }>;
    translationProtocol: string;
    limitations: string[];
    /** Reviewer protection: how people are named, whether notes are in, in plain words. */
    reviewerIdentity: IdentityChoice & { statement: string };
  };
  sources: DossierSource[];
  speakers: DossierSpeaker[];
  items: DossierItem[];
  audit: { file: string; events: number; firstSeq: number | null; lastSeq: number | null };
}

export interface AssembleInput {
  dossierId: string;
  title: string;
  submitter: string;
  addressee: string;
  createdAt: Date;
  filters: DossierFilters;
  items: EvidenceItem[];
  reviews: Map<string, DossierReview[]>;
  translations: Map<string, DossierTranslation>;
  /** Independent confirmations the review workflow required when the dossier was built. */
  requiredConfirmations: number;
  identity: IdentityChoice;
  audit: AuditEventRecord[];
  crops: Map<string, DossierItem['crop']>;
  speakers: SpeakerRecord[];
  /** Lexicon version data by version label (for target names and rule meanings). */
  lexicons: Map<string, LexiconData>;
}

/** A modify decision confirms the flag with a changed reading. */
const CONFIRMING = new Set(['confirm', 'modify']);

/** File-name extensions of the originals in a package, by stored MIME type (what the bytes are). */
const ORIGINAL_EXTENSIONS: Readonly<Record<string, string>> = {
  'application/pdf': '.pdf',
  'text/plain': '.txt',
  'text/markdown': '.md',
  'text/html': '.html',
  'application/vnd.openxmlformats-officedocument.wordprocessingml.document': '.docx',
  'image/png': '.png',
  'image/jpeg': '.jpg',
  'image/tiff': '.tif',
  // A capture's web archive: WARC 1.1, gzip per record.
  'application/warc': '.warc.gz',
};

export function originalFileName(sha256: string, mime: string): string {
  return `data/originals/${sha256}${ORIGINAL_EXTENSIONS[mime.toLowerCase().split(';')[0]!.trim()] ?? '.bin'}`;
}

export function assembleDossier(input: AssembleInput): DossierData {
  const docs = new Map(input.items.map(({ document }) => [String(document._id), document]));
  const sources: DossierSource[] = [...docs.values()].map((d) => ({
    documentId: String(d._id),
    kind: d.kind,
    title: d.title,
    titleEnglish: d.titleEnglish ?? null,
    date: documentDate(d),
    textbook: d.textbook ? { ...d.textbook } : null,
    statement: d.statement ? { ...d.statement } : null,
    sha256: d.original.sha256,
    bytes: d.original.bytes,
    mime: d.original.mime,
    file: originalFileName(d.original.sha256, d.original.mime),
    capture: captureOf(d),
  }));
  const sourceOf = new Map(sources.map((s) => [s.documentId, s]));

  const items: DossierItem[] = input.items.map(({ flag, document }, i) => {
    const rounds = input.reviews.get(String(flag._id)) ?? [];
    // An adjudication (round 0) decides a dispute; otherwise the independent rounds that agreed.
    const adjudication = rounds.find((r) => r.round === 0);
    const confirmations = flag.status === 'confirmed' ? (adjudication ? [adjudication] : rounds).filter((r) => CONFIRMING.has(r.decision)) : [];
    const confirmedAt = confirmations.length ? confirmations.map((r) => r.at).sort().at(-1)! : null;
    const hasSentence = typeof flag.sentenceStart === 'number' && typeof flag.sentenceEnd === 'number' && flag.sentence
      && flag.sentenceStart <= flag.start && flag.sentenceEnd >= flag.end;
    const qStart = hasSentence ? flag.sentenceStart : flag.start;
    const qEnd = hasSentence ? flag.sentenceEnd : flag.end;
    const quote = hasSentence ? flag.sentence : flag.exact;
    const ranges = (flag.matches.length ? flag.matches : [{ start: flag.start, end: flag.end }])
      .map((m) => ({ start: Math.max(0, m.start - qStart), end: Math.min(quote.length, m.end - qStart) }))
      .filter((r) => r.end > r.start);
    const beforeLen = flag.prefix.length - (flag.start - qStart);
    const afterFrom = qEnd - flag.end;
    // A confirmed flag carries the reading its reviewers agreed on (possibly modified).
    const category = flag.outcome?.category ?? flag.category;
    const severity = flag.outcome?.severity ?? flag.severity;
    const stance = stanceOf(flag, rounds);
    const evidence = flag.status !== 'confirmed' ? 'transparency' : stance.value === 'endorses' ? 'finding' : 'context';
    const confirmedBy = confirmations.length ? confirmations.map((r) => r.reviewer).join(', ') : null;
    const source = sourceOf.get(String(document._id))!;
    return {
      itemId: `E${String(i + 1).padStart(4, '0')}`,
      flagId: String(flag._id),
      documentId: String(document._id),
      citation: citationOf(document, flag),
      pageIndex: flag.page,
      pageVersion: flag.pageVersion ?? 1,
      pdfPage: flag.page + 1,
      printedPage: flag.pageLabel,
      lang: flag.lang,
      exact: flag.exact,
      quote,
      highlights: ranges,
      contextBefore: beforeLen > 0 ? flag.prefix.slice(0, beforeLen) : '',
      contextAfter: afterFrom >= 0 ? flag.suffix.slice(afterFrom) : '',
      category,
      severity,
      status: flag.status,
      evidence,
      stance,
      signals: signalsOf(flag),
      target: targetOf(flag, input.lexicons.get(flag.lexicon.version)),
      rules: rulesOf(flag),
      textSource: textSourceOf(flag, source.capture !== null),
      outcome: outcomeOf(flag, { category, severity, evidence, confirmedBy, adjudicated: !!adjudication, confirmations: confirmations.length }),
      capture: source.capture
        ? { url: source.capture.requestedUrl, finalUrl: source.capture.finalUrl, capturedAt: source.capture.startedAt, warcSha256: source.capture.warc?.sha256 ?? null, warcFile: source.capture.warc?.file ?? null }
        : null,
      entries: flag.matches.map((m) => `${m.entryId}@${m.entryVersion}`),
      lexicon: `${flag.lexicon.id}@${flag.lexicon.version}`,
      translation: input.translations.get(String(flag._id)) ?? null,
      reviews: rounds,
      confirmedBy,
      confirmedAt,
      sourceSha256: document.original.sha256,
      crop: input.crops.get(String(flag._id)) ?? null,
    };
  });

  const findings = items.filter((i) => i.evidence === 'finding');
  const count = (key: (item: DossierItem) => string): Record<string, number> => {
    const out: Record<string, number> = {};
    for (const item of findings) out[key(item)] = (out[key(item)] ?? 0) + 1;
    return Object.fromEntries(Object.entries(out).sort(([a], [b]) => a.localeCompare(b)));
  };
  const yearOf = (item: DossierItem): string => documentDate(docs.get(item.documentId)!)?.slice(0, 4) ?? 'undated';

  const agreement = dossierAgreement(input.reviews.values());
  const protocol = reviewProtocol(input.requiredConfirmations);
  const ids = (keep: (item: DossierItem) => boolean) => items.filter(keep).map((item) => item.itemId);
  const engines = new Map<string, { method: string; engine: string | null; items: number }>();
  for (const item of items) {
    const method = item.textSource.method ?? 'not recorded';
    const key = `${method}|${item.textSource.engine ?? ''}`;
    engines.set(key, { method, engine: item.textSource.engine, items: (engines.get(key)?.items ?? 0) + 1 });
  }
  const lexiconVersions = [...new Set(input.items.map(({ flag }) => flag.lexicon.version))].sort();

  return {
    $schema: DOSSIER_SCHEMA_ID,
    format: 'lexwatch-dossier',
    formatVersion: 1,
    dossierId: input.dossierId,
    title: input.title,
    submitter: input.submitter,
    addressee: input.addressee,
    createdAt: input.createdAt.toISOString(),
    states: input.filters.states,
    filters: input.filters,
    summary: {
      total: findings.length,
      context: items.filter((i) => i.evidence === 'context').length,
      transparency: items.filter((i) => i.evidence === 'transparency').length,
      byCategory: count((i) => i.category),
      bySeverity: count((i) => String(i.severity)),
      bySource: count((i) => `${docs.get(i.documentId)!.title} (${docs.get(i.documentId)!.kind})`),
      byYear: count(yearOf),
    },
    methodology: {
      lexicons: [...new Set(items.map((i) => i.lexicon))].sort(),
      lexiconVersions: lexiconVersions.map((version) => ({ version, name: input.lexicons.get(version)?.name ?? null, description: input.lexicons.get(version)?.description ?? null })),
      lexiconRules: lexiconRuleNotes(
        input.items.map(({ flag }) => ({ lexicon: `${flag.lexicon.id}@${flag.lexicon.version}`, version: flag.lexicon.version, rules: rulesOf(flag) })),
        input.lexicons,
      ),
      taxonomy:
        'Lexwatch taxonomy: categories of dehumanization (DH), violence (VI), the group as a threat (TH), labels, stereotypes and hatred (NE), cultural heritage (HE), denial (DE), coded language (CODE) and counter-evidence (PO); severity 1 (weakest) to 4. The categories used here are defined below, each with the published work it rests on',
      categories: categoryLegend(items.map((i) => i.category)),
      severities: severityLegend(items.map((i) => i.severity)),
      signals: signalLegend(items.flatMap((i) => i.signals.set)),
      basisWorks: BASIS_WORKS.map((w) => ({ ...w })),
      reviewProtocol:
        'Every excerpt was found by the lexicon matcher as a candidate and decided by human reviewers. ' +
        `${protocol.blindRounds} ${protocol.adjudication} ${protocol.stance} Only excerpts in the states listed in this dossier are included.`,
      protocol,
      requiredConfirmations: input.requiredConfirmations,
      agreement,
      textSources: [...engines.values()].sort((a, b) => a.method.localeCompare(b.method)),
      translationProtocol:
        'Translations are made by a named translator from the original-language quote and checked by a second person; ' +
        'the original text, not the translation, is the evidence.',
      limitations: limitations({
        itemIds: {
          ocr: ids((i) => i.textSource.method === 'ocr'),
          captured: ids((i) => i.capture !== null),
          stanceFromAnalyser: ids((i) => i.evidence !== 'transparency' && i.stance.basis === 'analyser'),
          fuzzy: ids((i) => i.signals.set.includes('fuzzy')),
          untargeted: ids((i) => i.target.untargeted),
          unapprovedTranslation: ids((i) => !!i.translation && !i.translation.checkedBy),
        },
        requiredConfirmations: input.requiredConfirmations,
        pairs: agreement.flagsWithTwoRounds,
      }),
      reviewerIdentity: { ...input.identity, statement: ReviewerNames.statement(input.identity) },
    },
    sources,
    speakers: speakersOf(findings, docs, input.speakers),
    items,
    audit: {
      file: 'data/audit-events.jsonl',
      events: input.audit.length,
      firstSeq: input.audit[0]?.seq ?? null,
      lastSeq: input.audit[input.audit.length - 1]?.seq ?? null,
    },
  };
}

/** The capture record a dossier cites: URLs, times, browser, and the web archive in the package. */
function captureOf(d: EvidenceItem['document']): SourceCapture | null {
  const c = d.capture;
  if (!c) return null;
  const warc = d.originals?.find((o) => o.role === 'warc');
  const iso = (t: Date | undefined) => (t ? new Date(t).toISOString() : null);
  return {
    requestedUrl: c.requestedUrl,
    finalUrl: c.finalUrl ?? null,
    status: c.status ?? null,
    startedAt: iso(c.startedAt),
    endedAt: iso(c.endedAt),
    browserVersion: c.browserVersion ?? null,
    userAgent: c.userAgent ?? null,
    warc: warc ? { sha256: warc.sha256, bytes: warc.bytes, file: originalFileName(warc.sha256, warc.mediaType) } : null,
  };
}

