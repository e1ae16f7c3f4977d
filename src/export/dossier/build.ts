/**
 * Builds one dossier package from an EvidenceSource: selects the items, renders page-region
 * images, assembles and validates dossier.json, sets the PDF, writes excerpts.csv, copies the
 * originals and the audit events, and bags it all into a ZIP.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { DossierFilters } from '../../store/jobs';
import { csvCell } from '../flags-export';
import { canonicalJson } from '../../audit/canonical';
import { sha256OfFile } from '../../hash';
import { writeBagZip, type BagFile } from './bag';
import { PageLocator, renderCrop, type PageCrop } from './crop';
import type { ToolLimits } from '../../limited-process';
import { CROPPABLE_IMAGE_TYPES, imageAsPdf } from './image-pdf';
import { assembleDossier, originalFileName, type DossierData, type DossierItem } from './data';
import { renderDossierPdf } from './pdf';
import type { EvidenceSource } from './source';
import { dossierValidator } from './verify';
import { ReviewerNames, type IdentityChoice } from './identities';
import type { AuditEventRecord } from '../../store/audit';
import type { DossierReview, DossierTranslation, EvidenceItem } from './source';

export interface DossierRequest {
  id: string;
  title: string;
  submitter: string;
  addressee: string;
  filters: DossierFilters;
  createdAt: Date;
  /** The review workflow's setting when the dossier was built; the methodology states it. */
  requiredConfirmations: number;
  /** How reviewers are named, and whether their notes go in (reviewer protection). */
  identity: IdentityChoice;
}

export interface BuiltDossier {
  file: string;
  bytes: number;
  sha256: string;
  items: number;
  pdfPages: number;
  data: DossierData;
  /** Pseudonym → user id (pseudonymous dossiers): the organisation keeps it in its audit trail. */
  pseudonyms: Record<string, string>;
}

export interface BuildHooks {
  /** Called after each item's page image and once with the total up front. */
  progress?: (done: number, total: number) => Promise<void> | void;
  /** Caps of pdftotext, pdftoppm and tiff2pdf here (default: the render limits' defaults). */
  limits?: ToolLimits;
  /** Sign the package (its tag manifest) with this Ed25519 private key (PEM). */
  signingKeyPem?: string;
}

