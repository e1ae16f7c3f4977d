/**
 * Composition root: wires database, originals, lexicon, pipeline runner and HTTP app. Used by
 * `npm start` (src/server.ts) and by the tests, so both run exactly the same service.
 */
import path from 'node:path';
import type { Express } from 'express';
import pino from 'pino';
import { childLimitsFromConfig, type Config } from './config';
import { DossierJobs } from './export/dossier/jobs';
import { ReanalysisJobs } from './pipeline/reanalysis-jobs';
import { ModelEvidenceSource } from './export/dossier/source';
import { readSigningKey } from './export/dossier/signing';
import { AuditLog } from './audit/log';
import { AuthService, type AuthOptions } from './auth/service';
import { FirstAdminSetup } from './auth/setup';
import { createApp } from './http/app';
import { DEFAULT_REVIEW_SETTINGS, ReviewService, type ReviewSettings } from './review/service';
import { IngestService } from './ingest/service';
import { SpeakerService } from './ingest/speakers';
import { DocumentService } from './documents/service';
import { SearchService } from './search/service';
import { OriginalFiles } from './documents/originals';
import { FlagExports } from './export/flags-export';
import { LexiconCuration } from './lexicon/curation';
import { OriginalStore } from './ingest/storage';
import { loadLexicon, loadTargets } from './lexicon';
import type { PipelineDeps } from './pipeline/document-run';
import { LexiconService } from './lexicon/service';
import { DocumentRunner, type RunnerOptions } from './pipeline/runner';
import { connectDatabase, type Database } from './store/connection';
import { DocumentFeed } from './store/document-feed';
import { AddressGuard, type Resolver } from './capture/address-guard';
import type { CaptureLimits } from './capture/fetcher';
import { CaptureJobs } from './capture/jobs';
import { CaptureService } from './capture/service';
import { CaptureRepository } from './store/captures';

export interface Service {
  app: Express;
  db: Database;
  runner: DocumentRunner;
  audit: AuditLog;
  auth: AuthService;
  /** The first-run setup link (printed by `npm start` while no admin exists). */
  setup: FirstAdminSetup;
  review: ReviewService;
  originals: OriginalStore;
  dossiers: DossierJobs;
  reanalyses: ReanalysisJobs;
  /** Document changes for every progress stream of this process (one change stream or one shared poll). */
  documentFeed: DocumentFeed;
  captureJobs: CaptureJobs;
  /** The lexicon the service started with (the active version at start-up). */
  lexicon: { id: string; version: string };
  lexicons: LexiconService;
  close(): Promise<void>;
}

export interface ServiceOptions {
  config: Pick<Config, 'UPLOAD_DIR' | 'MAX_UPLOAD_BYTES' | 'LEXICON' | 'TARGETS' | 'LOG_LEVEL' | 'MONGODB_DB'> &
    Partial<Pick<Config, 'WORKER_CONCURRENCY' | 'LEASE_MS' | 'OCR_CONCURRENCY' | 'OCR_DPI' | 'SPARE_EXTRACTION_CHILD' | 'EVENT_STREAMS_PER_USER' | 'EVENT_STREAMS_PER_PROCESS' | 'DOSSIER_SIGNING_KEY' | 'EVENTS_POLL_MS' | 'MONGODB_LAGGING_READS'>> &
    Partial<Parameters<typeof childLimitsFromConfig>[0]>;
  mongodbUri: string;
  runner?: RunnerOptions & { enabled?: boolean };
  pipeline?: Pick<PipelineDeps, 'ocr' | 'retry' | 'limits'>;
  review?: Partial<ReviewSettings>;
  auth?: AuthOptions;
  trustProxy?: boolean | string | number;
  /** Web captures: hosts the SSRF guard lets through, limits, and (tests) the resolver. */
  capture?: { allowHosts?: string[]; limits?: Partial<CaptureLimits>; resolver?: Resolver };
}

/**
 * The active lexicon from the database, seeding it from the lexicon files when the database has
 * none: the service and `npm run worker` load it the same way.
 */
export async function openLexicons(store: Database['repos']['lexicon'], config: Pick<Config, 'LEXICON' | 'TARGETS'>, log?: { warn(msg: string): void }): Promise<LexiconService> {
  const data = loadLexicon(config.LEXICON);
  if (config.TARGETS) data.targets = loadTargets(config.TARGETS);
  const lexicons = new LexiconService(store);
  const { grammarAdded } = await lexicons.ensureSeeded(data);
  if (grammarAdded) {
    // An older database: the files' word classes and frames are in the working copy now.
    log?.warn(`${grammarAdded.classes} word classes and ${grammarAdded.frames} frames from the lexicon files were added to the lexicon's working copy; publish a lexicon version to use them`);
  }
  return lexicons;
}

