// @ts-check
/* global fetch, window, XMLHttpRequest */
/**
 * The JSON API from the browser: same-origin cookie session, CSRF token on unsafe requests.
 * Answers come back as `unknown`: each screen states the shape it reads (src/web/api-types.ts).
 */

/** @typedef {import('../../../api-types').ErrorBody} ErrorBody */
/** @typedef {{ field: string, message: string }} FieldProblem */

/** @type {string | null} */
let csrfToken = null;
/** @param {string | null} token */
export function setCsrf(token) {
  csrfToken = token;
}
export function csrf() {
  return csrfToken;
}

/** @param {unknown} value @returns {value is Record<string, unknown>} */
const isObject = (value) => typeof value === 'object' && value !== null;

/** One entry of an error's details as {field, message}, or null if it names no problem. */
function problemOf(/** @type {unknown} */ item) {
  if (!isObject(item)) return null;
  const path = Array.isArray(item.path) ? item.path.join('.') : '';
  const field = typeof item.field === 'string' ? item.field : path;
  return { field, message: typeof item.message === 'string' ? item.message : '' };
}

export class ApiError extends Error {
  /** @param {number} status @param {unknown} body the parsed answer, ideally {error: {code, message, details?}} */
  constructor(status, body) {
    const sent = isObject(body) && isObject(body.error) ? body.error : null;
    super(sent && typeof sent.message === 'string' ? sent.message : 'request failed with status ' + status);
    this.status = status;
    this.code = sent && typeof sent.code === 'string' ? sent.code : 'http_' + status;
    /** @type {unknown} */
    this.details = sent ? sent.details : undefined;
  }

  /**
   * The fields the server named as wrong: validation details come as a list of {field, message}
   * (zod issues may carry `path` instead), inside `{issues}`, or as one such object.
   * @returns {FieldProblem[]}
   */
  problems() {
    const d = this.details;
    const list = Array.isArray(d) ? d : isObject(d) && Array.isArray(d.issues) ? d.issues : isObject(d) && typeof d.field === 'string' ? [d] : [];
    return list.map(problemOf).filter((p) => p !== null);
  }

  /** The message with the offending fields named, for the screen. */
  describe() {
    return [this.message, ...this.problems().map((p) => `${p.field}: ${p.message}`)].join(' — ');
  }

  get unavailable() {
    return this.status === 404 && /route/i.test(this.message);
  }
}

/** @param {string} method @param {string} url @param {unknown} [body] @returns {Promise<unknown>} */
export async function api(method, url, body) {
  return send(method, url, body === undefined ? undefined : JSON.stringify(body), body === undefined ? undefined : 'application/json');
}

/** A file's text as the request body (lexicon imports take the file itself, not JSON around it). */
export function postText(/** @type {string} */ url, /** @type {string} */ text, contentType = 'text/plain; charset=utf-8') {
  return send('POST', url, text, contentType);
}

/** @param {string} method @param {string} url @param {string | undefined} payload @param {string | undefined} contentType */
async function send(method, url, payload, contentType) {
  /** @type {Record<string, string>} */
  const headers = { Accept: 'application/json' };
  if (contentType) headers['Content-Type'] = contentType;
  if (method !== 'GET' && csrfToken) headers['X-CSRF-Token'] = csrfToken;
  const res = await fetch(url, { method, headers, body: payload, credentials: 'same-origin' });
  if (res.status === 204) return null;
  /** @type {unknown} */
  let data = null;
  try {
    data = await res.json();
  } catch {
    data = null;
  }
  if (!res.ok) {
    if (res.status === 401 && !url.startsWith('/api/auth/')) window.location.assign('/login?next=' + encodeURIComponent(window.location.pathname + window.location.search));
    throw new ApiError(res.status, data);
  }
  return data;
}
export const get = (/** @type {string} */ url) => api('GET', url);
/** @param {string} url @param {unknown} [body] */
export const post = (url, body) => api('POST', url, body ?? {});

/**
 * Multipart upload with byte progress (fetch has no upload progress; XHR does).
 * @param {string} url @param {FormData} formData @param {(loaded: number, total: number) => void} onProgress
 * @returns {Promise<unknown>}
 */
export function upload(url, formData, onProgress) {
  return new Promise((resolve, reject) => {
    const xhr = new XMLHttpRequest();
    xhr.open('POST', url);
    xhr.setRequestHeader('Accept', 'application/json');
    if (csrfToken) xhr.setRequestHeader('X-CSRF-Token', csrfToken);
    xhr.upload.onprogress = (e) => e.lengthComputable && onProgress(e.loaded, e.total);
    xhr.onload = () => {
      /** @type {unknown} */
      let data = null;
      try {
        data = JSON.parse(xhr.responseText);
      } catch {
        data = null;
      }
      if (xhr.status >= 200 && xhr.status < 300) resolve(data);
      else reject(new ApiError(xhr.status, data));
    };
    xhr.onerror = () => reject(new ApiError(0, { error: { code: 'network', message: 'network error: the upload did not reach the server' } }));
    xhr.send(formData);
  });
}
