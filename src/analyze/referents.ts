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
import type { GroupFill } from './frames';
import type { MentionHit, PageKeys } from './match';
import type { PageTokens } from './tokenize';

export interface ReferentClasses {
  collective: ClassLookup[];
  pronoun: ClassLookup[];
  /** Members of these classes are never group-like (animals, vermin, diseases…). */
  notGroup: ClassLookup[];
}

const LETTER_UPPER = /^\p{Lu}/u;
const ALL_UPPER = /^[\p{Lu}\p{M}'’]+$/u;

/** Demonym-shape rules per language, on the folded key and the word as written. */
const DEMONYM: Record<string, { suffix: RegExp | null; plural: RegExp; capitalised: boolean; minInitial: number }> = {
  en: { suffix: /(?:ians|ites|ans|ese|ish|ers|is)$/u, plural: /(?:s|ese|ish|i)$/u, capitalised: true, minInitial: 6 },
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
  groupsAt(u: number, listedOnly: boolean, needAntecedent: boolean): GroupFill[] {
    const out: GroupFill[] = (this.mentionsByFirst.get(u) ?? []).map((m) => listed(m));
    if (out.length > 0 || listedOnly) return out;
    return this.referentsAt(u, needAntecedent, 'start');
  }

  /** Group fillers ending at token u. */
  groupsEndingAt(u: number, listedOnly: boolean, needAntecedent: boolean): GroupFill[] {
    const out: GroupFill[] = (this.mentionsByLast.get(u) ?? []).map((m) => listed(m));
    if (out.length > 0 || listedOnly) return out;
    return this.referentsAt(u, needAntecedent, 'end');
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
    for (const lookup of this.classes.pronoun) {
      const spans = find(lookup, u, this.keys, sentence, count);
      if (spans.length === 0) continue;
      const s = spans[0]!;
      const antecedent = this.antecedentBefore(s.first);
      if (antecedent === null && needAntecedent) return [];
      return [{
        first: s.first, last: s.last,
        groupId: antecedent?.groupId ?? null,
        mention: antecedent?.groupId ? { first: antecedent.first, last: antecedent.last } : null,
        referent: { kind: 'pronoun', first: s.first, last: s.last, antecedent },
      }];
    }
    if (this.isDemonymShaped(u)) {
      return [{ first: u, last: u, groupId: null, mention: null, referent: { kind: 'demonym', first: u, last: u, antecedent: null } }];
    }
    return [];
  }

  /**
   * The nearest group before token `u`: earlier in its sentence, else in the previous sentence.
   * A listed mention wins over a referent at the same distance.
   */
  private antecedentBefore(u: number): { first: number; last: number; groupId: string | null } | null {
    const s = this.tokens.sentence[u]!;
    for (let v = u - 1; v >= 0 && this.tokens.sentence[v]! >= s - 1; v--) {
      const m = this.mentionsByLast.get(v);
      if (m && m.length > 0) return { first: m[0]!.first, last: m[0]!.last, groupId: m[0]!.groupId };
      for (const lookup of this.classes.collective) {
        const spans = membersEndingAt(lookup, v, this.keys, this.tokens.sentence, this.tokens.count);
        if (spans.length > 0) return { first: spans[0]!.first, last: v, groupId: null };
      }
      if (this.isDemonymShaped(v)) return { first: v, last: v, groupId: null };
    }
    return null;
  }

  /** Is token u shaped like a people's name (see the module comment)? */
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
    if (rules.suffix?.test(key) && !initial) return true;
    if (!capital || !rules.plural.test(key)) return false;
    if (initial || shouting) return key.length >= rules.minInitial && (rules.suffix === null || rules.suffix.test(key) || !rules.capitalised);
    // A capitalised plural inside a sentence is a proper name in every language we have, whether
    // or not the language capitalises peoples' names.
    return rules.capitalised || this.lang === 'ru' || this.lang === 'hy' || this.lang === 'az';
  }
}

function listed(m: MentionHit): GroupFill {
  return { first: m.first, last: m.last, groupId: m.groupId, mention: { first: m.first, last: m.last }, referent: null };
}

function push<K, V>(map: Map<K, V[]>, k: K, v: V): void {
  const list = map.get(k);
  if (list) list.push(v); else map.set(k, [v]);
}
