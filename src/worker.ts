/**
 * `npm run worker`: a pipeline runner without the HTTP service. Any number of workers, on any
 * number of machines, can share one MongoDB (MONGODB_URI, required here) and one upload
 * directory (UPLOAD_DIR, e.g. a shared volume): documents are claimed one holder at a time by
 * lease, and a killed worker's documents are taken over when its lease expires, resuming at the
 * first unfinished page.
 */
import path from 'node:path';
import pino from 'pino';
import { AuditLog } from './audit/log';
import { loadConfig } from './config';
import { OriginalStore } from './ingest/storage';
import { DocumentRunner } from './pipeline/runner';
import { openLexicons, runnerSettings } from './service';
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
  const runner = new DocumentRunner({ models: db.models, originals, lexicon, activeLexicon: () => lexicons.active(), audit: new AuditLog(db.repos.audit), log: logger, ...settings.pipeline }, settings.runner);
  runner.start();
  logger.info({ holder: runner.holder, concurrency: settings.runner.concurrency, lexicon: `${lexicon.id}@${lexicon.version}` }, 'worker started');

  let stopping = false;
  const shutdown = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, 'worker stopping (finishing documents in hand)');
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
