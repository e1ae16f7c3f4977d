/**
 * The method inside the package, pure: what each item's signals, stance, target, rules and text
 * source mean in plain words, the legend of the categories used (definition and basis), the
 * lexicon entries and frames used with their meaning, the measured agreement, and the
 * limitations that are true of this dossier. A recipient reads all of it without leaving the
 * package, so nothing here points to a file or a page elsewhere.
 */
import { CATEGORY_INFO, SEVERITY_INFO, SIGNAL_INFO } from '../../analyze/taxonomy';
import type { CategoryCode, FlagSignals, LexiconData, Severity } from '../../analyze/types';
import { cohensKappa, krippendorffAlphaNominal } from '../../review/agreement';
import type { Stance } from '../../store/reviews';
import type { DossierReview, EvidenceItem } from './source';

type Flag = EvidenceItem['flag'];

/**
 * The published works each category rests on, as docs/taxonomy.md gives them ("Main basis");
 * test/export/dossier-method.test.ts keeps the two the same.
 */
export const CATEGORY_BASIS: Readonly<Record<CategoryCode, string>> = {
  'DH.ANIMAL': 'Mendelsohn et al. 2020; Haslam 2006; Livingstone Smith 2011',
  'DH.DISEASE': 'Mendelsohn et al. 2020; DSP',
  'DH.DEMON': 'Livingstone Smith 2011; Haslam 2006',
  'DH.OBJECT': 'Haslam 2006 (mechanistic dehumanization)',
  'DH.DISGUST': 'Mendelsohn et al. 2020',
  'VI.ERAD': 'Genocide Convention Art. II, III(c); Rabat Plan',
  'VI.THREAT': 'Rabat Plan (ICCPR Art. 20(2))',
  'VI.GLOR': 'IMPACT-se; Rabat Plan',
  'VI.JUST': 'DSP; IMPACT-se',
  'VI.CALL': 'Rabat Plan (ICCPR Art. 20(2))',
  'TH.MIRROR': 'DSP hallmark',
  'TH.PURITY': 'DSP hallmark',
  'NE.SLUR': 'Rabat Plan (content and form)',
  'NE.ESSENCE': 'IMPACT-se; Haslam 2006',
  'NE.COLLECT': 'IMPACT-se; DSP',
  'NE.HATE': 'DSP; Rabat Plan (advocacy of hatred)',
  'HE.DESTROY': 'UNESCO 2003; IMPACT-se',
  'HE.DENY': 'IMPACT-se',
  'HE.DESECR': 'UNESCO 2003; IMPACT-se',
  'DE.ATROC': 'Stanton (denial); IMPACT-se',
  'DE.EXIST': 'Haslam 2006; Mendelsohn et al. 2020; IMPACT-se',
  CODE: 'DSP',
  'PO.RESPECT': 'IMPACT-se',
};

/** The works the short names in CATEGORY_BASIS stand for (a bibliography, not links). */
export const BASIS_WORKS: ReadonlyArray<{ short: string; work: string }> = [
  { short: 'DSP', work: 'Dangerous Speech Project: S. Benesch, Dangerous Speech: A Practical Guide (its hallmarks of speech that can make violence more likely)' },
  { short: 'Mendelsohn et al. 2020', work: 'J. Mendelsohn, Y. Tsvetkov, D. Jurafsky (2020), A Framework for the Computational Linguistic Analysis of Dehumanization, Frontiers in Artificial Intelligence 3:55' },
  { short: 'Haslam 2006', work: 'N. Haslam (2006), Dehumanization: An Integrative Review, Personality and Social Psychology Review 10(3)' },
  { short: 'Livingstone Smith 2011', work: 'D. Livingstone Smith (2011), Less Than Human: Why We Demean, Enslave, and Exterminate Others' },
  { short: 'Rabat Plan', work: 'Rabat Plan of Action on the prohibition of advocacy of national, racial or religious hatred that constitutes incitement (UN OHCHR 2012, A/HRC/22/17/Add.4), on ICCPR Art. 20(2)' },
  { short: 'Genocide Convention', work: 'Convention on the Prevention and Punishment of the Crime of Genocide (1948), Art. II and III(c) (direct and public incitement)' },
  { short: 'IMPACT-se', work: 'IMPACT-se standards for reviewing school textbooks, derived from UNESCO declarations on peace and tolerance in education' },
  { short: 'UNESCO 2003', work: 'UNESCO Declaration concerning the Intentional Destruction of Cultural Heritage (2003)' },
  { short: 'Stanton', work: 'G. Stanton, The Ten Stages of Genocide (denial as a stage)' },
];

