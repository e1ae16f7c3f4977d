/**
 * What can fill a frame's {group} slot: a listed target mention, or — when no listed group is
 * named — a referent that is group-like:
 *   - a generic collective from the language's `group-collective` class ("the whole tribe",
 *     "these people", "весь народ", "bütün millət");
 *   - a demonym-shaped word: a capitalised plural where the language capitalises peoples (en,
 *     tr, az: "the Zelvans", "Zelvanlar"), or a word with a people-forming suffix (ru -ане/-яне,
 *     -цы, -иты; hy -ցիներ), or a capitalised plural at the start of a sentence;
 *   - in a `{group:<shape>}` slot also an unlisted noun of that shape (see DEMONYM.shapes: ru
 *     `anim`, the animate object form "зандриков"), for slots only people fill;
 *   - a pronoun from the `group-pronoun` class whose antecedent group stands earlier in the
 *     same sentence or in the previous one — never in a later one.
 * Words of the dehumanizing and animal classes are never group-like: "rats must be exterminated"
 * is pest control, not a call against a group.
 */
import { membersAt, membersEndingAt, type ClassLookup } from './classes';
import type { TargetTermKind } from './compile';
import type { GroupFill, GroupOnly } from './frames';
import type { MentionHit, PageKeys } from './match';
import { F } from './morph';
import type { PageTokens } from './tokenize';

export interface ReferentClasses {
  collective: ClassLookup[];
  pronoun: ClassLookup[];
  /** You, your: a group only through an antecedent, whatever the frame allows. */
  addressee: ClassLookup[];
  /** People nouns that may follow a group's name and belong to it ("Merenite men"). */
  groupNoun: ClassLookup[];
  /** Members of these classes are never group-like (animals, vermin, diseases…). */
  notGroup: ClassLookup[];
}

