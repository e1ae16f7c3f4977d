/**
 * analyzePage: tokenize → scan (entries, targets, cues in one trie pass) → context rules →
 * merge nearby hits of one sentence into flags. Pure: text and compiled lexicon in, flags out.
 */
import { baseLang, type CompiledLexicon, type Matcher } from './compile';
import { evaluateHits, type EvaluatedHit } from './context';
import { evaluateFrames } from './frame-hits';
import { deobfuscate } from './obfuscation';
import { featureNames } from './morph';
import { detectLanguage, otherLanguagesOnPage, SAMPLE_CHARS } from './language';
import { PageKeys, scanPage, type MentionHit } from './match';
import { priorityOf } from './score';
import { countsFromHistogram, SCRIPT_CODES, type ScriptCounts } from './script';
import { tokenize, type PageTokens } from './tokenize';
import type { AnalysisFlag, AnalyzeOptions, EntryMatch, FrameMatch, FrameSlotFill, GroupReferent, PageAnalysis, TargetMention } from './types';

/** Hits of one sentence with at most this many tokens between them form one flag. */
const MERGE_GAP_TOKENS = 6;
const CONTEXT_CHARS = 200;

export function analyzePage(text: string, lexicon: CompiledLexicon, options: AnalyzeOptions = {}): PageAnalysis {
  if (options.lang !== undefined) {
    const lang = options.lang === null ? null : baseLang(options.lang);
    return { lang, flags: analyzeAs(text, lexicon, lang, modeOf(options), null) };
  }
  const candidates = options.languages ?? lexicon.languages;
  // One pass tokenizes the page and counts its scripts for language detection. Only the
  // Armenian use of ':' as a full stop depends on the language: such a page is tokenized again.
  scriptHistogram.fill(0);
  let tokens = tokenize(text, null, true, scriptHistogram);
  const pageCounts = countsFromHistogram(scriptHistogram);
  const lang = detectLanguage(text, candidates, text.length <= SAMPLE_CHARS ? pageCounts : null);
  if (lang === 'hy' && text.includes(':')) tokens = tokenize(text, lang, true);
  const mode = modeOf(options);
  const flags = analyzeTokens(text, tokens, lexicon, lang, mode, typedWithoutLetters(pageCounts));
  const others = otherLanguagesOnPage(text, lang, candidates, pageCounts);
  if (others.length === 0) return { lang, flags };

  // A mixed-language page (a textbook quoting another language, a bilingual leaflet): each
  // language's entries apply to the sentences written in it. The page keeps its main language.
  const merged = [...flags];
  for (const other of others) {
    for (const flag of analyzeAs(text, lexicon, other, mode, pageCounts)) {
      if (detectLanguage(flag.sentence, candidates) !== other) continue;
      if (merged.some((f) => f.start < flag.end && flag.start < f.end)) continue;
      merged.push(flag);
    }
  }
  merged.sort((a, b) => a.start - b.start || a.end - b.end);
  return { lang, flags: merged };
}

const scriptHistogram = new Int32Array(SCRIPT_CODES);

interface Mode { fuzzy: boolean; obfuscation: boolean }

function modeOf(options: AnalyzeOptions): Mode {
  return { fuzzy: options.fuzzy === true, obfuscation: options.obfuscation === true };
}

/**
 * A Latin-script page (no Cyrillic: Azerbaijani Cyrillic has its own letters) with none of ı ş ç ğ ö ü ə: if it is Turkish or Azerbaijani, it was typed
 * without the language's letters and is matched with them folded (see asciiFoldModeFor).
 */
function typedWithoutLetters(c: ScriptCounts): boolean {
  return c.latin > 0 && c.cyrillic === 0 && c.schwa + c.turkicLatin + c.turkicShared === 0;
}

/** All flags of a page read as one language (`counts`: the page's script counts, if known). */
function analyzeAs(text: string, lexicon: CompiledLexicon, lang: string | null, mode: Mode, counts: ScriptCounts | null): AnalysisFlag[] {
  const turkic = lang === 'tr' || lang === 'az';
  if (turkic && counts === null) scriptHistogram.fill(0);
  const tokens = tokenize(text, lang, true, turkic && counts === null ? scriptHistogram : null); // consumed before the next tokenize
  const ascii = turkic && typedWithoutLetters(counts ?? countsFromHistogram(scriptHistogram));
  return analyzeTokens(text, tokens, lexicon, lang, mode, ascii);
}

/** All flags of a page read as one language, from its tokens (tokenized for that language). */
function analyzeTokens(text: string, pageTokens: PageTokens, lexicon: CompiledLexicon, lang: string | null, mode: Mode, ascii: boolean): AnalysisFlag[] {
  const matcher = lexicon.matcherFor(lang, ascii);
  const clean = mode.obfuscation ? deobfuscate(text, pageTokens, matcher) : null;
  const tokens = clean?.tokens ?? pageTokens;
  const keys = new PageKeys(text, tokens, matcher, mode.fuzzy, clean?.overrides ?? null);
  const scan = scanPage(text, tokens, matcher, keys);
  if (scan.entryHits.length === 0 && scan.members.length === 0) return [];
  const evaluated = evaluateHits(scan, tokens, keys, matcher);
  for (const h of evaluateFrames(text, scan, tokens, keys, matcher)) evaluated.push(h);
  evaluated.sort((a, b) => a.first - b.first || a.last - b.last);

  const flags: AnalysisFlag[] = [];
  let group: EvaluatedHit[] = [];
  let groupLast = -1;
  for (const ev of evaluated) {
    const sameSentence = group.length > 0 && tokens.sentence[ev.first] === tokens.sentence[group[0]!.first];
    if (sameSentence && ev.first <= groupLast + MERGE_GAP_TOKENS + 1) {
      group.push(ev);
      groupLast = Math.max(groupLast, ev.last);
      continue;
    }
    if (group.length > 0) flags.push(buildFlag(text, tokens, group, lang, lexicon, matcher));
    group = [ev];
    groupLast = ev.last;
  }
  if (group.length > 0) flags.push(buildFlag(text, tokens, group, lang, lexicon, matcher));
  return flags;
}

