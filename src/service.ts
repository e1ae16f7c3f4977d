/**
 * Composition root: wires database, originals, lexicon, pipeline runner and HTTP app. Used by
 * `npm start` (src/server.ts) and by the tests, so both run exactly the same service.
 */
import path from 'node:path';
import type { Express } from 'express';
import pino from 'pino';
import { compileLexicon } from './analyze';
import type { Config } from './config';
import { createApp } from './http/app';
import { IngestService } from './ingest/service';
import { OriginalStore } from './ingest/storage';
import { loadLexicon, loadTargets } from './lexicon';
import type { ActiveLexicon, PipelineDeps } from './pipeline/process-document';
import { DocumentRunner, type RunnerOptions } from './pipeline/runner';
import { connectDatabase, type Database } from './store/connection';

export interface Service {
  app: Express;
  db: Database;
  runner: DocumentRunner;
  originals: OriginalStore;
  lexicon: { id: string; version: string };
  close(): Promise<void>;
}

export interface ServiceOptions {
  config: Pick<Config, 'UPLOAD_DIR' | 'MAX_UPLOAD_BYTES' | 'LEXICON' | 'TARGETS' | 'LOG_LEVEL' | 'MONGODB_DB'> &
    Partial<Pick<Config, 'WORKER_CONCURRENCY' | 'LEASE_MS' | 'OCR_CONCURRENCY' | 'OCR_DPI'>>;
  mongodbUri: string;
  runner?: RunnerOptions & { enabled?: boolean };
  pipeline?: Pick<PipelineDeps, 'ocr' | 'retry' | 'extractLimits'>;
}

/** The active lexicon, compiled: the service and `npm run worker` load it the same way. */
export function loadActiveLexicon(config: Pick<Config, 'LEXICON' | 'TARGETS'>): ActiveLexicon {
  const data = loadLexicon(config.LEXICON);
  if (config.TARGETS) data.targets = loadTargets(config.TARGETS);
  return { id: data.id, version: data.version, compiled: compileLexicon(data) };
}

/** Runner and pipeline settings from the configuration (explicit options win). */
export function runnerSettings(options: Pick<ServiceOptions, 'config' | 'runner' | 'pipeline'>): {
  runner: RunnerOptions;
  pipeline: Pick<PipelineDeps, 'ocr' | 'retry' | 'extractLimits'>;
} {
  const { config } = options;
  return {
    runner: { concurrency: config.WORKER_CONCURRENCY || 1, leaseMs: config.LEASE_MS, ...options.runner },
    pipeline: { ...options.pipeline, ocr: { concurrency: config.OCR_CONCURRENCY, dpi: config.OCR_DPI, ...options.pipeline?.ocr } },
  };
}

export async function createService(options: ServiceOptions): Promise<Service> {
  const { config } = options;
  const logger = pino({ level: config.LOG_LEVEL, base: undefined });
  const lexicon = loadActiveLexicon(config);

  const db = await connectDatabase(options.mongodbUri, config.MONGODB_DB);
  const originals = new OriginalStore(path.resolve(config.UPLOAD_DIR));
  const settings = runnerSettings(options);
  const runner = new DocumentRunner({ models: db.models, originals, lexicon, log: logger, ...settings.pipeline }, settings.runner);
  const ingest = new IngestService(db.models, originals, () => runner.poke());
  const app = createApp({
    models: db.models,
    ingest,
    originals,
    maxUploadBytes: config.MAX_UPLOAD_BYTES,
    lexicon: { id: lexicon.id, version: lexicon.version },
    log: (error) => logger.error({ err: error }, 'request failed'),
    poke: () => runner.poke(),
  });
  if (options.runner?.enabled !== false && config.WORKER_CONCURRENCY !== 0) runner.start();

  return {
    app,
    db,
    runner,
    originals,
    lexicon: { id: lexicon.id, version: lexicon.version },
    async close() {
      await runner.stop();
      await db.close();
    },
  };
}
