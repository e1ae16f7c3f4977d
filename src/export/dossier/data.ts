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
import { documentDate, namesOf, type DossierReview, type DossierTranslation, type EvidenceItem } from './source';

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
   * How the dossier presents it: a confirmed flag is a finding; a rejected one (only when asked
   * for) is shown apart, as transparency about what the reviewers turned down.
   */
  evidence: 'finding' | 'transparency';
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
    transparency: number;
    byCategory: Record<string, number>;
    bySeverity: Record<string, number>;
    bySource: Record<string, number>;
    byYear: Record<string, number>;
  };
  methodology: {
    lexicons: string[];
    taxonomy: string;
    reviewProtocol: string;
    requiredConfirmations: number;
    agreement: { flagsWithTwoRounds: number; agreed: number; percent: number | null };
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
};

export function originalFileName(sha256: string, mime: string): string {
  return `data/originals/${sha256}${ORIGINAL_EXTENSIONS[mime.toLowerCase().split(';')[0]!.trim()] ?? '.bin'}`;
}

export function assembleDossier(input: AssembleInput): DossierData {
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
      // A confirmed flag carries the reading its reviewers agreed on (possibly modified).
      category: flag.outcome?.category ?? flag.category,
      severity: flag.outcome?.severity ?? flag.severity,
      status: flag.status,
      evidence: flag.status === 'confirmed' ? 'finding' : 'transparency',
      entries: flag.matches.map((m) => `${m.entryId}@${m.entryVersion}`),
      lexicon: `${flag.lexicon.id}@${flag.lexicon.version}`,
      translation: input.translations.get(String(flag._id)) ?? null,
      reviews: rounds,
      confirmedBy: confirmations.length ? confirmations.map((r) => r.reviewer).join(', ') : null,
      confirmedAt,
      sourceSha256: document.original.sha256,
      crop: input.crops.get(String(flag._id)) ?? null,
    };
  });

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
  }));

  const findings = items.filter((i) => i.evidence === 'finding');
  const count = (key: (item: DossierItem) => string): Record<string, number> => {
    const out: Record<string, number> = {};
    for (const item of findings) out[key(item)] = (out[key(item)] ?? 0) + 1;
    return Object.fromEntries(Object.entries(out).sort(([a], [b]) => a.localeCompare(b)));
  };
  const yearOf = (item: DossierItem): string => documentDate(docs.get(item.documentId)!)?.slice(0, 4) ?? 'undated';

  let twoRounds = 0;
  let agreed = 0;
  for (const rounds of input.reviews.values()) {
    const first = rounds.find((r) => r.round === 1);
    const second = rounds.find((r) => r.round === 2);
    if (!first || !second) continue;
    twoRounds++;
    if (first.decision === second.decision && JSON.stringify(first.modification) === JSON.stringify(second.modification)) agreed++;
  }

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
      transparency: items.length - findings.length,
      byCategory: count((i) => i.category),
      bySeverity: count((i) => String(i.severity)),
      bySource: count((i) => `${docs.get(i.documentId)!.title} (${docs.get(i.documentId)!.kind})`),
      byYear: count(yearOf),
    },
    methodology: {
      lexicons: [...new Set(items.map((i) => i.lexicon))].sort(),
      taxonomy: 'Lexwatch taxonomy (categories DH, VI, TH, NE, HE, DE, CODE; severity 1–4), see design/taxonomy.md',
      reviewProtocol:
        'Every excerpt was found by the lexicon matcher as a candidate and decided by human reviewers, each blind to the others\' decisions: ' +
        `${input.requiredConfirmations === 1 ? 'one reviewer\'s confirmation sufficed (the workflow was configured for a single review)' : `${input.requiredConfirmations} different reviewers had to confirm independently`}; ` +
        'disagreements go to adjudication by a further reviewer. Only excerpts in the states listed in this dossier are included.',
      requiredConfirmations: input.requiredConfirmations,
      agreement: { flagsWithTwoRounds: twoRounds, agreed, percent: twoRounds ? Math.round((1000 * agreed) / twoRounds) / 10 : null },
      translationProtocol:
        'Translations are made by a named translator from the original-language quote and checked by a second person; ' +
        'the original text, not the translation, is the evidence.',
      limitations: [
        'Candidates come from a lexicon: language outside it (new coinages, images, tone) is not found.',
        'Page text comes from the PDF text layer; pages without one are not analysed until OCR is applied.',
        'Counts describe the excerpts selected by this dossier’s filters, not the prevalence in all sources.',
      ],
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

/**
 * Speakers of statements. A statement's recorded speaker name is matched against the registry
 * (name in original script, transliterations, aliases); registered speakers bring their
 * positions. Unregistered names are grouped as recorded, with positions derived from the
 * statements (dated by the first and last statement in each position).
 */
function speakersOf(items: DossierItem[], docs: Map<string, EvidenceItem['document']>, registry: SpeakerRecord[]): DossierSpeaker[] {
  const out = new Map<string, DossierSpeaker>();
  for (const item of items) {
    const st = docs.get(item.documentId)!.statement;
    if (!st?.speaker) continue;
    const known = registry.find((r) => namesOf(r).includes(st.speaker!));
    const key = known ? `id:${String(known._id)}` : `name:${st.speaker}`;
    let speaker = out.get(key);
    if (!speaker) {
      speaker = known
        ? {
            name: known.name,
            transliterations: [...(known.transliterations ?? [])],
            aliases: [...(known.aliases ?? [])],
            registered: true,
            positions: (known.positions ?? []).map((p) => ({ title: p.title, institution: p.institution ?? null, from: p.from ?? null, to: p.to ?? null })),
            statements: [],
          }
        : { name: st.speaker, transliterations: [], aliases: [], registered: false, positions: [], statements: [] };
      out.set(key, speaker);
    }
    speaker.statements.push({ itemId: item.itemId, date: st.date ?? null, position: st.position ?? null, venue: st.venue ?? null, sourceUrl: st.sourceUrl ?? null, sha256: item.sourceSha256 });
    if (!speaker.registered && st.position) {
      let pos = speaker.positions.find((p) => p.title === st.position);
      if (!pos) speaker.positions.push((pos = { title: st.position, institution: null, from: st.date ?? null, to: st.date ?? null }));
      if (st.date && (!pos.from || st.date < pos.from)) pos.from = st.date;
      if (st.date && (!pos.to || st.date > pos.to)) pos.to = st.date;
    }
  }
  for (const s of out.values()) s.statements.sort((a, b) => (a.date ?? '').localeCompare(b.date ?? ''));
  return [...out.values()].sort((a, b) => a.name.localeCompare(b.name));
}
