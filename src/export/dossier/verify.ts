/**
 * Verifies a dossier package without trusting it: every payload and tag file against the
 * manifests, no unlisted files, dossier.json against the shipped JSON Schema, every cited
 * source hash against the original in the package, and the audit chain segment.
 * Reports each failure by file name.
 */
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import Ajv2020 from 'ajv/dist/2020';
import yauzl from 'yauzl';
import { eventHash, payloadHash } from '../../audit/log';
import type { AuditEventRecord } from '../../store/audit';
import { decodePath } from './bag';
import { keyFingerprint, SIGNATURE_FILE, SIGNING_KEY_FILE, verifyBytes } from './signing';

export interface VerifyResult {
  ok: boolean;
  root: string | null;
  filesChecked: number;
  auditEventsChecked: number;
  failures: string[];
  /** For a signed package whose signature holds: the SHA-256 fingerprint of its public key. */
  signedBy: string | null;
}

export const DOSSIER_SCHEMA_PATH = path.resolve(__dirname, '..', '..', '..', 'schemas', 'dossier.schema.json');

let validator: ReturnType<Ajv2020['compile']> | null = null;
export function dossierValidator(): ReturnType<Ajv2020['compile']> {
  if (!validator) {
    const ajv = new Ajv2020({ allErrors: true, strict: true });
    validator = ajv.compile(JSON.parse(fs.readFileSync(DOSSIER_SCHEMA_PATH, 'utf8')) as object);
  }
  return validator;
}

export interface ZipEntryInfo {
  sha256: string;
  size: number;
  /** The bytes, for the entries asked to be kept. */
  data?: Buffer;
}

/** Kept entries (manifests, dossier.json, audit events) are read into memory up to this size. */
const MAX_KEPT_BYTES = 256 * 1024 * 1024;

/**
 * Hashes every entry of a ZIP while streaming it; keeps the bytes only of entries `keep` selects,
 * so verifying a package with large originals does not need memory for them.
 */
export async function scanZip(file: string, keep: (name: string) => boolean): Promise<Map<string, ZipEntryInfo>> {
  const zip = await new Promise<yauzl.ZipFile>((resolve, reject) =>
    yauzl.open(file, { lazyEntries: true, strictFileNames: true, validateEntrySizes: true }, (err, z) => (err ? reject(err) : resolve(z))),
  );
  const files = new Map<string, ZipEntryInfo>();
  try {
    await new Promise<void>((resolve, reject) => {
      zip.on('error', reject);
      zip.on('end', resolve);
      zip.on('entry', (entry: yauzl.Entry) => {
        if (entry.fileName.endsWith('/')) return zip.readEntry();
        const kept = keep(entry.fileName);
        if (kept && entry.uncompressedSize > MAX_KEPT_BYTES) return reject(new Error(`${entry.fileName}: too large`));
        zip.openReadStream(entry, (err, stream) => {
          if (err) return reject(err);
          const hash = createHash('sha256');
          const chunks: Buffer[] = [];
          let size = 0;
          stream.on('data', (c: Buffer) => {
            hash.update(c);
            size += c.length;
            if (kept) chunks.push(c);
          });
          stream.on('error', reject);
          stream.on('end', () => {
            files.set(entry.fileName, { sha256: hash.digest('hex'), size, ...(kept ? { data: Buffer.concat(chunks) } : {}) });
            zip.readEntry();
          });
        });
      });
      zip.readEntry();
    });
  } finally {
    zip.close();
  }
  return files;
}

/** Every entry's bytes (for tools and tests working on small packages). */
export async function readZip(file: string): Promise<Map<string, Buffer>> {
  const entries = await scanZip(file, () => true);
  return new Map([...entries].map(([name, e]) => [name, e.data!]));
}

function parseManifest(text: string, name: string, failures: string[]): Map<string, string> {
  const out = new Map<string, string>();
  text.split('\n').forEach((line, i) => {
    if (!line.trim()) return;
    const m = /^([0-9a-f]{64})[ \t]+(.+)$/.exec(line);
    if (!m) return failures.push(`${name}: line ${i + 1} is not "<sha256>  <path>"`);
    out.set(decodePath(m[2]!), m[1]!);
  });
  return out;
}

