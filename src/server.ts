/**
 * `npm start`: the service on PORT (default 3000). Without MONGODB_URI it first starts the
 * embedded FerretDB with its data under DATA_DIR (kept across restarts). Ctrl-C stops both.
 */
import path from 'node:path';
import type { Server } from 'node:http';
import { captureSettings } from './capture/settings';
import { loadConfig } from './config';
import { createService } from './service';
import { checkSystemTools, missingToolsMessage } from './system-tools';
import { startEmbeddedDatabase, type EmbeddedDatabase } from './store/embedded-ferretdb';
import { ferretdbLogFilter } from './store/ferretdb-log';

async function main(): Promise<void> {
  const config = loadConfig();
  const missing = missingToolsMessage(checkSystemTools());
  // Text, HTML and DOCX uploads work without them; PDFs and images fail until they are installed.
  if (missing) process.stderr.write(`WARNING: ${missing}\nUntil then, PDF and image uploads fail.\n`);
  let embedded: EmbeddedDatabase | undefined;
  let uri = config.MONGODB_URI;
  if (!uri) {
    const dataDir = path.join(path.resolve(config.DATA_DIR), 'ferretdb');
    // FerretDB logs every connection at INFO; show its warnings and errors unless debugging.
    const verbose = config.LOG_LEVEL === 'debug' || config.LOG_LEVEL === 'trace';
    const log = ferretdbLogFilter((line) => process.stderr.write(`[ferretdb] ${line}\n`), verbose);
    const progress = (line: string) => process.stderr.write(`${line}\n`);
    embedded = await startEmbeddedDatabase({ dataDir, log, progress });
    uri = embedded.uri;
    process.stderr.write(`embedded FerretDB at ${uri} (data in ${dataDir})\n`);
  }
  const service = await createService({
    config,
    mongodbUri: uri,
    review: { requiredConfirmations: config.REVIEW_CONFIRMATIONS, forbidOwnUploads: config.REVIEW_FORBID_OWN_UPLOADS === 'true' },
    trustProxy: config.TRUST_PROXY === undefined ? undefined : /^\d+$/.test(config.TRUST_PROXY) ? Number(config.TRUST_PROXY) : config.TRUST_PROXY,
    capture: captureSettings(config),
  });
  const setupToken = await service.setup.issueIfNoAdmin();
  const server: Server = service.app.listen(config.PORT, config.HOST, () => {
    // A wildcard address is not one to open: the browser on this machine reaches it as 127.0.0.1.
    const host = config.HOST === '0.0.0.0' || config.HOST === '::' ? '127.0.0.1' : config.HOST.includes(':') ? `[${config.HOST}]` : config.HOST;
    const base = `http://${host}:${config.PORT}`;
    process.stderr.write(`Lexwatch listening on ${base} (lexicon ${service.lexicon.id}@${service.lexicon.version})\n`);
    if (setupToken) {
      process.stderr.write(`\nNo admin exists yet. Open this one-time link to create the first admin (it works once; a restart prints a new one):\n\n  ${base}/setup#token=${setupToken}\n\n`);
    }
  });

  let stopping = false;
  const shutdown = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    process.stderr.write(`${signal}: stopping\n`);
    server.close();
    server.closeAllConnections();
    await service.close().catch(() => {});
    await embedded?.stop();
    process.exit(0);
  };
  process.on('SIGINT', () => void shutdown('SIGINT'));
  process.on('SIGTERM', () => void shutdown('SIGTERM'));
}

main().catch((error) => {
  process.stderr.write(`Lexwatch failed to start: ${(error as Error)?.stack ?? String(error)}\n`);
  process.exit(1);
});
