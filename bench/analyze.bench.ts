/**
 * Throughput of the analysis core on ≥50 MB of synthetic mixed-language pages (en, ru, tr,
 * az Latin + Cyrillic, hy) with a 10,000-entry synthetic lexicon plus the starter lexicon's word
 * classes and frames (lexicons/starter/classes, frames), whose words are sown into the pages
 * (function words such as copulas, modals and pronouns at 4 %, content words such as violence
 * verbs and vermin nouns at 1 %), so frames are matched as they would be on hostile text. Prints,
 * from one run:
 *   - full analysis MB/s (language detection, normalisation, tokenizing, matching, context, merge),
 *     best of BENCH_PASSES passes alternating with the bare pass, the first pass printed too
 *   - bare tokenizing pass MB/s: the CEILING the ≥1/3 target is measured against. It is the
 *     product's own tokenizer (src/analyze/tokenize.ts: words, sentences, quotation state), the
 *     same function and segmentation the analysis uses, run without counting scripts or matching
 *   - for transparency: an Intl.Segmenter word + sentence pass over the same pages (the
 *     segmenter the issue first named; our tokenizer replaced it for speed, see tokenize.ts) and
 *     a \p{L}+ RegExp pass
 *   - the same full analysis with obfuscation repair on (what statements get), best of the passes
 *   - naive one-RegExp-per-entry baseline MB/s, measured on a slice and extrapolated
 *   - ratios and peak RSS;
 *   - the same full, obfuscation and bare figures in CPU time (process.cpuUsage, user + system),
 *     with their ratios: wall clock on a shared machine counts other processes' time too.
 * MB = 10^6 bytes of UTF-8. Run: npm run bench  (env BENCH_MB to change the size).
 */
import { analyzePage, compileLexicon, type LexiconData, type LexiconEntryData, type TargetGroupData } from '../src/analyze';
import { CATEGORY_CODES } from '../src/analyze/types';
import { AZ_CYRILLIC_TO_LATIN } from '../src/analyze/normalize';
import { tokenize } from '../src/analyze/tokenize';
import { loadLexicon } from '../src/lexicon';

// Word classes and frames of the starter lexicon, and the words they list (stems without `*`).
const starter = loadLexicon();
const classWords = (lang: string, content: boolean): string[] => (starter.classes ?? [])
  .filter((c) => c.lang === lang && (c.members.length >= 40) === content)
  .flatMap((c) => c.members.map((m) => (typeof m === 'string' ? m : m.term).replace(/\*/gu, '')));

const TARGET_MB = Number(process.env.BENCH_MB ?? 50);
const ENTRIES = 10_000;
const NAIVE_SLICE_BYTES = 60_000;

// Deterministic PRNG (mulberry32) so runs are comparable.
let seed = 20240607;
function rand(): number {
  seed |= 0; seed = (seed + 0x6d2b79f5) | 0;
  let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
  t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
  return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
}
const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rand() * xs.length)]!;

const ALPHABETS: Record<string, { consonants: string; vowels: string; suffixes: string[] }> = {
  en: { consonants: 'bcdfghklmnprstvwz', vowels: 'aeiou', suffixes: ['', '', 's', 'ed', 'ing', 'er'] },
  ru: { consonants: 'бвгдзклмнпрстфхцчшщж', vowels: 'аеиоуыэюяё', suffixes: ['', 'а', 'ы', 'ов', 'ами', 'ого', 'ить'] },
  tr: { consonants: 'bcçdfgğhjklmnprsştvyz', vowels: 'aeıioöuü', suffixes: ['', 'lar', 'ler', 'ları', 'imiz', 'dır', 'da'] },
  az: { consonants: 'bcçdfgğhxjklmnpqrsştvyz', vowels: 'aeəıioöuü', suffixes: ['', 'lar', 'lər', 'ları', 'imizi', 'dır', 'də'] },
  hy: { consonants: 'բգդզթժլխծկհձղճմյնշչպջռսվտրցփքֆ', vowels: 'աեէըիոու', suffixes: ['', 'ներ', 'ները', 'ում', 'ից', 'ով'] },
};
const LANGS = Object.keys(ALPHABETS);