export interface CategoryLegendEntry {
  code: string;
  name: string;
  definition: string;
  basis: string;
}

/** Every category the items use, defined; a code the taxonomy does not list says so. */
export function categoryLegend(codes: Iterable<string>): CategoryLegendEntry[] {
  return [...new Set(codes)].sort().map((code) => {
    const info = (CATEGORY_INFO as Record<string, { name: string; covers: string } | undefined>)[code];
    const basis = (CATEGORY_BASIS as Record<string, string | undefined>)[code];
    return info && basis
      ? { code, name: info.name, definition: info.covers, basis }
      : { code, name: code, definition: 'a code the current taxonomy does not list (kept from an older lexicon or a reviewer’s modification)', basis: 'none recorded' };
  });
}

export function severityLegend(levels: Iterable<number>): Array<{ severity: number; meaning: string }> {
  return [...new Set(levels)].sort().map((severity) => ({ severity, meaning: SEVERITY_INFO[severity as Severity] ?? 'not a severity of the taxonomy' }));
}

export const SIGNAL_NAMES = ['quoted', 'negated', 'condemned', 'fuzzy', 'untargeted'] as const satisfies ReadonlyArray<keyof FlagSignals>;
export type SignalName = (typeof SIGNAL_NAMES)[number];

export function signalLegend(names: Iterable<string>): Array<{ signal: string; meaning: string }> {
  const used = new Set(names);
  return SIGNAL_NAMES.filter((s) => used.has(s)).map((signal) => ({ signal, meaning: SIGNAL_INFO[signal] }));
}

export interface ItemSignals {
  /** The analyser's signals that are set, in the order a reviewer reads them. */
  set: SignalName[];
  statement: string;
}

export function signalsOf(flag: Pick<Flag, 'signals'>): ItemSignals {
  const set = SIGNAL_NAMES.filter((s) => flag.signals?.[s]);
  const plain: Record<SignalName, string> = {
    quoted: 'quoted or reported speech',
    negated: 'negated',
    condemned: 'condemned nearby',
    fuzzy: 'matched with one letter off or a repaired spelling',
    untargeted: 'no listed group named',
  };
  return {
    set,
    statement: set.length ? `The analyser marked it: ${set.map((s) => `${s} (${plain[s]})`).join('; ')}.` : 'The analyser found no quotation, negation or condemnation around the words, and a listed group is named.',
  };
}

export interface ItemStance {
  value: Stance;
  /** `reviewers`: from the stances the deciding reviewers recorded; `analyser`: none recorded, read from the signals. */
  basis: 'reviewers' | 'analyser';
  statement: string;
}

const STANCE_WORDS: Record<Stance, string> = {
  endorses: 'the text says these words as its own',
  'reports-or-quotes': 'the text reports or quotes someone else’s words',
  condemns: 'the text condemns these words',
  unclear: 'the stance cannot be told',
};

/**
 * The stance an item is shown with. The deciding reviews (the adjudication, else the independent
 * rounds that decided) speak first; reviewers who recorded different stances make it `unclear`
 * (which is not a finding: a disagreement about stance is a reason for doubt). When no deciding
 * reviewer recorded one, the analyser's cues stand in, and the item says so.
 */