export async function buildDossier(source: EvidenceSource, request: DossierRequest, outDir: string, hooks: BuildHooks = {}): Promise<BuiltDossier> {
  const items = await source.items(request.filters);
  await hooks.progress?.(0, items.length);
  const flagIds = items.map((i) => String(i.flag._id));
  const docIds = [...new Set(items.map((i) => String(i.document._id)))];
  const speakerNames = [...new Set(items.map((i) => i.document.statement?.speaker).filter((n): n is string => !!n))];
  const [reviews, translations, audit, speakers, lexicons] = await Promise.all([
    source.reviews(items.map((i) => i.flag)),
    source.translations(flagIds),
    // The dossier's own events (its request) travel with it, next to those of its flags and documents.
    source.auditEvents([...flagIds, ...docIds, request.id]),
    source.speakers(speakerNames),
    source.lexicons(items.map((i) => i.flag.lexicon.version)),
  ]);

  const locator = new PageLocator(hooks.limits);
  const crops = new Map<string, DossierItem['crop']>();
  const images = new Map<string, PageCrop>();
  const pageFiles: BagFile[] = [];
  // Image originals are cropped through a working PDF of each (made once per document here).
  let workDir: string | null = null;
  const imagePdfs = new Map<string, Promise<string | null>>();
  const croppablePdf = (document: (typeof items)[number]['document']): Promise<string | null> => {
    if (document.original.type === 'pdf') return Promise.resolve(source.originalPath(document));
    if (!CROPPABLE_IMAGE_TYPES.has(document.original.type)) return Promise.resolve(null);
    const key = String(document._id);
    let pdf = imagePdfs.get(key);
    if (!pdf) {
      workDir ??= fs.mkdtempSync(path.join(os.tmpdir(), 'lexwatch-dossier-'));
      const file = path.join(workDir, `${document.original.sha256}.pdf`);
      // A conversion that fails leaves the excerpt without a page image, as for a text source.
      pdf = imageAsPdf(document.original.type, source.originalPath(document), file, hooks.limits).then(() => file, () => null);
      imagePdfs.set(key, pdf);
    }
    return pdf;
  };
  try {
    for (const [n, { flag, document }] of items.entries()) {
      const pdfPath = await croppablePdf(document);
      if (pdfPath) {
        const page = await locator.words(pdfPath, flag.page);
        const box = flag.box ?? (await locator.locate(pdfPath, flag.page, flag.exact, { prefix: flag.prefix }));
        if (page && box) {
          const crop = await renderCrop(pdfPath, flag.page, box, flag.box ? 'flag' : 'text-search', page, hooks.limits);
          const file = `data/pages/E${String(n + 1).padStart(4, '0')}-p${flag.page + 1}.png`;
          images.set(String(flag._id), crop);
          crops.set(String(flag._id), { file, boxSource: crop.boxSource, box });
          pageFiles.push({ path: file, data: crop.png });
        }
      }
      await hooks.progress?.(n + 1, items.length);
    }
  } finally {
    if (workDir) fs.rmSync(workDir, { recursive: true, force: true });
  }

  const names = new ReviewerNames(request.identity.reviewers);
  const shown = protectReviewers(items, reviews, translations, names, request.identity.includeNotes);
  const data = assembleDossier({ ...request, dossierId: request.id, items, reviews: shown.reviews, translations: shown.translations, audit, crops, speakers, lexicons });
  const validate = dossierValidator();
  if (!validate(data)) throw new Error(`dossier.json does not match its schema: ${JSON.stringify(validate.errors?.slice(0, 3))}`);
  const pdf = await renderDossierPdf(data, images);

  const originals: BagFile[] = [];
  for (const s of data.sources) {
    const doc = items.find((i) => String(i.document._id) === s.documentId)!.document;
    const file = source.originalPath(doc);
    const actual = await sha256OfFile(file);
    if (actual.sha256 !== s.sha256) throw new Error(`stored original of ${s.documentId} no longer matches its SHA-256`);
    originals.push({ path: originalFileName(s.sha256, s.mime), file, ...actual });
    // A captured page's web archive travels with it, so the recipient can replay the capture.
    const warc = s.capture?.warc ? doc.originals?.find((o) => o.role === 'warc' && o.sha256 === s.capture!.warc!.sha256) : undefined;
    if (s.capture?.warc && warc) {
      const warcFile = source.storedFilePath(warc.storedPath);
      const held = await sha256OfFile(warcFile);
      if (held.sha256 !== warc.sha256) throw new Error(`stored web archive of ${s.documentId} no longer matches its SHA-256`);
      originals.push({ path: s.capture.warc.file, file: warcFile, ...held });
    }
  }
  // Each line is the stored event without its database id, in the canonical JSON its hash is
  // taken over, so anyone can recompute the hash from the line (src/audit/log.ts eventHash).
  const auditLines = audit.map((e) => {
    const { _id: _ignored, __v: _v, ...event } = e as unknown as Record<string, unknown>;
    return `${canonicalJson(redacted(e, names, request.identity.includeNotes) ?? event)}\n`;
  });

  const payload: BagFile[] = [
    { path: 'data/dossier.pdf', data: pdf.bytes },
    { path: 'data/dossier.json', data: Buffer.from(`${JSON.stringify(data, null, 2)}\n`) },
    { path: 'data/excerpts.csv', data: Buffer.from(excerptsCsv(data)) },
    { path: 'data/audit-events.jsonl', data: Buffer.from(auditLines.join('')) },
    ...originals,
    ...pageFiles,
  ];
  fs.mkdirSync(outDir, { recursive: true });
  const file = path.join(outDir, `dossier-${request.id}.zip`);
  const bytes = await writeBagZip(file, `dossier-${request.id}`, payload, {
    'Source-Organization': request.submitter,
    'External-Description': `Lexwatch evidence dossier: ${request.title} (for ${request.addressee})`,
    'External-Identifier': request.id,
  }, hooks.signingKeyPem);
  const digest = (await sha256OfFile(file)).sha256;
  return { file, bytes, sha256: digest, items: data.items.length, pdfPages: pdf.pages, data, pseudonyms: names.mapping() };
}

const CSV_COLUMNS = [
  'itemId', 'evidence', 'stance', 'stanceBasis', 'citation', 'pdfPage', 'printedPage', 'lang', 'exact', 'quote', 'contextBefore', 'contextAfter', 'category', 'severity',
  'status', 'signals', 'target', 'referents', 'rules', 'lexicon', 'textMethod', 'ocrEngine', 'ocrConfidence', 'captureUrl', 'capturedAt', 'warcSha256', 'translation', 'translationLanguage', 'translator', 'checkedBy', 'confirmedBy', 'confirmedAt', 'sourceSha256', 'flagId', 'documentId', 'pageImage',
] as const;

/** Findings first, then context (not findings), then rejected candidates: each group apart, in item order. */
const EVIDENCE_ORDER = ['finding', 'context', 'transparency'] as const;

