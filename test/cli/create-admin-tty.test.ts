/**
 * `npm run create-admin` typed in a terminal: it asks for the password (twice, hidden, stating
 * the 12-character rule) instead of failing with "no password". The terminal is a real pseudo-
 * terminal made by util-linux `script`.
 */
import { spawn } from 'node:child_process';
import path from 'node:path';
import request from 'supertest';
import { startTestService, type TestService } from '../support/service';
import { until } from '../support/until';

const ROOT = path.resolve(__dirname, '..', '..');
const TSX = path.join(ROOT, 'node_modules', 'tsx', 'dist', 'cli.mjs');
const PASSWORD = 'a long terminal passphrase';

let service: TestService;
beforeAll(async () => {
  service = await startTestService();
});
afterAll(async () => {
  await service.dispose();
});

it('asks for the password on a terminal without echoing it, then creates the admin', async () => {
  const command = `${process.execPath} ${TSX} src/cli/admin.ts create-admin --username tty-admin`;
  const child = spawn('script', ['-qec', command, '/dev/null'], {
    cwd: ROOT,
    env: { ...process.env, MONGODB_DB: service.dbName, LEXWATCH_ADMIN_PASSWORD: '' },
  });
  let seen = '';
  child.stdout.on('data', (chunk: Buffer) => (seen += chunk.toString('utf8')));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));

  await until('the password prompt', () => seen.includes('12 characters or more'));
  child.stdin.write(`${PASSWORD}\r`);
  await until('the confirmation prompt', () => /same password again/.test(seen));
  child.stdin.write(`${PASSWORD}\r`);
  expect(await exited).toBe(0);

  expect(seen).toMatch(/created admin "tty-admin"/);
  expect(seen).not.toContain(PASSWORD.slice(0, 6));
  const res = await request(service.app).post('/api/auth/login').send({ username: 'tty-admin', password: PASSWORD }).expect(200);
  expect(res.body.user.roles).toEqual(['admin']);
});
