/**
 * The one place where the harness calls the engine: analyzePage on the passage text, language
 * detected among all the lexicon's languages, as the service does. Statements get obfuscation
 * repair, textbooks do not — the service's choice for statements and articles against textbooks
 * (src/pipeline, obfuscationFor).
 */
import { analyzePage, type AnalysisFlag, type CompiledLexicon } from '../src/analyze';
import type { Passage } from './passages';

/** What the metrics need of one flag. `signals` holds every boolean signal the engine set,
 *  known or not, so a signal added later (such as `untargeted`) is read without a code change. */
export interface FlagSummary {
  category: string;
  exact: string;
  signals: Record<string, boolean>;
  targets: string[];
}

export interface PassageAnalysis {
  /** Language the engine analysed the passage as (null = unknown). */
  lang: string | null;
  flags: FlagSummary[];
}

function readSignals(signals: unknown): Record<string, boolean> {
  const out: Record<string, boolean> = {};
  if (typeof signals !== 'object' || signals === null) return out;
  for (const [name, value] of Object.entries(signals)) if (typeof value === 'boolean') out[name] = value;
  return out;
}

export function summarizeFlag(flag: AnalysisFlag): FlagSummary {
  const targets = Array.isArray(flag.targets) ? flag.targets.map((t) => t.groupId) : [];
  return { category: flag.category, exact: flag.exact, signals: readSignals(flag.signals), targets };
}

export function analyzePassage(text: string, lexicon: CompiledLexicon, passage: Passage): PassageAnalysis {
  const result = analyzePage(text, lexicon, { obfuscation: passage.source !== 'textbook' });
  return { lang: result.lang, flags: result.flags.map(summarizeFlag) };
}
