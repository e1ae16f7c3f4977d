// @ts-check
/**
 * The server's vocabulary (GET /api/meta): category codes with their names, review states,
 * document kinds, lexicon field values. Screens read these lists here instead of keeping
 * copies; the request is made once per page and shared (the browser revalidates it by ETag).
 */
import { get } from './api.js';

/** @typedef {import('../../../api-types').Meta} Meta */
/** @typedef {import('../../../api-types').CategoryCode} CategoryCode */

/** @type {Promise<Meta> | null} */
let loading = null;

/** @returns {Promise<Meta>} */
export function loadMeta() {
  loading ??= /** @type {Promise<Meta>} */ (get('/api/meta')).catch((error) => {
    loading = null; // a failed load is tried again by the next caller
    throw error;
  });
  return loading;
}

/**
 * Options for a category select: the code as value, code and name as label.
 * @param {Meta} meta @returns {Array<readonly [CategoryCode, string]>}
 */
export function categoryOptions(meta) {
  return meta.categories.map((c) => /** @type {const} */ ([c.code, `${c.code} · ${c.name}`]));
}

/** The first category in the server's order: the preselected one of a new entry. @param {Meta} meta */
export function firstCategory(meta) {
  const first = meta.categories[0];
  if (!first) throw new Error('the server lists no categories (GET /api/meta)');
  return first.code;
}

/** The name of a category code, or the code itself if this server does not know it. @param {Meta} meta @param {string} code */
export function categoryName(meta, code) {
  return meta.categories.find((c) => c.code === code)?.name ?? code;
}
