/**
 * Obfuscation repair only ever adds: whatever the analysis finds with `obfuscation` off it still
 * finds with it on — the same rules, categories and offsets — because clean words pass through
 * the repair untouched. Checked over sentences of our own in every shipped language and over the
 * DEV split's must-flag passages of the evaluation set (never its test split, which is held out).
 * Invented groups only.
 */
import fs from 'node:fs';
import path from 'node:path';
import { analyzePage, compileLexicon, type AnalysisFlag } from '../../src/analyze';
import { loadLexicon, loadTargets, withTargets } from '../../src/lexicon';

const root = path.join(__dirname, '../..');
const lexicon = compileLexicon(withTargets(loadLexicon(), loadTargets(path.join(root, 'eval/targets.json'))));

/** Our own sentences: short function words (у, в, не, o, ու, է) beside groups and verbs. */
const OWN = [
  'Надо стереть меренитов с лица земли.',
  'Всех тарванов в лагеря, они паразиты.',
  'У меренитов в крови ненависть, их надо уничтожить.',
  'Тарваны — паразиты, и с ними не договориться.',
  'Я ненавижу меренитов, и я не скрываю этого.',
  'Всех велкаров надо выгнать, а не кормить.',
  'Merenitler asalaktır, o yüzden hepsi sürülmeli.',
  'Tarvanlar haşeredir, o bir gerçek.',
  'Merenitlər parazitdir, o da bəlli.',
  'Мерениtlәр паразитдир, о да бәллидир.',
  'Տարվանցիները մակաբույծներ են, և նրանց պետք է վտարել։',
  'Մերենիտները կենդանիներ են ու պետք է ոչնչացնել նրանց։',
  'We must wipe out the Merenites, all of them.',
  'Tarvanis are vermin and I want them gone.',
  'I hate the Merenites, they are a plague.',
];

function devMustFlag(): string[] {
  const dir = path.join(root, 'eval/sets');
  const out: string[] = [];
  for (const file of fs.readdirSync(dir).filter((f) => f.endsWith('.jsonl')).sort()) {
    for (const line of fs.readFileSync(path.join(dir, file), 'utf8').split('\n')) {
      if (!line.trim()) continue;
      const p = JSON.parse(line) as { split: string; expect: string; text: string };
      if (p.split === 'dev' && p.expect === 'flag') out.push(p.text); // the test split stays unread
    }
  }
  return out;
}

/** Every rule hit of a page as "rule category start-end". */
function hitsOf(flags: AnalysisFlag[]): string[] {
  const out: string[] = [];
  for (const f of flags) {
    for (const m of f.matches) out.push(`${m.entryId} ${m.category} ${m.start}-${m.end}`);
    for (const fr of f.frames) out.push(`${fr.frameId} ${fr.category} ${fr.start}-${fr.end}`);
  }
  return out;
}

describe('obfuscation repair keeps every finding of the clean analysis', () => {
  const passages = [...OWN, ...devMustFlag()];

  test('the dev split gives the check real material', () => {
    expect(passages.length).toBeGreaterThan(OWN.length + 300);
  });

  test('with obfuscation on, every rule hit of the clean analysis is still there (same category and offsets)', () => {
    const lost: string[] = [];
    for (const text of passages) {
      const off = analyzePage(text, lexicon, { obfuscation: false }).flags;
      const on = analyzePage(text, lexicon, { obfuscation: true }).flags;
      const kept = new Set(hitsOf(on));
      for (const h of hitsOf(off)) if (!kept.has(h)) lost.push(`${h} :: ${text}`);
      // Each clean flag lies inside a flag (a repaired word next to it may join its group, and
      // the group then takes the worst category; the hits above keep their own).
      for (const f of off) {
        if (!on.some((g) => g.start <= f.start && f.end <= g.end)) lost.push(`flag ${f.category} ${f.start}-${f.end} :: ${text}`);
      }
    }
    expect(lost).toEqual([]);
  });

  test('our own sentences flag with obfuscation off, so the check above is not empty for them', () => {
    const silent = OWN.filter((text) => analyzePage(text, lexicon).flags.every((f) => f.category === 'PO.RESPECT'));
    expect(silent).toEqual([]);
  });
});