function word(lang: string, min = 2, max = 5): string {
  const a = ALPHABETS[lang]!;
  const syllables = min + Math.floor(rand() * (max - min + 1));
  let w = '';
  for (let i = 0; i < syllables; i++) w += pick([...a.consonants]) + pick([...a.vowels]);
  return w;
}

// --- synthetic lexicon -------------------------------------------------------------------
const entries: LexiconEntryData[] = [];
const termsByLang: Record<string, string[]> = Object.fromEntries(LANGS.map((l) => [l, []]));
for (let i = 0; i < ENTRIES; i++) {
  const lang = LANGS[i % LANGS.length]!;
  const shape = rand();
  const base = word(lang, 2, 4);
  let term: string;
  if (shape < 0.4) term = base;
  else if (shape < 0.8) term = `${base}*`;
  else if (shape < 0.95) term = `${base} ${word(lang, 1, 3)}`;
  else term = `${base} ~2 ${word(lang, 1, 3)}*`;
  termsByLang[lang]!.push(term.replace(/\*|~2 /gu, ''));
  entries.push({
    id: `bench.${i}`, version: 1, status: 'reviewed', lang, role: rand() < 0.1 ? 'standalone' : 'predicate',
    terms: [term], category: pick(CATEGORY_CODES.filter((c) => c !== 'PO.RESPECT')), severity: (1 + Math.floor(rand() * 4)) as 1 | 2 | 3 | 4,
    match: { fuzzy: rand() < 0.01, minStemLen: 3 },
    meaning: 'synthetic', whyHarmful: 'synthetic', source: { type: 'curator', ref: 'bench' },
  });
}
const targets: TargetGroupData[] = Array.from({ length: 20 }, (_, g) => ({
  id: `group${g}`, name: `Group ${g}`, fictional: true,
  terms: LANGS.map((lang) => ({ lang, kind: 'name' as const, terms: [`${word(lang, 3, 3)}*`, word(lang, 3, 4)] })),
}));
const lexiconData: LexiconData = { id: 'bench', version: '1', name: 'bench', entries, targets, classes: starter.classes ?? [], frames: starter.frames ?? [] };

// --- synthetic pages ---------------------------------------------------------------------
// Running text is mostly words that are not in the lexicon, as on real pages: the page
// vocabulary leaves out lexicon terms and words that begin with a lexicon stem. Lexicon and
// target terms are then injected at a rate far above real pages (2 % + 2 % of words).
const lexiconWords = new Set(entries.flatMap((e) => e.terms.flatMap((t) => t.split(' ').filter((w) => !w.startsWith('~')))));
const lexiconStems = new Set([...lexiconWords].filter((w) => w.endsWith('*')).map((w) => w.slice(0, -1)));
function inLexicon(w: string): boolean {
  if (lexiconWords.has(w)) return true;
  for (let k = 1; k <= w.length; k++) if (lexiconStems.has(w.slice(0, k))) return true;
  return false;
}
function vocabularyWord(lang: string): string {
  for (;;) { const w = word(lang); if (!inLexicon(w)) return w; }
}
const vocab: Record<string, string[]> = Object.fromEntries(LANGS.map((l) => [l, Array.from({ length: 5000 }, () => vocabularyWord(l))]));
const targetWords: Record<string, string[]> = Object.fromEntries(LANGS.map((l) => [l, targets.flatMap((t) => t.terms.filter((x) => x.lang === l).flatMap((x) => x.terms.map((s) => s.replace('*', ''))))]));
const LATIN_TO_AZ_CYRILLIC = new Map(Object.entries(AZ_CYRILLIC_TO_LATIN).filter(([, lat]) => lat.length === 1).map(([cyr, lat]) => [lat, cyr]));