function buildFlag(text: string, tokens: PageTokens, group: EvaluatedHit[], lang: string | null, lexicon: CompiledLexicon, matcher: Matcher): AnalysisFlag {
  const span = (first: number, last: number): { start: number; end: number; exact: string } => {
    const start = tokens.start[first]!;
    const end = tokens.end[last]!;
    return { start, end, exact: text.slice(start, end) };
  };
  const matches: EntryMatch[] = [];
  const frames: FrameMatch[] = [];
  for (const ev of group) {
    if (ev.entry) {
      const e = ev.entry.entry.data;
      matches.push({
        entryId: e.id, entryVersion: e.version, category: ev.category, severity: ev.severity,
        ...span(ev.first, ev.last), term: ev.entry.pattern.term, fuzzy: ev.fuzzy,
      });
    } else if (ev.frame) {
      const f = matcher.grammar.frames[ev.frame.frameIndex]!.data;
      frames.push({
        frameId: f.id, frameVersion: f.version, category: ev.category, severity: ev.severity, pattern: ev.frame.patternTerm,
        ...span(ev.first, ev.last),
        slots: ev.frame.slots.map((sl): FrameSlotFill => ({
          slot: sl.text, kind: sl.kind,
          ...(sl.classId !== undefined ? { classId: sl.classId } : {}),
          ...(sl.features !== undefined ? { features: featureNames(sl.features) } : {}),
          ...span(sl.first, sl.last),
        })),
        fuzzy: ev.fuzzy,
      });
    }
  }
  let worst = group[0]!;
  for (const ev of group) if (ev.severity > worst.severity) worst = ev;
  const start = tokens.start[Math.min(...group.map((g) => g.first))]!;
  const end = tokens.end[Math.max(...group.map((g) => g.last))]!;

  const seen = new Set<string>();
  const targets: TargetMention[] = [];
  const referents: GroupReferent[] = [];
  for (const ev of group) {
    for (const m of ev.targets) {
      const id = `${m.groupId}:${m.first}`;
      if (seen.has(id)) continue;
      seen.add(id);
      targets.push(mentionOf(text, tokens, m));
    }
    for (const r of ev.referents) {
      const id = `r:${r.first}`;
      if (seen.has(id)) continue;
      seen.add(id);
      const antecedent = r.antecedent === null ? undefined : { ...span(r.antecedent.first, r.antecedent.last), ...(r.antecedent.groupId ? { groupId: r.antecedent.groupId } : {}) };
      referents.push({ kind: r.kind, ...span(r.first, r.last), ...(antecedent ? { antecedent } : {}) });
    }
  }
  targets.sort((a, b) => a.start - b.start);

  const signals = {
    negated: group.every((g) => g.negated),
    quoted: group.some((g) => g.quoted),
    condemned: group.some((g) => g.condemned),
    fuzzy: group.every((g) => g.fuzzy),
    untargeted: targets.length === 0 && referents.length > 0,
  };
  const quotationDowngrade = group.some((g) => g.quoted && g.quotationDowngrade);
  const distinct = new Set([...matches.map((m) => m.entryId), ...frames.map((f) => f.frameId)]).size;
  const s = tokens.sentence[group[0]!.first]!;
  const sentenceStart = tokens.sentenceStart[s]!;
  const sentenceEnd = tokens.sentenceEnd[s]!;
  return {
    start, end,
    exact: text.slice(start, end),
    prefix: text.slice(safeCut(text, start - CONTEXT_CHARS), start),
    suffix: text.slice(end, safeCut(text, end + CONTEXT_CHARS)),
    sentence: text.slice(sentenceStart, sentenceEnd),
    sentenceStart, sentenceEnd,
    matches, frames, targets, referents,
    category: worst.category,
    severity: worst.severity,
    signals,
    priority: priorityOf(worst.severity, signals, quotationDowngrade, distinct),
    lang,
    lexiconId: lexicon.id,
    lexiconVersion: lexicon.version,
  };
}

function mentionOf(text: string, tokens: PageTokens, m: MentionHit): TargetMention {
  const start = tokens.start[m.first]!;
  const end = tokens.end[m.last]!;
  return { groupId: m.groupId, start, end, exact: text.slice(start, end) };
}

/** Clamps a context cut to the text and never splits a surrogate pair. */
function safeCut(text: string, at: number): number {
  const i = Math.max(0, Math.min(text.length, at));
  const c = text.charCodeAt(i);
  // A low surrogate at the cut: move past it, keeping either both halves or neither.
  return i > 0 && i < text.length && c >= 0xdc00 && c <= 0xdfff ? i + 1 : i;
}
