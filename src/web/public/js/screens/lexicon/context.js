// @ts-check
/** What the panels of the lexicon screen share: who is looking, the vocabulary, the versions. */
import { get } from '../../lib/api.js';

/** @typedef {import('../../../../api-types').Meta} Meta */
/** @typedef {import('../../../../api-types').LexiconOverview} LexiconOverview */
/** @typedef {import('../../../../api-types').LexiconVersionSummary} LexiconVersionSummary */
/** @typedef {import('../../../../api-types').LexiconVersion} LexiconVersion */
/** @typedef {import('../../../../api-types').List<LexiconVersionSummary>} VersionList */

/**
 * @typedef {object} LexiconContext
 * @property {boolean} isAdmin admins see the edit controls (the API refuses them to anyone else anyway)
 * @property {Meta} meta
 * @property {LexiconOverview['active']} active the version new uploads are analysed with
 * @property {VersionHistory} history
 */

/**
 * A list panel's detail area (an entry, a target group), and how the list is brought up to
 * date after a change.
 * @typedef {object} DetailPanel
 * @property {HTMLElement} detail
 * @property {() => Promise<void>} reload
 * @property {(id: string) => Promise<void>} show
 */

/** The published versions, newest first; each one's data is fetched once per screen, when asked for. */
export class VersionHistory {
  /** @type {LexiconVersionSummary[]} */
  list = [];
  /** @type {Map<string, Promise<LexiconVersion>>} */
  #data = new Map();

  async load() {
    this.list = /** @type {VersionList} */ (await get('/api/lexicon/versions')).items;
  }

  /** @param {string} version */
  data(version) {
    let found = this.#data.get(version);
    if (!found) {
      found = /** @type {Promise<LexiconVersion>} */ (get(`/api/lexicon/versions/${encodeURIComponent(version)}`));
      this.#data.set(version, found);
    }
    return found;
  }
}