export function stanceOf(flag: Pick<Flag, 'signals'>, rounds: DossierReview[]): ItemStance {
  const adjudication = rounds.find((r) => r.round === 0);
  const deciding = adjudication ? [adjudication] : rounds.filter((r) => r.decision !== 'escalate');
  const recorded = deciding.map((r) => r.stance).filter((s): s is Stance => !!s);
  if (recorded.length) {
    const distinct = [...new Set(recorded)];
    const who = adjudication ? 'the adjudicator' : `${recorded.length} of ${deciding.length} deciding reviewer(s)`;
    if (distinct.length === 1) return { value: distinct[0]!, basis: 'reviewers', statement: `Stance: ${distinct[0]} — ${STANCE_WORDS[distinct[0]!]} (recorded by ${who}).` };
    return { value: 'unclear', basis: 'reviewers', statement: `Stance: unclear — the reviewers recorded different stances (${distinct.join(', ')}), so it is not counted as a finding.` };
  }
  const s = flag.signals ?? ({} as Partial<FlagSignals>);
  const [value, why]: [Stance, string] = s.condemned
    ? ['condemns', 'a condemnation cue stands near the words']
    : s.quoted
      ? ['reports-or-quotes', 'the words are in quotation marks or reported speech']
      : s.negated
        ? ['unclear', 'the words are negated']
        : ['endorses', 'no quotation, condemnation or negation cue stands near the words'];
  return { value, basis: 'analyser', statement: `Stance: ${value} — no reviewer recorded a stance; read from the analyser’s cues: ${why}.` };
}

export interface ItemTarget {
  untargeted: boolean;
  groups: Array<{ groupId: string; name: string | null; fictional: boolean; words: string[] }>;
  /** Words standing for an unlisted group (untargeted), or pronouns and their antecedents. */
  referents: string[];
  statement: string;
}

export function targetOf(flag: Pick<Flag, 'targets' | 'referents' | 'signals' | 'outcome'>, lexicon: LexiconData | undefined): ItemTarget {
  const byId = new Map<string, ItemTarget['groups'][number]>();
  const known = (id: string) => lexicon?.targets.find((t) => t.id === id);
  const add = (groupId: string, words: string[]) => {
    const group = byId.get(groupId) ?? { groupId, name: known(groupId)?.name ?? null, fictional: known(groupId)?.fictional === true, words: [] };
    for (const w of words) if (!group.words.includes(w)) group.words.push(w);
    byId.set(groupId, group);
  };
  for (const t of flag.targets ?? []) add(t.groupId, [t.exact]);
  // A reviewer's modify decision may name the target group the analysis did not.
  const agreed = flag.outcome?.target ?? null;
  if (agreed && !byId.has(agreed)) add(agreed, []);
  const referents = (flag.referents ?? []).map((r) => (r.antecedent ? `${r.exact} (→ ${r.antecedent.exact})` : r.exact));
  const groups = [...byId.values()];
  const untargeted = groups.length === 0;
  const named = (g: ItemTarget['groups'][number]) => {
    const name = g.name ?? g.groupId;
    const invented = g.fictional && !/fictional|invented/i.test(name) ? ' (an invented example group)' : '';
    return `${name}${invented}${g.words.length ? `, named as ${g.words.map((w) => `“${w}”`).join(', ')}` : ', set by the reviewers'}`;
  };
  // Confirming a flag records its target; only a reviewer's change of it is worth saying.
  const changed = agreed && agreed !== (flag.targets ?? [])[0]?.groupId ? ` (the reviewers set the target group to ${agreed})` : '';
  const statement = untargeted
    ? `Target: untargeted — no listed group is named${referents.length ? `; the words that stand for a group: ${referents.map((r) => `“${r}”`).join(', ')}` : ''}.`
    : `Target group: ${groups.map(named).join('; ')}${changed}${referents.length ? `; referring words: ${referents.map((r) => `“${r}”`).join(', ')}` : ''}.`;
  return { untargeted, groups, referents, statement };
}

export interface ItemRule {
  kind: 'entry' | 'frame';
  id: string;
  version: number;
  /** The words of the page it matched. */
  words: string;
}

export function rulesOf(flag: Pick<Flag, 'matches' | 'frames'>): ItemRule[] {
  return [
    ...(flag.frames ?? []).map((f) => ({ kind: 'frame' as const, id: f.frameId, version: f.frameVersion, words: f.exact })),
    ...(flag.matches ?? []).map((m) => ({ kind: 'entry' as const, id: m.entryId, version: m.entryVersion, words: m.exact })),
  ];
}

