/**
 * The human-readable dossier: cover, summary with a chart, methodology, findings per textbook
 * and per speaker (each excerpt with highlighted original, context, translation, citation,
 * hash, confirmation and a page-region image), and an evidence register annex.
 */
import PDFDocument from 'pdfkit';
import type { DossierData, DossierItem } from './data';
import { fontChain, toRuns } from './fonts';

export interface RenderedPdf {
  bytes: Buffer;
  pages: number;
}

const MARGIN = 56;
const INK = '#111111';
const MUTED = '#555555';
const MARK = '#b00020';

type Doc = PDFKit.PDFDocument;

export async function renderDossierPdf(data: DossierData, crops: Map<string, { png: Buffer; boxPx: { x: number; y: number; w: number; h: number }; width: number }>): Promise<RenderedPdf> {
  const doc = new PDFDocument({
    size: 'A4',
    margin: MARGIN,
    bufferPages: true,
    info: { Title: data.title, Author: data.submitter, Subject: `Evidence dossier for ${data.addressee}`, Creator: 'Lexwatch' },
  });
  const chain = fontChain();
  for (const [i, face] of chain.faces.entries()) {
    doc.registerFont(`r${i}`, face.regular);
    doc.registerFont(`b${i}`, face.bold);
  }
  const chunks: Buffer[] = [];
  doc.on('data', (c: Buffer) => chunks.push(c));
  const done = new Promise<void>((resolve, reject) => {
    doc.on('end', resolve);
    doc.on('error', reject);
  });

  cover(doc, data);
  doc.addPage();
  summary(doc, data);
  doc.addPage();
  methodology(doc, data);
  findings(doc, data, crops);
  annex(doc, data);

  const range = doc.bufferedPageRange();
  for (let i = range.start; i < range.start + range.count; i++) {
    doc.switchToPage(i);
    const bottom = doc.page.margins.bottom;
    doc.page.margins.bottom = 0;
    write(doc, `${data.title} — page ${i + 1} of ${range.count} — dossier ${data.dossierId}`, { size: 7, color: MUTED, x: MARGIN, y: doc.page.height - 36, width: doc.page.width - 2 * MARGIN, align: 'center' });
    doc.page.margins.bottom = bottom;
  }
  doc.end();
  await done;
  return { bytes: Buffer.concat(chunks), pages: range.count };
}

interface WriteOptions {
  size?: number;
  bold?: boolean;
  color?: string;
  marks?: Array<{ start: number; end: number }>;
  x?: number;
  y?: number;
  width?: number;
  align?: 'left' | 'center' | 'right';
  gap?: number;
}

/** Writes one paragraph in per-script font runs; marked ranges are bold, red and underlined. */
function write(doc: Doc, text: string, o: WriteOptions = {}): void {
  const runs = toRuns(text || ' ', o.marks);
  doc.fontSize(o.size ?? 10);
  const base = { width: o.width ?? doc.page.width - doc.page.margins.left - doc.page.margins.right, align: o.align ?? 'left', lineGap: 1.5 };
  if (o.x !== undefined && o.y !== undefined) {
    doc.x = o.x;
    doc.y = o.y;
  }
  runs.forEach((run, i) => {
    doc.font(`${run.mark || o.bold ? 'b' : 'r'}${run.face}`).fillColor(run.mark ? MARK : (o.color ?? INK));
    doc.text(run.text, { ...base, continued: i < runs.length - 1, underline: run.mark });
  });
  doc.fillColor(INK);
  if (o.gap) doc.moveDown(o.gap);
}

function heading(doc: Doc, text: string, size = 16): void {
  ensureSpace(doc, 60);
  doc.moveDown(0.6);
  write(doc, text, { size, bold: true, gap: 0.3 });
}

function ensureSpace(doc: Doc, height: number): void {
  if (doc.y + height > doc.page.height - doc.page.margins.bottom) doc.addPage();
}

function cover(doc: Doc, d: DossierData): void {
  doc.y = 180;
  write(doc, 'EVIDENCE DOSSIER', { size: 11, color: MUTED, gap: 1 });
  write(doc, d.title, { size: 24, bold: true, gap: 1.5 });
  write(doc, `Submitted by: ${d.submitter}`, { size: 12, gap: 0.3 });
  write(doc, `Addressed to: ${d.addressee}`, { size: 12, gap: 0.3 });
  write(doc, `Date: ${d.createdAt.slice(0, 10)}`, { size: 12, gap: 0.3 });
  write(doc, `Dossier id: ${d.dossierId}`, { size: 10, color: MUTED, gap: 0.3 });
  write(doc, `Review states included: ${d.states.join(', ')}`, { size: 10, color: MUTED, gap: 2 });
  write(
    doc,
    'Every excerpt below was found by automated matching as a candidate and decided by human reviewers. ' +
      'The original files, their SHA-256 hashes, the audit trail and a machine-readable copy of this dossier are in the accompanying package; see the annex for how to verify it.',
    { size: 10, color: MUTED },
  );
}

