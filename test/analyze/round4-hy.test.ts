/**
 * Armenian hate emotion in the forms round 4 of the evaluation set showed missing: the negated
 * "can't stand" (չեմ տանում) at the start of a sentence, "seeing X turns my stomach" with the
 * group in the dative, "X disgust me". Invented groups only.
 */
import type { AnalysisFlag } from '../../src/analyze';
import { exactFlags } from './fixtures/frame-flags';

/** Statements get obfuscation repair, as the service gives them. */
const flagsOf = (text: string): AnalysisFlag[] => exactFlags(text, { obfuscation: true });

describe('Armenian hate emotion, round 4', () => {
  test.each([
    ['Չեմ տանում տարվաններին։', 'Չեմ տանում տարվաններին'],
    ['Զելվանցիներին չենք տանում։', 'Զելվանցիներին չենք տանում'],
    ['Մերենիտներին տեսնելիս սիրտս խառնում է։', 'Մերենիտներին տեսնելիս սիրտս խառնում'],
    ['Մերենիտները զզվեցնում են ինձ։', 'Մերենիտները զզվեցնում են ինձ'],
  ])('%s', (text, exact) => {
    expect(flagsOf(text).map((f) => [f.category, f.exact])).toEqual([['NE.HATE', exact]]);
  });

  test.each([
    'Տարվանցի բժիշկը տեսավ, որ հիվանդի սիրտը խառնում է։',
    'Մերենիտ տատիկը չի տանում ծխախոտի հոտը։',
  ])('quiet: %s', (text) => {
    expect(flagsOf(text)).toEqual([]);
  });
});
