/**
 * Composition root: wires database, originals, lexicon, pipeline runner and HTTP app. Used by
 * `npm start` (src/server.ts) and by the tests, so both run exactly the same service.
 */
import path from 'node:path';
import type { Express } from 'express';
import pino from 'pino';
import type { Config } from './config';
import { DossierJobs } from './export/dossier/jobs';
import { ModelEvidenceSource } from './export/dossier/source';
import { AuditLog } from './audit/log';
import { AuthService, type AuthOptions } from './auth/service';
import { createApp } from './http/app';
import { DEFAULT_REVIEW_SETTINGS, ReviewService, type ReviewSettings } from './review/service';
import { IngestService } from './ingest/service';
import { OriginalStore } from './ingest/storage';
import { loadLexicon, loadTargets } from './lexicon';
import { LexiconService } from './lexicon/service';
import { DocumentRunner, type RunnerOptions } from './pipeline/runner';
import { connectDatabase, type Database } from './store/connection';

export interface Service {
  app: Express;
  db: Database;
  runner: DocumentRunner;
  audit: AuditLog;
  auth: AuthService;
  review: ReviewService;
  originals: OriginalStore;
  dossiers: DossierJobs;
  /** The lexicon the service started with (the active version at start-up). */
  lexicon: { id: string; version: string };
  lexicons: LexiconService;
  close(): Promise<void>;
}

export interface ServiceOptions {
  config: Pick<Config, 'UPLOAD_DIR' | 'MAX_UPLOAD_BYTES' | 'LEXICON' | 'TARGETS' | 'LOG_LEVEL' | 'MONGODB_DB'>;
  mongodbUri: string;
  runner?: RunnerOptions & { enabled?: boolean };
  review?: Partial<ReviewSettings>;
  auth?: AuthOptions;
  trustProxy?: boolean | string | number;
}

export async function createService(options: ServiceOptions): Promise<Service> {
  const { config } = options;
  const logger = pino({ level: config.LOG_LEVEL, base: undefined });
  const data = loadLexicon(config.LEXICON);
  if (config.TARGETS) data.targets = loadTargets(config.TARGETS);

  const db = await connectDatabase(options.mongodbUri, config.MONGODB_DB);
  // The lexicon files seed an empty database; from then on the database's active version rules.
  const lexicons = new LexiconService(db.models);
  await lexicons.ensureSeeded(data);
  const lexicon = await lexicons.active();
  const originals = new OriginalStore(path.resolve(config.UPLOAD_DIR));
  const audit = new AuditLog(db.models);
  const auth = new AuthService(db.models, audit, options.auth);
  const review = new ReviewService(db.models, audit, { ...DEFAULT_REVIEW_SETTINGS, ...options.review });
  const runner = new DocumentRunner(
    { models: db.models, originals, lexicon, activeLexicon: () => lexicons.active(), log: logger, audit },
    options.runner,
  );
  // Dossier packages are written next to the originals they contain.
  const dossiers = new DossierJobs(
    { models: db.models, source: new ModelEvidenceSource(db.models, originals), outDir: path.join(originals.root, 'dossiers'), log: logger, audit, requiredConfirmations: review.settings.requiredConfirmations },
    { pollMs: options.runner?.pollMs },
  );
  const ingest = new IngestService(db.models, originals, () => runner.poke(), audit);
  const app = createApp({
    models: db.models,
    ingest,
    originals,
    maxUploadBytes: config.MAX_UPLOAD_BYTES,
    lexicon: { id: lexicon.id, version: lexicon.version },
    lexicons,
    log: (error) => logger.error({ err: error }, 'request failed'),
    dossiers,
    auth,
    review,
    audit,
    trustProxy: options.trustProxy,
  });
  if (options.runner?.enabled !== false) {
    runner.start();
    dossiers.start();
  }

  return {
    app,
    db,
    runner,
    originals,
    dossiers,
    audit,
    auth,
    review,
    lexicon: { id: lexicon.id, version: lexicon.version },
    lexicons,
    async close() {
      await runner.stop();
      await dossiers.stop();
      await db.close();
    },
  };
}
