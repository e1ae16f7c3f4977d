/**
 * The method inside a dossier, its pure parts (issue 15, items 1 and 2): the category legend
 * kept equal to docs/taxonomy.md, the stance an item is shown with, the agreement figures, and
 * limitations that name only what is true of the dossier.
 */
import fs from 'node:fs';
import path from 'node:path';
import { CATEGORY_CODES } from '../../src/analyze/types';
import {
  BASIS_WORKS, CATEGORY_BASIS, categoryLegend, dossierAgreement, lexiconRuleNotes, limitations, signalsOf, stanceOf, targetOf, textSourceOf, withinPackage,
} from '../../src/export/dossier/method';
import type { DossierReview } from '../../src/export/dossier/source';
import type { LexiconData } from '../../src/analyze/types';

const NO_SIGNALS = { negated: false, quoted: false, condemned: false, fuzzy: false, untargeted: false };

function review(round: number, decision: DossierReview['decision'], stance: DossierReview['stance'] = null): DossierReview {
  return { reviewer: `R${round}`, round, decision, modification: null, stance, note: null, at: '2026-01-01T00:00:00.000Z' };
}

describe('the category legend', () => {
  it('gives every category the basis docs/taxonomy.md gives it, and names every short name it uses', () => {
    const doc = fs.readFileSync(path.resolve(__dirname, '..', '..', 'docs', 'taxonomy.md'), 'utf8');
    const rows = new Map(
      doc.split('\n').filter((l) => /^\| [A-Z]+(\.[A-Z]+)? \|/.test(l)).map((l) => l.split('|').map((c) => c.trim())).map((c) => [c[1]!, c[4]!]),
    );
    for (const code of CATEGORY_CODES) expect({ code, basis: CATEGORY_BASIS[code] }).toEqual({ code, basis: rows.get(code) });
    const shorts = BASIS_WORKS.map((w) => w.short);
    for (const basis of Object.values(CATEGORY_BASIS)) {
      expect({ basis, explained: shorts.some((s) => basis.includes(s)) }).toEqual({ basis, explained: true });
    }
  });

  it('defines each code used once, in order, and says so of a code the taxonomy does not list', () => {
    const legend = categoryLegend(['VI.ERAD', 'DH.ANIMAL', 'DH.ANIMAL', 'XX.OLD']);
    expect(legend.map((c) => c.code)).toEqual(['DH.ANIMAL', 'VI.ERAD', 'XX.OLD']);
    expect(legend[0]).toEqual({ code: 'DH.ANIMAL', name: 'Animal / vermin metaphor', definition: 'group likened to animals, insects, pests', basis: 'Mendelsohn et al. 2020; Haslam 2006; Livingstone Smith 2011' });
    expect(legend[2]!.definition).toContain('does not list');
  });
});

describe('the stance of an item', () => {
  it('takes the stance the deciding reviewers recorded', () => {
    expect(stanceOf({ signals: NO_SIGNALS }, [review(1, 'confirm', 'condemns'), review(2, 'confirm', 'condemns')])).toMatchObject({ value: 'condemns', basis: 'reviewers' });
    // One of two recorded a stance: that one speaks, and the item says how many did.
    const one = stanceOf({ signals: NO_SIGNALS }, [review(1, 'confirm', 'reports-or-quotes'), review(2, 'confirm')]);
    expect(one).toMatchObject({ value: 'reports-or-quotes', basis: 'reviewers' });
    expect(one.statement).toContain('1 of 2');
  });

  it('is unclear when the reviewers recorded different stances', () => {
    const s = stanceOf({ signals: NO_SIGNALS }, [review(1, 'confirm', 'endorses'), review(2, 'confirm', 'condemns')]);
    expect(s).toMatchObject({ value: 'unclear', basis: 'reviewers' });
    expect(s.statement).toContain('endorses, condemns');
  });

  it('lets an adjudication decide the stance, and ignores escalations', () => {
    expect(stanceOf({ signals: NO_SIGNALS }, [review(1, 'confirm', 'endorses'), review(2, 'reject', 'condemns'), review(0, 'confirm', 'condemns')]).value).toBe('condemns');
    expect(stanceOf({ signals: NO_SIGNALS }, [review(1, 'escalate', 'condemns'), review(2, 'confirm', 'endorses'), review(3, 'confirm')]).value).toBe('endorses');
  });

  it("falls back to the analyser's cues when no reviewer recorded one, and says so", () => {
    const rounds = [review(1, 'confirm'), review(2, 'confirm')];
    expect(stanceOf({ signals: { ...NO_SIGNALS, condemned: true } }, rounds)).toMatchObject({ value: 'condemns', basis: 'analyser' });
    expect(stanceOf({ signals: { ...NO_SIGNALS, quoted: true } }, rounds)).toMatchObject({ value: 'reports-or-quotes', basis: 'analyser' });
    expect(stanceOf({ signals: { ...NO_SIGNALS, negated: true } }, rounds)).toMatchObject({ value: 'unclear', basis: 'analyser' });
    const plain = stanceOf({ signals: NO_SIGNALS }, rounds);
    expect(plain).toMatchObject({ value: 'endorses', basis: 'analyser' });
    expect(plain.statement).toContain('no reviewer recorded a stance');
  });
});

