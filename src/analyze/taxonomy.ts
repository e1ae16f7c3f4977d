/**
 * What the codes of the analysis core mean, in words: category names and what each covers,
 * severity levels, flag signals. The codes themselves are in ./types (CATEGORY_CODES); the
 * longer account with its sources is lexicons/README.md. Typed by the codes, so adding a code
 * without its words fails the type check. Served to the web interface by GET /api/meta.
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
  'TH.MIRROR': { name: 'Accusation in a mirror', covers: 'group portrayed as an imminent mortal threat' },
  'TH.PURITY': { name: 'Purity threat', covers: "group as a threat to the in-group's integrity" },
  'NE.SLUR': { name: 'Slur', covers: 'derogatory group label' },
  'NE.ESSENCE': { name: 'Essentialized vice', covers: 'negative trait presented as innate ("in their blood")' },
  'NE.COLLECT': { name: 'Collective guilt', covers: 'whole group blamed for acts of some' },
  'HE.DESTROY': { name: 'Heritage destruction', covers: 'approval of destroying cultural or religious sites' },
  'HE.DENY': { name: 'Heritage denial', covers: 'monuments, history or presence re-attributed or erased' },
  'HE.DESECR': { name: 'Desecration', covers: 'mockery or defilement of sacred sites, graves' },
  'DE.ATROC': { name: 'Atrocity denial', covers: 'denial or trivialization of atrocities' },
  'DE.EXIST': { name: 'Existence denial', covers: "group's humanity, existence or legitimacy denied" },
  CODE: { name: 'Coded language', covers: 'euphemisms for any of the above ("final solution", "clean-up operation")' },
  'PO.RESPECT': { name: 'Counter-evidence', covers: 'respectful, peace-oriented language (not harmful)' },
};

export const SEVERITY_INFO: Readonly<Record<Severity, string>> = {
  1: 'weak signal, useful only in aggregate or with other flags; all counter-evidence',
  2: 'hostile, stereotyping or delegitimizing language, or a strong term with a frequent innocent use',
  3: 'strong dehumanization or incitement-adjacent content',
  4: 'explicit call for or endorsement of mass violence or extermination; the strongest denial of humanity',
};

export const SEVERITIES: readonly Severity[] = [1, 2, 3, 4];

/** The signals of a flag (FlagSignals), in the order a reviewer reads them, with what each says. */
export const SIGNAL_INFO: Readonly<Record<keyof FlagSignals, string>> = {
  quoted: 'inside quotation or reported speech',
  negated: 'under a negation cue',
  condemned: 'a condemnation cue in the sentence or a neighbouring one',
  fuzzy: 'matched within one edit (OCR misreading)',
};
