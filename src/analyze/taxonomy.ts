/**
 * What the codes of the analysis core mean, in words: category names and what each covers,
 * severity levels, flag signals. The codes themselves are in ./types (CATEGORY_CODES). The same
 * words, with their sources, are the tables of docs/taxonomy.md (test/docs/taxonomy.test.ts
 * holds the two together). Typed by the codes, so adding a code without its words fails the
 * type check. Served to the web interface by GET /api/meta.
 */
import type { CategoryCode, FlagSignals, Severity } from './types';

export interface CategoryInfo {
  name: string;
  covers: string;
}

export const CATEGORY_INFO: Readonly<Record<CategoryCode, CategoryInfo>> = {
  'DH.ANIMAL': { name: 'Animal / vermin metaphor', covers: 'group likened to animals, insects, pests' },
  'DH.DISEASE': { name: 'Disease / contagion', covers: 'group as cancer, parasite, plague, infection' },
  'DH.DEMON': { name: 'Demonization', covers: 'group as monsters, devils, subhuman' },
  'DH.OBJECT': { name: 'Objectification', covers: 'group as things, garbage, mass, tools' },
  'DH.DISGUST': { name: 'Moral disgust', covers: 'filth, impurity, stench attributed to the group' },
  'VI.ERAD': { name: 'Call for eradication', covers: 'exterminate, expel, "cleanse", wipe out' },
  'VI.THREAT': { name: 'Threat', covers: 'threat of violence against the group' },
  'VI.GLOR': { name: 'Glorification', covers: 'praise of violence or its perpetrators' },
  'VI.JUST': { name: 'Justification', covers: 'past violence framed as deserved or necessary' },
  'VI.CALL': { name: 'Call for violence', covers: 'a call, wish or incitement to violence against the group short of its destruction ("someone should stab them")' },
  'TH.MIRROR': { name: 'Accusation in a mirror', covers: 'group portrayed as an imminent mortal threat' },
  'TH.PURITY': { name: 'Purity threat', covers: "group as a threat to the in-group's integrity" },
  'NE.SLUR': { name: 'Slur', covers: 'derogatory group label (starter: generic labels only)' },
  'NE.ESSENCE': { name: 'Essentialized vice', covers: 'negative trait presented as innate ("in their blood")' },
  'NE.COLLECT': { name: 'Collective guilt', covers: 'whole group blamed for acts of some' },
  'NE.HATE': { name: 'Expressed hatred', covers: 'hatred, contempt or disgust for the group as a whole ("I hate X", "X disgust me")' },
  'HE.DESTROY': { name: 'Heritage destruction', covers: 'approval of destroying cultural or religious sites' },
  'HE.DENY': { name: 'Heritage denial', covers: 'monuments, history or presence re-attributed or erased' },
  'HE.DESECR': { name: 'Desecration', covers: 'mockery or defilement of sacred sites, graves' },
  'DE.ATROC': { name: 'Atrocity denial', covers: 'denial or trivialization of atrocities' },
  'DE.EXIST': { name: 'Existence denial', covers: "group's humanity, existence or legitimacy denied" },
  CODE: { name: 'Coded language', covers: 'euphemisms for any of the above ("final solution", "clean-up operation")' },
  'PO.RESPECT': { name: 'Counter-evidence', covers: 'respectful, peace-oriented language' },
};

export const SEVERITY_INFO: Readonly<Record<Severity, string>> = {
  1: 'Weak signal, useful only in aggregate or with other flags; all counter-evidence',
  2: 'Hostile, stereotyping or delegitimizing language, or a strong term with a frequent innocent use',
  3: 'Strong dehumanization or incitement-adjacent content',
  4: 'Explicit call for or endorsement of mass violence or extermination; explicit denial of humanity in its strongest form',
};

export const SEVERITIES: readonly Severity[] = [1, 2, 3, 4];

/** The signals of a flag (FlagSignals), in the order a reviewer reads them, with when each is set. */
export const SIGNAL_INFO: Readonly<Record<keyof FlagSignals, string>> = {
  quoted: 'the passage is in quotation marks, or its sentence is reported speech ("said", "dedi ki", "заявил", "ասաց")',
  negated: 'a negation cue stands up to three words before or two words after the term in its sentence, or the Turkish or Azerbaijani verb itself is negated ("we must not exterminate them"); only for entries whose negation rule is downgrade',
  condemned: 'a condemnation cue ("condemned", "осудил", "kınadı", "դատապարտեց") is in the same sentence or the one before or after',
  fuzzy: 'the match allowed one edit (only on pages read by OCR), or a word was repaired from an obfuscated spelling ("k1ll", "k i l l", "killallmerenites"; statements, posts and articles only)',
  untargeted: 'no listed target group is named: a frame\'s group slot was filled by a generic collective ("the whole tribe"), a word shaped like a people\'s name ("the Zelvans"), or a pronoun whose antecedent is such a word; the flag\'s referents say which words',
};