describe('signals, target and text source in plain words', () => {
  it('names the signals set', () => {
    expect(signalsOf({ signals: { ...NO_SIGNALS, condemned: true, quoted: true } })).toEqual({ set: ['quoted', 'condemned'], statement: expect.stringContaining('condemned (condemned nearby)') });
    expect(signalsOf({ signals: NO_SIGNALS }).set).toEqual([]);
  });

  it('names the group from the lexicon, or says untargeted with the referent words', () => {
    const lexicon = { targets: [{ id: 'tarvani', name: 'Tarvani', fictional: true, terms: [] }] } as unknown as LexiconData;
    const named = targetOf({ targets: [{ groupId: 'tarvani', start: 4, end: 11, exact: 'Tarvani' }], referents: [], signals: NO_SIGNALS, outcome: null }, lexicon);
    expect(named).toMatchObject({ untargeted: false, groups: [{ groupId: 'tarvani', name: 'Tarvani', fictional: true, words: ['Tarvani'] }] });
    expect(named.statement).toBe('Target group: Tarvani (an invented example group), named as “Tarvani”.');
    const none = targetOf({ targets: [], referents: [{ kind: 'collective', start: 0, end: 14, exact: 'the whole tribe' }], signals: { ...NO_SIGNALS, untargeted: true }, outcome: null }, lexicon);
    expect(none).toMatchObject({ untargeted: true, referents: ['the whole tribe'] });
    expect(none.statement).toContain('untargeted');
    expect(none.statement).toContain('“the whole tribe”');
  });

  it('states OCR with engine and confidence', () => {
    expect(textSourceOf({ source: { method: 'ocr', engine: 'tesseract@5.3.0', confidence: 95.71 } }, false)).toMatchObject({ method: 'ocr', engine: 'tesseract@5.3.0', confidence: 95.7, statement: expect.stringContaining('OCR (tesseract@5.3.0, mean word confidence 95.7 of 100)') });
    expect(textSourceOf({ source: { method: 'text-layer' } }, false).statement).toContain('text layer');
  });
});

describe('lexicon rules used', () => {
  it('gives each rule its meaning from the lexicon version that raised it, once', () => {
    const lexicon = {
      entries: [{ id: 'en.x', version: 2, lang: 'en', terms: ['vermin'], category: 'DH.ANIMAL', severity: 3, meaning: 'M', whyHarmful: 'W', source: { type: 'literature', ref: 'R', citation: 'C' } }],
      frames: [{ id: 'en.frame.f', version: 3, lang: 'en', patterns: ['{group} {copula} {dh-*}'], category: 'class', severity: 3, meaning: 'FM', whyHarmful: 'FW', method: 'FMe', source: { type: 'curator', ref: 'FR' } }],
      targets: [],
    } as unknown as LexiconData;
    const notes = lexiconRuleNotes(
      [
        { lexicon: 'l@1', version: '1', rules: [{ kind: 'entry', id: 'en.x', version: 2, words: 'vermin' }, { kind: 'frame', id: 'en.frame.f', version: 3, words: 'are vermin' }] },
        { lexicon: 'l@1', version: '1', rules: [{ kind: 'entry', id: 'en.x', version: 2, words: 'vermin' }, { kind: 'entry', id: 'en.x', version: 1, words: 'vermin' }] },
      ],
      new Map([['1', lexicon]]),
    );
    expect(notes.map((n) => `${n.kind} ${n.id}@${n.version}`)).toEqual(['entry en.x@1', 'entry en.x@2', 'frame en.frame.f@3']);
    expect(notes[1]).toMatchObject({ wording: ['vermin'], meaning: 'M', whyHarmful: 'W', method: null, basis: 'literature: R. C' });
    expect(notes[2]).toMatchObject({ wording: ['{group} {copula} {dh-*}'], meaning: 'FM', method: 'FMe', basis: 'curator: FR' });
    expect(notes[0]!.meaning).toContain('not in the stored lexicon version 1');
  });

  it('points a lexicon text that names a repository file to the legend inside the package', () => {
    expect(withinPackage('Lexwatch curator: written for the categories of lexicons/README.md; needs review')).toBe(
      'Lexwatch curator: written for the categories of the Lexwatch taxonomy (defined in this dossier’s category legend); needs review',
    );
  });
});

