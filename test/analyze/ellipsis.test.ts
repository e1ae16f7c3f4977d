/**
 * Elliptic predicates across a sentence boundary, in every language: "The Tarvanis? Savages.",
 * "Зелванцы пришли. Паразиты." — the group slot is filled by the group the previous sentence of
 * the same paragraph names, the flag covers only the predicate, and its referent says
 * `previous-sentence`. A bare noun with no group before it, a new paragraph, or the noun used as
 * the subject of its own clause stays quiet. Invented groups only.
 */
import { analyzePage, compileLexicon, type AnalysisFlag } from '../../src/analyze';
import { loadLexicon } from '../../src/lexicon';

const lexicon = compileLexicon(loadLexicon());

function flagsOf(text: string): AnalysisFlag[] {
  const { flags } = analyzePage(text, lexicon, { obfuscation: true });
  for (const f of flags) {
    expect(text.slice(f.start, f.end)).toBe(f.exact);
    for (const fr of f.frames) for (const s of fr.slots) expect(text.slice(s.start, s.end)).toBe(s.exact);
    for (const r of f.referents) {
      expect(text.slice(r.start, r.end)).toBe(r.exact);
      if (r.antecedent) expect(text.slice(r.antecedent.start, r.antecedent.end)).toBe(r.antecedent.exact);
    }
  }
  return flags.filter((f) => f.category !== 'PO.RESPECT');
}

describe('an elliptic predicate takes its group from the previous sentence', () => {
  test.each([
    ['The Tarvanis? Savages.', 'Savages', 'Tarvanis', 'en.frame.dh-copula'],
    ['Tarvanis came to the market today. Vermin, all of them.', 'Vermin', 'Tarvanis', 'en.frame.dh-copula'],
    ['The Zelvans moved into the old mill. Parasites, every last one.', 'Parasites', 'Zelvans', 'en.frame.dh-copula'],
    ['The Merenites opened a bakery. Thieves, every one of them.', 'Thieves', 'Merenites', 'en.frame.vice'],
    ['Зелванцы опять пришли на рынок. Паразиты.', 'Паразиты', 'Зелванцы', 'ru.frame.dh-copula'],
    ['Меренитов в городе всё больше. Просто крысы.', 'Просто крысы', 'Меренитов', 'ru.frame.dh-copula'],
    ['Tarvanlar köye taşındı. Bildiğin haşere.', 'Bildiğin haşere', 'Tarvanlar', 'tr.frame.dh-copula'],
    ['Zelvanlar yenə bazara gəldi. Əsl həşəratdır.', 'Əsl həşəratdır', 'Zelvanlar', 'az.frame.dh-copula'],
    ['Վելկարները գյուղ են եկել։ Ոջիլներ են, կպչում են։', 'Ոջիլներ են', 'Վելկարները', 'hy.frame.dh-copula'],
  ])('%s', (text, exact, group, frameId) => {
    const flags = flagsOf(text);
    expect(flags.map((f) => f.exact)).toEqual([exact]);
    const f = flags[0]!;
    expect(f.frames.map((x) => x.frameId)).toContain(frameId);
    const ref = f.referents.find((r) => r.kind === 'previous-sentence');
    expect(ref?.exact).toBe(group);
    // The flag is the predicate's sentence; the group's words are named, not spanned.
    expect(f.start).toBeGreaterThan(text.indexOf(group));
    const slot = f.frames.find((x) => x.frameId === frameId)!.slots.find((s) => s.kind === 'group')!;
    expect(slot.slot).toBe('{group:previous}');
    expect(slot.exact).toBe(group);
  });

  test('a listed group stays the target; an unlisted one makes the flag untargeted', () => {
    const listed = flagsOf('The Tarvanis? Savages.')[0]!;
    expect(listed.targets.map((t) => t.exact)).toEqual(['Tarvanis']);
    expect(listed.signals.untargeted).toBe(false);
    const unlisted = flagsOf('The Zelvans moved into the old mill. Parasites, every last one.')[0]!;
    expect(unlisted.targets).toEqual([]);
    expect(unlisted.signals.untargeted).toBe(true);
  });

  test.each([
    'Rats.',
    'The Merenites opened a bakery. Delicious bread.',
    'Tarvanis came to the market today.\n\nVermin.',
    'Меренитов в городе всё больше. Крысы в подвале съели зерно.',
    'Tarvanlar köye taşındı. Haşere ilacı aldık.',
    'Վելկարները գյուղ են եկել։ Ոջիլներ բուծում են։',
    'The harvest failed in the Tarvani valley in 1847. Locusts had eaten the wheat.',
  ])('quiet: %s', (text) => {
    expect(flagsOf(text)).toEqual([]);
  });
});
