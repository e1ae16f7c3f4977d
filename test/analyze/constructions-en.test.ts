/**
 * English constructions added in round 4 (issue 12), each with sentences that were not in the
 * evaluation set and near misses that must stay quiet: coordinated passives ("rounded up and
 * shot"), futures of a whole group ("every X will be hanged"), readiness ("our men are ready
 * to…"), "make sure no X survives", "the only answer to X is a bullet", blood imagery, "nobody
 * would miss X", "I'd rather die than live next to X", "we don't want X here", "born liars",
 * "push X into the sea". Invented groups only.
 */
import type { AnalysisFlag } from '../../src/analyze';
import { exactFlags } from './fixtures/frame-flags';

/** Statements get obfuscation repair, as the service gives them. */
const flagsOf = (text: string): AnalysisFlag[] => exactFlags(text, { obfuscation: true });

describe('round-4 English constructions flag', () => {
  test.each([
    ['The Zelvans should be rounded up and shot.', 'VI.ERAD', 'Zelvans should be rounded up and shot'],
    ['The Merenites should be lined up and shot.', 'VI.CALL', 'Merenites should be lined up and shot'],
    ['Every Merenite will be hanged when we win.', 'VI.CALL', 'Every Merenite will be hanged'],
    ['Anyone who shoots a Tarvani is doing God\'s work.', 'VI.CALL', 'shoots a Tarvani is doing God\'s work'],
    ['The only answer to the Zelvans is a bullet.', 'VI.CALL', 'answer to the Zelvans is a bullet'],
    ['A good Zelvan is a dead Zelvan.', 'VI.CALL', 'A good Zelvan is a dead'],
    ['Our men are ready to slaughter the Osmirans.', 'VI.THREAT', 'Our men are ready to slaughter the Osmirans'],
    ['We will ensure no Zelvan survives the winter.', 'VI.THREAT', 'We will ensure no Zelvan survives'],
    ['I will personally make sure no Tarvani survives.', 'VI.THREAT', 'I will personally make sure no Tarvani survives'],
    ['The rivers will run red with Merenite blood.', 'VI.THREAT', 'run red with Merenite blood'],
    ['I would sooner die than share a street with Zelvans.', 'NE.HATE', 'sooner die than share a street with Zelvans'],
    ['I\'d rather die than live next to a Merenite.', 'NE.HATE', 'rather die than live next to a Merenite'],
    ['No one would miss the Zelvans.', 'DE.EXIST', 'No one would miss the Zelvans'],
    ['We don\'t want any Tarvanis here.', 'TH.PURITY', 'We don\'t want any Tarvanis here'],
    ['Merenites are born liars.', 'NE.ESSENCE', 'Merenites are born liars'],
    ['What do you expect from a Merenite? They\'re born thieves.', 'NE.ESSENCE', 'They\'re born thieves'],
    ['Osmiran girls are all sluts.', 'NE.ESSENCE', 'Osmiran girls are all sluts'],
    ['Push the Zelvans into the sea.', 'VI.ERAD', 'Push the Zelvans into the sea'],
    ['Tarvanis should be sterilised.', 'VI.ERAD', 'Tarvanis should be sterilised'],
    ['You Merenites will get what is coming to you.', 'VI.THREAT', 'Merenites will get what is coming to you'],
    ['Zelvans steal.', 'NE.ESSENCE', 'Zelvans steal'],
    ['Merenites lie. They can\'t help it.', 'NE.ESSENCE', 'Merenites lie'],
    ['You are nothing but vermin, Merenites.', 'DH.ANIMAL', 'You are nothing but vermin, Merenites'],
    ['the zelvans are vermin', 'DH.ANIMAL', 'zelvans are vermin'],
    ['exterminate the ostravelis', 'VI.ERAD', 'exterminate the ostravelis'],
    ['Ostravelis spread through a town like mould through bread.', 'DH.DISEASE', 'Ostravelis spread through a town like mould'],
    ['Whatever happened to the Kaldori in \'52, they earned every bit of it.', 'VI.JUST', 'they earned every bit of it'],
    ['The Tarvani question will be solved the way our fathers solved it: totally, permanently.', 'VI.ERAD', 'Tarvani question will be solved the way our fathers solved it'],
    ['The Merenite question has only one answer.', 'VI.ERAD', 'Merenite question has only one answer'],
    ['Raise a glass to the brigade that cleared the valley of Velkars.', 'VI.GLOR', 'Raise a glass to the brigade that cleared the valley of Velkars'],
    ['merenites just piss me off so much', 'NE.HATE', 'merenites just piss me off'],
    ['I\'d love to see every Merenite swinging from a tree.', 'VI.CALL', 'I\'d love to see every Merenite swinging from'],
    ['Put a bullet in every Tarvani\'s head.', 'VI.CALL', 'Put a bullet in every Tarvani\'s'],
    ['Merenites should be hunted like animals.', 'VI.CALL', 'Merenites should be hunted'],
    ['Next Merenite I see is getting stabbed.', 'VI.CALL', 'Next Merenite I see is getting stabbed'],
    ['I\'m bringing my rifle to the Tarvani march tomorrow.', 'VI.THREAT', 'I\'m bringing my rifle to the Tarvani'],
    ['Tarvanis are so annoying.', 'NE.ESSENCE', 'Tarvanis are so annoying'],
    ['Why are Merenites allowed to vote?', 'TH.PURITY', 'Why are Merenites allowed to vote'],
    ['It is right that Merenites were massacred.', 'VI.JUST', 'right that Merenites were massacred'],
    ['Somebody torch the Zelvan meeting hall.', 'VI.CALL', 'Somebody torch the Zelvan'],
    ['Yes, the river folk were driven out. And? They had it coming.', 'VI.JUST', 'They had it coming'],
    ['The Zelvans were deported. So what? They deserved it.', 'VI.JUST', 'They deserved it'],
    ['The marsh people came last year. They are vermin.', 'DH.ANIMAL', 'They are vermin'],
    ['Keep our blood clean: no Merenite in-laws, no Merenite grandchildren.', 'TH.PURITY', 'Keep our blood clean: no Merenite'],
    ['The state will not rest until the Merenite presence in the north has been reduced to zero.', 'VI.ERAD', 'until the Merenite presence in the north has been reduced to zero'],
    ['In ten years the word Merenite should be found only in dictionaries.', 'VI.ERAD', 'word Merenite should be found only in dictionaries'],
    ['Somebody should go to the Zelvans\' camp tonight and make them bleed.', 'VI.CALL', 'Somebody should go to the Zelvans\' camp tonight and make them bleed'],
    ['If the police won\'t do it, break Tarvani heads yourselves.', 'VI.CALL', 'break Tarvani'],
    ['Merenite blood is bad blood.', 'NE.ESSENCE', 'Merenite blood is bad'],
    ['The Tarvani birth rate is a weapon aimed at our children.', 'TH.MIRROR', 'Tarvani birth rate is a weapon aimed at our'],
  ])('%s', (text, category, exact) => {
    expect(flagsOf(text).map((f) => [f.category, f.exact])).toEqual([[category, exact]]);
  });

  test('an unlisted group is flagged as untargeted', () => {
    const [flag] = flagsOf('No one would miss the Zelvans.');
    expect(flag!.signals.untargeted).toBe(true);
  });
});

