/**
 * Every action the audit trail records, in one list: a service can append only these, and a
 * reader (the API, dossiers, docs/api.md) can rely on the set. A new kind of event is added here.
 */
export const AUDIT_ACTIONS = [
  // documents
  'document.upload',
  'document.metadata.update',
  'document.cancel',
  'document.reocr',
  'document.withdraw',
  'document.original.download',
  'document.capture',
  // processing
  'analysis.run',
  'analysis.failed',
  'analysis.reanalyze.request',
  'analysis.reanalyze',
  // review
  'review.decide',
  'review.adjudicate',
  'flag.withdraw',
  'flag.reopen',
  'translation.add',
  'translation.check',
  // exports
  'flags.export',
  'dossier.request',
  'dossier.export',
  'dossier.pseudonyms',
  // the lexicon
  'lexicon.entry.create',
  'lexicon.entry.update',
  'lexicon.entry.retire',
  'lexicon.target.create',
  'lexicon.target.update',
  'lexicon.target.retire',
  'lexicon.publish',
  'lexicon.import',
  // people and access
  'user.create',
  'user.update',
  'user.unlock',
  'setup.first_admin',
  'auth.login',
  'auth.login_failed',
  'apikey.create',
  'apikey.revoke',
] as const;
export type AuditAction = (typeof AUDIT_ACTIONS)[number];

/** What an event is about. */
export const AUDIT_ENTITY_TYPES = ['document', 'flag', 'export', 'dossier', 'lexicon', 'lexicon_entry', 'lexicon_target', 'lexicon_version', 'user', 'login', 'apikey'] as const;
export type AuditEntityType = (typeof AUDIT_ENTITY_TYPES)[number];
