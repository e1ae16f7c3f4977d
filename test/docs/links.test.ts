/**
 * The documentation lives in the repository and stays navigable: README.md is short, every
 * relative Markdown link resolves to a file here (and to a heading when it has a #fragment,
 * with GitHub's heading slugs), a path written as code (`src/http/access.ts`) names a file that
 * exists, every route of the access table is in docs/api.md (and every route the docs name is
 * in the table), and nothing points outside the repository: no link escapes its root, and no
 * file refers to the team's working notes kept beside the checkout. No database is needed:
 *   npx jest --globalSetup='' --globalTeardown='' test/docs
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { ACCESS_TABLE } from '../../src/http/access';

const ROOT = path.resolve(__dirname, '..', '..');
const README_MAX_LINES = 150;

/**
 * Links to files another branch of issue 13 adds (docs/errors.md: the error codes). Remove the
 * entry once that file is merged; until then a link to it is not reported as broken.
 */
const LANDING_ELSEWHERE = new Set<string>();

/** Top-level folders whose paths, written as code in the docs, must exist. */
const PATH_ROOTS = ['src', 'test', 'docs', 'lexicons', 'schemas', 'scripts', 'tools', 'bench', 'fixtures', 'bin', '.ci'];

// Written in pieces, so that this file does not itself contain what it looks for.
const OUTSIDE_REFERENCES = [['..', 'shared'].join('/'), ['shared', 'design'].join('/')];

interface RepoTree {
  files: Set<string>;
  dirs: Set<string>;
}

