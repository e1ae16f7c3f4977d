/**
 * The error codes clients branch on: every code the source can throw is documented in
 * docs/errors.md with the status src/http/errors.ts gives it, and nothing documented is stale.
 * Read from the source, so a new code cannot slip in undocumented. Also the layering rule that
 * keeps HTTP out of the domain: no module outside src/http imports from it (but the
 * composition root, which builds the app).
 */
import fs from 'node:fs';
import path from 'node:path';
import { HTTP_STATUS } from '../../src/http/errors';

const ROOT = path.resolve(__dirname, '..', '..');
const SRC = path.join(ROOT, 'src');

function sourceFiles(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) return entry.name === 'public' ? [] : sourceFiles(full);
    return /\.ts$/.test(entry.name) ? [full] : [];
  });
}

const files = sourceFiles(SRC).map((file) => ({ file: path.relative(ROOT, file), text: fs.readFileSync(file, 'utf8') }));

/** code → status, from the table in docs/errors.md. */
function documentedCodes(): Map<string, number> {
  const doc = fs.readFileSync(path.join(ROOT, 'docs', 'errors.md'), 'utf8');
  const codes = new Map<string, number>();
  for (const [, code, status] of doc.matchAll(/^\| `([a-z_]+)` \| (\d{3}) \|/gm)) {
    expect(codes.has(code!)).toBe(false); // one row a code
    codes.set(code!, Number(status));
  }
  return codes;
}

/** Every code the source throws, with where: constructors that take the code first, and the fixed-code classes. */
function thrownCodes(): Map<string, string[]> {
  const errorsSource = files.find((f) => f.file === path.join('src', 'errors.ts'))!.text;
  const fixed = new Map([...errorsSource.matchAll(/class (\w+) extends DomainError \{[^}]*?readonly code = '([a-z_]+)'/g)].map(([, cls, code]) => [cls!, code!]));
  expect([...fixed.keys()].sort()).toEqual(['NotFound', 'RateLimited', 'Unauthenticated']);
  const found = new Map<string, string[]>();
  const add = (code: string, where: string) => found.set(code, [...(found.get(code) ?? []), where]);
  for (const { file, text } of files) {
    for (const m of text.matchAll(/new (?:ApiError|Conflict|Invalid|Forbidden)\(\s*'([a-z_]+)'/g)) add(m[1]!, file);
    for (const m of text.matchAll(/Invalid\.fromZod\(\s*'([a-z_]+)'/g)) add(m[1]!, file);
    for (const [cls, code] of fixed) if (new RegExp(`new ${cls}\\(`).test(text)) add(code, file);
  }
  return found;
}

it('documents every code the source throws, with the status the API answers it with', () => {
  const documented = documentedCodes();
  const thrown = thrownCodes();
  const undocumented = [...thrown].filter(([code]) => !documented.has(code)).map(([code, where]) => `${code} (${[...new Set(where)].join(', ')})`);
  expect(undocumented).toEqual([]);
  // Nothing documented that nothing raises.
  expect([...documented.keys()].filter((code) => !thrown.has(code))).toEqual([]);
  // The statuses are the API's: the docs and the one table in src/http/errors.ts agree exactly.
  expect(Object.fromEntries(documented)).toEqual(HTTP_STATUS);
  // The split codes are there (a scanner that found nothing would pass the checks above vacuously).
  expect(thrown.get('self_review')).toEqual(expect.arrayContaining([path.join('src', 'review', 'service.ts')]));
  expect(thrown.get('not_found')!.length).toBeGreaterThan(5);
});

it('keeps HTTP out of the domain: no module outside src/http imports from it but the composition root', () => {
  const importers: string[] = [];
  for (const { file, text } of files) {
    if (file.startsWith(path.join('src', 'http') + path.sep)) continue;
    for (const m of text.matchAll(/(?:from|import|require)\s*\(?\s*'(\.[^']+)'/g)) {
      const target = path.relative(SRC, path.resolve(path.dirname(path.join(ROOT, file)), m[1]!));
      if (target === 'http' || target.startsWith('http' + path.sep)) importers.push(`${file} → ${m[1]}`);
    }
  }
  // src/service.ts wires the services into the app: it is the one place that may name it.
  expect(importers).toEqual([`${path.join('src', 'service.ts')} → ./http/app`]);
});
