/** The repositories over one connection's models: what services are given instead of models. */
import { AuditRepository } from './audit';
import { ApiKeyRepository, LoginThrottleRepository, SessionRepository, SetupTokenRepository } from './credentials';
import { DocumentRepository } from './documents';
import { FlagRepository } from './flags';
import { JobRepository } from './jobs';
import { LexiconRepository } from './lexicon';
import type { Models } from './models';
import type { ListReads } from './pagination';
import { PageRepository } from './pages';
import { PageWordsRepository } from './page-words';
import { SpeakerRepository, UserRepository } from './people';
import { ReviewRepository } from './reviews';

export interface Repositories {
  documents: DocumentRepository;
  pages: PageRepository;
  pageWords: PageWordsRepository;
  flags: FlagRepository;
  jobs: JobRepository;
  lexicon: LexiconRepository;
  reviews: ReviewRepository;
  speakers: SpeakerRepository;
  users: UserRepository;
  sessions: SessionRepository;
  apiKeys: ApiKeyRepository;
  setupTokens: SetupTokenRepository;
  loginThrottle: LoginThrottleRepository;
  audit: AuditRepository;
}

/** `laggingReads`: read preference for lists that may lag behind the newest writes (default: primary). */
export function createRepositories(models: Models, reads: ListReads = {}): Repositories {
  return {
    documents: new DocumentRepository(models, reads),
    pages: new PageRepository(models),
    pageWords: new PageWordsRepository(models),
    flags: new FlagRepository(models, reads),
    jobs: new JobRepository(models),
    lexicon: new LexiconRepository(models),
    reviews: new ReviewRepository(models),
    speakers: new SpeakerRepository(models),
    users: new UserRepository(models),
    sessions: new SessionRepository(models),
    apiKeys: new ApiKeyRepository(models),
    setupTokens: new SetupTokenRepository(models),
    loginThrottle: new LoginThrottleRepository(models),
    audit: new AuditRepository(models, reads),
  };
}
