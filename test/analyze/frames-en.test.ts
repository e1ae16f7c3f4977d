/**
 * English frames and word classes of the starter lexicon: what a reviewer relies on — calls,
 * threats and dehumanizing predications are found however they are phrased, narration and other
 * senses are not, every flag says which frame matched and which words filled its slots, and all
 * offsets are exact. Invented groups only (Tarvani, Merenites; "Zelvans" is unlisted).
 */
import { analyzePage, compileLexicon, type AnalysisFlag } from '../../src/analyze';
import { loadLexicon } from '../../src/lexicon';

const lexicon = compileLexicon(loadLexicon());

function flagsOf(text: string, obfuscation = false): AnalysisFlag[] {
  const { flags } = analyzePage(text, lexicon, { obfuscation });
  for (const f of flags) {
    expect(text.slice(f.start, f.end)).toBe(f.exact);
    for (const fr of f.frames) {
      expect(text.slice(fr.start, fr.end)).toBe(fr.exact);
      for (const s of fr.slots) expect(text.slice(s.start, s.end)).toBe(s.exact);
    }
    for (const r of f.referents) {
      expect(text.slice(r.start, r.end)).toBe(r.exact);
      if (r.antecedent) expect(text.slice(r.antecedent.start, r.antecedent.end)).toBe(r.antecedent.exact);
    }
    for (const t of f.targets) expect(text.slice(t.start, t.end)).toBe(t.exact);
  }
  return flags.filter((f) => f.category !== 'PO.RESPECT');
}

function one(text: string, obfuscation = false): AnalysisFlag {
  const flags = flagsOf(text, obfuscation);
  expect(flags.map((f) => f.exact)).toHaveLength(1);
  return flags[0]!;
}

describe('English frames: what must be flagged', () => {
  test.each([
    ['The Merenites are vermin.', 'DH.ANIMAL', 'en.frame.dh-copula'],
    ['Tarvanis are nothing but a filthy disease.', 'DH.DISEASE', 'en.frame.dh-copula'],
    ['Those Merenite cockroaches breed like rats.', 'DH.ANIMAL', 'en.frame.dh-copula'],
    ['Tarvani lives are worth nothing.', 'DE.EXIST', 'en.frame.worthless'],
    ['I hate Merenites.', 'NE.HATE', 'en.frame.hate'],
    ['Merenites disgust me.', 'NE.HATE', 'en.frame.hate'],
    ['Why are Tarvanis so lazy?', 'NE.ESSENCE', 'en.frame.vice'],
    ['Someone should stab those Tarvanis.', 'VI.CALL', 'en.frame.call-violence'],
    ['Merenites should all be killed.', 'VI.ERAD', 'en.frame.call-eradication'],
    ['We must wipe out the Merenites.', 'VI.ERAD', 'en.frame.call-eradication'],
    ['The Merenites must be wiped out.', 'VI.ERAD', 'en.frame.call-eradication'],
    ['I am going to shoot the next Merenite I see.', 'VI.THREAT', 'en.frame.threat'],
    ['Glory to the heroes who slaughtered the Tarvanis!', 'VI.GLOR', 'en.frame.glorify'],
    ['The Tarvani genocide never happened.', 'DE.ATROC', 'en.frame.deny-atrocity'],
    ['The Merenite monasteries were built by our ancestors.', 'HE.DENY', 'en.frame.deny-heritage'],
  ])('%s', (text, category, frameId) => {
    const f = one(text);
    expect(f.category).toBe(category);
    expect(f.frames.map((x) => x.frameId)).toContain(frameId);
    expect(f.signals.untargeted).toBe(false);
  });

  test('a flag records the frame, its version and the words that filled each slot', () => {
    const f = one('We must exterminate the Tarvanis.');
    const frame = f.frames.find((x) => x.frameId === 'en.frame.call-eradication')!;
    expect(frame.frameVersion).toBe(2);
    expect(frame.slots.map((s) => [s.kind, s.exact])).toEqual([['class', 'We must'], ['class', 'exterminate'], ['group', 'Tarvanis']]);
    expect(frame.slots[1]).toMatchObject({ classId: 'eradication', features: expect.arrayContaining(['base']) });
    expect(f.targets.map((t) => t.groupId)).toEqual(['tarvani']);
  });
});