function summary(doc: Doc, d: DossierData): void {
  heading(doc, 'Summary');
  write(doc, `${d.summary.total} finding(s) from ${d.sources.length} source(s).${d.summary.transparency ? ` ${d.summary.transparency} rejected candidate(s) are listed apart, as transparency; they are not counted here.` : ''}`, { gap: 0.5 });
  chart(doc, 'Excerpts by category', d.summary.byCategory);
  for (const [label, counts] of [
    ['By severity (1 lowest – 4 highest)', d.summary.bySeverity],
    ['By source', d.summary.bySource],
    ['By year', d.summary.byYear],
    ['By category', d.summary.byCategory],
  ] as const) {
    ensureSpace(doc, 40);
    write(doc, label, { bold: true, size: 11 });
    write(doc, Object.entries(counts).map(([k, v]) => `${k}: ${v}`).join('   ') || '—', { gap: 0.6 });
  }
}

/** A horizontal bar chart drawn with vector rectangles. */
function chart(doc: Doc, title: string, counts: Record<string, number>): void {
  const entries = Object.entries(counts);
  const rowH = 16;
  ensureSpace(doc, 30 + entries.length * rowH);
  write(doc, title, { bold: true, size: 11, gap: 0.3 });
  const max = Math.max(1, ...entries.map(([, v]) => v));
  const left = MARGIN + 90;
  const full = doc.page.width - left - MARGIN - 30;
  let y = doc.y;
  for (const [label, value] of entries) {
    doc.font('r0').fontSize(8).fillColor(INK).text(label, MARGIN, y + 3, { width: 85, lineBreak: false });
    doc.rect(left, y + 2, Math.max(2, (full * value) / max), rowH - 5).fill('#4a6fa5');
    doc.fillColor(INK).text(String(value), left + (full * value) / max + 4, y + 3, { lineBreak: false });
    y += rowH;
  }
  doc.x = MARGIN;
  doc.y = y + 8;
}

function methodology(doc: Doc, d: DossierData): void {
  const m = d.methodology;
  heading(doc, 'Methodology');
  write(doc, 'Sources', { bold: true, size: 11 });
  for (const s of d.sources) write(doc, `• ${s.title}${s.date ? ` (${s.date})` : ''} — ${s.kind}, SHA-256 ${s.sha256}`, { size: 9 });
  doc.moveDown(0.5);
  write(doc, 'Taxonomy and lexicon', { bold: true, size: 11 });
  write(doc, `${m.taxonomy}. Lexicon version(s): ${m.lexicons.join(', ') || '—'}.`, { gap: 0.5 });
  write(doc, 'Review protocol', { bold: true, size: 11 });
  const a = m.agreement;
  write(doc, `${m.reviewProtocol} Measured agreement between first and second reviewers: ${a.percent === null ? 'not measured (no excerpt had two review rounds)' : `${a.percent}% (${a.agreed} of ${a.flagsWithTwoRounds} excerpts with two rounds)`}.`, { gap: 0.5 });
  write(doc, 'Reviewers', { bold: true, size: 11 });
  write(doc, m.reviewerIdentity.statement, { gap: 0.5 });
  write(doc, 'Translation protocol', { bold: true, size: 11 });
  write(doc, m.translationProtocol, { gap: 0.5 });
  write(doc, 'Limitations', { bold: true, size: 11 });
  for (const l of m.limitations) write(doc, `• ${l}`);
}

