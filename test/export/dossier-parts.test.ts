/** The dossier's pure parts: font runs per script, locating an excerpt in word boxes, audit hashes. */
import { canonicalJson } from '../../src/audit/canonical';
import { eventHash, GENESIS_HASH, payloadHash } from '../../src/audit/log';
import { manifestOf } from '../../src/export/dossier/bag';
import { locateInWords } from '../../src/export/dossier/crop';
import { fontChain, toRuns } from '../../src/export/dossier/fonts';

describe('font runs', () => {
  const samples = {
    az: 'Tarvanlılar həşəratdır. Düşmənlərimizi məhv etməliyik — ə ğ ı ö ü ş ç İ Ə Ğ Ş Ç',
    ru: 'Тарваны — паразиты на нашей земле. Ёё Щщ Ъъ',
    hy: 'Տարվանցիները միջատներ են։ 2023 թ.',
    ka: 'ტარვანელები',
    ar: 'هذا نص تجريبي',
    he: 'זהו טקסט לדוגמה',
  };

  it.each(Object.entries(samples))('sets every %s character in a font that has its glyph', (_lang, text) => {
    const chain = fontChain();
    const runs = toRuns(text);
    expect(runs.map((r) => [...r.text].length).reduce((a, b) => a + b, 0)).toBe([...text].length);
    for (const run of runs) {
      for (const ch of run.text) expect({ ch, covered: chain.has(run.face, ch.codePointAt(0)!) }).toEqual({ ch, covered: true });
    }
  });

  it('marks exactly the highlighted range', () => {
    const runs = toRuns('The Tarvani are vermin that', [{ start: 16, end: 22 }]);
    expect(runs.filter((r) => r.mark).map((r) => r.text)).toEqual(['vermin']);
    expect(runs.map((r) => r.text).join('')).toBe('The Tarvani are vermin that');
  });

  it('lays right-to-left words out right to left and leaves left-to-right text alone', () => {
    const runs = toRuns('see זהו טקסט here');
    const rtl = runs.find((r) => /[\u0590-\u05FF]/u.test(r.text))!;
    expect(rtl.text.trim()).toBe('טקסט זהו');
    expect(runs.map((r) => r.text).join('').startsWith('see ')).toBe(true);
    expect(runs.map((r) => r.text).join('').endsWith('here')).toBe(true);
  });
});

describe('locating an excerpt in the text layer', () => {
  const page = {
    width: 600,
    height: 800,
    words: [
      { text: 'The', x0: 60, y0: 100, x1: 80, y1: 110 },
      { text: 'Tarvani', x0: 84, y0: 100, x1: 130, y1: 110 },
      { text: 'are', x0: 134, y0: 100, x1: 150, y1: 110 },
      { text: 'vermin.', x0: 154, y0: 100, x1: 190, y1: 110 },
      { text: 'Later', x0: 60, y0: 200, x1: 90, y1: 210 },
      { text: 'the', x0: 94, y0: 200, x1: 110, y1: 210 },
      { text: 'Tarvani', x0: 114, y0: 200, x1: 160, y1: 210 },
      { text: 'were', x0: 164, y0: 200, x1: 190, y1: 210 },
      { text: 'called', x0: 60, y0: 212, x1: 90, y1: 222 },
      { text: 'vermin', x0: 94, y0: 212, x1: 130, y1: 222 },
    ],
  };

  it('finds a phrase across words and lines, as page fractions', () => {
    const box = locateInWords(page, 'were called vermin', '')!;
    expect(box.x0).toBeCloseTo(60 / 600);
    expect(box.y0).toBeCloseTo(200 / 800);
    expect(box.x1).toBeCloseTo(190 / 600);
    expect(box.y1).toBeCloseTo(222 / 800);
  });

  it('picks the occurrence whose preceding text matches the flag prefix', () => {
    expect(locateInWords(page, 'vermin', 'Later the Tarvani were called ')!.y0).toBeCloseTo(212 / 800);
    expect(locateInWords(page, 'vermin', 'The Tarvani are ')!.y0).toBeCloseTo(100 / 800);
  });

  it('answers null when the text is not on the page', () => {
    expect(locateInWords(page, 'Merenites', '')).toBeNull();
  });
});

describe('audit hashes and manifests', () => {
  it('canonical JSON sorts keys at every level and ignores key order', () => {
    expect(canonicalJson({ b: 1, a: { d: [1, { f: 2, e: 3 }], c: null } })).toBe('{"a":{"c":null,"d":[1,{"e":3,"f":2}]},"b":1}');
    expect(canonicalJson({ x: 1, y: 2 })).toBe(canonicalJson({ y: 2, x: 1 }));
  });

  it('an event written as a JSONL line hashes as the stored event did (the verifier recomputes it)', () => {
    const change = { decision: 'confirm', round: 1 };
    const stored = {
      seq: 7, at: new Date('2026-01-02T03:04:05.678Z'), actor: '0123456789abcdef01234567', role: 'reviewer', action: 'review.decide',
      entity: { type: 'flag', id: 'f' }, change, reason: null, payloadSha256: payloadHash(change, null), prevHash: GENESIS_HASH,
    };
    const hash = eventHash(stored);
    const line = JSON.parse(canonicalJson({ ...stored, hash }));
    expect(line.at).toBe('2026-01-02T03:04:05.678Z');
    expect(eventHash(line)).toBe(hash);
    expect(eventHash({ ...line, actor: 'someone-else' })).not.toBe(hash);
    expect(eventHash({ ...line, prevHash: '1'.repeat(64) })).not.toBe(hash);
  });

  it('manifests escape line breaks in names (RFC 8493)', () => {
    expect(manifestOf([{ path: 'data/a%\nb', data: Buffer.from('x') }])).toMatch(/ {2}data\/a%25%0Ab\n$/);
  });
});