function excerptsCsv(data: DossierData): string {
  const ordered = EVIDENCE_ORDER.flatMap((e) => data.items.filter((i) => i.evidence === e));
  const rows = ordered.map((i) => {
    const row: Record<(typeof CSV_COLUMNS)[number], string | number | null> = {
      itemId: i.itemId, evidence: i.evidence, stance: i.stance.value, stanceBasis: i.stance.basis, citation: i.citation, pdfPage: i.pdfPage, printedPage: i.printedPage, lang: i.lang, exact: i.exact, quote: i.quote,
      contextBefore: i.contextBefore, contextAfter: i.contextAfter, category: i.category, severity: i.severity, status: i.status,
      signals: i.signals.set.join(';'), target: i.target.untargeted ? 'untargeted' : i.target.groups.map((g) => g.groupId).join(';'), referents: i.target.referents.join(';'),
      rules: i.rules.map((r) => `${r.kind}:${r.id}@${r.version}`).join(';'), lexicon: i.lexicon,
      textMethod: i.textSource.method, ocrEngine: i.textSource.method === 'ocr' ? i.textSource.engine : null, ocrConfidence: i.textSource.method === 'ocr' ? i.textSource.confidence : null,
      captureUrl: i.capture?.url ?? null, capturedAt: i.capture?.capturedAt ?? null, warcSha256: i.capture?.warcSha256 ?? null,
      translation: i.translation?.text ?? null, translationLanguage: i.translation?.language ?? null, translator: i.translation?.translator ?? null,
      checkedBy: i.translation?.checkedBy ?? null, confirmedBy: i.confirmedBy, confirmedAt: i.confirmedAt, sourceSha256: i.sourceSha256,
      flagId: i.flagId, documentId: i.documentId, pageImage: i.crop?.file ?? null,
    };
    return CSV_COLUMNS.map((c) => csvCell(row[c])).join(',');
  });
  return `\uFEFF${CSV_COLUMNS.join(',')}\r\n${rows.map((r) => `${r}\r\n`).join('')}`;
}

const ROUND_ROLE = (round: number): string => (round === 0 ? 'Adjudicator' : 'Reviewer');

/**
 * Reviews and translations as the reviewer-protection choice shows them: names replaced (one
 * pseudonym per person, assigned in the order items show them), notes left out unless asked for,
 * and the user ids used for that dropped.
 */
function protectReviewers(
  items: EvidenceItem[],
  reviews: Map<string, DossierReview[]>,
  translations: Map<string, DossierTranslation>,
  names: ReviewerNames,
  includeNotes: boolean,
): { reviews: Map<string, DossierReview[]>; translations: Map<string, DossierTranslation> } {
  const outReviews = new Map<string, DossierReview[]>();
  const outTranslations = new Map<string, DossierTranslation>();
  for (const { flag } of items) {
    const key = String(flag._id);
    const rounds = reviews.get(key);
    if (rounds) {
      outReviews.set(key, rounds.map(({ reviewerId, ...r }) => ({ ...r, reviewer: names.label(reviewerId ?? r.reviewer, r.reviewer, ROUND_ROLE(r.round)), note: includeNotes ? r.note : null })));
    }
    const t = translations.get(key);
    if (t) {
      const { checkedById, ...rest } = t;
      outTranslations.set(key, { ...rest, checkedBy: t.checkedBy ? names.label(checkedById ?? t.checkedBy, t.checkedBy, 'Translation checker') : null });
    }
  }
  return { reviews: outReviews, translations: outTranslations };
}

/**
 * An audit event made by a person, in a dossier that does not name people (or leaves notes out
 * and the event carries one), goes in without its content: the hashes stay, so the chain can be
 * checked and the organisation can later disclose the event to an arbiter who checks it against
 * its hash. Null: the event goes in as stored.
 */
function redacted(e: AuditEventRecord, names: ReviewerNames, includeNotes: boolean): Record<string, unknown> | null {
  // People act under their user id; the system and the command line under a fixed name.
  if (!/^[0-9a-f]{24}$/.test(String(e.actor))) return null;
  const note = (e.change as { note?: unknown } | null)?.note;
  const hasNote = typeof note === 'string' && note.length > 0;
  if (names.mode === 'named' && (includeNotes || !hasNote)) return null;
  const role = String(e.role ?? 'person');
  return {
    seq: e.seq,
    at: new Date(e.at).toISOString().slice(0, 10),
    actor: names.mode === 'named' ? e.actor : names.label(String(e.actor), String(e.actor), role.charAt(0).toUpperCase() + role.slice(1)),
    role: e.role,
    action: e.action,
    entity: e.entity,
    prevHash: e.prevHash,
    payloadSha256: e.payloadSha256,
    hash: e.hash,
    redacted: true,
  };
}
