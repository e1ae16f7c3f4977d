/**
 * docs/taxonomy.md and the code say the same: the category, severity and signal tables are the
 * words GET /api/meta serves (src/analyze/taxonomy.ts), and the review-state table lists exactly
 * the states the store knows. No database needed.
 */
import fs from 'node:fs';
import path from 'node:path';
import { CATEGORY_CODES } from '../../src/analyze/types';
import { CATEGORY_INFO, SEVERITY_INFO, SIGNAL_INFO } from '../../src/analyze/taxonomy';
import { FLAG_STATUSES } from '../../src/store/models';

const doc = fs.readFileSync(path.resolve(__dirname, '..', '..', 'docs', 'taxonomy.md'), 'utf8');

/** The body rows of the first table after `heading`, as cells with Markdown code marks removed. */
function table(heading: string): string[][] {
  const lines = doc.slice(doc.indexOf(`\n${heading}\n`)).split('\n');
  const first = lines.findIndex((l) => l.startsWith('|'));
  const rows: string[][] = [];
  for (let i = first + 2; i < lines.length && lines[i]!.startsWith('|'); i += 1) {
    rows.push(lines[i]!.slice(1, -1).split('|').map((cell) => cell.trim().replace(/`/g, '')));
  }
  return rows;
}

it('lists every category, in order, with the name and scope the API serves', () => {
  const rows = table('## Categories');
  expect(rows.map(([code]) => code)).toEqual([...CATEGORY_CODES]);
  expect(Object.fromEntries(rows.map(([code, name, covers]) => [code, { name, covers }]))).toEqual(CATEGORY_INFO);
});

it('gives each severity the meaning the API serves', () => {
  expect(Object.fromEntries(table('## Severity').map(([level, meaning]) => [level, meaning]))).toEqual(Object.fromEntries(Object.entries(SEVERITY_INFO)));
});

it('defines every signal as the API does', () => {
  expect(Object.fromEntries(table('## Signals').map(([name, when]) => [name, when]))).toEqual(SIGNAL_INFO);
});

it('lists exactly the review states the store knows', () => {
  expect(table('## Review states').map(([state]) => state).sort()).toEqual([...FLAG_STATUSES].sort());
});
