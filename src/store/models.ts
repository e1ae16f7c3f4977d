/**
 * Persistence: every collection Lexwatch writes, registered on one connection. Each aggregate's
 * records and schemas live in a module of their own (document-, page-, flag-, job-, people-,
 * lexicon-, search-, original- and migration-models.ts); only MongoDB features that FerretDB v1
 * also has (see docs/architecture.md): no transactions, no TTL or partial indexes; exclusivity
 * comes from unique indexes. Code outside src/store uses the repositories (repositories.ts).
 */
import type { Connection } from 'mongoose';
import { registerDocumentModels, type DocumentModels } from './document-models';
import { registerFlagModels, type FlagModels } from './flag-models';
import { registerJobModels, type JobModels } from './job-models';
import { registerLexiconModels, type LexiconModels } from './lexicon-models';
import { registerMigrationModels, type MigrationModels } from './migration-models';
import { registerPageModels, type PageModels } from './page-models';
import { registerPeopleModels, type PeopleModels } from './people-models';
import { registerSearchModels, type SearchModels } from './search-models';

export * from './document-models';
export * from './page-models';
export * from './flag-models';
export type { SpeakerRecord } from './people-models';

export interface Models extends DocumentModels, PageModels, FlagModels, PeopleModels, LexiconModels, JobModels, SearchModels, MigrationModels {}

export function registerModels(connection: Connection): Models {
  return {
    ...registerDocumentModels(connection),
    ...registerPageModels(connection),
    ...registerFlagModels(connection),
    ...registerJobModels(connection),
    ...registerPeopleModels(connection),
    ...registerLexiconModels(connection),
    ...registerSearchModels(connection),
    ...registerMigrationModels(connection),
  };
}
