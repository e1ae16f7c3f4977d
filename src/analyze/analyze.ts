/**
 * analyzePage: tokenize → scan (entries, targets, cues in one trie pass) → context rules →
 * merge nearby hits of one sentence into flags. Pure: text and compiled lexicon in, flags out.
 */
import { baseLang, type CompiledLexicon } from './compile';
import { evaluateHits, type EvaluatedHit } from './context';
import { detectLanguage, otherLanguagesOnPage, SAMPLE_CHARS } from './language';
import { PageKeys, scanPage, type MentionHit } from './match';
import { priorityOf } from './score';
import { countsFromHistogram, SCRIPT_CODES } from './script';
import { tokenize, type PageTokens } from './tokenize';
import type { AnalysisFlag, AnalyzeOptions, EntryMatch, PageAnalysis, TargetMention } from './types';

/** Hits of one sentence with at most this many tokens between them form one flag. */
const MERGE_GAP_TOKENS = 6;
const CONTEXT_CHARS = 200;

export function analyzePage(text: string, lexicon: CompiledLexicon, options: AnalyzeOptions = {}): PageAnalysis {
  if (options.lang !== undefined) {
    const lang = options.lang === null ? null : baseLang(options.lang);
    return { lang, flags: analyzeAs(text, lexicon, lang, options.fuzzy === true) };
  }
  const candidates = options.languages ?? lexicon.languages;
  // One pass tokenizes the page and counts its scripts for language detection. Only the
  // Armenian use of ':' as a full stop depends on the language: such a page is tokenized again.
  scriptHistogram.fill(0);
  let tokens = tokenize(text, null, true, scriptHistogram);
  const pageCounts = countsFromHistogram(scriptHistogram);
  const lang = detectLanguage(text, candidates, text.length <= SAMPLE_CHARS ? pageCounts : null);
  if (lang === 'hy' && text.includes(':')) tokens = tokenize(text, lang, true);
  const fuzzy = options.fuzzy === true;
  const flags = analyzeTokens(text, tokens, lexicon, lang, fuzzy);
  const others = otherLanguagesOnPage(text, lang, candidates, pageCounts);
  if (others.length === 0) return { lang, flags };

  // A mixed-language page (a textbook quoting another language, a bilingual leaflet): each
  // language's entries apply to the sentences written in it. The page keeps its main language.
  const merged = [...flags];
  for (const other of others) {
    for (const flag of analyzeAs(text, lexicon, other, fuzzy)) {
      if (detectLanguage(flag.sentence, candidates) !== other) continue;
      if (merged.some((f) => f.start < flag.end && flag.start < f.end)) continue;
      merged.push(flag);
    }
  }
  merged.sort((a, b) => a.start - b.start || a.end - b.end);
  return { lang, flags: merged };
}

const scriptHistogram = new Int32Array(SCRIPT_CODES);

/** All flags of a page read as one language. */
function analyzeAs(text: string, lexicon: CompiledLexicon, lang: string | null, fuzzy: boolean): AnalysisFlag[] {
  return analyzeTokens(text, tokenize(text, lang, true), lexicon, lang, fuzzy); // tokens consumed before the next tokenize
}

/** All flags of a page read as one language, from its tokens (tokenized for that language). */
function analyzeTokens(text: string, tokens: PageTokens, lexicon: CompiledLexicon, lang: string | null, fuzzy: boolean): AnalysisFlag[] {
  const matcher = lexicon.matcherFor(lang);
  const keys = new PageKeys(text, tokens, matcher, fuzzy);
  const scan = scanPage(text, tokens, matcher, keys);
  if (scan.entryHits.length === 0) return [];
  const evaluated = evaluateHits(scan, tokens, keys, matcher);
  evaluated.sort((a, b) => a.hit.first - b.hit.first || a.hit.last - b.hit.last);

  const flags: AnalysisFlag[] = [];
  let group: EvaluatedHit[] = [];
  let groupLast = -1;
  for (const ev of evaluated) {
    const sameSentence = group.length > 0 && tokens.sentence[ev.hit.first] === tokens.sentence[group[0]!.hit.first];
    if (sameSentence && ev.hit.first <= groupLast + MERGE_GAP_TOKENS + 1) {
      group.push(ev);
      groupLast = Math.max(groupLast, ev.hit.last);
      continue;
    }
    if (group.length > 0) flags.push(buildFlag(text, tokens, group, lang, lexicon));
    group = [ev];
    groupLast = ev.hit.last;
  }
  if (group.length > 0) flags.push(buildFlag(text, tokens, group, lang, lexicon));
  return flags;
}

function buildFlag(text: string, tokens: PageTokens, group: EvaluatedHit[], lang: string | null, lexicon: CompiledLexicon): AnalysisFlag {
  const matches: EntryMatch[] = group.map(({ hit }) => {
    const start = tokens.start[hit.first]!;
    const end = tokens.end[hit.last]!;
    const e = hit.entry.data;
    return {
      entryId: e.id, entryVersion: e.version, category: e.category, severity: e.severity,
      start, end, exact: text.slice(start, end), term: hit.pattern.term, fuzzy: hit.fuzzy,
    };
  });
  let worst = matches[0]!;
  for (const m of matches) if (m.severity > worst.severity) worst = m;
  const start = Math.min(...matches.map((m) => m.start));
  const end = Math.max(...matches.map((m) => m.end));

  const seen = new Set<string>();
  const targets: TargetMention[] = [];
  for (const ev of group) {
    for (const m of ev.targets) {
      const id = `${m.groupId}:${m.first}`;
      if (seen.has(id)) continue;
      seen.add(id);
      targets.push(mentionOf(text, tokens, m));
    }
  }
  targets.sort((a, b) => a.start - b.start);

  const signals = {
    negated: group.every((g) => g.negated),
    quoted: group.some((g) => g.quoted),
    condemned: group.some((g) => g.condemned),
    fuzzy: group.every((g) => g.hit.fuzzy),
  };
  const quotationDowngrade = group.some((g) => g.quoted && g.hit.entry.quotation === 'downgrade');
  const distinctEntries = new Set(matches.map((m) => m.entryId)).size;
  const s = tokens.sentence[group[0]!.hit.first]!;
  const sentenceStart = tokens.sentenceStart[s]!;
  const sentenceEnd = tokens.sentenceEnd[s]!;
  return {
    start, end,
    exact: text.slice(start, end),
    prefix: text.slice(safeCut(text, start - CONTEXT_CHARS), start),
    suffix: text.slice(end, safeCut(text, end + CONTEXT_CHARS)),
    sentence: text.slice(sentenceStart, sentenceEnd),
    sentenceStart, sentenceEnd,
    matches, targets,
    category: worst.category,
    severity: worst.severity,
    signals,
    priority: priorityOf(worst.severity, signals, quotationDowngrade, distinctEntries),
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