/** Files of the repository (tracked, or new and not ignored), as repo-relative POSIX paths. */
function repoTree(): RepoTree {
  const out = execFileSync('git', ['ls-files', '--cached', '--others', '--exclude-standard', '-z'], { cwd: ROOT, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  const files = new Set(out.split('\0').filter((f) => f !== '' && fs.existsSync(path.join(ROOT, f))));
  const dirs = new Set<string>(['']);
  for (const file of files) {
    for (let dir = path.posix.dirname(file); dir !== '.' && !dirs.has(dir); dir = path.posix.dirname(dir)) dirs.add(dir);
  }
  return { files, dirs };
}

/** GitHub's heading anchor (github-slugger): lower case, punctuation dropped, spaces to hyphens. */
function githubSlug(heading: string): string {
  return heading
    .toLowerCase()
    .replace(/[^\p{L}\p{M}\p{N}\p{Pc} -]/gu, '')
    .replace(/ /g, '-');
}

/** A heading's text as GitHub renders it: inline code, links, emphasis and HTML reduced to text. */
function headingText(raw: string): string {
  return raw
    .replace(/\s+#+\s*$/, '')
    .replace(/!?\[([^\]]*)\]\([^)]*\)/g, '$1')
    .replace(/<[^>]+>/g, '')
    .replace(/`+/g, '')
    .replace(/\*+/g, '')
    .replace(/(^|[^\p{L}\p{N}])_+|_+(?=$|[^\p{L}\p{N}])/gu, '$1')
    .trim();
}

interface ParsedMarkdown {
  anchors: Set<string>;
  links: Array<{ target: string; line: number }>;
  codePaths: Array<{ path: string; line: number }>;
  /** Lines with a heading that directly follows a non-blank line (a heading run on from a paragraph). */
  runOnHeadings: number[];
}

function parseMarkdown(text: string): ParsedMarkdown {
  const anchors = new Set<string>();
  const seen = new Map<string, number>();
  const links: ParsedMarkdown['links'] = [];
  const codePaths: ParsedMarkdown['codePaths'] = [];
  const runOnHeadings: number[] = [];
  let fence: string | null = null;
  const lines = text.split(/\r?\n/);
  lines.forEach((line, i) => {
    const n = i + 1;
    const fenceMark = /^\s{0,3}(`{3,}|~{3,})/.exec(line);
    if (fence) {
      if (fenceMark && fenceMark[1]![0] === fence[0] && fenceMark[1]!.length >= fence.length) fence = null;
      return;
    }
    if (fenceMark) {
      fence = fenceMark[1]!;
      return;
    }
    const heading = /^\s{0,3}#{1,6}\s+(.*)$/.exec(line);
    if (heading) {
      const slug = githubSlug(headingText(heading[1]!));
      const count = seen.get(slug) ?? 0;
      seen.set(slug, count + 1);
      anchors.add(count === 0 ? slug : `${slug}-${count}`);
      if (i > 0 && lines[i - 1]!.trim() !== '') runOnHeadings.push(n);
    }
    for (const m of line.matchAll(/<a\s+(?:[^>]*\s)?(?:id|name)="([^"]+)"/g)) anchors.add(m[1]!);
    for (const m of line.matchAll(/(`+)(.+?)\1/g)) {
      const code = m[2]!.trim();
      if (PATH_ROOTS.some((root) => code.startsWith(`${root}/`)) && !/[\s<>*…{}|]/u.test(code)) codePaths.push({ path: code.replace(/\/$/, ''), line: n });
    }
    // Links are read with code spans blanked out: `[a](b)` in code is not a link.
    const prose = line.replace(/(`+)(.+?)\1/g, (s) => ' '.repeat(s.length));
    for (const m of prose.matchAll(/!?\[(?:[^\]\\]|\\.)*\]\(\s*<?([^)\s>]*)>?(?:\s+(?:"[^"]*"|'[^']*'))?\s*\)/g)) links.push({ target: m[1]!, line: n });
    const definition = /^\s{0,3}\[[^\]]+\]:\s*<?(\S+?)>?(?:\s|$)/.exec(prose);
    if (definition) links.push({ target: definition[1]!, line: n });
    for (const m of prose.matchAll(/\b(?:href|src)="([^"]*)"/g)) links.push({ target: m[1]!, line: n });
  });
  return { anchors, links, codePaths, runOnHeadings };
}

/** Problems of one Markdown file (repo-relative `file`), each as "file:line: what". */
function checkMarkdown(file: string, text: string, tree: RepoTree, read: (file: string) => string): string[] {
  const problems: string[] = [];
  const parsed = parseMarkdown(text);
  const anchorsOf = new Map<string, Set<string>>([[file, parsed.anchors]]);
  const anchors = (target: string) => {
    if (!anchorsOf.has(target)) anchorsOf.set(target, parseMarkdown(read(target)).anchors);
    return anchorsOf.get(target)!;
  };
  for (const { target, line } of parsed.links) {
    const where = `${file}:${line}`;
    if (/^[a-z][a-z0-9+.-]*:/i.test(target) || target.startsWith('//')) continue; // a URL, not a repository path
    if (target === '') {
      problems.push(`${where}: empty link`);
      continue;
    }
    const hash = target.indexOf('#');
    const pathPart = decodeURI(hash === -1 ? target : target.slice(0, hash));
    const fragment = hash === -1 ? null : decodeURIComponent(target.slice(hash + 1));
    if (pathPart.startsWith('/')) {
      problems.push(`${where}: "${target}" is absolute; link relative to the file`);
      continue;
    }
    const resolved = pathPart === '' ? file : path.posix.normalize(path.posix.join(path.posix.dirname(file), pathPart)).replace(/\/$/, '');
    if (resolved === '..' || resolved.startsWith('../')) {
      problems.push(`${where}: "${target}" points outside the repository`);
      continue;
    }
    if (LANDING_ELSEWHERE.has(resolved) && !tree.files.has(resolved)) continue;
    const isFile = tree.files.has(resolved);
    if (!isFile && !tree.dirs.has(resolved === '.' ? '' : resolved)) {
      problems.push(`${where}: "${target}": no file ${resolved} in the repository`);
      continue;
    }
    if (fragment === null) continue;
    if (!isFile || !resolved.endsWith('.md')) {
      problems.push(`${where}: "${target}": a #fragment is checked only on Markdown files (line anchors drift)`);
    } else if (!anchors(resolved).has(fragment)) {
      problems.push(`${where}: "${target}": ${resolved} has no heading #${fragment}`);
    }
  }
  for (const { path: p, line } of parsed.codePaths) {
    if (!tree.files.has(p) && !tree.dirs.has(p)) problems.push(`${file}:${line}: \`${p}\` names no file or folder of the repository`);
  }
  for (const line of parsed.runOnHeadings) problems.push(`${file}:${line}: a heading must follow a blank line`);
  return problems;
}

/** `GET /api/flags/:id` and `GET /api/flags/:flagId` name the same route. */
function routeKey(method: string, route: string): string {
  return `${method} ${route.replace(/\/:[^/]+/g, '/:').replace(/\/$/, '')}`;
}

/** Routes named in code spans, e.g. `POST /api/documents/:id/ocr` or `GET /api/flags?status=`. */
function routesIn(text: string): Array<{ key: string; line: number }> {
  const out: Array<{ key: string; line: number }> = [];
  text.split('\n').forEach((line, i) => {
    for (const m of line.matchAll(/`(GET|POST|PUT|PATCH|DELETE) (\/api[^`\s?]*)[^`]*`/g)) out.push({ key: routeKey(m[1]!, m[2]!), line: i + 1 });
  });
  return out;
}

