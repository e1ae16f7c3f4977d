/** The HTTP surface: thin routes over the services, one error map, security headers. */
import express, { type Express } from 'express';
import helmet from 'helmet';
import type { DossierJobs } from '../export/dossier/jobs';
import type { FlagExports } from '../export/flags-export';
import type { AuditLog } from '../audit/log';
import type { AuthService } from '../auth/service';
import type { FirstAdminSetup } from '../auth/setup';
import type { OriginalFiles } from '../documents/originals';
import type { CaptureService } from '../capture/service';
import { captureDetailRoutes, captureRoutes } from './routes/captures';
import type { DocumentService } from '../documents/service';
import type { SpeakerService } from '../ingest/speakers';
import type { ReviewService } from '../review/service';
import type { SearchService } from '../search/service';
import type { OriginalStore } from '../ingest/storage';
import type { LexiconCuration } from '../lexicon/curation';
import type { LexiconService } from '../lexicon/service';
import type { DocumentFeed } from '../store/document-feed';
import { accessControl } from './access';
import { openApiDocument } from './openapi';
import { errorHandler, notFoundHandler } from './errors';
import { refuseControlCharacters } from './validate';
import { auditRoutes } from './routes/audit';
import { authRoutes } from './routes/auth';
import { documentRoutes } from './routes/documents';
import { dossierRoutes } from './routes/dossiers';
import { flagRoutes } from './routes/flags';
import { speakerRoutes } from './routes/speakers';
import { lexiconRoutes } from './routes/lexicon';
import { metaRoutes } from './routes/meta';
import { reanalysisJobRoutes, reanalyzeRoutes } from './routes/reanalyze';
import { reviewRoutes } from './routes/review';
import { searchRoutes } from './routes/search';
import { setupRoutes } from './routes/setup';
import { statsRoutes } from './routes/stats';
import { apiKeyRoutes, userRoutes } from './routes/users';
import { webRoutes } from '../web';

export interface AppDeps {
  documents: DocumentService;
  speakers: SpeakerService;
  flagExports: FlagExports;
  /** Uploads are written to its incoming directory. */
  originals: OriginalStore;
  maxUploadBytes: number;
  originalFiles: OriginalFiles;
  /** Web captures (POST /api/captures). */
  captures: CaptureService;
  lexicon: { id: string; version: string };
  /** The lexicon in the database and its curation; when set, /api/lexicon exists and health shows the active version. */
  lexicons?: { service: LexiconService; curation: LexiconCuration };
  log: (error: unknown) => void;
  /** The process's one feed of document changes, shared by every progress stream. */
  documentFeed: DocumentFeed;
  /** Caps on open progress streams (each holds a connection): per user and per process. */
  eventStreams?: { perUser: number; perProcess: number };
  dossiers: DossierJobs;
  /** When set (with `lexicons`), the re-analysis routes exist. */
  reanalyses?: boolean;
  auth: AuthService;
  setup: FirstAdminSetup;
  review: ReviewService;
  search: SearchService;
  audit: AuditLog;
  /** Express "trust proxy": set when behind a TLS-terminating proxy, so cookies get Secure. */
  trustProxy?: boolean | string | number;
}

export function createApp(deps: AppDeps): Express {
  const app = express();
  app.disable('x-powered-by');
  app.set('query parser', 'simple'); // flat string values only: no {"$gt": …} objects from query strings
  if (deps.trustProxy !== undefined) app.set('trust proxy', deps.trustProxy);
  // upgrade-insecure-requests only over HTTPS: served over plain HTTP on a LAN address, it had
  // the browser ask for every asset over https, which nothing answers (the UI stayed at Loading…).
  // Cross-Origin-Opener-Policy is ignored on such an origin (the browser logs an error for it).
  const secureHeaders = helmet();
  const plainHeaders = helmet({ contentSecurityPolicy: { directives: { upgradeInsecureRequests: null } }, crossOriginOpenerPolicy: false });
  app.use((req, res, next) => (req.secure ? secureHeaders : plainHeaders)(req, res, next));
  // Before any body parsing: who may call what (src/http/access.ts), CSRF for cookie sessions.
  app.use(accessControl(deps.auth));
  app.use(express.json({ limit: '1mb' }));
  app.use(refuseControlCharacters);

  app.get('/api/health', async (_req, res) => {
    const active = deps.lexicons ? await deps.lexicons.service.active() : deps.lexicon;
    res.json({ ok: true, lexicon: { id: active.id, version: active.version } });
  });
  app.get('/api/openapi.json', (_req, res) => {
    res.json(openApiDocument());
  });
  if (deps.lexicons) {
    app.use('/api/lexicon', lexiconRoutes(deps.lexicons.service, deps.lexicons.curation));
  }
  if (deps.lexicons && deps.reanalyses) {
    app.use('/api/documents', reanalyzeRoutes(deps.documents));
    app.use('/api/reanalyses', reanalysisJobRoutes(deps.documents));
  }
  app.use('/api/documents', captureDetailRoutes(deps.captures));
  app.use('/api/documents', documentRoutes(deps));
  app.use('/api/captures', captureRoutes(deps.captures));
  app.use('/api/flags', flagRoutes(deps.review, deps.flagExports));
  app.use('/api/dossiers', dossierRoutes(deps.dossiers));
  app.use('/api/search', searchRoutes(deps.search));
  app.use('/api/speakers', speakerRoutes(deps.speakers));
  app.use('/api/auth', authRoutes(deps.auth));
  app.use('/api/setup', setupRoutes(deps.setup));
  app.use('/api/users', userRoutes(deps.auth));
  app.use('/api/keys', apiKeyRoutes(deps.auth));
  app.use('/api/audit', auditRoutes(deps.audit));
  app.use('/api/stats', statsRoutes(deps.review));
  app.use('/api/meta', metaRoutes());
  app.use('/api', reviewRoutes(deps.review));
  // The web interface (src/web): static shell and assets; its data comes from the API above.
  app.use(webRoutes());

  app.use(notFoundHandler);
  app.use(errorHandler({ maxUploadBytes: deps.maxUploadBytes, log: deps.log }));
  return app;
}