export async function verifyDossierZip(file: string): Promise<VerifyResult> {
  const failures: string[] = [];
  const result: VerifyResult = { ok: false, root: null, filesChecked: 0, auditEventsChecked: 0, failures, signedBy: null };
  let entries: Map<string, ZipEntryInfo>;
  try {
    // Only the bag's own text files are read into memory; payload files are hashed as they stream.
    entries = await scanZip(file, (name) => !/\/data\//.test(name) || /\/data\/(dossier\.json|audit-events\.jsonl)$/.test(name));
  } catch (err) {
    failures.push(`${path.basename(file)}: not a readable ZIP (${(err as Error).message})`);
    return result;
  }
  const bagitName = [...entries.keys()].find((n) => /^[^/]+\/bagit\.txt$/.test(n));
  if (!bagitName) {
    failures.push('bagit.txt: missing (expected <folder>/bagit.txt at the top of the ZIP)');
    return result;
  }
  const root = bagitName.slice(0, -'bagit.txt'.length);
  result.root = root.slice(0, -1);
  const bag = new Map<string, ZipEntryInfo>();
  for (const [name, data] of entries) {
    if (!name.startsWith(root)) failures.push(`${name}: outside the bag folder ${result.root}/`);
    else bag.set(name.slice(root.length), data);
  }
  if (!/^BagIt-Version: 1\.0\r?\n/.test(bag.get('bagit.txt')!.data!.toString('utf8'))) failures.push('bagit.txt: not a BagIt 1.0 declaration');

  const checkManifest = (name: string, scope: (p: string) => boolean): void => {
    const manifest = bag.get(name)?.data;
    if (!manifest) return void failures.push(`${name}: missing`);
    const listed = parseManifest(manifest.toString('utf8'), name, failures);
    for (const [p, expected] of listed) {
      const content = bag.get(p);
      if (!content) failures.push(`${p}: listed in ${name} but missing from the package`);
      else if (content.sha256 !== expected) failures.push(`${p}: SHA-256 mismatch (${name} says ${expected}, file has ${content.sha256})`);
      else result.filesChecked++;
    }
    for (const p of bag.keys()) if (scope(p) && !listed.has(p)) failures.push(`${p}: not listed in ${name}`);
  };
  checkManifest('manifest-sha256.txt', (p) => p.startsWith('data/'));
  checkManifest('tagmanifest-sha256.txt', (p) => !p.startsWith('data/') && p !== 'tagmanifest-sha256.txt' && p !== SIGNATURE_FILE);
  checkSignature(bag, result);

  const json = bag.get('data/dossier.json')?.data;
  if (!json) failures.push('data/dossier.json: missing');
  else {
    let dossier: { sources?: Array<{ sha256: string; file: string; capture?: { warc: { sha256: string; file: string } | null } | null }>; items?: Array<{ itemId: string; sourceSha256: string; crop?: { file: string } | null }> } | null = null;
    try {
      dossier = JSON.parse(json.toString('utf8'));
    } catch {
      failures.push('data/dossier.json: not valid JSON');
    }
    if (dossier) {
      const validate = dossierValidator();
      if (!validate(dossier)) {
        for (const e of validate.errors ?? []) failures.push(`data/dossier.json: schema: ${e.instancePath || '/'} ${e.message ?? ''}`);
      }
      const cited = new Set<string>();
      for (const s of dossier.sources ?? []) {
        const content = bag.get(s.file);
        if (!content) failures.push(`${s.file}: original of source ${s.sha256} missing`);
        else if (content.sha256 !== s.sha256) failures.push(`${s.file}: original does not hash to the cited SHA-256 ${s.sha256}`);
        cited.add(s.sha256);
        // A captured page's web archive is evidence too: it must be there, byte for byte.
        const warc = s.capture?.warc;
        if (warc) {
          const held = bag.get(warc.file);
          if (!held) failures.push(`${warc.file}: web archive of source ${s.sha256} missing`);
          else if (held.sha256 !== warc.sha256) failures.push(`${warc.file}: web archive does not hash to the cited SHA-256 ${warc.sha256}`);
        }
      }
      for (const item of dossier.items ?? []) {
        if (!cited.has(item.sourceSha256)) failures.push(`data/dossier.json: item ${item.itemId} cites source ${item.sourceSha256}, which is not in the package`);
        if (item.crop && !bag.has(item.crop.file)) failures.push(`${item.crop.file}: page image of item ${item.itemId} missing`);
      }
    }
  }

  const audit = bag.get('data/audit-events.jsonl')?.data;
  if (!audit) failures.push('data/audit-events.jsonl: missing');
  else {
    let previous: { seq: number; hash: string } | null = null;
    audit.toString('utf8').split('\n').forEach((line, i) => {
      if (!line.trim()) return;
      let event: AuditEventRecord;
      try {
        event = JSON.parse(line) as AuditEventRecord;
        if (!event || typeof event !== 'object' || !event.entity || typeof event.prevHash !== 'string') throw new Error('not an event');
      } catch {
        return void failures.push(`data/audit-events.jsonl: line ${i + 1} is not an audit event in JSON`);
      }
      result.auditEventsChecked++;
      const seq = Number(event.seq);
      // A redacted event (reviewer protection) carries its hashes without its content: only its
      // place in the chain can be checked here; the organisation can disclose it against its hash.
      if ((event as { redacted?: unknown }).redacted === true) {
        if (!/^[0-9a-f]{64}$/.test(String(event.hash))) failures.push(`data/audit-events.jsonl: event seq ${seq} (line ${i + 1}): redacted without its hash`);
      } else {
        // The same rule the audit log hashes with; `at` is an ISO string here, as canonical JSON writes a Date.
        if (payloadHash(event.change, event.reason ?? null) !== event.payloadSha256) {
          failures.push(`data/audit-events.jsonl: event seq ${seq} (line ${i + 1}): change/reason do not match its payloadSha256`);
        }
        if (eventHash(event) !== event.hash) failures.push(`data/audit-events.jsonl: event seq ${seq} (line ${i + 1}): hash does not match its content`);
      }
      if (previous && seq <= previous.seq) failures.push(`data/audit-events.jsonl: event seq ${seq} (line ${i + 1}) is out of order`);
      // The segment holds only events touching exported items; links are checkable where seqs are adjacent.
      if (previous && seq === previous.seq + 1 && event.prevHash !== previous.hash) {
        failures.push(`data/audit-events.jsonl: event seq ${seq} (line ${i + 1}): prevHash does not match the hash of event ${previous.seq}`);
      }
      previous = { seq, hash: String(event.hash) };
    });
  }
  result.ok = failures.length === 0;
  return result;
}

/** A signed package: the Ed25519 signature over tagmanifest-sha256.txt, with the key inside. */
function checkSignature(bag: Map<string, ZipEntryInfo>, result: VerifyResult): void {
  const signature = bag.get(SIGNATURE_FILE)?.data;
  const key = bag.get(SIGNING_KEY_FILE)?.data;
  const tagManifest = bag.get('tagmanifest-sha256.txt')?.data;
  if (!signature && !key) return;
  if (!signature) return void result.failures.push(`${SIGNATURE_FILE}: missing (the package carries a signing key but no signature)`);
  if (!key) return void result.failures.push(`${SIGNING_KEY_FILE}: missing (the package carries a signature but no key)`);
  if (!tagManifest) return;
  let good = false;
  try {
    good = verifyBytes(tagManifest, signature, key.toString('utf8'));
  } catch (err) {
    return void result.failures.push(`${SIGNING_KEY_FILE}: not an Ed25519 public key in PEM (${(err as Error).message})`);
  }
  if (!good) return void result.failures.push(`${SIGNATURE_FILE}: the Ed25519 signature does not match tagmanifest-sha256.txt`);
  result.signedBy = keyFingerprint(key.toString('utf8'));
}