const sownWords: Record<string, { content: string[]; functional: string[] }> = Object.fromEntries(LANGS.map((l) => [l, { content: classWords(l, true), functional: classWords(l, false) }]));

function sentence(lang: string): string {
  const n = 6 + Math.floor(rand() * 14);
  const words: string[] = [];
  for (let i = 0; i < n; i++) {
    const r = rand();
    let w: string;
    const content = sownWords[lang]!.content;
    const functional = sownWords[lang]!.functional;
    if (r < 0.02) w = pick(termsByLang[lang]!) + pick(ALPHABETS[lang]!.suffixes);
    else if (r < 0.04) w = pick(targetWords[lang]!) + pick(ALPHABETS[lang]!.suffixes);
    else if (r < 0.05 && content.length > 0) w = pick(content);
    else if (r < 0.09 && functional.length > 0) w = pick(functional);
    else w = vocab[lang]![Math.floor(rand() * rand() * 5000)]! + (rand() < 0.2 ? pick(ALPHABETS[lang]!.suffixes) : '');
    if (i === 0) w = w.charAt(0).toUpperCase() + w.slice(1);
    words.push(w);
  }
  const stop = lang === 'hy' ? '։' : pick(['.', '.', '.', '!', '?']);
  return words.join(rand() < 0.1 ? ', ' : ' ') + stop;
}

function page(lang: string): string {
  const out: string[] = [];
  let len = 0;
  while (len < 3000) {
    const s = sentence(lang);
    out.push(s);
    len += s.length + 1;
    if (rand() < 0.15) out.push('\n\n');
  }
  const text = out.join(' ');
  return lang === 'az-Cyrl' ? text : text;
}

function azCyrillic(text: string): string {
  let out = '';
  for (const ch of text) out += LATIN_TO_AZ_CYRILLIC.get(ch) ?? LATIN_TO_AZ_CYRILLIC.get(ch.toLowerCase())?.toUpperCase() ?? ch;
  return out;
}

const pages: string[] = [];
let bytes = 0;
const PAGE_LANGS = ['en', 'ru', 'tr', 'az', 'az-Cyrl', 'hy'];
for (let i = 0; bytes < TARGET_MB * 1e6; i++) {
  const lang = PAGE_LANGS[i % PAGE_LANGS.length]!;
  const p = lang === 'az-Cyrl' ? azCyrillic(page('az')) : page(lang);
  pages.push(p);
  bytes += Buffer.byteLength(p);
}
const mb = bytes / 1e6;
if (process.env.BENCH_DUMP) require('node:fs').writeFileSync(process.env.BENCH_DUMP, JSON.stringify({ pages, lexiconData }));

// --- measurements --------------------------------------------------------------------------
// Each pass is timed twice: wall clock, and the process's CPU time (user + system, from
// process.cpuUsage). On a shared or busy machine wall clock counts the time other processes
// had the core; CPU time does not, so the CPU figures and ratios are the ones to compare across
// runs. Both ratios are against the bare pass measured in the same run, the same way.
interface Timing { wall: number; cpu: number }
let lastCpu = 0;
function time(fn: () => void): number {
  const t0 = process.hrtime.bigint();
  const c0 = process.cpuUsage();
  fn();
  const c = process.cpuUsage(c0);
  lastCpu = (c.user + c.system) / 1e6;
  return Number(process.hrtime.bigint() - t0) / 1e9;
}
function timed(fn: () => void): Timing {
  const wall = time(fn);
  return { wall, cpu: lastCpu };
}

const compileSeconds = time(() => { compileLexicon(lexiconData); });
const lexicon = compileLexicon(lexiconData);
for (const p of pages.slice(0, PAGE_LANGS.length * 2)) analyzePage(p, lexicon); // build matchers, warm up