function findings(doc: Doc, d: DossierData, crops: Map<string, { png: Buffer; boxPx: { x: number; y: number; w: number; h: number }; width: number }>): void {
  const byDoc = new Map<string, DossierItem[]>();
  for (const item of d.items.filter((i) => i.evidence === 'finding')) byDoc.set(item.documentId, [...(byDoc.get(item.documentId) ?? []), item]);
  const textbooks = d.sources.filter((s) => s.kind === 'textbook' && byDoc.has(s.documentId));
  const others = d.sources.filter((s) => s.kind !== 'textbook' && !s.statement?.speaker && byDoc.has(s.documentId));
  if (textbooks.length) {
    doc.addPage();
    heading(doc, 'Findings by textbook', 18);
    for (const s of textbooks) {
      const tb = s.textbook ?? {};
      heading(doc, s.title, 13);
      write(doc, ['series: ' + (s.titleEnglish ?? s.title), tb.grade && `grade ${String(tb.grade)}`, tb.subject && `subject ${String(tb.subject)}`, tb.edition && `edition ${String(tb.edition)}`, tb.publisher && `publisher ${String(tb.publisher)}`, tb.year && `year ${String(tb.year)}`].filter(Boolean).join(' · '), { size: 9, color: MUTED, gap: 0.4 });
      for (const item of byDoc.get(s.documentId)!) excerpt(doc, item, crops.get(item.flagId));
    }
  }
  if (d.speakers.length) {
    doc.addPage();
    heading(doc, 'Findings by speaker', 18);
    const byId = new Map(d.items.map((i) => [i.itemId, i]));
    for (const sp of d.speakers) {
      heading(doc, sp.name, 13);
      if (sp.transliterations.length) write(doc, `Transliterations: ${sp.transliterations.join('; ')}`, { size: 9 });
      if (sp.aliases.length) write(doc, `Also known as: ${sp.aliases.join('; ')}`, { size: 9 });
      write(doc, sp.registered ? 'Positions held (speaker registry)' : 'Positions held (as recorded on the statements; speaker not in the registry)', { bold: true, size: 10 });
      for (const p of sp.positions) write(doc, `• ${p.title}${p.institution ? `, ${p.institution}` : ''} (${p.from ?? '?'} – ${p.to ?? '?'})`, { size: 9 });
      doc.moveDown(0.3);
      write(doc, 'Confirmed statements (by date)', { bold: true, size: 10 });
      for (const st of sp.statements) {
        const item = byId.get(st.itemId)!;
        write(doc, `${st.date ?? 'undated'} — ${item.itemId} — ${st.position ?? 'position not recorded'} — ${st.venue ?? 'venue not recorded'} — ${st.sourceUrl ?? 'no URL'} — captured copy SHA-256 ${st.sha256}`, { size: 8, color: MUTED });
        write(doc, item.quote, { size: 9, marks: item.highlights });
        if (item.translation) write(doc, `Translation: ${item.translation.text}`, { size: 9, color: MUTED });
        doc.moveDown(0.3);
      }
      for (const st of sp.statements) excerpt(doc, byId.get(st.itemId)!, crops.get(byId.get(st.itemId)!.flagId));
    }
  }
  if (others.length) {
    doc.addPage();
    heading(doc, 'Findings in other sources', 18);
    for (const s of others) {
      heading(doc, s.title, 13);
      for (const item of byDoc.get(s.documentId)!) excerpt(doc, item, crops.get(item.flagId));
    }
  }
  const rejected = d.items.filter((i) => i.evidence === 'transparency');
  if (rejected.length) {
    doc.addPage();
    heading(doc, 'Rejected candidates (transparency, not findings)', 18);
    write(doc, 'These excerpts were found by the matcher and rejected by the reviewers. They are listed on request to show what was turned down; they are not evidence of the claims above.', { size: 9, color: MUTED, gap: 0.4 });
    for (const item of rejected) excerpt(doc, item, crops.get(item.flagId));
  }
}

