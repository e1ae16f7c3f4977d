/** The HTTP surface: thin routes over the services, one error map, security headers. */
import express, { type Express } from 'express';
import helmet from 'helmet';
import type { IngestService } from '../ingest/service';
import type { OriginalStore } from '../ingest/storage';
import type { LexiconService } from '../lexicon/service';
import type { Models } from '../store/models';
import { errorHandler, notFoundHandler } from './errors';
import { documentRoutes } from './routes/documents';
import { flagRoutes } from './routes/flags';
import { lexiconRoutes } from './routes/lexicon';
import { reanalyzeRoutes } from './routes/reanalyze';

export interface AppDeps {
  models: Models;
  ingest: IngestService;
  originals: OriginalStore;
  maxUploadBytes: number;
  lexicon: { id: string; version: string };
  /** The lexicon in the database; when set, /api/lexicon exists and health shows the active version. */
  lexicons?: LexiconService;
  log: (error: unknown) => void;
}

export function createApp(deps: AppDeps): Express {
  const app = express();
  app.disable('x-powered-by');
  app.set('query parser', 'simple'); // flat string values only: no {"$gt": …} objects from query strings
  app.use(helmet());
  app.use(express.json({ limit: '1mb' }));

  app.get('/api/health', async (_req, res) => {
    const active = deps.lexicons ? await deps.lexicons.active() : deps.lexicon;
    res.json({ ok: true, lexicon: { id: active.id, version: active.version } });
  });
  if (deps.lexicons) {
    app.use('/api/lexicon', lexiconRoutes(deps.lexicons));
    app.use('/api/documents', reanalyzeRoutes(deps.models, deps.lexicons));
  }
  app.use('/api/documents', documentRoutes(deps));
  app.use('/api/flags', flagRoutes(deps.models));

  app.use(notFoundHandler);
  app.use(errorHandler({ maxUploadBytes: deps.maxUploadBytes, log: deps.log }));
  return app;
}