// Full analysis and the bare pass alternate, PASSES times each (env BENCH_PASSES, default 3):
// the first full pass also pays for the first sight of every word (stemmer calls, memo
// fills) and the JIT; each figure below is the best pass, and the first full pass is printed
// beside it. Counts come from the first pass (every pass finds the same).
const PASSES = Math.max(1, Number(process.env.BENCH_PASSES ?? 3));
let flags = 0;
let matches = 0;
let tokens = 0;
const fullPasses: Timing[] = [];
const barePasses: Timing[] = [];
const obfuscationPasses: Timing[] = [];
let frameHits = 0;
for (let pass = 0; pass < PASSES; pass++) {
  fullPasses.push(timed(() => {
    for (const p of pages) {
      const r = analyzePage(p, lexicon);
      if (pass > 0) continue;
      flags += r.flags.length;
      for (const f of r.flags) { matches += f.matches.length; frameHits += f.frames.length; }
    }
  }));
  if (process.env.BENCH_OBFUSCATION !== '0') obfuscationPasses.push(timed(() => { for (const p of pages) analyzePage(p, lexicon, { obfuscation: true }); }));
  barePasses.push(timed(() => { for (const p of pages) { const n = tokenize(p, null, true).count; if (pass === 0) tokens += n; } }));
}
const best = (passes: Timing[], k: keyof Timing): number => Math.min(...passes.map((p) => p[k]));
const fullSeconds = best(fullPasses, 'wall');
const obfuscationSeconds = best(obfuscationPasses, 'wall');
const bareSeconds = best(barePasses, 'wall');
const fullCpu = mb / best(fullPasses, 'cpu');
const obfuscationCpu = mb / best(obfuscationPasses, 'cpu');
const bareCpu = mb / best(barePasses, 'cpu');
// Intl.Segmenter, per page (it goes quadratic on very long strings in Node 20; pages are short).
const wordSegmenter = new Intl.Segmenter(undefined, { granularity: 'word' });
const sentenceSegmenter = new Intl.Segmenter(undefined, { granularity: 'sentence' });
let segmenterWords = 0;
let segmenterSentences = 0;
const segmenterSeconds = time(() => {
  for (const p of pages) {
    for (const s of wordSegmenter.segment(p)) if (s.isWordLike === true) segmenterWords++;
    for (const _ of sentenceSegmenter.segment(p)) segmenterSentences++;
  }
});
let regexTokens = 0;
const regexSeconds = time(() => { for (const p of pages) for (const _ of p.matchAll(/[\p{L}\p{M}\p{N}]+/gu)) regexTokens++; });

// Naive: one RegExp per entry term over the lower-cased page; the Unicode word boundary is checked in
// JS on each hit (a lookbehind in the RegExp defeats V8's literal pre-scan and is ~10× slower).
const escape = (s: string): string => s.replace(/[.*+?^${}()|[\]\\]/gu, '\\$&');
const naiveRegexes = entries.flatMap((e) => e.terms.map((t) => {
  const body = t.toLowerCase().split(/\s+/u).map((tok) => (tok.startsWith('~') ? '(?:\\s+\\S+){0,2}' : tok.endsWith('*') ? `${escape(tok.slice(0, -1))}[\\p{L}\\p{M}]*` : escape(tok))).join('\\s+');
  return new RegExp(`${body}(?![\\p{L}\\p{M}\\p{N}])`, 'gu');
}));
const slice: string[] = [];
let sliceBytes = 0;
// BENCH_NAIVE=0 skips the (slow) naive baseline, for quick runs while profiling.
for (const p of pages) { if (sliceBytes >= (process.env.BENCH_NAIVE === '0' ? 1 : NAIVE_SLICE_BYTES)) break; slice.push(p); sliceBytes += Buffer.byteLength(p); }
let naiveHits = 0;
const WORD_CHAR = /[\p{L}\p{M}\p{N}]/u;
const naiveSeconds = time(() => {
  for (const page of slice) {
    const p = page.toLowerCase(); // once per page, so the RegExps need no 'i' flag
    for (const re of naiveRegexes) {
      for (const m of p.matchAll(re)) if (m.index === 0 || !WORD_CHAR.test(p[m.index - 1]!)) naiveHits++;
    }
  }
});