/** Runner and pipeline settings from the configuration (explicit options win). */
export function runnerSettings(options: Pick<ServiceOptions, 'config' | 'runner' | 'pipeline'>): {
  runner: RunnerOptions;
  pipeline: Pick<PipelineDeps, 'ocr' | 'retry' | 'limits'>;
} {
  const { config } = options;
  return {
    runner: { concurrency: config.WORKER_CONCURRENCY || 1, leaseMs: config.LEASE_MS, spareExtractionChild: config.SPARE_EXTRACTION_CHILD !== 'false', ...options.runner },
    pipeline: {
      ...options.pipeline,
      ocr: { concurrency: config.OCR_CONCURRENCY, dpi: config.OCR_DPI, ...options.pipeline?.ocr },
      limits: options.pipeline?.limits ?? childLimitsFromConfig(config),
    },
  };
}

export async function createService(options: ServiceOptions): Promise<Service> {
  const { config } = options;
  const logger = pino({ level: config.LOG_LEVEL, base: undefined });
  const db = await connectDatabase(options.mongodbUri, config.MONGODB_DB, { laggingReads: config.MONGODB_LAGGING_READS });
  // The lexicon files seed an empty database; from then on the database's active version rules.
  const lexicons = await openLexicons(db.repos.lexicon, config, logger);
  const lexicon = await lexicons.active();
  const originals = new OriginalStore(path.resolve(config.UPLOAD_DIR));
  const settings = runnerSettings(options);
  const audit = new AuditLog(db.repos.audit);
  const auth = new AuthService(db.repos, audit, options.auth);
  const setup = new FirstAdminSetup(db.repos, auth, audit);
  const review = new ReviewService(db.repos, audit, { ...DEFAULT_REVIEW_SETTINGS, ...options.review });
  const runner = new DocumentRunner(
    { models: db.models, originals, lexicon, activeLexicon: () => lexicons.active(), log: logger, audit, ...settings.pipeline },
    settings.runner,
  );
  // Dossier packages are written next to the originals they contain.
  const dossiers = new DossierJobs(
    { models: db.models, source: new ModelEvidenceSource(db.models, originals), outDir: path.join(originals.root, 'dossiers'), log: logger, audit, requiredConfirmations: review.settings.requiredConfirmations, renderLimits: settings.pipeline.limits?.render, signingKeyPem: readSigningKey(config.DOSSIER_SIGNING_KEY) },
    { pollMs: options.runner?.pollMs },
  );
  const reanalyses = new ReanalysisJobs({ models: db.models, lexicons, audit, log: logger }, { pollMs: options.runner?.pollMs, leaseMs: settings.runner.leaseMs });
  const ingest = new IngestService(db.repos.documents, originals, () => runner.poke(), audit);
  const documents = new DocumentService({
    repos: db.repos, ingest, originals, audit, poke: () => runner.poke(),
    reanalysis: { activeLexicon: () => lexicons.active(), jobs: reanalyses },
    renderLimits: settings.pipeline.limits?.render,
    log: (error) => logger.error({ err: error }, 'page image'),
  });
  const documentFeed = new DocumentFeed(db.models, { pollMs: config.EVENTS_POLL_MS ?? 500, log: (message, error) => logger.warn({ err: error }, message) });
  const captureRepo = new CaptureRepository(db.models);
  const guard = new AddressGuard(options.capture?.allowHosts ?? [], options.capture?.resolver);
  const captureJobs = new CaptureJobs(
    { models: db.models, captures: captureRepo, originals, guard, audit, log: logger, limits: options.capture?.limits, onCaptured: () => runner.poke() },
    { pollMs: options.runner?.pollMs },
  );
  const app = createApp({
    captures: new CaptureService(captureRepo, guard, audit, () => captureJobs.poke()),
    documents,
    documentFeed,
    speakers: new SpeakerService(db.repos.speakers),
    flagExports: new FlagExports(db.repos, audit),
    originals,
    maxUploadBytes: config.MAX_UPLOAD_BYTES,
    originalFiles: new OriginalFiles(db.repos.documents, originals, audit),
    lexicon: { id: lexicon.id, version: lexicon.version },
    lexicons: { service: lexicons, curation: new LexiconCuration(lexicons, audit) },
    log: (error) => logger.error({ err: error }, 'request failed'),
    dossiers,
    reanalyses: true,
    auth,
    setup,
    review,
    search: new SearchService(db.repos),
    audit,
    trustProxy: options.trustProxy,
    eventStreams: { perUser: config.EVENT_STREAMS_PER_USER ?? 10, perProcess: config.EVENT_STREAMS_PER_PROCESS ?? 100 },
  });
  if (options.runner?.enabled !== false) {
    // WORKER_CONCURRENCY=0: this service only serves; `npm run worker` processes and captures documents.
    if (config.WORKER_CONCURRENCY !== 0) {
      runner.start();
      captureJobs.start();
    }
    dossiers.start();
    reanalyses.start();
  }

  return {
    app,
    db,
    runner,
    originals,
    dossiers,
    reanalyses,
    documentFeed,
    captureJobs,
    audit,
    auth,
    setup,
    review,
    lexicon: { id: lexicon.id, version: lexicon.version },
    lexicons,
    async close() {
      await runner.stop();
      await dossiers.stop();
      await reanalyses.stop();
      await documentFeed.close();
      await captureJobs.stop();
      await db.close();
    },
  };
}
