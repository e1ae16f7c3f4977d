/**
 * `npm start` and `npm test` name a missing system tool and the one command that installs it.
 * The tools are looked up on a PATH the test makes: real ones linked in, one left out, and a
 * tesseract that knows only some of the OCR languages.
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { checkSystemTools, missingToolsMessage } from '../src/system-tools';

const which = (command: string) => spawnSync('sh', ['-c', `command -v ${command}`], { encoding: 'utf8' }).stdout.trim();

describe('the system tool check', () => {
  let bin: string;
  beforeEach(() => {
    bin = fs.mkdtempSync(path.join(os.tmpdir(), 'lexwatch-tools-'));
  });
  afterEach(() => fs.rmSync(bin, { recursive: true, force: true }));

  it('passes on this machine, which has everything installed', () => {
    expect(checkSystemTools({ browser: true })).toEqual({ missing: [], packages: [] });
  });

  it('names a missing tool, missing OCR languages and Chromium, with the apt-get command for their packages', () => {
    for (const tool of ['pdftotext', 'pdftoppm', 'tiff2pdf']) fs.symlinkSync(which(tool), path.join(bin, tool));
    // mutool left out; a tesseract with two of the six languages.
    fs.writeFileSync(path.join(bin, 'tesseract'), '#!/bin/sh\necho "List of available languages in \\"/x\\" (2):"\necho eng\necho rus\n', { mode: 0o755 });
    const report = checkSystemTools({ browser: true, searchPath: bin, chromiumPath: path.join(bin, 'chromium') });
    expect(report.missing).toEqual([
      'mutool',
      'tesseract language aze',
      'tesseract language aze_cyrl',
      'tesseract language hye',
      'tesseract language tur',
      `chromium (${path.join(bin, 'chromium')}; or set CHROMIUM_PATH)`,
    ]);
    const message = missingToolsMessage(report)!;
    expect(message).toContain('sudo apt-get install -y --no-install-recommends mupdf-tools tesseract-ocr-aze tesseract-ocr-aze-cyrl tesseract-ocr-hye tesseract-ocr-tur chromium');
    expect(message).toContain('scripts/setup-system.sh');
  });

  it('makes the test run stop at once with that message', () => {
    // The jest global setup, run on its own with a PATH that has node and nothing else.
    const nodeOnly = path.join(bin, 'node-only');
    fs.mkdirSync(nodeOnly);
    fs.symlinkSync(process.execPath, path.join(nodeOnly, 'node'));
    const script = "require('./test/support/global-setup.ts').default().then(() => console.log('started'), (e) => { console.error(e.message); process.exit(3); })";
    const run = spawnSync(process.execPath, [path.join('node_modules', 'tsx', 'dist', 'cli.mjs'), '-e', script], {
      cwd: path.resolve(__dirname, '..'),
      env: { ...process.env, PATH: nodeOnly, MONGODB_URI: '', CHROMIUM_PATH: path.join(bin, 'none') },
      encoding: 'utf8',
      timeout: 60_000,
    });
    expect(run.status).toBe(3);
    expect(run.stdout).not.toContain('started');
    expect(run.stderr).toMatch(/npm test needs system tools that are not installed\.\nMissing system tools: pdftotext, pdftoppm, mutool, tiff2pdf, tesseract, chromium/);
    expect(run.stderr).toContain('sudo apt-get install -y --no-install-recommends poppler-utils mupdf-tools libtiff-tools tesseract-ocr');
  });
});