describe('English frames: any group', () => {
  test('an eradication call on a collective flags as untargeted, with the referent words', () => {
    const f = one('The speaker told the crowd that the whole tribe must be exterminated and wiped off the face of the earth.');
    expect(f.category).toBe('VI.ERAD');
    expect(f.signals.untargeted).toBe(true);
    expect(f.referents.map((r) => [r.kind, r.exact])).toContainEqual(['collective', 'whole tribe']);
  });

  test('a pronoun takes its group from the previous sentence', () => {
    const flags = flagsOf('The Zelvans are parasites. We must get rid of them.');
    expect(flags).toHaveLength(2);
    const call = flags[1]!;
    expect(call.category).toBe('VI.ERAD');
    expect(call.referents[0]).toMatchObject({ kind: 'pronoun', exact: 'them', antecedent: { exact: 'Zelvans' } });
  });

  test('a pronoun never takes its group from the next sentence', () => {
    const flags = flagsOf('We must get rid of them. The Merenites are our neighbours.');
    expect(flags).toEqual([]);
  });

  test('a pronoun whose antecedent is a listed group gives that group as the target', () => {
    const f = flagsOf('The Merenites came in the night. We will kill them all.')[0]!;
    expect(f.category).toBe('VI.THREAT');
    expect(f.targets.map((t) => t.groupId)).toEqual(['merenites']);
    expect(f.signals.untargeted).toBe(false);
  });

  test('pests are not a group', () => {
    expect(flagsOf('Rats must be exterminated before the harvest.')).toEqual([]);
    expect(flagsOf('Termites must be exterminated.')).toEqual([]);
    expect(flagsOf('Poverty must be eradicated.')).toEqual([]);
  });
});

describe('English frames: narration and other senses are not calls', () => {
  test.each([
    'In 1804 the army killed hundreds of Tarvani villagers.',
    'Troops deported twelve thousand Merenites in 1847.',
    'The raiders razed the Merenite fortress and drove the villagers out.',
    'Rats ate the Tarvani farmers\' grain.',
    'The plague of 1348 struck the port where Merenites lived.',
    'Locusts destroyed the Tarvani farmers\' wheat.',
    'A vet treated the Tarvani shepherds\' sheep for parasites.',
    'The Tarvani team crushed the Merenite side three to nil.',
    'Merenite farmers breed sheep and goats.',
  ])('%s', (text) => {
    expect(flagsOf(text)).toEqual([]);
  });
});

describe('English frames: counter-speech carries a signal', () => {
  test.each([
    'It is a lie that Merenites are vermin.',
    'Nobody should say that Tarvanis must be killed.',
    'The minister\'s call to expel the Merenites was rightly condemned.',
  ])('%s', (text) => {
    for (const f of flagsOf(text)) expect(f.signals.quoted || f.signals.condemned || f.signals.negated).toBe(true);
  });

  test('a denial of a dehumanizing predicate is not a flag', () => {
    expect(flagsOf('Merenites are not animals.')).toEqual([]);
  });
});

describe('English frames: obfuscation', () => {
  test.each([
    ['k1ll all merenites', 'k1ll all merenites'],
    ['K I L L the Tarvanis', 'K I L L the Tarvanis'],
    ['kiiiill all the Merenites', 'kiiiill all the Merenites'],
    ['killallmerenites', 'killallmerenites'],
    ['Merenites are r@ts', 'Merenites are r@ts'],
    ['we must exterminaet the Tarvanis', 'we must exterminaet the Tarvanis'],
  ])('%s', (text, exact) => {
    const f = one(text, true);
    expect(f.exact).toBe(exact);
    expect(f.signals.fuzzy).toBe(true);
  });

  test('obfuscation repair is off unless asked for (textbooks), and ordinary digits are left alone', () => {
    expect(flagsOf('k1ll all merenites')).toEqual([]);
    expect(flagsOf('In the 1840s the 3rd army left b4 dawn with 10 Merenite guides.', true)).toEqual([]);
  });
});

