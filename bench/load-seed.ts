/**
 * Seeds a database for `npm run bench:load`: synthetic documents (invented places and groups
 * only), their pages and flags, written through the repositories in bulk (the same lean insert
 * path the pipeline uses), not through the analyser: the benchmark measures reads.
 */
import { createHash } from 'node:crypto';
import { Types } from 'mongoose';
import { CATEGORY_CODES } from '../src/analyze/types';
import type { Repositories } from '../src/store/repositories';
import type { Models } from '../src/store/models';
import type { NewFlagRecord } from '../src/store/flags';

export interface SeedSize {
  documents: number;
  pagesPerDocument: number;
  flagsPerPage: number;
}

const SENTENCE = 'In the spring the Merenites of Kestrel Valley rebuilt the mills by the river, and the Tarvani traders came from Lake Vessa. ';
const FLAGGED = 'The Tarvani are vermin that must be driven out of Kestrel Valley.';
const STATUSES = ['new', 'new', 'new', 'in_review', 'awaiting_second', 'confirmed', 'rejected'] as const;

function sha256(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}

/** Inserts the documents, pages and flags; returns the document ids. */
export async function seed(models: Models, repos: Repositories, size: SeedSize, log: (line: string) => void): Promise<Types.ObjectId[]> {
  const lexicon = { id: 'lexwatch-starter', version: 'bench' };
  const ids: Types.ObjectId[] = [];
  const now = new Date();
  const documents = [];
  for (let d = 0; d < size.documents; d++) {
    const _id = new Types.ObjectId();
    ids.push(_id);
    const hash = sha256(`synthetic bench document ${d} ${_id}`);
    documents.push({
      _id, kind: d % 3 === 0 ? 'statement' : 'textbook', title: `Synthetic benchmark textbook ${d + 1} (invented)`, languages: ['en'],
      original: { sha256: hash, bytes: 1000, mime: 'application/pdf', type: 'pdf', storedPath: `originals/${hash.slice(0, 2)}/${hash}` },
      status: 'done', progress: { pagesDone: size.pagesPerDocument, pagesTotal: size.pagesPerDocument, stage: 'done' }, lexicon,
      pagesFailed: 0, extractionRound: 1, attempts: 0, retryAt: null, createdAt: new Date(now.getTime() - (size.documents - d) * 1000), updatedAt: now, __v: 0,
    });
  }
  await models.Document.insertMany(documents, { lean: true });
  const started = Date.now();
  let pages = 0;
  let flags = 0;
  for (const [d, document] of ids.entries()) {
    const pageBatch = [];
    const flagBatch: NewFlagRecord[] = [];
    for (let index = 0; index < size.pagesPerDocument; index++) {
      // About 2 KB of text a page, the flagged sentence once per flag.
      const prefix = `Lesson ${index + 1}. ${SENTENCE.repeat(10)}`;
      const text = prefix + Array.from({ length: size.flagsPerPage }, () => `${FLAGGED} ${SENTENCE}`).join('');
      pageBatch.push({ document, index, version: 1, current: true, extractionRound: 1, label: String(index + 1), text, textSha256: sha256(text), method: 'text-layer' as const, lang: 'en', analyzedWith: lexicon.version, state: 'read' as const, createdAt: now });
      for (let f = 0; f < size.flagsPerPage; f++) {
        const start = prefix.length + f * (FLAGGED.length + 1 + SENTENCE.length);
        const end = start + FLAGGED.length;
        const n = (d * size.pagesPerDocument + index) * size.flagsPerPage + f;
        const category = CATEGORY_CODES[n % 5]!;
        flagBatch.push({
          document, page: index, pageVersion: 1, pageLabel: String(index + 1), start, end, exact: FLAGGED, prefix: SENTENCE.slice(-32), suffix: SENTENCE.slice(0, 32),
          sentence: FLAGGED, sentenceStart: start, sentenceEnd: end,
          matches: [{ entryId: 'bench.vermin', entryVersion: 1, category, severity: 3, start: start + 15, end: start + 21, exact: 'vermin', term: 'vermin', fuzzy: false }] as unknown as NewFlagRecord['matches'],
          frames: [], targets: [{ groupId: 'tarvani', start: start + 4, end: start + 10, exact: 'Tarvani' }], referents: [],
          category, severity: 3, signals: { negated: false, quoted: false, condemned: false, fuzzy: false, untargeted: false }, priority: (n * 7919) % 1000,
          lang: 'en', lexicon, box: { x0: 0.1, y0: 0.2, x1: 0.8, y1: 0.25 }, source: { method: 'text-layer' },
          fingerprint: sha256(`${document}:${index}:${start}`), status: STATUSES[n % STATUSES.length]!, version: 1, outcome: null, history: [],
        });
      }
    }
    await repos.pages.insertPages(pageBatch);
    await repos.flags.insertNewFlags(flagBatch);
    pages += pageBatch.length;
    flags += flagBatch.length;
    if ((d + 1) % 10 === 0 || d + 1 === ids.length) log(`  seeded ${pages} pages, ${flags} flags (${((Date.now() - started) / 1000).toFixed(0)} s)`);
  }
  return ids;
}
