/**
 * The package: a ZIP in BagIt layout (RFC 8493) under one top-level folder, with
 * manifest-sha256.txt over every payload file and tagmanifest-sha256.txt over the tag files.
 * (The audit events inside are hashed by the audit log's own rule: src/audit/log.ts.)
 */
import fs from 'node:fs';
import yazl from 'yazl';
import { sha256 } from '../../hash';
import { publicKeyOf, SIGNATURE_FILE, SIGNING_KEY_FILE, signBytes } from './signing';
import { verifyPageHtml } from './verify-page';

export type BagFile =
  /** `path` is relative to the bag root, e.g. data/dossier.pdf. */
  | { path: string; data: Buffer }
  /** A file on disk, streamed into the ZIP; its SHA-256 and size were taken beforehand. */
  | { path: string; file: string; sha256: string; size: number };

const hashOf = (f: BagFile): string => ('data' in f ? sha256(f.data) : f.sha256);
const sizeOf = (f: BagFile): number => ('data' in f ? f.data.length : f.size);

/** BagIt escapes CR, LF and % in manifest paths (RFC 8493 §2.1.3). */
const encodePath = (p: string): string => p.replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A');
export const decodePath = (p: string): string => p.replace(/%0A/gi, '\n').replace(/%0D/gi, '\r').replace(/%25/g, '%');

export function manifestOf(files: BagFile[]): string {
  return files.map((f) => `${hashOf(f)}  ${encodePath(f.path)}\n`).join('');
}

/**
 * Writes the bag as a ZIP to `outPath`; all files live under `<root>/`. Returns the ZIP's size.
 * Tag files: the BagIt ones, verify.html (checks the bag in a browser) and, with a signing key,
 * the public key (listed) and the Ed25519 signature of the tag manifest (not listed: it signs it).
 */
export async function writeBagZip(outPath: string, root: string, payload: BagFile[], info: Record<string, string>, signingKeyPem?: string): Promise<number> {
  for (const f of payload) if (!f.path.startsWith('data/')) throw new Error(`payload outside data/: ${f.path}`);
  const octets = payload.reduce((n, f) => n + sizeOf(f), 0);
  const tags: BagFile[] = [
    { path: 'bagit.txt', data: Buffer.from('BagIt-Version: 1.0\nTag-File-Character-Encoding: UTF-8\n') },
    {
      path: 'bag-info.txt',
      data: Buffer.from(
        Object.entries({ ...info, 'Bagging-Date': new Date().toISOString().slice(0, 10), 'Payload-Oxum': `${octets}.${payload.length}` })
          .map(([k, v]) => `${k}: ${v.replace(/\s*\n\s*/g, ' ')}\n`)
          .join(''),
      ),
    },
    { path: 'manifest-sha256.txt', data: Buffer.from(manifestOf(payload)) },
    { path: 'verify.html', data: Buffer.from(verifyPageHtml()) },
  ];
  if (signingKeyPem) tags.push({ path: SIGNING_KEY_FILE, data: Buffer.from(publicKeyOf(signingKeyPem)) });
  const tagManifest = Buffer.from(manifestOf(tags));
  tags.push({ path: 'tagmanifest-sha256.txt', data: tagManifest });
  if (signingKeyPem) tags.push({ path: SIGNATURE_FILE, data: signBytes(tagManifest, signingKeyPem) });
  const zip = new yazl.ZipFile();
  const mtime = new Date();
  for (const f of [...tags, ...payload]) {
    const options = { mtime, compress: !/\.(png|pdf)$/.test(f.path) };
    if ('data' in f) zip.addBuffer(f.data, `${root}/${f.path}`, options);
    else zip.addFile(f.file, `${root}/${f.path}`, options);
  }
  zip.end();
  const tmp = `${outPath}.part`;
  try {
    await new Promise<void>((resolve, reject) => {
      const out = fs.createWriteStream(tmp, { mode: 0o600 });
      zip.outputStream.on('error', reject).pipe(out).on('finish', resolve).on('error', reject);
    });
  } catch (error) {
    fs.rmSync(tmp, { force: true });
    throw error;
  }
  fs.renameSync(tmp, outPath);
  return fs.statSync(outPath).size;
}