export interface ItemTextSource {
  method: 'text-layer' | 'plain-text' | 'ocr' | null;
  engine: string | null;
  /** OCR's mean word confidence for the page (0–100), when OCR read it. */
  confidence: number | null;
  statement: string;
}

export function textSourceOf(flag: Pick<Flag, 'source'>, captured: boolean): ItemTextSource {
  const s = flag.source;
  const method = s?.method ?? null;
  const engine = s?.engine ?? null;
  const confidence = typeof s?.confidence === 'number' ? Math.round(s.confidence * 10) / 10 : null;
  const statement =
    method === 'ocr'
      ? `Text: read from the page image by OCR (${engine ?? 'engine not recorded'}, mean word confidence ${confidence ?? 'not recorded'} of 100); OCR can misread letters, so compare the quote with the page region.`
      : method === 'text-layer'
        ? captured ? 'Text: from the text layer of the PDF our browser rendered from the captured page.' : 'Text: from the PDF’s own text layer (not OCR).'
        : method === 'plain-text'
          ? 'Text: the document’s own text (not OCR).'
          : 'Text: how the page text was obtained was not recorded for this flag.';
  return { method, engine, confidence, statement };
}

/** How a dossier presents an item (see DossierItem.evidence). */
export type Evidence = 'finding' | 'context' | 'transparency';

/** The review outcome in plain words. */
export function outcomeOf(
  flag: EvidenceItem['flag'],
  o: { category: string; severity: number; evidence: Evidence; confirmedBy: string | null; adjudicated: boolean; confirmations: number },
): string {
  if (o.evidence === 'transparency') return 'Outcome: rejected by the reviewers (not a finding; listed only as transparency).';
  const how = o.adjudicated ? `decided by adjudication (${o.confirmedBy ?? 'adjudicator'})` : `confirmed by ${o.confirmations} independent reviewer(s) (${o.confirmedBy ?? '—'})`;
  const modified = o.category !== flag.category || o.severity !== flag.severity ? `; the analyser had proposed ${flag.category}, severity ${flag.severity}` : '';
  const as = `as ${o.category}, severity ${o.severity}${modified}`;
  return o.evidence === 'finding'
    ? `Outcome: ${how} ${as}. A finding.`
    : `Outcome: ${how} ${as}; because of its stance it is context, not a finding.`;
}

// --- lexicon rules used -------------------------------------------------------------------------

/**
 * Lexicon texts may name a file of the repository ("the categories of lexicons/README.md"); a
 * dossier's reader has the package only, where the categories are defined in the legend.
 */
export function withinPackage(text: string): string {
  return text.replace(/\b(?:lexicons|docs|design)\/[\w./-]+\.md\b/g, 'the Lexwatch taxonomy (defined in this dossier’s category legend)');
}

export interface LexiconRuleNote {
  lexicon: string;
  kind: 'entry' | 'frame';
  id: string;
  version: number;
  lang: string | null;
  category: string | null;
  severity: number | null;
  /** Terms (entries) or patterns (frames) as written in the lexicon. */
  wording: string[];
  meaning: string;
  whyHarmful: string | null;
  /** How a frame decides (frames only). */
  method: string | null;
  basis: string | null;
}

/**
 * The entries and frames the items used, with their meaning as the lexicon version that raised
 * the flags states it. A rule whose version is missing from the stored snapshot says so.
 */
