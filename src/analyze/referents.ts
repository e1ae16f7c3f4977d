/**
 * What can fill a frame's {group} slot: a listed target mention, or — when no listed group is
 * named — a referent that is group-like:
 *   - a generic collective from the language's `group-collective` class ("the whole tribe",
 *     "these people", "весь народ", "bütün millət");
 *   - a demonym-shaped word: a capitalised plural where the language capitalises peoples (en,
 *     tr, az: "the Zelvans", "Zelvanlar"), or a word with a people-forming suffix (ru -ане/-яне,
 *     -цы, -иты; hy -ցիներ), or a capitalised plural at the start of a sentence;
 *   - a pronoun from the `group-pronoun` class whose antecedent group stands earlier in the
 *     same sentence or in the previous one — never in a later one.
 * Words of the dehumanizing and animal classes are never group-like: "rats must be exterminated"
 * is pest control, not a call against a group.
 */
import { membersAt, membersEndingAt, type ClassLookup } from './classes';
import type { TargetTermKind } from './compile';
import type { GroupFill, GroupOnly } from './frames';
import type { MentionHit, PageKeys } from './match';
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

/**
 * Demonym-shape rules per language, on the folded key and the word as written:
 *   - `suffix`: people-forming endings (plural or singular) that make a word group-like where it
 *     stands, capitalised or not (ru -ане/-цы/-иты, hy -ցիներ), or, in languages that capitalise
 *     peoples' names, once capitalised (en -ites, -ians, -ese, -i);
 *   - `plural`: plural endings; a capitalised plural mid-sentence is group-like where the
 *     language capitalises peoples' names (`capitalised`);
 *   - at the start of a sentence (where every word is capitalised) a word must be at least
 *     `minInitial` long and have a people-forming ending.
 */
const DEMONYM: Record<string, { suffix: RegExp | null; plural: RegExp; capitalised: boolean; minInitial: number }> = {
  en: { suffix: /(?:ians?|ites?|ans?|ese|ish|is|i)$/u, plural: /(?:s|ese|ish|i)$/u, capitalised: true, minInitial: 6 },
  // Turkish capitalises peoples' names (Türkler, Tarvanlar'ın): a capitalised plural is the cue
  // (in the eval dev set 42 of 42 mid-sentence mentions are capitalised). The plural must end
  // the word or be followed by case endings only: "Larsson", "Çilleroğlu" are no plurals.
  tr: { suffix: null, plural: /'?l[ae]r'?(?:[ıi]|[ıi]n|[ıi]n[ıi]|[ıi]n[ae]|[ıi]nd[ae]n?|[ae]|d[ae]n?|l[ae]|d[ıi]r|d[ıi]rl[ae]r|[ıi]m[ıi]z|[ıi]n[ıi]z|[ıi]nk[ıi])?$/u, capitalised: true, minInitial: 6 },
  // Azerbaijani writes peoples' names in lower case (0 of 48 mid-sentence mentions in the eval
  // dev set are capitalised): only a sentence-initial capitalised plural, a capitalised one
  // anywhere (a proper name), or a -lı/-li + plural word of origin (bakılılar, qarabağlılar).
  az: {
    suffix: /l[ıiuü]l[aə]r(?:[ıi]|[ıi]n|[ıi]n[ıi]|[ıi]n[aə]|[ıi]nd[aə]n?|[aə]|d[aə]n?|l[aə])?$/u,
    plural: /l[aə]r(?:[ıi]|[ıi]n|[ıi]n[ıi]|[ıi]n[aə]|[ıi]nd[aə]n?|[aə]|d[aə]n?|l[aə]|d[ıi]r|d[ıi]rl[aə]r|[ıi]m[ıi]z|[ıi]n[ıi]z|[ıi]nk[ıi])?$/u,
    capitalised: false,
    minInitial: 6,
  },
  ru: {
    suffix: /(?:ан|ян)(?:е|ам|ами|ах)$|[^о]ц(?:ы|ев|ам|ами|ах)$|ит(?:ы|ов|ам|ами|ах)$|ийц(?:ы|ев|ам|ами|ах)$/u,
    plural: /(?:ы|и|ов|ев|ей|ам|ям|ами|ями|ах|ях|ане|яне)$/u,
    capitalised: false,
    minInitial: 6,
  },
  hy: { suffix: /ցի(?:ներ|ների|ներին|ներից|ներով|ները|ներն)$/u, plural: /(?:ներ|եր)(?:ը|ն|ի|ին|ից|ով)?$/u, capitalised: false, minInitial: 6 },
};