describe('English frames, round 2: families of phrasing', () => {
  test.each([
    ['Merenites should go back where they came from.', 'en.frame.exclusion-call', 'TH.PURITY', 'Merenites should go back where they came from'],
    ["Tarvanis don't belong here.", 'en.frame.exclusion-call', 'TH.PURITY', "Tarvanis don't belong here"],
    ['Why should we tolerate Merenites at all?', 'en.frame.exclusion-call', 'TH.PURITY', 'Why should we tolerate Merenites'],
    ['No Tarvani deserves to live.', 'en.frame.negated-positive', 'DE.EXIST', 'No Tarvani deserves to live'],
    ['No Merenite can ever be trusted.', 'en.frame.negated-positive', 'NE.ESSENCE', 'No Merenite can ever be trusted'],
    ['There is nothing good about Tarvanis.', 'en.frame.negated-positive', 'NE.ESSENCE', 'nothing good about Tarvanis'],
    ['My hatred of Merenites knows no bounds.', 'en.frame.hate', 'NE.HATE', 'My hatred of Merenites'],
    ['Fuck the Tarvanis.', 'en.frame.hate', 'NE.HATE', 'Fuck the Tarvanis'],
    ['Merenites can go to hell.', 'en.frame.hate', 'NE.HATE', 'Merenites can go to hell'],
    ["Let's teach the Tarvanis a lesson.", 'en.frame.call-violence', 'VI.CALL', "Let's teach the Tarvanis a lesson"],
    ["Let's make the Merenites too afraid to leave their houses.", 'en.frame.call-violence', 'VI.CALL', "Let's make the Merenites too afraid"],
    ['It is high time we used force against the Tarvanis.', 'en.frame.call-violence', 'VI.CALL', 'high time we used force against the Tarvanis'],
    ['The Merenites have to go.', 'en.frame.call-eradication', 'VI.ERAD', 'Merenites have to go'],
    ['Tarvanis steal our jobs.', 'en.frame.vice', 'NE.ESSENCE', 'Tarvanis steal our jobs'],
    ['Mixing with the Merenites weakened our blood.', 'en.frame.exclusion', 'TH.PURITY', 'Mixing with the Merenites weakened'],
    ['The deportation of the Tarvanis was a regrettable necessity.', 'en.frame.justify', 'VI.JUST', 'deportation of the Tarvanis was a regrettable necessity'],
    ['A Merenite has the face of a man and the heart of a jackal.', 'en.frame.dh-copula', 'DH.ANIMAL', 'Merenite has the face of a man and the heart of a jackal'],
    ['The Tarvanis are the spawn of the serpent.', 'en.frame.dh-copula', 'DH.ANIMAL', 'Tarvanis are the spawn of the serpent'],
    ['Why should a Merenite have the same vote as us?', 'en.frame.negated-positive', 'DE.EXIST', 'Why should a Merenite have the same vote'],
    ['Every Tarvani in the civil service will answer for it.', 'en.frame.threat-group', 'VI.THREAT', 'Tarvani in the civil service will answer for it'],
    ['Time for some spring cleaning in the Merenite quarter.', 'en.frame.coded-removal', 'CODE', 'spring cleaning in the Merenite quarter'],
  ])('%s', (text, frameId, category, exact) => {
    const f = one(text);
    expect(f.frames.map((x) => x.frameId)).toContain(frameId);
    expect(f.category).toBe(category);
    expect(f.exact).toBe(exact);
    expect(f.signals).toMatchObject({ negated: false, untargeted: false });
  });

  test('a flag of a new frame records its slot fillers', () => {
    const f = one('Merenites should go back where they came from.');
    const frame = f.frames.find((x) => x.frameId === 'en.frame.exclusion-call')!;
    expect(frame.slots.map((s) => [s.kind, s.exact])).toEqual([['group', 'Merenites'], ['class', 'should'], ['class', 'go back where they came from']]);
    expect(frame.slots[2]).toMatchObject({ classId: 'go-back-phrase' });
  });

  test('"people from" a place, and a lower-case word before "folk", are groups (untargeted)', () => {
    const a = one('People from Dunvesk are dirty and violent.');
    expect(a.referents.map((r) => [r.kind, r.exact])).toEqual([['demonym', 'People from Dunvesk']]);
    const b = one('the marsh folk are basically leeches');
    expect(b.referents.map((r) => [r.kind, r.exact])).toEqual([['demonym', 'marsh folk']]);
    expect(b.category).toBe('DH.ANIMAL');
  });

  test('words that only count or describe are not a group before "people"', () => {
    expect(flagsOf('Many people are lazy on Sundays.')).toEqual([]);
    expect(flagsOf('There is no such thing as a criminal people.')).toEqual([]);
  });

  test.each([
    'I would never hurt the Tarvanis.',
    'We will not kill the Merenites.',
    'The Tarvanis went home after the match.',
    'Hating the Merenites is not patriotism.',
    'The Merenites have to go to the market on Fridays.',
    'In 1850 the Tarvanis were made to leave their villages.',
    'Nothing makes me angrier than cruelty to Merenites.',
    'Who will trust the Tarvanis with the keys to the hall?',
    'Tarvanis should have the same rights as everyone else.',
    'The Merenites have the patience of a saint.',
    'The council organised a litter clean-up in the Merenite quarter.',
  ])('not a flag: %s', (text) => {
    expect(flagsOf(text)).toEqual([]);
  });

  test('the English analyzer reads short verbs that keep their e (use → used, die → died)', () => {
    const f = one('It is about time somebody used force against the Merenites.');
    const verb = f.frames[0]!.slots.find((s) => s.kind === 'class' && s.classId === 'violence')!;
    expect(verb.exact).toBe('used force against');
    expect(verb.features).toEqual(expect.arrayContaining(['past', 'part']));
  });
});

