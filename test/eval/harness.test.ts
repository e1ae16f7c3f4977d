/**
 * The harness's own rules: metric definitions on hand-labelled outcomes, defensive reading of
 * signals the engine may add later, set validation with file:line messages, and the
 * `npm run eval` entry point's usage errors. No database.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { analyzePage, compileLexicon } from '../../src/analyze';
import { loadLexicon } from '../../src/lexicon';
import { summarizeFlag, type FlagSummary } from '../../eval/analyze-passage';
import { runEvaluation } from '../../eval/harness';
import { computeMetrics, isFalsePositive, outcomeOf } from '../../eval/metrics';
import type { Passage } from '../../eval/passages';
import { main } from '../../eval/run';

function passage(over: Partial<Passage>): Passage {
  return {
    id: 'en-0001', lang: 'en', split: 'dev', expect: 'flag', kind: 'call', categories: ['VI.CALL'],
    group: 'listed', source: 'statement', text: 'synthetic', file: 'en', line: 1, ...over,
  };
}

function flag(category: string, signals: Record<string, boolean> = {}): FlagSummary {
  return { category, exact: 'x', signals: { negated: false, quoted: false, condemned: false, fuzzy: false, ...signals }, targets: [] };
}

describe('metrics', () => {
  const outcomes = [
    outcomeOf(passage({ kind: 'eradication', categories: ['VI.ERAD'] }), { lang: 'en', flags: [flag('VI.ERAD')] }),
    outcomeOf(passage({ kind: 'call' }), { lang: 'en', flags: [flag('PO.RESPECT')] }),
    outcomeOf(passage({ kind: 'call', categories: ['VI.CALL'] }), { lang: 'en', flags: [flag('DH.ANIMAL')] }),
    outcomeOf(passage({ kind: 'threat', categories: ['VI.THREAT'], group: 'unlisted' }), { lang: 'en', flags: [flag('VI.THREAT', { untargeted: true })] }),
    outcomeOf(passage({ expect: 'none', kind: 'history', categories: [] }), { lang: 'en', flags: [flag('VI.ERAD')] }),
    outcomeOf(passage({ expect: 'none', kind: 'neutral', categories: [] }), { lang: 'en', flags: [] }),
    outcomeOf(passage({ expect: 'none', kind: 'positive', categories: [] }), { lang: 'en', flags: [flag('PO.RESPECT')] }),
    outcomeOf(passage({ expect: 'signal', kind: 'counter-speech', categories: [] }), { lang: 'en', flags: [flag('DH.ANIMAL', { quoted: true })] }),
    outcomeOf(passage({ expect: 'signal', kind: 'counter-speech', categories: [] }), { lang: 'en', flags: [flag('VI.ERAD', { condemned: true }), flag('VI.ERAD')] }),
  ];
  const m = computeMetrics(outcomes);

  test('a PO.RESPECT flag alone does not make a passage flagged', () => {
    expect(outcomes[1]!.flagged).toBe(false);
    expect(outcomes[6]!.flagged).toBe(false);
  });

  test('recall, precision and category accuracy at passage level', () => {
    expect(m.recall).toEqual({ n: 3, d: 4, value: 0.75 });
    // FP: the flagged history passage and the counter-speech with an unsignalled flag.
    expect(outcomes.map(isFalsePositive)).toEqual([false, false, false, false, true, false, false, false, true]);
    expect(m.precision).toEqual({ n: 3, d: 5, value: 0.6 });
    expect(m.categoryAccuracy.n).toBe(2);
    expect(m.categoryAccuracy.d).toBe(3);
  });

  test('rates and the untargeted share', () => {
    expect(m.rates.history.value).toBe(1);
    expect(m.rates.mentions).toEqual({ n: 0, d: 2, value: 0 });
    expect(m.rates.counterUnsignalled).toEqual({ n: 1, d: 2, value: 0.5 });
    expect(m.untargeted).toEqual({ n: 1, d: 1, value: 1 });
  });

  test('per kind, per primary category and per flagged category', () => {
    expect(m.recallByKind.call).toEqual({ n: 1, d: 2, value: 0.5 });
    expect(m.recallByCategory['VI.CALL']).toEqual({ n: 1, d: 2, value: 0.5 });
    // VI.ERAD flags: the eradication passage (right), the history passage and the unsignalled
    // counter-speech (wrong); the signalled counter-speech flag of DH.ANIMAL counts for nothing.
    expect(m.precisionByCategory['VI.ERAD']).toEqual({ n: 1, d: 3, value: 1 / 3 });
    expect(m.precisionByCategory['DH.ANIMAL']).toEqual({ n: 0, d: 1, value: 0 });
  });

  test('nothing to measure gives null, not zero', () => {
    expect(computeMetrics([]).recall.value).toBeNull();
  });
});

describe('reading engine flags', () => {
  test('signals the engine adds later are kept (e.g. untargeted), non-boolean values ignored', () => {
    const lexicon = compileLexicon(loadLexicon());
    const [real] = analyzePage('The Tarvanis are vermin.', lexicon).flags;
    expect(real).toBeDefined();
    const extended = { ...real!, signals: { ...real!.signals, untargeted: true, referent: 'them' } } as unknown as typeof real;
    const summary = summarizeFlag(extended!);
    expect(summary.signals.untargeted).toBe(true);
    expect(summary.signals).not.toHaveProperty('referent');
    expect(summary.targets).toEqual(['tarvani']);
  });
});

describe('set validation', () => {
  let dir: string;
  beforeAll(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'lexwatch-eval-'));
    const ok = { id: 'en-0001', lang: 'en', split: 'dev', expect: 'flag', kind: 'call', categories: ['VI.CALL'], group: 'listed', source: 'statement', text: 'Beat the Tarvanis in the streets.' };
    fs.writeFileSync(path.join(dir, 'en.jsonl'), [
      JSON.stringify(ok),
      '{not json',
      JSON.stringify({ ...ok, id: 'en-0001' }),
      JSON.stringify({ ...ok, id: 'en-0004', kind: 'history' }),
      JSON.stringify({ ...ok, id: 'en-0005', categories: ['XX.NONE'], lang: 'ru' }),
      JSON.stringify({ ...ok, id: 'hy-0006', extra: 1 }),
    ].join('\n') + '\n');
    fs.writeFileSync(path.join(dir, 'klingon.jsonl'), '');
  });
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  test('each problem is named by file and line; valid lines are still measured', () => {
    const run = runEvaluation({ setsDir: dir });
    expect(run.problems).toEqual([
      expect.stringMatching(/^klingon\.jsonl: not a set file/),
      expect.stringMatching(/^en\.jsonl:2: invalid JSON/),
      'en.jsonl:4: kind "history" needs "expect": "none"',
      'en.jsonl:5: "lang" must be "en" in en.jsonl',
      'en.jsonl:5: unknown categories XX.NONE',
      'en.jsonl:6: unknown field "extra"',
      'en.jsonl:6: "id" must be "en-" and 4 digits',
      'en.jsonl:3: duplicate id "en-0001" (first at en.jsonl:1)',
    ]);
    expect(run.outcomes.map((o) => o.passage.id)).toEqual(['en-0001', 'en-0001']);
  });
});

describe('npm run eval (eval/run.ts main)', () => {
  const quiet = { out: (): void => undefined, err: (): void => undefined };

  test('exits 2 on bad options, naming the problem', () => {
    const errors: string[] = [];
    expect(main(['--split', 'train'], quiet.out, (l) => errors.push(l))).toBe(2);
    expect(errors.join('\n')).toContain('--split must be dev, test or all');
    expect(main(['--update-floors', '--lang', 'en'], quiet.out, (l) => errors.push(l))).toBe(2);
    expect(main(['--kind', 'rant'], quiet.out, (l) => errors.push(l))).toBe(2);
    expect(errors.join('\n')).toContain('unknown kind "rant"');
  });
});
