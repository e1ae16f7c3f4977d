/**
 * Reviewer protection: how a dossier names the people behind its reviews. A dossier often goes to
 * the state it criticises, so reviewers are pseudonymous unless the requester asks otherwise:
 * - named: usernames (or "Display Name (username)"), as the review workflow knows them;
 * - pseudonymous: "Person A", "Person B"…, one per person, stable within the dossier;
 * - roles-only: the role alone ("Reviewer", "Adjudicator", "Translation checker", "Analyst").
 * The pseudonym → user mapping stays with the organisation (its audit trail), never in the package.
 */
export const REVIEWER_IDENTITIES = ['named', 'pseudonymous', 'roles-only'] as const;
export type ReviewerIdentity = (typeof REVIEWER_IDENTITIES)[number];

export interface IdentityChoice {
  reviewers: ReviewerIdentity;
  /** Reviewers' and checkers' internal notes go into the package only when asked for. */
  includeNotes: boolean;
}

/** The default: named only for an internal audience; any addressee outside gets pseudonyms. */
export function defaultIdentity(audience: 'internal' | 'external'): ReviewerIdentity {
  return audience === 'internal' ? 'named' : 'pseudonymous';
}

const letters = (n: number): string => {
  let s = '';
  for (let i = n; i >= 0; i = Math.floor(i / 26) - 1) s = String.fromCharCode(65 + (i % 26)) + s;
  return s;
};

export class ReviewerNames {
  private readonly pseudonyms = new Map<string, string>();

  constructor(readonly mode: ReviewerIdentity) {}

  /** How the dossier names user `userId` (known to the workflow as `name`) acting as `role`. */
  label(userId: string, name: string, role: string): string {
    if (this.mode === 'named') return name;
    if (this.mode === 'roles-only') return role;
    let pseudonym = this.pseudonyms.get(userId);
    if (!pseudonym) this.pseudonyms.set(userId, (pseudonym = `Person ${letters(this.pseudonyms.size)}`));
    return pseudonym;
  }

  /** Pseudonym → user id, for the organisation's audit trail (empty unless pseudonymous). */
  mapping(): Record<string, string> {
    return Object.fromEntries([...this.pseudonyms].map(([userId, pseudonym]) => [pseudonym, userId]));
  }

  /** What the package says about the choice, in plain words. */
  static statement(choice: IdentityChoice): string {
    const who = {
      named: 'Reviewers are named as the review workflow knows them.',
      pseudonymous: 'Reviewers are pseudonymous: each person has one pseudonym ("Person A", "Person B"…) throughout this dossier, and the organisation keeps the mapping to real people in its audit trail.',
      'roles-only': 'Reviewers are shown by role only ("Reviewer", "Adjudicator"); the organisation keeps who they were in its audit trail.',
    }[choice.reviewers];
    const notes = choice.includeNotes ? 'Reviewers\u2019 notes are included.' : 'Reviewers\u2019 internal notes are left out.';
    const audit = choice.reviewers === 'named' && choice.includeNotes
      ? ''
      : ' Audit events made by people are shown with their hashes but without their content (who, notes, changes), so the hash chain can still be checked and the organisation can disclose an event to an arbiter, who can check it against its hash.';
    return `${who} ${notes}${audit}`;
  }
}
