/**
 * One database server for the whole run: the embedded FerretDB (built once per machine), or the
 * server MONGODB_URI names — then nothing is built or started. Each test file then uses its own
 * database on it (see test/support/service.ts).
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { checkSystemTools, missingToolsMessage } from '../../src/system-tools';
import { startEmbeddedDatabase, type EmbeddedDatabase } from '../../src/store/embedded-ferretdb';

declare global {
   
  var __LEXWATCH_EMBEDDED_DB__: { db: EmbeddedDatabase; dataDir: string } | undefined;
}

export default async function globalSetup(): Promise<void> {
  // Fail fast, naming what to install, rather than deep inside an OCR or browser test.
  const missing = missingToolsMessage(checkSystemTools({ browser: true }));
  if (missing) throw new Error(`npm test needs system tools that are not installed.\n${missing}`);
  if (process.env.MONGODB_URI) {
    process.env.LEXWATCH_TEST_DB_KIND = 'external';
    return;
  }
  // On disk, not FerretDB's in-memory SQLite: with concurrent connections the in-memory mode
  // blocks on table locks (seen here: a write hung while a poll was reading).
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'lexwatch-test-db-'));
  const log = process.env.LEXWATCH_DB_LOG ? (line: string) => process.stderr.write(`[ferretdb] ${line}\n`) : undefined;
  // The one-time build takes minutes on a cold machine: say so rather than sit silent.
  const progress = (line: string) => process.stderr.write(`${line}\n`);
  const db = await startEmbeddedDatabase({ dataDir, log, progress });
  globalThis.__LEXWATCH_EMBEDDED_DB__ = { db, dataDir };
  process.env.MONGODB_URI = db.uri;
  process.env.LEXWATCH_TEST_DB_KIND = 'ferretdb';
}