export function lexiconRuleNotes(used: Array<{ lexicon: string; version: string; rules: ItemRule[] }>, lexicons: Map<string, LexiconData>): LexiconRuleNote[] {
  const out = new Map<string, LexiconRuleNote>();
  for (const { lexicon, version, rules } of used) {
    const data = lexicons.get(version);
    for (const rule of rules) {
      const key = `${lexicon}|${rule.kind}|${rule.id}@${rule.version}`;
      if (out.has(key)) continue;
      const found = rule.kind === 'entry' ? data?.entries.find((e) => e.id === rule.id) : data?.frames?.find((f) => f.id === rule.id);
      if (!found || found.version !== rule.version) {
        out.set(key, {
          lexicon, kind: rule.kind, id: rule.id, version: rule.version, lang: null, category: null, severity: null, wording: [],
          meaning: `The wording of version ${rule.version} of this ${rule.kind} is not in the stored lexicon version ${version}.`, whyHarmful: null, method: null, basis: null,
        });
        continue;
      }
      const basis = found.source.citation ? `${found.source.ref}. ${found.source.citation}` : found.source.ref;
      out.set(key, {
        lexicon, kind: rule.kind, id: rule.id, version: rule.version, lang: found.lang, category: found.category, severity: found.severity,
        wording: 'terms' in found ? found.terms : found.patterns,
        meaning: withinPackage(found.meaning), whyHarmful: withinPackage(found.whyHarmful), method: 'method' in found ? withinPackage(found.method) : null, basis: withinPackage(`${found.source.type}: ${basis}`),
      });
    }
  }
  return [...out.values()].sort((a, b) => a.kind.localeCompare(b.kind) || a.id.localeCompare(b.id) || a.version - b.version);
}

// --- agreement ----------------------------------------------------------------------------------

export interface DossierAgreement {
  /** Items with a first and a second independent review. */
  flagsWithTwoRounds: number;
  /** Of those, how many got the same label in both rounds. */
  agreed: number;
  /** Raw agreement, agreed / flagsWithTwoRounds, in percent (one decimal); null without pairs. */
  percent: number | null;
  /** Cohen's kappa over the round-1/round-2 pairs; null when undefined (no pairs, or one label only). */
  kappa: number | null;
  /** Krippendorff's alpha (nominal) over every independent round; units = items with two or more. */
  alpha: { value: number | null; units: number };
  /** The labels compared: `confirm` (a confirm or modify decision), `reject`, `escalate`. */
  pairs: Array<{ first: string; second: string; n: number }>;
  statement: string;
}

const label = (decision: string): string => (decision === 'modify' ? 'confirm' : decision);
const round3 = (x: number | null): number | null => (x === null ? null : Math.round(x * 1000) / 1000);

/** Agreement between the independent rounds of this dossier's items (adjudications never count). */
export function dossierAgreement(reviews: Iterable<DossierReview[]>): DossierAgreement {
  const pairs: Array<[string, string]> = [];
  const units: string[][] = [];
  for (const rounds of reviews) {
    const independent = rounds.filter((r) => r.round > 0).sort((a, b) => a.round - b.round);
    units.push(independent.map((r) => label(r.decision)));
    const first = independent.find((r) => r.round === 1);
    const second = independent.find((r) => r.round === 2);
    if (first && second) pairs.push([label(first.decision), label(second.decision)]);
  }
  const agreed = pairs.filter(([a, b]) => a === b).length;
  const table = new Map<string, { first: string; second: string; n: number }>();
  for (const [first, second] of pairs) {
    const key = `${first}|${second}`;
    table.set(key, { first, second, n: (table.get(key)?.n ?? 0) + 1 });
  }
  const percent = pairs.length ? Math.round((1000 * agreed) / pairs.length) / 10 : null;
  const kappa = round3(cohensKappa(pairs));
  const alphaUnits = units.filter((u) => u.length >= 2).length;
  const alpha = { value: round3(krippendorffAlphaNominal(units)), units: alphaUnits };
  const undefinedWhy = 'not defined: every review gave the same label, so chance agreement is total';
  const statement = pairs.length
    ? `Of ${pairs.length} item(s) with a first and a second independent review, ${agreed} got the same decision in both (raw agreement ${percent}%). ` +
      `Cohen’s κ ${kappa === null ? undefinedWhy : `= ${kappa}`} (${pairs.length} pairs). Krippendorff’s α (nominal) ${alpha.value === null ? undefinedWhy : `= ${alpha.value}`} (${alphaUnits} item(s) with two or more reviews). ` +
      `Decisions compared: confirm (including a confirmation with a modified reading), reject, escalate; adjudications are not counted. Pairs: ${[...table.values()].map((p) => `${p.first}/${p.second} ${p.n}`).join(', ')}.`
    : 'No item of this dossier had a first and a second independent review, so agreement is not measured.';
  return { flagsWithTwoRounds: pairs.length, agreed, percent, kappa, alpha, pairs: [...table.values()], statement };
}

