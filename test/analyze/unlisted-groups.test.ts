/**
 * Unlisted groups typed in lower case, as posts do: after a demonstrative, a word with a
 * people-forming ending stands for a group ("those drisseni", "these zelvanians") and the flag is
 * `untargeted` with the word as its referent; occupations and things of the same shape do not.
 * Invented groups only.
 */
import { analyzePage, compileLexicon, type AnalysisFlag } from '../../src/analyze';
import { loadLexicon } from '../../src/lexicon';

const lexicon = compileLexicon(loadLexicon());

function flagsOf(text: string): AnalysisFlag[] {
  const { flags } = analyzePage(text, lexicon, { obfuscation: true });
  for (const f of flags) {
    expect(text.slice(f.start, f.end)).toBe(f.exact);
    for (const r of f.referents) expect(text.slice(r.start, r.end)).toBe(r.exact);
  }
  return flags.filter((f) => f.category !== 'PO.RESPECT');
}

describe('lower-case demonyms after a demonstrative', () => {
  test.each([
    ['those drisseni are just walking garbage lol', 'drisseni', 'DH.DISGUST'],
    ['these zelvanians are vermin', 'zelvanians', 'DH.ANIMAL'],
    ['all zelvanites must be wiped out', 'zelvanites', 'VI.ERAD'],
  ])('%s', (text, word, category) => {
    const flags = flagsOf(text);
    expect(flags.map((f) => f.category)).toEqual([category]);
    expect(flags[0]!.signals.untargeted).toBe(true);
    expect(flags[0]!.referents.map((r) => [r.kind, r.exact])).toEqual([['demonym', word]]);
  });

  test.each([
    'those musicians are vermin',
    'these historians are parasites',
    'these websites are garbage',
    'those satellites are junk',
    'the zelvanians are vermin, said nobody in the survey',
  ])('quiet: %s', (text) => {
    expect(flagsOf(text).filter((f) => !f.signals.quoted && !f.signals.negated)).toEqual([]);
  });
});