const full = mb / fullSeconds;
const bare = mb / bareSeconds;
const segmenter = mb / segmenterSeconds;
const naive = sliceBytes / 1e6 / naiveSeconds;
const rssMb = (process.resourceUsage().maxRSS * 1024) / 1e6;
const f1 = (x: number): string => x.toFixed(1);

console.log(`corpus: ${f1(mb)} MB UTF-8, ${pages.length} pages (${PAGE_LANGS.join(', ')}), ${tokens} tokens`);
console.log(`lexicon: ${ENTRIES} entries + ${targets.length} target groups + ${lexiconData.classes!.length} word classes and ${lexiconData.frames!.length} frames (starter), compiled in ${(compileSeconds * 1000).toFixed(0)} ms (matchers built lazily per language)`);
console.log(`full analysis:      ${f1(full)} MB/s  (best of ${PASSES} passes, ${f1(fullSeconds)} s; first pass ${f1(mb / fullPasses[0]!.wall)} MB/s; ${flags} flags, ${matches} entry matches, ${frameHits} frame matches)`);
console.log(`with obfuscation:   ${f1(mb / obfuscationSeconds)} MB/s  (best of ${PASSES}; statements get it, textbooks do not)`);
console.log(`bare tokenize pass: ${f1(bare)} MB/s  (best of ${PASSES}; THE CEILING for the 1/3 target: our tokenizer, the segmentation the analysis uses)`);
console.log(`Intl.Segmenter:     ${f1(segmenter)} MB/s  (word + sentence pass, ${segmenterWords} word-like segments, ${segmenterSentences} sentences; for comparison only)`);
console.log(`\\p{L}+ RegExp pass: ${f1(mb / regexSeconds)} MB/s  (${regexTokens} tokens; for comparison only)`);
console.log(`naive RegExp/entry: ${naive.toFixed(3)} MB/s  (measured on a ${f1(sliceBytes / 1e3)} KB slice, ${(naiveSeconds).toFixed(1)} s, extrapolated; ${naiveHits} hits)`);
console.log(`ratios: full/naive = ${f1(full / naive)}×, full/bare = ${(full / bare).toFixed(2)} (target), full/Intl.Segmenter = ${(full / segmenter).toFixed(2)}`);
console.log(`targets: ≥50 MB/s ${full >= 50 ? 'met' : 'MISSED'}, ≥50× naive ${full / naive >= 50 ? 'met' : 'MISSED'}, ≥1/3 bare ${full / bare >= 1 / 3 ? 'met' : 'MISSED'}`);
console.log(`CPU time (user + system, best of ${PASSES}; the figures to compare on a shared machine):`);
console.log(`  full analysis ${f1(fullCpu)} MB/s, with obfuscation ${f1(obfuscationCpu)} MB/s, bare tokenize ${f1(bareCpu)} MB/s`);
console.log(`  ratios: full/bare = ${(fullCpu / bareCpu).toFixed(2)}, with obfuscation/bare = ${(obfuscationCpu / bareCpu).toFixed(2)}`);
console.log(`  targets: ≥50 MB/s ${fullCpu >= 50 ? 'met' : 'MISSED'} (with obfuscation ${obfuscationCpu >= 50 ? 'met' : 'MISSED'}), ≥1/3 bare ${fullCpu / bareCpu >= 1 / 3 ? 'met' : 'MISSED'} (with obfuscation ${obfuscationCpu / bareCpu >= 1 / 3 ? 'met' : 'MISSED'})`);
console.log(`peak RSS: ${f1(rssMb)} MB`);