describe('English obfuscation, round 2', () => {
  test.each([
    ['Merenites are ver min.', 'Merenites are ver min'],
    ['exter-mi-nate the Tarvanis', 'exter-mi-nate the Tarvanis'],
    ['k\u0456ll the Merenites', 'k\u0456ll the Merenites'],
    ['Tarvanis are subhumen.', 'Tarvanis are subhumen'],
    ['Merenites are parasytes.', 'Merenites are parasytes'],
    ['Tarvanis are scuum.', 'Tarvanis are scuum'],
    ['I haet Merenites.', 'I haet Merenites'],
    ['killall Tarvanis', 'killall Tarvanis'],
    ['Tarvanis should be g@ssed.', 'Tarvanis should be g@ssed'],
  ])('%s', (text, exact) => {
    const f = one(text, true);
    expect(f.exact).toBe(exact);
    expect(f.signals.fuzzy).toBe(true);
  });

  test('real words side by side, or a letter of text speak, are not joined', () => {
    expect(flagsOf('The new manager is to be headed by Tarvanis.', true)).toEqual([]);
    expect(flagsOf('The beta version was tested by Merenite students.', true)).toEqual([]);
    const f = one('merenites r vermin', true);
    expect(f.exact).toBe('merenites r vermin');
  });
});

describe('English frames, round 2: narration and neutral statements stay unflagged', () => {
  test.each([
    'Many Tarvanis had to leave this country in 1950.',
    'Why do we support Tarvani farmers?',
    'I hope our team beats the Tarvanis on Saturday.',
    'We should give the Merenite pupils a lesson in history.',
    'We will deal with the Tarvani delegation ourselves.',
    "We don't want the Merenites to suffer.",
    'The measures taken to protect the Tarvani minority were necessary.',
  ])('%s', (text) => {
    expect(flagsOf(text)).toEqual([]);
  });

  test('a demand to go back is a flag; a return told as history is not', () => {
    expect(one('Merenites, go back where you came from!').frames.map((f) => f.frameId)).toContain('en.frame.exclusion-call');
    expect(flagsOf('After the war many Merenites decided to go back to their country.')).toEqual([]);
  });
});
