/* global fetch, window, XMLHttpRequest */
/** The JSON API from the browser: same-origin cookie session, CSRF token on unsafe requests. */
let csrfToken = null;
export function setCsrf(token) {
  csrfToken = token;
}
export function csrf() {
  return csrfToken;
}

export class ApiError extends Error {
  constructor(status, body) {
    const err = body && body.error ? body.error : { code: 'http_' + status, message: 'request failed with status ' + status };
    super(err.message);
    this.status = status;
    this.code = err.code;
    this.details = err.details;
  }
  /** The message with the offending fields named (validation details), for the screen. */
  describe() {
    const parts = [this.message];
    const d = this.details;
    if (d && Array.isArray(d.issues)) for (const i of d.issues) parts.push(`${(i.path || []).join('.') || i.field || ''}: ${i.message}`);
    else if (d && Array.isArray(d)) for (const i of d) parts.push(`${i.field || (i.path || []).join('.')}: ${i.message}`);
    else if (d && typeof d === 'object' && d.field) parts.push(`${d.field}: ${d.message ?? ''}`);
    return parts.join(' — ');
  }
  get unavailable() {
    return this.status === 404 && /route/i.test(this.message);
  }
}

export async function api(method, url, body) {
  return send(method, url, body === undefined ? undefined : JSON.stringify(body), body === undefined ? undefined : 'application/json');
}

/** A file's text as the request body (lexicon imports take the file itself, not JSON around it). */
export function postText(url, text, contentType = 'text/plain; charset=utf-8') {
  return send('POST', url, text, contentType);
}

async function send(method, url, payload, contentType) {
  const headers = { Accept: 'application/json' };
  if (contentType) headers['Content-Type'] = contentType;
  if (method !== 'GET' && csrfToken) headers['X-CSRF-Token'] = csrfToken;
  const res = await fetch(url, { method, headers, body: payload, credentials: 'same-origin' });
  if (res.status === 204) return null;
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
export const get = (url) => api('GET', url);
export const post = (url, body) => api('POST', url, body ?? {});

/** Multipart upload with byte progress (fetch has no upload progress; XHR does). */
export function upload(url, formData, onProgress) {
  return new Promise((resolve, reject) => {
    const xhr = new XMLHttpRequest();
    xhr.open('POST', url);
    xhr.setRequestHeader('Accept', 'application/json');
    if (csrfToken) xhr.setRequestHeader('X-CSRF-Token', csrfToken);
    xhr.upload.onprogress = (e) => e.lengthComputable && onProgress(e.loaded, e.total);
    xhr.onload = () => {
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
