/** The repositories over one connection's models: what services are given instead of models. */
import { AuditRepository } from './audit';
import { DocumentRepository } from './documents';
import { FlagRepository } from './flags';
import { JobRepository } from './jobs';
import type { Models } from './models';
import { PageRepository } from './pages';
import { SpeakerRepository } from './people';

export interface Repositories {
  documents: DocumentRepository;
  pages: PageRepository;
  flags: FlagRepository;
  jobs: JobRepository;
  speakers: SpeakerRepository;
  audit: AuditRepository;
}

export function createRepositories(models: Models): Repositories {
  return {
    documents: new DocumentRepository(models),
    pages: new PageRepository(models),
    flags: new FlagRepository(models),
    jobs: new JobRepository(models),
    speakers: new SpeakerRepository(models),
    audit: new AuditRepository(models),
  };
}