describe('agreement', () => {
  it('gives raw agreement, kappa and alpha with their counts', () => {
    // 6 pairs: confirm/confirm 3, reject/reject 1, confirm/reject 1, reject/confirm 1 (modify counts as confirm).
    const items = [
      [review(1, 'confirm'), review(2, 'confirm')],
      [review(1, 'modify'), review(2, 'confirm')],
      [review(1, 'confirm'), review(2, 'modify')],
      [review(1, 'reject'), review(2, 'reject')],
      [review(1, 'confirm'), review(2, 'reject'), review(0, 'confirm')],
      [review(1, 'reject'), review(2, 'confirm'), review(0, 'reject')],
      [review(1, 'confirm')],
    ];
    const a = dossierAgreement(items);
    expect(a).toMatchObject({ flagsWithTwoRounds: 6, agreed: 4, percent: 66.7 });
    // po = 4/6; both raters said confirm 4 times of 6: pe = (4/6)² + (2/6)² = 20/36; κ = (24/36 − 20/36) / (16/36) = 0.25.
    expect(a.kappa).toBe(0.25);
    expect(a.alpha.units).toBe(6);
    // α: coincidences c–c 6, r–r 2, c–r 2, r–c 2 (n = 12); 1 − (n − 1)·4 / (8·4·2) = 1 − 44/64 = 0.3125.
    expect(a.alpha.value).toBe(0.313);
    expect(a.pairs).toEqual(expect.arrayContaining([{ first: 'confirm', second: 'confirm', n: 3 }, { first: 'confirm', second: 'reject', n: 1 }]));
    expect(a.statement).toContain('raw agreement 66.7%');
    expect(a.statement).toContain('κ = 0.25 (6 pairs)');
  });

  it('says why kappa is not defined when every review agreed on one label', () => {
    const a = dossierAgreement([[review(1, 'confirm'), review(2, 'confirm')]]);
    expect(a).toMatchObject({ percent: 100, kappa: null, alpha: { value: null, units: 1 } });
    expect(a.statement).toContain('not defined');
    expect(dossierAgreement([]).statement).toContain('not measured');
  });
});

describe('limitations', () => {
  const none = { ocr: [], captured: [], stanceFromAnalyser: [], fuzzy: [], untargeted: [], unapprovedTranslation: [] };

  it('names only what is true of the dossier', () => {
    const base = limitations({ itemIds: none, requiredConfirmations: 2, pairs: 3 });
    expect(base.join(' ')).not.toMatch(/OCR|captured|single|no reviewer recorded/);
    // The old claim that pages without a text layer are not analysed is false: they are read by OCR.
    expect(base.join(' ')).not.toContain('not analysed');
    const all = limitations({ itemIds: { ...none, ocr: ['E0004'], captured: ['E0002'], stanceFromAnalyser: ['E0003'] }, requiredConfirmations: 1, pairs: 0 });
    expect(all.find((l) => l.includes('OCR'))).toContain('E0004');
    expect(all.find((l) => l.includes('captured'))).toContain('E0002');
    expect(all.find((l) => l.includes('no reviewer recorded a stance'))).toContain('E0003');
    expect(all.some((l) => l.includes('single confirmation'))).toBe(true);
  });
});
