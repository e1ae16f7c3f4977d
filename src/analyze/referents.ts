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
import { F } from './morph';
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
/**
 * `nearestPlural`: a pronoun's antecedent is the nearest plural noun; when that is a word that is
 * never a group (որդերը 'the worms' in "…այս որդերը ապրում են աղիքներում։ Նրանք մակաբույծներ են։")
 * the pronoun has no group antecedent, even if a plural people-like noun stands further back
 * (checked in the previous sentence; see antecedentBefore).
 * Needed where any plural noun can be demonym-shaped (hy).
 */
const DEMONYM: Record<string, { suffix: RegExp | null; plural: RegExp; capitalised: boolean; minInitial: number; nearestPlural?: boolean }> = {
  en: { suffix: /(?:ians|ites|ans|ese|ish|ers|is)$/u, plural: /(?:s|ese|ish|i)$/u, capitalised: true, minInitial: 6 },
  tr: { suffix: null, plural: /l[ae]r/u, capitalised: true, minInitial: 6 },
  az: { suffix: null, plural: /l[aə]r/u, capitalised: true, minInitial: 6 },
  ru: {
    suffix: /(?:ан|ян)(?:е|ам|ами|ах)$|[^о]ц(?:ы|ев|ам|ами|ах)$|ит(?:ы|ов|ам|ами|ах)$|ийц(?:ы|ев|ам|ами|ах)$/u,
    plural: /(?:ы|и|ов|ев|ей|ам|ям|ами|ями|ах|ях|ане|яне)$/u,
    capitalised: false,
    minInitial: 6,
  },
  // Armenian writes peoples' names lower-case and capitals only start sentences, so case says
  // nothing: an inhabitant noun in -ցի (կալդորցիներ, տարվանցու) or any plural noun in a case a
  // person takes (nominative/definite, dative, genitive, ablative; not -ում 'in', -ով 'with')
  // is demonym-shaped unless a class says otherwise (not-group, dh-*). See isDemonymShaped.
  hy: { suffix: /ցի(?:ներ|ների|ներին|ներից|ներով|ները|ներն)$|ցու(?:ն|ց)?$/u, plural: /(?:ներ|եր)(?:ը|ն|ի|ին|ից)?$/u, capitalised: false, minInitial: 6, nearestPlural: true },
};

export class GroupFinder {
  private readonly mentionsByFirst = new Map<number, MentionHit[]>();
  private readonly mentionsByLast = new Map<number, MentionHit[]>();
  /** Frames ask the same tokens again from every anchor and pattern: answers kept per page. */
  private readonly referentCache = new Map<number, GroupFill[]>();
  private demonymCache: Int8Array | null = null;

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
    const key = u * 4 + (side === 'start' ? 0 : 2) + (needAntecedent ? 1 : 0);
    let out = this.referentCache.get(key);
    if (out === undefined) {
      out = this.findReferentsAt(u, needAntecedent, side);
      this.referentCache.set(key, out);
    }
    return out;
  }

  private findReferentsAt(u: number, needAntecedent: boolean, side: 'start' | 'end'): GroupFill[] {
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
      // In its own sentence a plural is more often the pronoun's co-argument ("մեր հերոսները
      // նրանց…" 'our heroes … them') than what it stands for: only the previous sentence blocks.
      if (this.tokens.sentence[v]! < s && this.isPluralNotGroup(v)) return null;
    }
    return null;
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

  /** Is token u shaped like a people's name (see the module comment)? */
  isDemonymShaped(u: number): boolean {
    this.demonymCache ??= new Int8Array(this.tokens.count);
    const known = this.demonymCache[u]!;
    if (known !== 0) return known === 1;
    const shaped = this.demonymShape(u);
    this.demonymCache[u] = shaped ? 1 : 2;
    return shaped;
  }

  private demonymShape(u: number): boolean {
    // The word's shape first (cheap), the classes that are never a group last.
    return this.shapedLikePeople(u) && !this.isNotGroup(u);
  }

  private shapedLikePeople(u: number): boolean {
    const rules = this.lang === null ? null : DEMONYM[this.lang];
    if (!rules) return false;
    const key = this.keys.key(u);
    if (key.length < 4 || /\d/u.test(key)) return false;
    if (this.lang === 'hy') return key.length >= rules.minInitial && (rules.suffix?.test(key) === true || rules.plural.test(key));
    const written = this.text.slice(this.tokens.start[u]!, this.tokens.end[u]!);
    const capital = LETTER_UPPER.test(written);
    const shouting = capital && written.length > 1 && ALL_UPPER.test(written);
    const initial = u === 0 || this.tokens.sentence[u - 1] !== this.tokens.sentence[u];
    if (rules.suffix?.test(key) && !initial) return true;
    if (!capital || !rules.plural.test(key)) return false;
    if (initial || shouting) return key.length >= rules.minInitial && (rules.suffix === null || rules.suffix.test(key) || !rules.capitalised);
    return rules.capitalised || this.lang === 'ru' || this.lang === 'hy';
  }

  private isNotGroup(u: number): boolean {
    for (const lookup of this.classes.notGroup) {
      if (membersAt(lookup, u, this.keys, this.tokens.sentence, this.tokens.count).length > 0) return true;
    }
    return false;
  }

}

function listed(m: MentionHit): GroupFill {
  return { first: m.first, last: m.last, groupId: m.groupId, mention: { first: m.first, last: m.last }, referent: null };
}

function push<K, V>(map: Map<K, V[]>, k: K, v: V): void {
  const list = map.get(k);
  if (list) list.push(v); else map.set(k, [v]);
}
