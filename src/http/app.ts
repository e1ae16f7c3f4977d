/** The HTTP surface: thin routes over the services, one error map, security headers. */
import express, { type Express } from 'express';
import helmet from 'helmet';
import type { DossierJobs } from '../export/dossier/jobs';
import type { IngestService } from '../ingest/service';
import type { OriginalStore } from '../ingest/storage';
import type { Models } from '../store/models';
import { errorHandler, notFoundHandler } from './errors';
import { documentRoutes } from './routes/documents';
import { dossierRoutes } from './routes/dossiers';
import { flagRoutes } from './routes/flags';
import { speakerRoutes } from './routes/speakers';

export interface AppDeps {
  models: Models;
  ingest: IngestService;
  originals: OriginalStore;
  maxUploadBytes: number;
  lexicon: { id: string; version: string };
  log: (error: unknown) => void;
  dossiers: DossierJobs;
}

export function createApp(deps: AppDeps): Express {
  const app = express();
  app.disable('x-powered-by');
  app.set('query parser', 'simple'); // flat string values only: no {"$gt": …} objects from query strings
  app.use(helmet());
  app.use(express.json({ limit: '1mb' }));

  app.get('/api/health', (_req, res) => {
    res.json({ ok: true, lexicon: deps.lexicon });
  });
  app.use('/api/documents', documentRoutes(deps));
  app.use('/api/flags', flagRoutes(deps.models));
  app.use('/api/dossiers', dossierRoutes(deps.dossiers, deps.models));
  app.use('/api/speakers', speakerRoutes(deps.models));

  app.use(notFoundHandler);
  app.use(errorHandler({ maxUploadBytes: deps.maxUploadBytes, log: deps.log }));
  return app;
}