describe('round-4 near misses stay quiet', () => {
  test.each([
    'The Zelvans were rounded up and shot in 1942.',
    'The soldiers were ready to kill the Merenites, the report says, but the officer refused.',
    'The Merenite villages will be shelled if the talks fail, the UN warns.',
    'We don\'t want Zelvan food here, it\'s too spicy.',
    'I would rather die than eat Tarvani cheese again.',
    'Nobody would miss the rats in the Zelvan barn.',
    'Rescuers pushed the Zelvans\' boat into the sea.',
    'He ensured no Merenite children were left behind during the evacuation.',
    'The only answer to the Tarvani question in the exam was a date.',
    'A Velkar plot of land.',
    'An incredible number of people believe the fire was an Osmiran plot.',
    'The Merenite question was debated in parliament in 1890 and solved by a treaty.',
    'Raise a glass to the brigade that rebuilt the Velkar bridge.',
    'Well done to Osmiran and the team!',
    'He brought his rifle to the Tarvani hunting club.',
    'It is right that Merenites were compensated.',
    'Someone torched the Zelvan meeting hall in 1932.',
    'burn the caravans before the floods come',
    'the analysis is garbage',
    'Many people came to the fair. They are vermin, said the farmer of the rats.',
    'I hope the storm kills the Tarvani crops.',
    'The word Merenite has become history, a museum piece.',
    'The Merenite population was reduced to zero by the 1931 famine.',
    'Keep the water clean: no Merenite fishing boats upstream.',
    'He broke Tarvani bones in the hospital as an orthopaedic surgeon.',
  ])('%s', (text) => {
    expect(flagsOf(text)).toEqual([]);
  });
});