const LETTER_UPPER = /^\p{Lu}/u;
const ALL_UPPER = /^[\p{Lu}\p{M}'’]+$/u;
const LETTER_UPPER_ANY = /\p{Lu}/u;

interface DemonymRules {
  /** A people-forming suffix: the word names a people wherever it stands. */
  suffix: RegExp | null;
  plural: RegExp;
  /** The language capitalises peoples' names. */
  capitalised: boolean;
  /** Shortest sentence-initial (or shouted) word taken for a name. */
  minInitial: number;
  /** A capitalised plural with no people-forming suffix may name a people. */
  plainPlural: boolean;
  /** Singular adjectives of a people ("Brevanite lives"), taken before a lower-case noun. */
  singular?: RegExp;
  /**
   * Any plural noun in a case a person takes is people-shaped (languages that neither capitalise
   * peoples' names nor mark them with a suffix often enough: hy); the classes say which are not.
   */
  anyPlural?: boolean;
  /**
   * A pronoun's antecedent is the nearest plural noun: when that is a word that is never a group
   * (որդերը 'the worms' in "…այս որդերը ապրում են աղիքներում։ Նրանք մակաբույծներ են։") the pronoun
   * has no group antecedent, even if a people-like plural stands further back (checked in the
   * previous sentence; see antecedentBefore). Needed where any plural noun can be people-shaped.
   */
  nearestPlural?: boolean;
  /**
   * Shapes of unlisted nouns that a frame slot may ask for with `{group:<shape>}`: words that
   * name people only because of where they stand (the object of "exterminate", the subject of
   * "are subhuman"). Never used by a plain `{group}` slot.
   */
  shapes?: Record<string, RegExp>;
  /** A possessive ending to take off before the shape is checked ("Haldovite's"). */
  possessive?: RegExp;
  /**
   * Nouns that make a group of the word before them ("the marsh folk", "the ferry people") and,
   * after "from", of a listed place ("people from Dunvesk"); `notPeopleName` lists the words
   * before them that only count or describe ("many people", "young people").
   */
  peopleNouns?: Set<string>;
  notPeopleName?: Set<string>;
  /** In a language that capitalises peoples: a lower-case word with this ending after one of `lowerDeterminers` still names a people. */
  lowerSuffix?: RegExp;
  lowerDeterminers?: Set<string>;
  /**
   * A sentence typed without any capital (posts: "kill the zelvans") says nothing by case: there
   * a lower-case word with this ending, at least 7 letters long, after "the" or a determiner, may
   * name a people.
   */
  caselessSuffix?: RegExp;
}

/**
 * Demonym-shape rules per language, on the folded key and the word as written:
 *   - `suffix`: people-forming endings that make a word group-like where it stands (ru -цы,
 *     hy -ցիներ), or, in languages that capitalise peoples' names, once capitalised (en -ites);
 *   - `plural`: plural endings; a capitalised plural mid-sentence is group-like where the
 *     language capitalises peoples' names and `plainPlural` allows it;
 *   - at the start of a sentence (where every word is capitalised) a word must be at least
 *     `minInitial` long and have a people-forming ending.
 */
const DEMONYM: Record<string, DemonymRules> = {
  en: {
    suffix: /(?:ians|ites|ists|ans|is|i)$/u, plural: /(?:[^s']s|i)$/u, capitalised: true, minInitial: 6, plainPlural: true,
    singular: /(?:ian|ite|ist|an|ese|ish)$/u, possessive: /['’]s?$/u,
    peopleNouns: new Set(['people', 'folk', 'folks']),
    lowerSuffix: /(?:(?<![crdt])ians|[nmv]ites|eni|ani|ese)$/u, lowerDeterminers: new Set(['those', 'these', 'all', 'you', 'filthy', 'bloody', 'damn', 'fucking']),
    // Not -sis/-tis/-cis (analysis, arthritis): Greek and Latin singulars.
    // Not professions and things: musicians, historians, veterans, artisans, websites.
    caselessSuffix: /(?:(?<![crdt])ians|(?<![iscrdt])ans|[nmv]ites|(?<![sct])is|eni|ani|ese)$/u,
    // Words before "people" that say how many or which, not who ("many people", "these folk").
    notPeopleName: new Set(['the', 'these', 'those', 'such', 'many', 'most', 'some', 'other', 'all', 'few', 'more', 'our', 'your',
      'their', 'his', 'her', 'its', 'my', 'young', 'old', 'older', 'elderly', 'rich', 'poor', 'ordinary', 'normal', 'real',
      'good', 'bad', 'decent', 'nice', 'local', 'same', 'different', 'certain', 'several', 'both', 'any', 'no', 'lot', 'lots',
      'million', 'millions', 'thousand', 'thousands', 'hundred', 'hundreds', 'two', 'three', 'four', 'five', 'six', 'seven',
      'eight', 'nine', 'ten', 'kind', 'type', 'sort', 'fewer', 'less', 'what', 'which', 'whose', 'other', 'random', 'famous',
      'important', 'innocent', 'ordinary', 'everyday', 'working', 'common', 'regular', 'average', 'normal', 'free', 'whole',
      'entire', 'great', 'little', 'small', 'big', 'little', 'nice', 'lovely', 'kind', 'happy', 'sad', 'and', 'or', 'of', 'for',
      'with', 'to', 'from', 'by', 'as', 'than', 'that', 'this', 'are', 'were', 'is', 'was', 'be', 'been', 'not', 'you', 'we',
      'they', 'them', 'who', 'why', 'how', 'more', 'very', 'so', 'too', 'just', 'only', 'also', 'even', 'dead', 'live',
      'living', 'sick', 'ill', 'smart', 'stupid', 'lazy', 'dumb', 'crazy', 'evil', 'wicked', 'bad', 'nasty', 'awful',
      'horrible', 'terrible', 'mean', 'rude', 'fat', 'ugly', 'dirty', 'filthy', 'disgusting', 'worthless', 'useless',
      'homeless', 'unemployed', 'employed', 'wealthy', 'powerful', 'like', 'about', 'against', 'among', 'criminal', 'violent',
      'dangerous', 'inferior', 'superior', 'lesser', 'primitive', 'savage', 'backward', 'chosen', 'such', 'guilty', 'innocent',
      'brave', 'proud', 'peaceful', 'civilised', 'civilized', 'foreign', 'native', 'indigenous', 'ancient', 'modern', 'other']),
  },
  // Turkish capitalises peoples' names (Türkler, Tarvanlar'ın): a capitalised plural is the cue
  // (in the eval dev set 42 of 42 mid-sentence mentions are capitalised). The plural must end
  // the word or be followed by case endings only: "Larsson", "Çilleroğlu" are no plurals.
  tr: {
    suffix: null,
    plural: /'?l[ae]r'?(?:[ıi]|[ıi]n|[ıi]n[ıi]|[ıi]n[ae]|[ıi]nd[ae]n?|[ae]|d[ae]n?|l[ae]|d[ıi]r|d[ıi]rl[ae]r|[ıi]m[ıi]z|[ıi]n[ıi]z|[ıi]nk[ıi])?$/u,
    capitalised: true, minInitial: 6, plainPlural: true,
    // "Çay adamları", "Sazlık ahalisi": a place or trait word and a people noun in its linking
    // form name a people ("the river folk"); not trades and ranks ("iş adamları", "din adamları",
    // "bilim insanları") nor how many or which ("bu insanları", "köy halkı").
    peopleNouns: new Set(['adamları', 'adamlarını', 'adamlarına', 'adamlarının', 'adamlarından', 'adamlarıdır', 'insanları', 'insanlarını', 'insanlarına', 'insanlarının', 'insanlarından', 'insanlarıdır', 'ahalisi', 'ahalisini', 'ahalisine', 'ahalisinin', 'ahalisinden', 'ahalisidir', 'sakinleri', 'sakinlerini', 'sakinlerine', 'sakinlerinin', 'sakinlerinden', 'sakinleridir', 'köylüleri', 'köylülerini', 'köylülerine', 'köylülerinin', 'köylülerinden', 'köylüleridir']),
    notPeopleName: new Set(['bu', 'şu', 'o', 'bütün', 'tüm', 'her', 'bazı', 'birçok', 'çoğu', 'yerli', 'sıradan', 'normal', 'iyi', 'kötü', 'genç', 'yaşlı', 'fakir', 'zengin', 'iş', 'devlet', 'din', 'bilim', 'sanat', 'siyaset', 'kanun', 'hukuk', 'para', 'ilim', 'fikir', 'parti', 'saray', 'hükümet', 'polis', 'köy', 'şehir', 'kasaba', 'ülke', 'dünya', 'bölge', 'mahalle', 'memleket', 'vatan', 'bizim', 'sizin', 'onların', 'kendi', 'aynı', 'masum', 'sivil', 'eski', 'yeni', 'bilge', 'mafya', 'çete', 'patron', 'başkan', 'kral', 'şirket', 'medya', 'basın', 'spor', 'tiyatro', 'edebiyat', 'müzik', 'kültür', 'eğitim', 'sağlık', 'hastane', 'okul', 'üniversite', 'binlerce', 'yüzlerce', 'milyonlarca', 'birkaç', 'çok', 'az', 'onun']),
  },
  // Azerbaijani writes peoples' names in lower case (0 of 48 mid-sentence mentions in the eval
  // dev set are capitalised): only a sentence-initial capitalised plural, a capitalised one
  // anywhere (a proper name), or a -lı/-li + plural word of origin (bakılılar, qarabağlılar).
  az: {
    suffix: /l[ıiuü]l[aə]r(?:[ıi]|[ıi]n|[ıi]n[ıi]|[ıi]n[aə]|[ıi]nd[aə]n?|[aə]|d[aə]n?|l[aə])?$/u,
    plural: /l[aə]r(?:[ıi]|[ıi]n|[ıi]n[ıi]|[ıi]n[aə]|[ıi]nd[aə]n?|[aə]|d[aə]n?|l[aə]|d[ıi]r|d[ıi]rl[aə]r|[ıi]m[ıi]z|[ıi]n[ıi]z|[ıi]nk[ıi])?$/u,
    capitalised: false, minInitial: 6, plainPlural: true,
    // "Çay adamları", "dağ obası adamları", "bataqlıq adamları": as in Turkish.
    peopleNouns: new Set(['adamları', 'adamlarını', 'adamlarına', 'adamlarının', 'adamlarından', 'adamlarıdır', 'insanları', 'insanlarını', 'insanlarına', 'insanlarının', 'insanlarından', 'insanlarıdır', 'əhalisi', 'əhalisini', 'əhalisinə', 'əhalisinin', 'əhalisindən', 'əhalisidir', 'sakinləri', 'sakinlərini', 'sakinlərinə', 'sakinlərinin', 'sakinlərindən', 'sakinləridir', 'kəndliləri', 'kəndlilərini', 'kəndlilərinə', 'kəndlilərinin', 'kəndlilərindən', 'kəndliləridir', 'camaatı', 'camaatını', 'camaatına', 'camaatının', 'camaatından']),
    notPeopleName: new Set(['bu', 'o', 'bütün', 'hər', 'bəzi', 'çox', 'yerli', 'sadə', 'adi', 'yaxşı', 'pis', 'gənc', 'yaşlı', 'kasıb', 'varlı', 'iş', 'dövlət', 'din', 'elm', 'sənət', 'siyasət', 'qanun', 'hüquq', 'pul', 'fikir', 'partiya', 'saray', 'hökumət', 'polis', 'kənd', 'şəhər', 'qəsəbə', 'ölkə', 'dünya', 'bölgə', 'məhəllə', 'vətən', 'bizim', 'sizin', 'onların', 'öz', 'eyni', 'günahsız', 'mülki', 'köhnə', 'yeni', 'mafiya', 'dəstə', 'başçı', 'şirkət', 'media', 'mətbuat', 'idman', 'teatr', 'ədəbiyyat', 'musiqi', 'mədəniyyət', 'təhsil', 'səhiyyə', 'xəstəxana', 'məktəb', 'universitet', 'minlərlə', 'yüzlərlə', 'milyonlarla', 'neçə', 'az', 'onun', 'kolxoz']),
  },
  /*
   * Russian writes peoples in lower case, so capitals say nothing; the plural suffixes do, in
   * every case form:
   *   -цы, -цев, -цам… (немцы, калдорцы, европейцы, and -ьцы: остравельцы, жильцы) but not -ицы
   *     (улицы, птицы, границы), -яцы (месяцы), -зцы/-бцы/-сцы/-щцы/-дцы (образцы, рубцы, песцы,
   *     сердцам); пальцы, кольца are members of `not-group`;
   *   -иты, -итов… (мерениты, семиты) but not -биты/-литы/-шиты/-виты/-щиты/-хиты/-киты, which
   *     are short participles (убиты, перебиты, политы) or things (плиты, щиты, хиты, киты);
   *   -ане/-яне, -анам… after ч ж жд и or as -яне (англичане, горожане, граждане, христиане,
   *     славяне), not other -ане (стране, экране, плане, Казахстане: prepositional singulars),
   *     and not the genitive -ан/-ян (Armenian surnames in -ян);
   *   -исты, -истов… (followers of a creed or movement: коммунисты, велмаристы), not листы,
   *     аисты, чисты and the short adjectives in -исты (каменисты), which `not-group` lists.
   * Inanimate words that still fit (концы, дворцы, кредиты, визиты…) are members of the
   * `not-group` class. Shapes: `anim`, the animate accusative (= genitive) plural that only
   * people and animals take as objects (зандриков, шведов; "уничтожить документы" keeps the
   * nominative form and is not taken), also of an adjective used as a noun (заречных,
   * понаехавших: "уничтожить старые дома" keeps the nominative form); `nom`, a nominative plural noun (фендраки), for subjects
   * of predicates said only of people (недочеловеки, не люди); `adj`, an adjective of a people or
   * place (ульмарский), for slots such as 'X язык — диалект' where only a people fits; `sg`, a
   * genitive singular of a people noun in -ца, -ита, -иста, -анина (остравельца, вешиста), after
   * 'ни одного'; `dat`, a dative plural (дроссам), after 'к' in 'идите к X с арматурой'.
   */
  ru: {
    suffix: /(?:(?<![ияздбсщ])ц(?:ы|ев|ам|ами|ах)|(?<![блшвщхк])ит(?:ы|ов|ам|ами|ах)|ист(?:ы|ов|ам|ами|ах)|(?:чан|жан|ждан|иан|ян)(?:е|ам|ами|ах))$/u,
    plural: /(?:ы|и|ов|ев|ам|ям|ами|ями|ах|ях|ане|яне)$/u,
    capitalised: false,
    minInitial: 6,
    plainPlural: false,
    shapes: {
      anim: /^(?:[а-я]{3,}(?:ов|ев)|[а-я]{4,}(?:ых|их))$/u,
      nom: /^(?![а-я]*[аеиоуыэюя]ли$)[а-я]{3,}[бвгджзклмнпрстфхцчшщ][ыи]$/u,
      adj: /^[а-я]{4,}(?:ск|цк)(?:ий|ая|ое|ие|их|ого|ому|ой|ую|им|ими|ом)$/u,
      sg: /^[а-я]{3,}(?:(?<![итдзбсщ])ца|ита|иста|анина|янина)$/u,
      dat: /^[а-я]{4,}(?:ам|ям)$/u,
    },
  },
  // Armenian writes peoples' names lower-case and capitals only start sentences, so case says
  // nothing: an inhabitant noun in -ցի (կալդորցիներ, տարվանցու) or any plural noun in a case a
  // person takes (nominative/definite, dative, genitive, ablative; not -ում 'in', -ով 'with')
  // is people-shaped unless a class says otherwise (not-group, dh-*).
  hy: {
    suffix: /ցի(?:ներ|ների|ներին|ներից|ներով|ները|ներն)$|ցու(?:ն|ց)?$/u, plural: /(?:ներ|եր)(?:ը|ն|ի|ին|ից)?$/u,
    capitalised: false, minInitial: 6, plainPlural: true, anyPlural: true, nearestPlural: true,
  },
};

/** Does `lang` define the unlisted-noun shape `shape` (for `{group:<shape>}` slots)? */
export function hasGroupShape(lang: string, shape: string): boolean {
  return DEMONYM[lang]?.shapes?.[shape] !== undefined;
}

export function groupShapes(lang: string): string[] {
  return Object.keys(DEMONYM[lang]?.shapes ?? {});
}

/** How far back (tokens) an elliptic predicate looks for its group in the previous sentence. */
const ELLIPSIS_REACH = 30;

const GROUP_ONLY_INDEX: Record<GroupOnly, number> = { any: 0, listed: 1, heritage: 2 };

interface Antecedent { first: number; last: number; groupId: string | null; kind: TargetTermKind | null }

export class GroupFinder {
  private readonly mentionsByFirst = new Map<number, MentionHit[]>();
  private readonly mentionsByLast = new Map<number, MentionHit[]>();
  /** Frames ask the same tokens again from every anchor and pattern: answers kept per page. */
  private readonly referentCache = new Map<number, GroupFill[]>();
  /** groupsAt / groupsEndingAt answers, by shape and then by token and question. */
  private readonly fillCache = new Map<string | null, Map<number, GroupFill[]>>();
  private demonymCache: Int8Array | null = null;
  private caselessCache: Map<number, boolean> | null = null;

  constructor(
    private readonly text: string,
    private readonly tokens: PageTokens,
    private readonly keys: PageKeys,
    mentions: MentionHit[],
    private readonly lang: string | null,
    private readonly classes: ReferentClasses,
  ) {
    for (const m of mentions) {
      push(this.mentionsByFirst, m.first, m);
      push(this.mentionsByLast, m.last, m);
    }
  }

  /** Group fillers starting at token u; `shape` also admits an unlisted noun of that shape. */
  groupsAt(u: number, only: GroupOnly, needAntecedent: boolean, shape: string | null = null): GroupFill[] {
    return this.cached(u, only, needAntecedent, shape, false);
  }

  /** Group fillers ending at token u. */
  groupsEndingAt(u: number, only: GroupOnly, needAntecedent: boolean, shape: string | null = null): GroupFill[] {
    return this.cached(u, only, needAntecedent, shape, true);
  }

  /** Every frame pattern tried around every anchor asks the same tokens: answers kept per page. */
  private cached(u: number, only: GroupOnly, needAntecedent: boolean, shape: string | null, ending: boolean): GroupFill[] {
    let cache = this.fillCache.get(shape);
    if (cache === undefined) { cache = new Map<number, GroupFill[]>(); this.fillCache.set(shape, cache); }
    const key = ((u * 3 + GROUP_ONLY_INDEX[only]) * 2 + (needAntecedent ? 1 : 0)) * 2 + (ending ? 1 : 0);
    let out = cache.get(key);
    if (out === undefined) {
      out = ending ? this.findGroupsEndingAt(u, only, needAntecedent, shape) : this.findGroupsAt(u, only, needAntecedent, shape);
      cache.set(key, out);
    }
    return out;
  }

  private findGroupsAt(u: number, only: GroupOnly, needAntecedent: boolean, shape: string | null): GroupFill[] {
    const out: GroupFill[] = [];
    for (const m of this.mentionsByFirst.get(u) ?? []) {
      if (only === 'heritage' && m.kind !== 'heritage') continue;
      out.push(this.withGroupNoun(listed(m)));
    }
    // "people from Dunvesk": the people of a listed place or group.
    if (out.length === 0 && only === 'any' && this.isPeopleNoun(u) && u + 2 < this.tokens.count && this.keys.key(u + 1) === 'from'
      && this.tokens.sentence[u + 2] === this.tokens.sentence[u]) {
      for (const m of this.mentionsByFirst.get(u + 2) ?? []) if (m.kind !== 'heritage') out.push({ ...listed(m), first: u });
    }
    if (out.length > 0 || only !== 'any') return out;
    return this.referentsAt(u, needAntecedent, 'start', shape);
  }

  private findGroupsEndingAt(u: number, only: GroupOnly, needAntecedent: boolean, shape: string | null): GroupFill[] {
    // "Merenite men": the people noun at u belongs to a group name just before it.
    if (only === 'any' && u > 0 && this.isGroupNoun(u)) {
      const before = this.groupsEndingAt(u - 1, only, needAntecedent, shape).filter((g) => g.referent === null || g.referent.kind === 'demonym');
      if (before.length > 0) return before.map((g) => ({ ...g, last: u }));
    }
    const out: GroupFill[] = [];
    for (const m of this.mentionsByLast.get(u) ?? []) {
      if (only === 'heritage' && m.kind !== 'heritage') continue;
      const from = m.first - 2;
      const ofPlace = only === 'any' && m.kind !== 'heritage' && from >= 0 && this.keys.key(m.first - 1) === 'from' && this.isPeopleNoun(from)
        && this.tokens.sentence[from] === this.tokens.sentence[m.first];
      out.push(ofPlace ? { ...listed(m), first: from } : listed(m));
    }
    if (out.length > 0 || only !== 'any') return out;
    return this.referentsAt(u, needAntecedent, 'end', shape);
  }

  private isPeopleNoun(u: number): boolean {
    const nouns = this.lang === null ? undefined : DEMONYM[this.lang]?.peopleNouns;
    return nouns !== undefined && nouns.has(this.keys.key(u));
  }

  /** "the marsh folk": a lower-case word naming who, then a people noun (see DemonymRules.peopleNouns). */
  private peopleNamedAt(u: number, side: 'start' | 'end'): GroupFill | null {
    const rules = this.lang === null ? undefined : DEMONYM[this.lang];
    if (rules?.peopleNouns === undefined) return null;
    // "people from Dunvesk": a people noun, "from", a capitalised place name.
    const place = side === 'start' ? u + 2 : u;
    if (place - 2 >= 0 && place < this.tokens.count && rules.peopleNouns.has(this.keys.key(place - 2)) && this.keys.key(place - 1) === 'from'
      && this.tokens.sentence[place - 2] === this.tokens.sentence[place] && this.capitalised(place) && !this.isNotGroup(place)) {
      return { first: place - 2, last: place, groupId: null, mention: null, referent: { kind: 'demonym', first: place - 2, last: place, antecedent: null } };
    }
    const name = side === 'start' ? u : u - 1;
    const noun = name + 1;
    if (name < 0 || noun >= this.tokens.count || this.tokens.sentence[name] !== this.tokens.sentence[noun]) return null;
    if (!rules.peopleNouns.has(this.keys.key(noun))) return null;
    const key = this.keys.key(name);
    if (key.length < 3 || !/^\p{Ll}+$/u.test(key) || rules.notPeopleName?.has(key) === true) return null;
    // Capitalised only where every word is: at the start of a sentence ("River folk are…").
    const sentenceInitial = name === 0 || this.tokens.sentence[name - 1] !== this.tokens.sentence[name];
    if ((!sentenceInitial && !/^\p{Ll}/u.test(this.text.slice(this.tokens.start[name]!, this.tokens.start[name]! + 1))) || this.isNotGroup(name)) return null;
    return { first: name, last: noun, groupId: null, mention: null, referent: { kind: 'demonym', first: name, last: noun, antecedent: null } };
  }

  private isGroupNoun(u: number): boolean {
    return this.classes.groupNoun.some((l) => membersAt(l, u, this.keys, this.tokens.sentence, this.tokens.count).length > 0);
  }

  /** A group's name followed by a people noun takes the noun too ("Tarvani families"). */
  private withGroupNoun(fill: GroupFill): GroupFill {
    const next = fill.last + 1;
    if (next < this.tokens.count && this.tokens.sentence[next] === this.tokens.sentence[fill.last] && this.isGroupNoun(next)) return { ...fill, last: next };
    return fill;
  }

  private referentsAt(u: number, needAntecedent: boolean, side: 'start' | 'end', shape: string | null): GroupFill[] {
    if (shape !== null) return this.findReferentsAt(u, needAntecedent, side, shape);
    const key = u * 4 + (side === 'start' ? 0 : 2) + (needAntecedent ? 1 : 0);
    let out = this.referentCache.get(key);
    if (out === undefined) {
      out = this.findReferentsAt(u, needAntecedent, side, null);
      this.referentCache.set(key, out);
    }
    return out;
  }

  private findReferentsAt(u: number, needAntecedent: boolean, side: 'start' | 'end', shape: string | null): GroupFill[] {
    const { sentence, count } = this.tokens;
    const find = side === 'start' ? membersAt : membersEndingAt;
    for (const lookup of this.classes.collective) {
      const spans = find(lookup, u, this.keys, sentence, count);
      if (spans.length > 0) {
        const s = spans[0]!;
        return [{ first: s.first, last: s.last, groupId: null, mention: null, referent: { kind: 'collective', first: s.first, last: s.last, antecedent: null } }];
      }
    }
    for (const [lookups, always] of [[this.classes.pronoun, false], [this.classes.addressee, true]] as const) {
      for (const lookup of lookups) {
        const spans = find(lookup, u, this.keys, sentence, count);
        if (spans.length === 0) continue;
        const s = spans[0]!;
        const antecedent = this.antecedentBefore(s.first);
        if (antecedent === null && (needAntecedent || always)) return [];
        return [{
          first: s.first, last: s.last,
          groupId: antecedent?.groupId ?? null,
          mention: antecedent?.groupId && antecedent.kind ? { first: antecedent.first, last: antecedent.last, kind: antecedent.kind } : null,
          referent: { kind: 'pronoun', first: s.first, last: s.last, antecedent: antecedent && { first: antecedent.first, last: antecedent.last, groupId: antecedent.groupId } },
        }];
      }
    }
    const named = this.peopleNamedAt(u, side);
    if (named !== null) return [named];
    if (this.isDemonymShaped(u) || (shape !== null && this.hasShape(u, shape))) {
      const fill: GroupFill = { first: u, last: u, groupId: null, mention: null, referent: { kind: 'demonym', first: u, last: u, antecedent: null } };
      return [side === 'start' ? this.withGroupNoun(fill) : fill];
    }
    return [];
  }

  /**
   * The group of an elliptic predicate's sentence, which opens at token u: the nearest listed
   * mention, collective or people-shaped word in the previous sentence of the same paragraph,
   * at most ELLIPSIS_REACH tokens back ("Tarvanis came. Vermin, all of them."). Pronouns do not
   * carry a group on to a third sentence.
   */
  groupBefore(u: number): GroupFill | null {
    const s = this.tokens.sentence[u]!;
    if (u === 0 || this.tokens.sentence[u - 1] !== s - 1) return null;
    if (/\n[ \t]*\r?\n/u.test(this.text.slice(this.tokens.end[u - 1]!, this.tokens.start[u]!))) return null;
    for (let v = u - 1; v >= 0 && v >= u - ELLIPSIS_REACH && this.tokens.sentence[v] === s - 1; v--) {
      const m = this.mentionsByLast.get(v)?.find((x) => x.kind !== 'heritage');
      let first = -1;
      if (m !== undefined) first = m.first;
      else {
        for (const lookup of this.classes.collective) {
          const spans = membersEndingAt(lookup, v, this.keys, this.tokens.sentence, this.tokens.count);
          if (spans.length > 0) { first = spans[0]!.first; break; }
        }
        if (first < 0 && this.isDemonymShaped(v)) first = v;
      }
      if (first < 0) continue;
      const groupId = m?.groupId ?? null;
      return {
        first, last: v, groupId,
        mention: m !== undefined ? { first: m.first, last: m.last, kind: m.kind } : null,
        referent: { kind: 'previous-sentence', first, last: v, antecedent: { first, last: v, groupId } },
      };
    }
    return null;
  }

  /**
   * The nearest group before token `u`: earlier in its sentence, else in the previous sentence.
   * A listed mention wins over a referent at the same distance.
   */
  private antecedentBefore(u: number): Antecedent | null {
    const s = this.tokens.sentence[u]!;
    const floor = this.previousSentenceFloor(u);
    for (let v = u - 1; v >= 0 && this.tokens.sentence[v]! >= floor; v--) {
      const m = this.mentionsByLast.get(v);
      if (m && m.length > 0) return { first: m[0]!.first, last: m[0]!.last, groupId: m[0]!.groupId, kind: m[0]!.kind };
      for (const lookup of this.classes.collective) {
        const spans = membersEndingAt(lookup, v, this.keys, this.tokens.sentence, this.tokens.count);
        if (spans.length > 0) return { first: spans[0]!.first, last: v, groupId: null, kind: null };
      }
      if (this.isDemonymShaped(v)) return { first: v, last: v, groupId: null, kind: null };
      const named = this.peopleNamedAt(v, 'end');
      if (named !== null) return { first: named.first, last: named.last, groupId: null, kind: null };
      // In its own sentence a plural is more often the pronoun's co-argument ("մեր հերոսները
      // նրանց…" 'our heroes … them') than what it stands for: only the previous sentence blocks.
      if (this.tokens.sentence[v]! < s && this.isPluralNotGroup(v)) return null;
    }
    return null;
  }

  /**
   * The earliest sentence a pronoun at u may take its group from: the previous one, or the one
   * before it when the previous is a short aside of at most two words ("X were driven out. And?
   * They had it coming.", "So what?").
   */
  private previousSentenceFloor(u: number): number {
    const s = this.tokens.sentence[u]!;
    let v = u;
    while (v > 0 && this.tokens.sentence[v - 1] === s) v--;
    let words = 0;
    for (let w = v - 1; w >= 0 && this.tokens.sentence[w] === s - 1 && words <= 2; w--) words++;
    return words > 0 && words <= 2 ? s - 2 : s - 1;
  }

  /** A plural of a word that is never a group, where the language's rule says it blocks (nearestPlural). */
  private isPluralNotGroup(u: number): boolean {
    if (this.lang === null || DEMONYM[this.lang]?.nearestPlural !== true) return false;
    for (const lookup of this.classes.notGroup) {
      for (const span of membersEndingAt(lookup, u, this.keys, this.tokens.sentence, this.tokens.count)) {
        if ((span.features & F.plural) !== 0) return true;
      }
    }
    return false;
  }

  /** Is token u an unlisted noun of the language's `shape` (and no member of a not-group class)? */
  private hasShape(u: number, shape: string): boolean {
    const re = this.lang === null ? undefined : DEMONYM[this.lang]?.shapes?.[shape];
    if (re === undefined || !re.test(this.keys.key(u))) return false;
    return !this.isNotGroup(u);
  }

  private isNotGroup(u: number): boolean {
    for (const lookup of this.classes.notGroup) {
      if (membersAt(lookup, u, this.keys, this.tokens.sentence, this.tokens.count).length > 0) return true;
    }
    return false;
  }

  /** Is token u shaped like a people's name (see DEMONYM)? Kept per page. */
  isDemonymShaped(u: number): boolean {
    this.demonymCache ??= new Int8Array(this.tokens.count);
    const known = this.demonymCache[u]!;
    if (known !== 0) return known === 1;
    const shaped = this.demonymShape(u);
    this.demonymCache[u] = shaped ? 1 : 2;
    return shaped;
  }

  private demonymShape(u: number): boolean {
    const rules = this.lang === null ? null : DEMONYM[this.lang];
    if (!rules) return false;
    const written = this.keys.key(u);
    const key = rules.possessive ? written.replace(rules.possessive, '') : written;
    if (key.length < 4 || /\d/u.test(key)) return false;
    if (!rules.plainPlural) return key.length >= 5 && rules.suffix !== null && rules.suffix.test(key) && !this.isNotGroup(u);
    if (rules.anyPlural) return key.length >= rules.minInitial && (rules.suffix?.test(key) === true || rules.plural.test(key)) && !this.isNotGroup(u);
    // Only a word of the right shape is looked up in the classes that are never groups.
    return this.shapeAllows(u, key, rules) && !this.isNotGroup(u);
  }

  private shapeAllows(u: number, key: string, rules: DemonymRules): boolean {
    const written = this.text.slice(this.tokens.start[u]!, this.tokens.end[u]!);
    const capital = LETTER_UPPER.test(written);
    const shouting = capital && written.length > 1 && ALL_UPPER.test(written);
    const initial = u === 0 || this.tokens.sentence[u - 1] !== this.tokens.sentence[u];
    const suffix = rules.suffix?.test(key) ?? false;
    // In a Title Case Heading every word is capitalised: capitals say nothing there.
    if (capital && !initial && this.capitalised(u - 1) && (this.capitalised(u + 1) || this.tokens.sentence[u + 1] !== this.tokens.sentence[u])) return false;
    // A singular adjective of a people ("Brevanite lives", "Zelvan scum") needs a lower-case
    // noun after it in its sentence.
    const singular = rules.singular !== undefined && capital && rules.singular.test(key) && this.lowerCaseWordAt(u + 1, this.tokens.sentence[u]!);
    if (initial || shouting) return capital && key.length >= rules.minInitial && (suffix || singular || (!rules.capitalised && rules.plural.test(key)) || (rules.suffix === null && rules.plural.test(key)));
    if (rules.capitalised) return capital ? suffix || singular || rules.plural.test(key) : this.lowerAfterDeterminer(u, key, rules);
    return suffix || (capital && rules.plural.test(key));
  }

  /**
   * A people's name typed in lower case, as posts do ("those drisseni", "these zelvanians"):
   * only right after a demonstrative or "all (the)" and with a people-forming ending.
   */
  private lowerAfterDeterminer(u: number, key: string, rules: DemonymRules): boolean {
    const before = u - 1;
    if (before < 0 || this.tokens.sentence[before] !== this.tokens.sentence[u]) return false;
    const determiner = this.keys.key(before);
    if (rules.lowerSuffix !== undefined && rules.lowerSuffix.test(key) && key.length >= 6 && rules.lowerDeterminers?.has(determiner) === true) return true;
    return rules.caselessSuffix !== undefined && key.length >= 7 && rules.caselessSuffix.test(key)
      && (determiner === 'the' || rules.lowerDeterminers?.has(determiner) === true) && this.caselessSentence(u);
  }

  /** Token u's sentence has no capital letter at all (kept per sentence). */
  private caselessSentence(u: number): boolean {
    const sentence = this.tokens.sentence[u]!;
    this.caselessCache ??= new Map<number, boolean>();
    let known = this.caselessCache.get(sentence);
    if (known === undefined) {
      let first = u;
      let last = u;
      while (first > 0 && this.tokens.sentence[first - 1] === sentence) first--;
      while (last + 1 < this.tokens.count && this.tokens.sentence[last + 1] === sentence) last++;
      known = !LETTER_UPPER_ANY.test(this.text.slice(this.tokens.start[first]!, this.tokens.end[last]!));
      this.caselessCache.set(sentence, known);
    }
    return known;
  }

  private lowerCaseWordAt(u: number, sentence: number): boolean {
    if (u >= this.tokens.count || this.tokens.sentence[u] !== sentence) return false;
    const c = this.text.slice(this.tokens.start[u]!, this.tokens.start[u]! + 2);
    return /^\p{Ll}/u.test(c);
  }

  private capitalised(u: number): boolean {
    if (u < 0 || u >= this.tokens.count) return false;
    return LETTER_UPPER.test(this.text.slice(this.tokens.start[u]!, this.tokens.start[u]! + 2));
  }
}

function listed(m: MentionHit): GroupFill {
  return { first: m.first, last: m.last, groupId: m.groupId, mention: { first: m.first, last: m.last, kind: m.kind }, referent: null };
}

function push<K, V>(map: Map<K, V[]>, k: K, v: V): void {
  const list = map.get(k);
  if (list) list.push(v); else map.set(k, [v]);
}
