/**
 * Operator commands that work on the database directly (no server needed):
 *   create-admin --username NAME [--display-name TEXT]   password asked on a terminal (hidden), else from
 *                                                         LEXWATCH_ADMIN_PASSWORD or the first line of stdin
 *   audit-verify                                          recompute the audit chain
 *   stats                                                 review statistics as JSON
 * They use MONGODB_URI (and MONGODB_DB); without MONGODB_URI they start the embedded FerretDB
 * on DATA_DIR, so stop `npm start` first in that case. Exit codes: 0 ok, 1 the check failed
 * (broken audit chain), 2 usage or connection error.
 */
import path from 'node:path';
import { parseArgs } from 'node:util';
import { AuditLog } from '../audit/log';
import { AuthService } from '../auth/service';
import { loadConfig } from '../config';
import { DomainError } from '../errors';
import { reviewStats } from '../review/stats';
import { connectDatabase, type Database } from '../store/connection';
import { startEmbeddedDatabase, type EmbeddedDatabase } from '../store/embedded-ferretdb';
import { promptHidden } from './prompt';

async function withDatabase<T>(run: (db: Database) => Promise<T>): Promise<T> {
  const config = loadConfig();
  let embedded: EmbeddedDatabase | undefined;
  let uri = config.MONGODB_URI;
  if (!uri) {
    embedded = await startEmbeddedDatabase({ dataDir: path.join(path.resolve(config.DATA_DIR), 'ferretdb'), progress: (line) => process.stderr.write(`${line}\n`) });
    uri = embedded.uri;
  }
  const db = await connectDatabase(uri, config.MONGODB_DB);
  try {
    return await run(db);
  } finally {
    await db.close();
    await embedded?.stop();
  }
}

async function readStdinLine(): Promise<string> {
  let data = '';
  for await (const chunk of process.stdin) {
    data += String(chunk);
    if (data.includes('\n')) break;
  }
  return data.split(/\r?\n/)[0] ?? '';
}

/** On a terminal: the password twice, hidden. Empty when aborted or the two differ. */
async function askPassword(): Promise<string> {
  const first = await promptHidden('Password (12 characters or more; nothing is shown as you type): ');
  if (!first) return '';
  const again = await promptHidden('The same password again: ');
  if (again !== first) {
    process.stderr.write('the two passwords differ\n');
    return '';
  }
  return first;
}

async function createAdmin(argv: string[]): Promise<number> {
  const { values } = parseArgs({ args: argv, options: { username: { type: 'string' }, 'display-name': { type: 'string' } }, strict: true });
  if (!values.username) {
    process.stderr.write(
      'usage: npm run create-admin -- --username NAME [--display-name TEXT]\n(the password, 12 characters or more, is asked for on a terminal; else from LEXWATCH_ADMIN_PASSWORD or the first line of stdin)\n',
    );
    return 2;
  }
  const password = process.env.LEXWATCH_ADMIN_PASSWORD || (process.stdin.isTTY ? await askPassword() : await readStdinLine());
  if (!password) {
    process.stderr.write('no password: type it when asked, set LEXWATCH_ADMIN_PASSWORD, or pipe it on stdin\n');
    return 2;
  }
  return withDatabase(async (db) => {
    const auth = new AuthService(db.repos, new AuditLog(db.repos.audit));
    try {
      const user = await auth.createUser(
        { username: values.username, password, roles: ['admin'], ...(values['display-name'] ? { displayName: values['display-name'] } : {}) },
        { id: 'cli', role: 'operator' },
      );
      process.stdout.write(`created admin "${user.username}" (${String(user._id)})\n`);
      return 0;
    } catch (error) {
      if (error instanceof DomainError) {
        process.stderr.write(`${error.message}${error.details ? ` ${JSON.stringify(error.details)}` : ''}\n`);
        return 2;
      }
      throw error;
    }
  });
}

async function auditVerify(): Promise<number> {
  return withDatabase(async (db) => {
    const result = await new AuditLog(db.repos.audit).verify();
    if (result.ok) {
      process.stdout.write(`audit chain OK: ${result.events} events${result.head ? `; head seq ${result.head.seq} hash ${result.head.hash}` : ''}\n`);
      return 0;
    }
    process.stdout.write(`audit chain BROKEN at event ${result.broken!.seq}: ${result.broken!.problem} (${result.events} events verified before it)\n`);
    return 1;
  });
}

async function stats(): Promise<number> {
  return withDatabase(async (db) => {
    const config = loadConfig();
    const settings = { requiredConfirmations: config.REVIEW_CONFIRMATIONS, forbidOwnUploads: config.REVIEW_FORBID_OWN_UPLOADS === 'true' };
    process.stdout.write(JSON.stringify(await reviewStats(db.repos, settings), null, 2) + '\n');
    return 0;
  });
}

async function main(): Promise<number> {
  const [command, ...rest] = process.argv.slice(2);
  if (command === 'create-admin') return createAdmin(rest);
  if (command === 'audit-verify') return auditVerify();
  if (command === 'stats') return stats();
  process.stderr.write('usage: admin.ts create-admin|audit-verify|stats\n');
  return 2;
}

main().then(
  (code) => process.exit(code),
  (error) => {
    process.stderr.write(`failed: ${(error as Error)?.message ?? String(error)}\n`);
    process.exit(2);
  },
);
