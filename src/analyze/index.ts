/**
 * Analysis core: pure functions, no I/O. Text and a compiled lexicon in, candidate flags for
 * human review out.
 */
export { compileLexicon, CompiledLexicon } from './compile';
export { analyzePage } from './analyze';
export { detectLanguage } from './language';
export * from './types';
