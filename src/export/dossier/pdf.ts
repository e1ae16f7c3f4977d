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
  const context = d.summary.context ? ` ${d.summary.context} confirmed item(s) report, quote or condemn the words (or their stance is unclear): they are listed apart as context and are not counted here.` : '';
  const rejected = d.summary.transparency ? ` ${d.summary.transparency} rejected candidate(s) are listed apart, as transparency; they are not counted here.` : '';
  write(doc, `${d.summary.total} finding(s) from ${d.sources.length} source(s).${context}${rejected}`, { gap: 0.5 });
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
  const sub = (text: string) => write(doc, text, { bold: true, size: 11 });
  heading(doc, 'Methodology');
  sub('Sources');
  for (const s of d.sources) {
    write(doc, `• ${s.title}${s.date ? ` (${s.date})` : ''} — ${s.kind}, SHA-256 ${s.sha256}`, { size: 9 });
    const c = s.capture;
    if (c) {
      write(doc, `  Captured from ${c.requestedUrl}${c.finalUrl && c.finalUrl !== c.requestedUrl ? ` (after redirects: ${c.finalUrl})` : ''}${c.status ? `, HTTP ${c.status}` : ''}, from ${c.startedAt ?? '?'} to ${c.endedAt ?? '?'} (UTC) with ${c.browserVersion ? `Chromium ${c.browserVersion}` : 'a headless browser'}.`, { size: 8, color: MUTED });
      write(doc, c.warc ? `  Web archive (WARC 1.1): ${c.warc.file}, SHA-256 ${c.warc.sha256}, ${c.warc.bytes} bytes; it replays in any WARC player.` : '  No web archive was stored for this capture.', { size: 8, color: MUTED });
    }
  }
  doc.moveDown(0.5);
  sub('Categories used');
  write(doc, `${m.taxonomy}.`, { size: 9, gap: 0.2 });
  for (const c of m.categories) write(doc, `• ${c.code} — ${c.name}: ${c.definition}. Basis: ${c.basis}.`, { size: 9 });
  if (m.severities.length) {
    write(doc, 'Severities used', { bold: true, size: 9 });
    for (const v of m.severities) write(doc, `• ${v.severity}: ${v.meaning}`, { size: 9 });
  }
  if (m.signals.length) {
    write(doc, 'Signals the analyser set (they lower a candidate’s priority; they never remove it)', { bold: true, size: 9 });
    for (const g of m.signals) write(doc, `• ${g.signal}: ${g.meaning}`, { size: 9 });
  }
  write(doc, 'Works the basis names', { bold: true, size: 9 });
  for (const w of m.basisWorks) write(doc, `• ${w.short}: ${w.work}`, { size: 8 });
  doc.moveDown(0.5);
  sub('Lexicon');
  for (const v of m.lexiconVersions) write(doc, `Version ${v.version}${v.name ? ` — ${v.name}` : ''}${v.description ? `: ${v.description}` : ''}`, { size: 9 });
  write(doc, 'Entries and frames that raised the items', { bold: true, size: 9 });
  for (const r of m.lexiconRules) {
    write(doc, `• ${r.kind} ${r.id}, version ${r.version}${r.lang ? ` (${r.lang}` : ''}${r.category ? `, ${r.category}, severity ${r.severity})` : r.lang ? ')' : ''} in ${r.lexicon}`, { size: 9, bold: true });
    if (r.wording.length) write(doc, `  ${r.kind === 'entry' ? 'Terms' : 'Patterns'}: ${r.wording.join(' | ')}`, { size: 8, color: MUTED });
    write(doc, `  Meaning: ${r.meaning}`, { size: 8 });
    if (r.whyHarmful) write(doc, `  Why harmful: ${r.whyHarmful}`, { size: 8 });
    if (r.method) write(doc, `  Method: ${r.method}`, { size: 8 });
    if (r.basis) write(doc, `  Basis: ${r.basis}`, { size: 8, color: MUTED });
  }
  doc.moveDown(0.5);
  sub('Review protocol');
  write(doc, `Confirmations required: ${m.protocol.requiredConfirmations}.`, { size: 9 });
  write(doc, `Blind rounds: ${m.protocol.blindRounds}`, { size: 9 });
  write(doc, `Adjudication: ${m.protocol.adjudication}`, { size: 9 });
  write(doc, `Stance: ${m.protocol.stance}`, { size: 9, gap: 0.3 });
  sub('Agreement between reviewers');
  write(doc, m.agreement.statement, { size: 9, gap: 0.5 });
  sub('How the text was read');
  for (const t of m.textSources) write(doc, `• ${t.method === 'ocr' ? `OCR by ${t.engine ?? 'an engine not recorded'}` : t.method}: ${t.items} item(s)`, { size: 9 });
  write(doc, 'Each item states how its page text was obtained, and for OCR the engine and its confidence.', { size: 9, gap: 0.5 });
  sub('Reviewers');
  write(doc, m.reviewerIdentity.statement, { gap: 0.5 });
  sub('Translation protocol');
  write(doc, m.translationProtocol, { gap: 0.5 });
  sub('Limitations');
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
  const context = d.items.filter((i) => i.evidence === 'context');
  if (context.length) {
    doc.addPage();
    heading(doc, 'Context, not findings (reported, quoted or condemned)', 18);
    write(doc, 'The reviewers confirmed that these passages contain the words, but the passage reports or quotes them, condemns them, or its stance is unclear (for example a textbook teaching pupils to recognise propaganda). They are listed to show the whole text; they are not evidence that the source itself uses such language.', { size: 9, color: MUTED, gap: 0.4 });
    for (const item of context) excerpt(doc, item, crops.get(item.flagId));
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
  const lines = excerptLines(item);
  // The page region stays with its item's text: an item whose text and region would not fit
  // below the current position starts a page. The text is measured, not guessed, because the
  // lines an item has (translation, capture, reviews) vary.
  const textHeight = lines.reduce((h, [text, o]) => h + measure(doc, text, o, width), 0);
  ensureSpace(doc, textHeight + 40 + (crop ? crop.png.readUInt32BE(20) * Math.min(1, width / crop.width) + 30 : 0));
  doc.moveDown(0.5);
  doc.moveTo(MARGIN, doc.y).lineTo(MARGIN + width, doc.y).lineWidth(0.5).strokeColor('#999999').stroke();
  doc.moveDown(0.3);
  for (const [text, o] of lines) write(doc, text, o);
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

/** An item's text block, line by line, as `excerpt` writes it. */
function excerptLines(item: DossierItem): Array<[string, WriteOptions]> {
  const label = { finding: 'finding', context: 'context, not a finding', transparency: 'rejected, not a finding' }[item.evidence];
  const lines: Array<[string, WriteOptions]> = [];
  lines.push([`${item.itemId} · ${label} · ${item.category} · severity ${item.severity} · ${item.lang ?? 'language not detected'} · state ${item.status}`, { size: 9, bold: true }]);
  if (item.contextBefore) lines.push([`… ${item.contextBefore.replace(/\s+/gu, ' ').trimStart()}`, { size: 8, color: MUTED }]);
  lines.push([item.quote, { size: 11, marks: item.highlights, gap: item.contextAfter ? 0 : 0.2 }]);
  if (item.contextAfter) lines.push([`${item.contextAfter.replace(/\s+/gu, ' ').trim()} …`, { size: 8, color: MUTED, gap: 0.2 }]);
  if (item.translation) {
    lines.push([`Translation (${item.translation.language}): ${item.translation.text}`, { size: 9 }]);
    lines.push([`Translated by ${item.translation.translator}; ${item.translation.checkedBy ? `checked by ${item.translation.checkedBy} on ${item.translation.checkedAt}` : 'not approved by a second person'}`, { size: 8, color: MUTED }]);
  } else {
    lines.push(['Translation: none recorded', { size: 8, color: MUTED }]);
  }
  for (const line of [item.stance.statement, item.signals.statement, item.target.statement, rulesLine(item), item.textSource.statement, item.outcome]) lines.push([line, { size: 8 }]);
  if (item.capture) {
    lines.push([`Captured from ${item.capture.url}${item.capture.finalUrl && item.capture.finalUrl !== item.capture.url ? ` (final URL ${item.capture.finalUrl})` : ''} at ${item.capture.capturedAt ?? 'an unrecorded time'} (UTC); web archive SHA-256 ${item.capture.warcSha256 ?? 'not stored'}${item.capture.warcFile ? ` (${item.capture.warcFile})` : ''}.`, { size: 8 }]);
  }
  lines.push([`Printed page ${item.printedPage ?? '—'}, PDF page ${item.pdfPage} (index ${item.pageIndex}${item.pageVersion > 1 ? `, text version ${item.pageVersion}` : ''})`, { size: 8 }]);
  lines.push([`Citation: ${item.citation}`, { size: 8 }]);
  lines.push([`Source SHA-256: ${item.sourceSha256}`, { size: 8 }]);
  lines.push([item.confirmedBy ? `Confirmed by ${item.confirmedBy} on ${item.confirmedAt}` : 'Confirmation: no confirming review', { size: 8 }]);
  for (const r of item.reviews) {
    const mod = r.modification ? ` (${[r.modification.category && `category ${r.modification.category}`, r.modification.severity && `severity ${r.modification.severity}`, r.modification.target && `target ${r.modification.target}`].filter(Boolean).join(', ')})` : '';
    lines.push([`${r.round === 0 ? 'Adjudication' : `Review round ${r.round}`}: ${r.decision}${mod} by ${r.reviewer} on ${r.at}${r.note ? ` — ${r.note}` : ''}`, { size: 8, color: MUTED }]);
  }
  return lines;
}

/** The height `write` will take for one paragraph (in its first run's font; a little over is fine). */
function measure(doc: Doc, text: string, o: WriteOptions, width: number): number {
  const runs = toRuns(text || ' ', o.marks);
  doc.fontSize(o.size ?? 10).font(`${o.bold ? 'b' : 'r'}${runs[0]!.face}`);
  const gap = o.gap ? o.gap * doc.currentLineHeight(true) : 0;
  return doc.heightOfString(runs.map((r) => r.text).join(''), { width, lineGap: 1.5 }) + gap;
}

function rulesLine(item: DossierItem): string {
  if (item.rules.length === 0) return `Rule: none recorded (lexicon ${item.lexicon}).`;
  return `Found by the analyser with lexicon ${item.lexicon}: ${item.rules.map((r) => `${r.kind} ${r.id} version ${r.version} (“${r.words}”)`).join('; ')}; their meaning is in the methodology.`;
}

function annex(doc: Doc, d: DossierData): void {
  doc.addPage();
  heading(doc, 'Annex A — Evidence register', 18);
  write(doc, 'Item · finding, context or rejected · SHA-256 of the source · source', { size: 8, bold: true, gap: 0.2 });
  for (const item of d.items) {
    const src = d.sources.find((s) => s.documentId === item.documentId)!;
    write(doc, `${item.itemId} · ${item.evidence} · ${item.sourceSha256} · ${src.file} · PDF page ${item.pdfPage}${src.capture?.warc ? ` · web archive ${src.capture.warc.file}` : ''}`, { size: 7 });
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