describe('the checker itself', () => {
  it('computes GitHub heading anchors', () => {
    expect(githubSlug(headingText('People, access and review'))).toBe('people-access-and-review');
    expect(githubSlug(headingText('Command line: `lexwatch analyze`'))).toBe('command-line-lexwatch-analyze');
    expect(githubSlug(headingText('Upload → extract — store'))).toBe('upload--extract--store');
    expect(githubSlug(headingText('The `in_review` state'))).toBe('the-in_review-state');
    expect(githubSlug(headingText('Words *and* [sentences](x.md)'))).toBe('words-and-sentences');
    expect([...parseMarkdown('# A\n\n## A\n\n## A\n').anchors]).toEqual(['a', 'a-1', 'a-2']);
  });

  it('reports broken links, missing headings, escaping paths and run-on headings', () => {
    const tree: RepoTree = { files: new Set(['docs/a.md', 'docs/b.md', 'src/x.ts']), dirs: new Set(['', 'docs', 'src']) };
    const files: Record<string, string> = { 'docs/b.md': '# Title\n\n## Second part\n' };
    const text = [
      '# A',
      '',
      'See [b](b.md#second-part), [x](../src/x.ts), [web](https://example.org/#x), [top](#a) and `src/x.ts`.',
      'Broken: [c](c.md), [frag](b.md#nope), [up](../../outside.md), [code](../src/x.ts#L3), `src/y.ts`.',
      '```',
      '[not a link](nowhere.md)',
      '```',
      'text',
      '## Run on',
    ].join('\n');
    expect(checkMarkdown('docs/a.md', text, tree, (f) => files[f]!)).toEqual([
      'docs/a.md:4: "c.md": no file docs/c.md in the repository',
      'docs/a.md:4: "b.md#nope": docs/b.md has no heading #nope',
      'docs/a.md:4: "../../outside.md" points outside the repository',
      'docs/a.md:4: "../src/x.ts#L3": a #fragment is checked only on Markdown files (line anchors drift)',
      'docs/a.md:4: `src/y.ts` names no file or folder of the repository',
      'docs/a.md:9: a heading must follow a blank line',
    ]);
  });
});

describe('the repository documentation', () => {
  const tree = repoTree();
  const read = (file: string) => fs.readFileSync(path.join(ROOT, file), 'utf8');
  const markdown = [...tree.files].filter((f) => f.endsWith('.md')).sort();

  it('covers README.md, docs/ and lexicons/README.md', () => {
    expect(markdown).toEqual(expect.arrayContaining(['README.md', 'lexicons/README.md']));
    expect(markdown.filter((f) => f.startsWith('docs/')).length).toBeGreaterThan(0);
  });

  it(`keeps README.md at most ${README_MAX_LINES} lines`, () => {
    expect(read('README.md').split('\n').filter((line, i, all) => i < all.length - 1 || line !== '').length).toBeLessThanOrEqual(README_MAX_LINES);
  });

  it('has no broken relative link, missing heading or stale path', () => {
    expect(markdown.flatMap((file) => checkMarkdown(file, read(file), tree, read))).toEqual([]);
  });

  it('documents every route of src/http/access.ts in docs/api.md, and names no other route', () => {
    const table = new Set(ACCESS_TABLE.map((rule) => routeKey(rule.method, rule.path)));
    const documented = new Set(routesIn(read('docs/api.md')).map((r) => r.key));
    expect([...table].filter((key) => !documented.has(key))).toEqual([]);
    const unknown = markdown.flatMap((file) => routesIn(read(file)).filter((r) => !table.has(r.key)).map((r) => `${file}:${r.line}: ${r.key}`));
    expect(unknown).toEqual([]);
  });

  it('refers to nothing outside the repository', () => {
    const problems: string[] = [];
    for (const file of tree.files) {
      const bytes = fs.readFileSync(path.join(ROOT, file));
      if (bytes.includes(0)) continue; // binary
      bytes
        .toString('utf8')
        .split('\n')
        .forEach((line, i) => {
          for (const ref of OUTSIDE_REFERENCES) if (line.includes(ref)) problems.push(`${file}:${i + 1}: refers to ${ref}`);
        });
    }
    expect(problems).toEqual([]);
  });
});