function excerpt(doc: Doc, item: DossierItem, crop: { png: Buffer; boxPx: { x: number; y: number; w: number; h: number }; width: number } | undefined): void {
  const width = doc.page.width - 2 * MARGIN;
  // The page region stays with its item's text: an item whose region would not fit below the text starts a page.
  ensureSpace(doc, 160 + (crop ? crop.png.readUInt32BE(20) * Math.min(1, width / crop.width) + 20 : 0));
  doc.moveDown(0.5);
  doc.moveTo(MARGIN, doc.y).lineTo(MARGIN + width, doc.y).lineWidth(0.5).strokeColor('#999999').stroke();
  doc.moveDown(0.3);
  write(doc, `${item.itemId} · ${item.category} · severity ${item.severity} · ${item.lang ?? 'language not detected'} · state ${item.status}`, { size: 9, bold: true });
  if (item.contextBefore) write(doc, `… ${item.contextBefore.replace(/\s+/gu, ' ').trimStart()}`, { size: 8, color: MUTED });
  write(doc, item.quote, { size: 11, marks: item.highlights });
  if (item.contextAfter) write(doc, `${item.contextAfter.replace(/\s+/gu, ' ').trim()} …`, { size: 8, color: MUTED });
  doc.moveDown(0.2);
  if (item.translation) {
    write(doc, `Translation (${item.translation.language}): ${item.translation.text}`, { size: 9 });
    write(doc, `Translated by ${item.translation.translator}; ${item.translation.checkedBy ? `checked by ${item.translation.checkedBy} on ${item.translation.checkedAt}` : 'not approved by a second person'}`, { size: 8, color: MUTED });
  } else {
    write(doc, 'Translation: none recorded', { size: 8, color: MUTED });
  }
  write(doc, `Printed page ${item.printedPage ?? '—'}, PDF page ${item.pdfPage} (index ${item.pageIndex}${item.pageVersion > 1 ? `, text version ${item.pageVersion}` : ''})`, { size: 8 });
  write(doc, `Citation: ${item.citation}`, { size: 8 });
  write(doc, `Source SHA-256: ${item.sourceSha256}`, { size: 8 });
  write(doc, item.confirmedBy ? `Confirmed by ${item.confirmedBy} on ${item.confirmedAt}` : 'Confirmation: no confirming review', { size: 8 });
  for (const r of item.reviews) {
    const mod = r.modification ? ` (${[r.modification.category && `category ${r.modification.category}`, r.modification.severity && `severity ${r.modification.severity}`, r.modification.target && `target ${r.modification.target}`].filter(Boolean).join(', ')})` : '';
    write(doc, `${r.round === 0 ? 'Adjudication' : `Review round ${r.round}`}: ${r.decision}${mod} by ${r.reviewer} on ${r.at}${r.note ? ` — ${r.note}` : ''}`, { size: 8, color: MUTED });
  }
  if (crop) {
    const scale = Math.min(1, width / crop.width);
    const h = (crop.png.readUInt32BE(20)) * scale;
    ensureSpace(doc, h + 20);
    const top = doc.y + 4;
    doc.image(crop.png, MARGIN, top, { width: crop.width * scale });
    const b = crop.boxPx;
    doc.rect(MARGIN + b.x * scale - 2, top + b.y * scale - 2, b.w * scale + 4, b.h * scale + 4).lineWidth(1.5).strokeColor(MARK).stroke();
    doc.x = MARGIN;
    doc.y = top + h + 6;
    write(doc, `Page region, PDF page ${item.pdfPage}; box ${item.crop?.boxSource === 'flag' ? 'from the flag’s coordinates' : 'located by searching the page’s text layer'}.`, { size: 7, color: MUTED });
  }
}

function annex(doc: Doc, d: DossierData): void {
  doc.addPage();
  heading(doc, 'Annex A — Evidence register', 18);
  write(doc, 'Item · SHA-256 of the source · source', { size: 8, bold: true, gap: 0.2 });
  for (const item of d.items) {
    const src = d.sources.find((s) => s.documentId === item.documentId)!;
    write(doc, `${item.itemId} · ${item.sourceSha256} · ${src.file} · PDF page ${item.pdfPage}`, { size: 7 });
  }
  heading(doc, 'Annex B — How to verify this package', 14);
  for (const line of [
    'The package is a ZIP in BagIt layout (RFC 8493): bagit.txt, bag-info.txt, manifest-sha256.txt, tagmanifest-sha256.txt and the payload under data/.',
    'manifest-sha256.txt lists the SHA-256 of every payload file (this PDF, dossier.json, excerpts.csv, the originals, the page images and the audit events). Recompute each with any SHA-256 tool (e.g. `sha256sum -c manifest-sha256.txt` run inside the unzipped folder) and compare.',
    'Each original file is named by its own SHA-256, which is also the hash cited with every excerpt: the cited text can be found in the original at the given PDF page.',
    'data/audit-events.jsonl holds the audit events touching the exported items; each event’s hash is SHA-256 of the previous hash followed by the event’s canonical JSON (keys sorted, without the hash), so a change to any event breaks the chain.',
    'Any BagIt tool checks it, e.g. the Library of Congress tool: `bagit.py --validate FOLDER` on the unzipped folder.',
    'In a browser, without installing anything: open verify.html from the package and choose the ZIP or the unzipped folder. It hashes every file locally (nothing is sent anywhere) and says OK or BROKEN, naming each file that fails.',
    'A signed package carries signing-key.pem and tagmanifest-sha256.txt.sig, an Ed25519 signature of tagmanifest-sha256.txt (which covers every file through manifest-sha256.txt). Both verifiers check it and show the key’s fingerprint: compare it with the one the sender published.',
    'With Lexwatch: `npx lexwatch verify-dossier FILE.zip` checks every hash, the signature and the audit chain and names whatever fails.',
  ]) write(doc, line, { size: 9, gap: 0.3 });
}
