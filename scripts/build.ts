/**
 * `npm run build`: the service as plain JavaScript in dist/, what the Docker image runs
 * (`node dist/server.js`). dist/ is emptied first, so nothing of an older build lingers; the
 * TypeScript under src/ is compiled (tsconfig.build.json), then every other file under src/ (the
 * web interface's static files, the common-password list) is copied to the same place in dist/,
 * where the compiled modules look for it beside themselves. Files outside src/ that the service
 * reads (lexicons/, schemas/, package.json) stay where they are: dist/ sits beside them.
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';

const ROOT = path.resolve(__dirname, '..');
const SRC = path.join(ROOT, 'src');
const DIST = path.join(ROOT, 'dist');

fs.rmSync(DIST, { recursive: true, force: true });
execFileSync(process.execPath, [require.resolve('typescript/bin/tsc'), '-p', path.join(ROOT, 'tsconfig.build.json')], { stdio: 'inherit' });

let copied = 0;
for (const entry of fs.readdirSync(SRC, { recursive: true, withFileTypes: true })) {
  if (!entry.isFile() || entry.name.endsWith('.ts')) continue;
  const from = path.join(entry.parentPath, entry.name);
  const to = path.join(DIST, path.relative(SRC, from));
  fs.mkdirSync(path.dirname(to), { recursive: true });
  fs.copyFileSync(from, to);
  copied++;
}
process.stdout.write(`dist/: compiled src/ and copied ${copied} other files\n`);