// --- protocol and limitations -------------------------------------------------------------------

export interface ReviewProtocol {
  requiredConfirmations: number;
  blindRounds: string;
  adjudication: string;
  stance: string;
}

export function reviewProtocol(requiredConfirmations: number): ReviewProtocol {
  return {
    requiredConfirmations,
    blindRounds:
      requiredConfirmations === 1
        ? 'One reviewer’s confirmation sufficed: the workflow was configured for a single review, so no second person checked these decisions.'
        : `${requiredConfirmations} different people review each candidate independently, in rounds; until a round’s reviewer has decided, the earlier rounds’ decisions and notes are hidden from them (blind review). A person reviews a candidate once.`,
    adjudication:
      'When independent reviews disagree (on the decision, the category, the severity or the target group), the candidate is disputed and a further reviewer, not one of those who disagreed, decides it with the earlier reviews in view. A reviewer who cannot decide may escalate; an escalation is recorded but is not one of the required reviews.',
    stance:
      'Each reviewer may record the passage’s stance: endorses (the text says the words as its own), reports or quotes, condemns, or unclear. Only passages read as endorsing are findings; the others are listed apart as context. Where reviewers recorded different stances the item is unclear; where none was recorded, the analyser’s cues (quotation, condemnation, negation) stand in, and the item says so.',
  };
}

export interface LimitationFacts {
  itemIds: { ocr: string[]; captured: string[]; stanceFromAnalyser: string[]; fuzzy: string[]; untargeted: string[]; unapprovedTranslation: string[] };
  requiredConfirmations: number;
  pairs: number;
}

const some = (ids: string[]): string => `${ids.length} item(s) (${ids.slice(0, 8).join(', ')}${ids.length > 8 ? ', …' : ''})`;

/** Only what is true of this dossier: each conditional line names the items it concerns. */
export function limitations(f: LimitationFacts): string[] {
  const out = [
    'Candidates come from a lexicon of words and phrase patterns: language outside it (new coinages, images, tone, irony) is not found, so absence of items is not absence of such language.',
    'A lexicon sees the content and form of a text only. The other factors the Rabat Plan weighs (context, speaker, intent, reach, likelihood of harm) are the reviewers’ assessment; the stance is their reading of the context.',
    'Counts describe the items selected by this dossier’s filters, not the prevalence in all sources.',
  ];
  const { ocr, captured, stanceFromAnalyser, fuzzy, untargeted, unapprovedTranslation } = f.itemIds;
  if (ocr.length) out.push(`${some(ocr)} come from text read by OCR from a page image: OCR can misread letters; each says its engine and confidence, and the page region shows the printed words.`);
  if (captured.length) out.push(`${some(captured)} come from web pages captured by Lexwatch: a capture shows what the server sent to our browser at the capture time; it does not prove that every visitor saw the same page, or who wrote it. The web archive (WARC) of each capture is in the package.`);
  if (stanceFromAnalyser.length) out.push(`For ${some(stanceFromAnalyser)} no reviewer recorded a stance: the stance shown comes from the analyser’s cue words, which miss a quotation or condemnation said in other words.`);
  if (fuzzy.length) out.push(`${some(fuzzy)} matched with one letter off or a repaired spelling: the quote shows the words as printed.`);
  if (untargeted.length) out.push(`${some(untargeted)} name no listed group: the words that stand for the group are given with each.`);
  if (unapprovedTranslation.length) out.push(`The translation of ${some(unapprovedTranslation)} was not approved by a second person.`);
  if (f.requiredConfirmations === 1) out.push('Each decision rests on one reviewer: the workflow required a single confirmation.');
  if (f.pairs === 0) out.push('No item had two independent reviews, so agreement between reviewers is not measured for this dossier.');
  return out;
}
