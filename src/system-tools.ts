/**
 * The Debian tools Lexwatch runs as child processes, checked before `npm start` and `npm test`
 * so that a missing one is named with the command that installs it, instead of failing deep
 * inside an OCR or rendering step. scripts/setup-system.sh installs the same packages.
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';

/** Executables and the Debian package that provides each. */
const TOOLS: Array<{ command: string; pkg: string }> = [
  { command: 'prlimit', pkg: 'util-linux' },
  { command: 'pdftotext', pkg: 'poppler-utils' },
  { command: 'pdftoppm', pkg: 'poppler-utils' },
  { command: 'mutool', pkg: 'mupdf-tools' },
  { command: 'tiff2pdf', pkg: 'libtiff-tools' },
  { command: 'tesseract', pkg: 'tesseract-ocr' },
];
/** The OCR languages the lexicon's languages need (see src/extract/ocr.ts) and their packages. */
export const OCR_LANGUAGES = ['eng', 'rus', 'aze', 'aze_cyrl', 'hye', 'tur'];
const languagePackage = (lang: string) => `tesseract-ocr-${lang.replace(/_/g, '-')}`;

export interface ToolCheckOptions {
  /** Also Chromium, which the browser tests drive (default false). */
  browser?: boolean;
  /** Where Chromium is expected (default CHROMIUM_PATH or /usr/bin/chromium). */
  chromiumPath?: string;
  /** The PATH to search (default process.env.PATH). */
  searchPath?: string;
}

export interface ToolReport {
  /** What is missing, in words ("mutool", "tesseract language aze_cyrl"). */
  missing: string[];
  /** The Debian packages that provide them. */
  packages: string[];
}

function findExecutable(command: string, searchPath: string): string | null {
  for (const dir of searchPath.split(path.delimiter).filter(Boolean)) {
    const candidate = path.join(dir, command);
    try {
      fs.accessSync(candidate, fs.constants.X_OK);
      return candidate;
    } catch {
      // not in this directory
    }
  }
  return null;
}

export function checkSystemTools(options: ToolCheckOptions = {}): ToolReport {
  const searchPath = options.searchPath ?? process.env.PATH ?? '';
  const missing: string[] = [];
  const packages = new Set<string>();
  const lack = (what: string, pkg: string) => (missing.push(what), packages.add(pkg));
  for (const tool of TOOLS) {
    // prlimit is run by its absolute path (src/limited-process.ts); the others through PATH.
    const found = tool.command === 'prlimit' ? findExecutable('prlimit', `${path.dirname(process.env.LEXWATCH_PRLIMIT || '/usr/bin/prlimit')}${path.delimiter}${searchPath}`) : findExecutable(tool.command, searchPath);
    if (!found) lack(tool.command, tool.pkg);
    else if (tool.command === 'tesseract') {
      const listed = spawnSync(found, ['--list-langs'], { encoding: 'utf8', timeout: 10_000 });
      const langs = new Set(`${listed.stdout ?? ''}`.split(/\s+/));
      for (const lang of OCR_LANGUAGES) if (!langs.has(lang)) lack(`tesseract language ${lang}`, languagePackage(lang));
    }
  }
  if (options.browser) {
    const chromium = options.chromiumPath ?? process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
    try {
      fs.accessSync(chromium, fs.constants.X_OK);
    } catch {
      lack(`chromium (${chromium}; or set CHROMIUM_PATH)`, 'chromium');
    }
  }
  if (missing.includes('tesseract')) for (const lang of OCR_LANGUAGES) packages.add(languagePackage(lang));
  return { missing, packages: [...packages] };
}

/** The message naming what is missing and the one command that installs it; null when nothing is. */
export function missingToolsMessage(report: ToolReport): string | null {
  if (report.missing.length === 0) return null;
  return [
    `Missing system tools: ${report.missing.join(', ')}.`,
    'Install them with:',
    `  sudo apt-get install -y --no-install-recommends ${report.packages.join(' ')}`,
    '(or run `bash scripts/setup-system.sh`, which installs everything Lexwatch needs on Debian or Ubuntu)',
  ].join('\n');
}
