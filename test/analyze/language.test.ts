/** Stopwords settle short text; they are found in any letter case, and only as whole words. */
import { detectLanguage } from '../../src/analyze/language';

describe('detectLanguage stopwords', () => {
  it('counts Turkish stopwords in lower and upper case', () => {
    expect(detectLanguage('ve bu da kitap')).toBe('tr');
    expect(detectLanguage('VE BU DA KITAP')).toBe('tr');
    expect(detectLanguage('Ve Bu Da Kitap')).toBe('tr');
  });
  it('counts Russian and Azerbaijani Cyrillic stopwords in any case', () => {
    expect(detectLanguage('ВӘ БУ ДӘ КИТАБ')).toBe('az');
    expect(detectLanguage('И НЕ НА КНИГА')).toBe('ru');
  });
  it('leaves longer words and words inside words alone', () => {
    expect(detectLanguage('vebu kitap')).toBe('en');
  });
});
