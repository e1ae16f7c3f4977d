/**
 * File type from the bytes, never from the name or the client's MIME type. Accepted: PDF, plain
 * text (and Markdown), HTML, DOCX (a ZIP whose directory says so, see zip.ts), PNG, JPEG and
 * TIFF; anything else is reported as what it looks like (so the error can say so) or as unknown.
 */
export type AcceptedType = 'pdf' | 'text' | 'html' | 'docx' | 'png' | 'jpeg' | 'tiff';
export type SniffedType = AcceptedType | 'zip' | 'gif' | 'rtf' | null;

export const ACCEPTED_TYPES: readonly AcceptedType[] = ['pdf', 'text', 'html', 'docx', 'png', 'jpeg', 'tiff'];

/**
 * A file that is both PDF and HTML is refused as ambiguous rather than guessed. A browser
 * renders HTML markup wherever it sits, so markup anywhere in the sample (the first 64 KB) makes
 * a PDF a polyglot, not only in its first 1 KB; a PDF whose first 64 KB hold such markup as
 * uncompressed text is refused too (content streams are normally compressed).
 */
export function isPdfHtmlPolyglot(bytes: Buffer): boolean {
  return bytes.subarray(0, PDF_HEADER_WINDOW).indexOf(PDF_MAGIC) !== -1 && HTML_MARKUP.test(bytes.subarray(0, TEXT_SAMPLE).toString('latin1'));
}

/** Markup that makes a browser treat bytes as a page: the document element, a body, a script or a frame. */
const HTML_MARKUP = /<(html|body|script|iframe)[\s>/]|<!doctype\s+html/i;

const PDF_MAGIC = Buffer.from('%PDF-');
/** PDF readers accept the header anywhere in the first 1024 bytes, so must we. */
const PDF_HEADER_WINDOW = 1024;
/** Enough to judge text while staying cheap on 200 MB files. */
const TEXT_SAMPLE = 64 * 1024;

export function sniffType(bytes: Buffer): SniffedType {
  if (bytes.length === 0) return null;
  const head = bytes.subarray(0, PDF_HEADER_WINDOW);
  if (head.indexOf(PDF_MAGIC) !== -1) {
    // A file that is both PDF and HTML is refused as ambiguous rather than guessed (see isPdfHtmlPolyglot).
    return looksLikeHtml(head) || isPdfHtmlPolyglot(bytes) ? 'html' : 'pdf';
  }
  if (startsWith(bytes, [0x89, 0x50, 0x4e, 0x47])) return 'png';
  if (startsWith(bytes, [0xff, 0xd8, 0xff])) return 'jpeg';
  if (startsWith(bytes, [0x49, 0x49, 0x2a, 0x00]) || startsWith(bytes, [0x4d, 0x4d, 0x00, 0x2a])) return 'tiff';
  if (startsWith(bytes, [0x47, 0x49, 0x46, 0x38])) return 'gif';
  if (startsWith(bytes, [0x50, 0x4b, 0x03, 0x04])) return 'zip';
  // RTF is 7-bit text, but its markup is not the text: reading it as plain text would analyse
  // control words and miss every letter it escapes (\'e7, \u601?).
  if (bytes.subarray(0, 5).toString('latin1') === '{\\rtf') return 'rtf';
  if (!isUtf8Text(bytes.subarray(0, TEXT_SAMPLE), bytes.length <= TEXT_SAMPLE)) return null;
  return looksLikeHtml(bytes.subarray(0, 4096)) ? 'html' : 'text';
}

function startsWith(bytes: Buffer, magic: number[]): boolean {
  return magic.every((b, i) => bytes[i] === b);
}

function looksLikeHtml(head: Buffer): boolean {
  const start = head.toString('latin1').replace(/^\uFEFF|^\xEF\xBB\xBF/, '').trimStart().slice(0, 512).toLowerCase();
  return /^(<!doctype html|<html[\s>]|<head[\s>]|<body[\s>])/.test(start) || /<html[\s>]/.test(head.toString('latin1').toLowerCase());
}

/** UTF-8 without NULs and with few control characters. `complete`: the sample is the whole file. */
function isUtf8Text(sample: Buffer, complete: boolean): boolean {
  let body = sample;
  // A multi-byte character may be cut at the sample's end; drop up to 3 trailing bytes.
  if (!complete) {
    let cut = body.length;
    for (let i = 1; i <= 3 && cut - i >= 0; i++) {
      const b = body[cut - i]!;
      if ((b & 0xc0) === 0x80) continue;
      if (b >= 0xc0) cut -= i;
      break;
    }
    body = body.subarray(0, cut);
  }
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(body);
  } catch {
    return false;
  }
  let control = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 0) return false;
    if (c < 0x20 && c !== 0x09 && c !== 0x0a && c !== 0x0d && c !== 0x0c) control++;
  }
  return control <= text.length / 100;
}

/** MIME type we record for an accepted type. */
export const MIME_OF: Record<AcceptedType, string> = {
  pdf: 'application/pdf',
  text: 'text/plain; charset=utf-8',
  html: 'text/html; charset=utf-8',
  docx: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
  png: 'image/png',
  jpeg: 'image/jpeg',
  tiff: 'image/tiff',
};

/**
 * What the client said (MIME type, file extension) must not contradict the bytes. Generic
 * declarations (application/octet-stream, no extension) contradict nothing.
 */
export function declaredTypeConflicts(actual: SniffedType, declaredMime: string | undefined, filename: string | undefined): string | null {
  const mime = (declaredMime ?? '').toLowerCase().split(';')[0]!.trim();
  const ext = (filename ?? '').toLowerCase().match(/\.([a-z0-9]{1,8})$/)?.[1];
  const mimeSays: SniffedType | undefined = MIME_SAYS[mime];
  const extSays: SniffedType | undefined = ext ? EXT_SAYS[ext] : undefined;
  if (mimeSays && mimeSays !== actual) return `declared as ${mime} but the content is ${describe(actual)}`;
  if (extSays && extSays !== actual) return `named .${ext} but the content is ${describe(actual)}`;
  return null;
}

const MIME_SAYS: Record<string, SniffedType> = {
  'application/pdf': 'pdf',
  'text/plain': 'text',
  'text/markdown': 'text',
  'text/html': 'html',
  'application/xhtml+xml': 'html',
  'application/vnd.openxmlformats-officedocument.wordprocessingml.document': 'docx',
  'image/png': 'png',
  'image/jpeg': 'jpeg',
  'image/tiff': 'tiff',
};
const EXT_SAYS: Record<string, SniffedType> = {
  pdf: 'pdf',
  txt: 'text',
  md: 'text',
  markdown: 'text',
  html: 'html',
  htm: 'html',
  docx: 'docx',
  png: 'png',
  jpg: 'jpeg',
  jpeg: 'jpeg',
  tif: 'tiff',
  tiff: 'tiff',
  rtf: 'rtf',
};

export function describe(type: SniffedType): string {
  if (type === 'rtf') return 'RTF (Rich Text Format; save it as DOCX, PDF or plain text)';
  return type === null ? 'of an unknown type' : type === 'text' ? 'plain text' : type.toUpperCase();
}