interface Antecedent { first: number; last: number; groupId: string | null; kind: TargetTermKind | null }

export class GroupFinder {
  private readonly mentionsByFirst = new Map<number, MentionHit[]>();
  private readonly mentionsByLast = new Map<number, MentionHit[]>();

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

  /** Group fillers starting at token u. */
  groupsAt(u: number, only: GroupOnly, needAntecedent: boolean): GroupFill[] {
    const out: GroupFill[] = [];
    for (const m of this.mentionsByFirst.get(u) ?? []) {
      if (only === 'heritage' && m.kind !== 'heritage') continue;
      out.push(this.withGroupNoun(listed(m)));
    }
    if (out.length > 0 || only !== 'any') return out;
    return this.referentsAt(u, needAntecedent, 'start');
  }

  /** Group fillers ending at token u. */
  groupsEndingAt(u: number, only: GroupOnly, needAntecedent: boolean): GroupFill[] {
    // "Merenite men": the people noun at u belongs to a group name just before it.
    if (only === 'any' && u > 0 && this.isGroupNoun(u)) {
      const before = this.groupsEndingAt(u - 1, only, needAntecedent).filter((g) => g.referent === null || g.referent.kind === 'demonym');
      if (before.length > 0) return before.map((g) => ({ ...g, last: u }));
    }
    const out: GroupFill[] = [];
    for (const m of this.mentionsByLast.get(u) ?? []) {
      if (only === 'heritage' && m.kind !== 'heritage') continue;
      out.push(listed(m));
    }
    if (out.length > 0 || only !== 'any') return out;
    return this.referentsAt(u, needAntecedent, 'end');
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

  private referentsAt(u: number, needAntecedent: boolean, side: 'start' | 'end'): GroupFill[] {
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
    if (this.isDemonymShaped(u)) {
      const fill: GroupFill = { first: u, last: u, groupId: null, mention: null, referent: { kind: 'demonym', first: u, last: u, antecedent: null } };
      return [side === 'start' ? this.withGroupNoun(fill) : fill];
    }
    return [];
  }

  /**
   * The nearest group before token `u`: earlier in its sentence, else in the previous sentence.
   * A listed mention wins over a referent at the same distance.
   */
  private antecedentBefore(u: number): Antecedent | null {
    const s = this.tokens.sentence[u]!;
    for (let v = u - 1; v >= 0 && this.tokens.sentence[v]! >= s - 1; v--) {
      const m = this.mentionsByLast.get(v);
      if (m && m.length > 0) return { first: m[0]!.first, last: m[0]!.last, groupId: m[0]!.groupId, kind: m[0]!.kind };
      for (const lookup of this.classes.collective) {
        const spans = membersEndingAt(lookup, v, this.keys, this.tokens.sentence, this.tokens.count);
        if (spans.length > 0) return { first: spans[0]!.first, last: v, groupId: null, kind: null };
      }
      if (this.isDemonymShaped(v)) return { first: v, last: v, groupId: null, kind: null };
    }
    return null;
  }

  /** Is token u shaped like a people's name (see DEMONYM)? */
  isDemonymShaped(u: number): boolean {
    const rules = this.lang === null ? null : DEMONYM[this.lang];
    if (!rules) return false;
    const key = this.keys.key(u);
    if (key.length < 4 || /\d/u.test(key)) return false;
    for (const lookup of this.classes.notGroup) {
      if (membersAt(lookup, u, this.keys, this.tokens.sentence, this.tokens.count).length > 0) return false;
    }
    const written = this.text.slice(this.tokens.start[u]!, this.tokens.end[u]!);
    const capital = LETTER_UPPER.test(written);
    const shouting = capital && written.length > 1 && ALL_UPPER.test(written);
    const initial = u === 0 || this.tokens.sentence[u - 1] !== this.tokens.sentence[u];
    const suffix = rules.suffix?.test(key) ?? false;
    if (initial || shouting) return capital && key.length >= rules.minInitial && (suffix || (!rules.capitalised && rules.plural.test(key)) || (rules.suffix === null && rules.plural.test(key)));
    if (rules.capitalised) return capital && (suffix || rules.plural.test(key));
    return suffix || (capital && rules.plural.test(key));
  }
}

function listed(m: MentionHit): GroupFill {
  return { first: m.first, last: m.last, groupId: m.groupId, mention: { first: m.first, last: m.last, kind: m.kind }, referent: null };
}

function push<K, V>(map: Map<K, V[]>, k: K, v: V): void {
  const list = map.get(k);
  if (list) list.push(v); else map.set(k, [v]);
}
