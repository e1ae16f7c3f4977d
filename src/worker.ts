/**
 * `npm run worker`: a pipeline runner and a capture runner without the HTTP service. Any number of workers, on any
 * number of machines, can share one MongoDB (MONGODB_URI, required here) and one upload
 * directory (UPLOAD_DIR, e.g. a shared volume): documents are claimed one holder at a time by
 * lease, and a killed worker's documents are taken over when its lease expires, resuming at the
 * first unfinished page. Web captures (documents in status `capturing`) are taken the same way, so
 * a deployment whose service runs with WORKER_CONCURRENCY=0 captures on its workers: each needs
 * Chromium (CHROMIUM_PATH, default /usr/bin/chromium) and the same CAPTURE_* settings.
 */
import path from 'node:path';
import pino from 'pino';
import { AuditLog } from './audit/log';
import { AddressGuard } from './capture/address-guard';
import { CaptureJobs } from './capture/jobs';
import { captureSettings } from './capture/settings';
import { loadConfig } from './config';
import { OriginalStore } from './ingest/storage';
import { DocumentRunner } from './pipeline/runner';
import { openLexicons, runnerSettings } from './service';
import { CaptureRepository } from './store/captures';
import { connectDatabase } from './store/connection';

async function main(): Promise<void> {
  const config = loadConfig();
  if (!config.MONGODB_URI) throw new Error('MONGODB_URI is required: a worker joins the database the service uses');
  const logger = pino({ level: config.LOG_LEVEL, base: undefined });
  const db = await connectDatabase(config.MONGODB_URI, config.MONGODB_DB);
  // The database's active lexicon version, asked for per document like the service does.
  const lexicons = await openLexicons(db.repos.lexicon, config, logger);
  const lexicon = await lexicons.active();
  const originals = new OriginalStore(path.resolve(config.UPLOAD_DIR));
  const settings = runnerSettings({ config: { ...config, WORKER_CONCURRENCY: config.WORKER_CONCURRENCY || 1 } });
  const audit = new AuditLog(db.repos.audit);
  const runner = new DocumentRunner({ models: db.models, originals, lexicon, activeLexicon: () => lexicons.active(), audit, log: logger, ...settings.pipeline }, settings.runner);
  const capture = captureSettings(config);
  const captures = new CaptureJobs({
    models: db.models,
    captures: new CaptureRepository(db.models),
    originals,
    guard: new AddressGuard(capture.allowHosts),
    audit,
    log: logger,
    limits: capture.limits,
    onCaptured: () => runner.poke(),
  });
  runner.start();
  captures.start();
  logger.info({ holder: runner.holder, concurrency: settings.runner.concurrency, lexicon: `${lexicon.id}@${lexicon.version}` }, 'worker started');

  let stopping = false;
  const shutdown = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, 'worker stopping (finishing documents in hand)');
    await captures.stop().catch(() => {});
    await runner.stop().catch(() => {});
    await db.close().catch(() => {});
    process.exit(0);
  };
  process.on('SIGINT', () => void shutdown('SIGINT'));
  process.on('SIGTERM', () => void shutdown('SIGTERM'));
}

main().catch((error) => {
  process.stderr.write(`Lexwatch worker failed to start: ${(error as Error)?.stack ?? String(error)}\n`);
  process.exit(1);
});
