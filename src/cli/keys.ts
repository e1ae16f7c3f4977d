/**
 * `lexwatch keys create [--out DIR] [--name NAME]`: makes the organisation's Ed25519 key pair for
 * signing dossier packages. The private key (PKCS#8 PEM, readable by its owner only) goes to
 * DOSSIER_SIGNING_KEY; the public key and its fingerprint are what the organisation publishes.
 * Exit codes: 0 made, 1 the files exist or cannot be written, 2 usage.
 */
import fs from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import type { CliIO } from './main';

export const KEYS_USAGE = `Usage: lexwatch keys create [--out DIR] [--name NAME]

Makes an Ed25519 key pair for signing dossier packages:
  DIR/NAME.key  the private key (PKCS#8 PEM, mode 0600): set DOSSIER_SIGNING_KEY to its path
  DIR/NAME.pub  the public key (SPKI PEM): publish it, or its fingerprint, where recipients can see it
Defaults: DIR is the current directory, NAME is lexwatch-signing. Existing files are never overwritten.

Exit codes: 0 made, 1 the files exist or cannot be written, 2 usage.
`;

export async function runKeys(args: string[], io: Pick<CliIO, 'stdout' | 'stderr'>): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs({ args, allowPositionals: true, strict: true, options: { out: { type: 'string' }, name: { type: 'string' }, help: { type: 'boolean', short: 'h' } } });
  } catch (err) {
    io.stderr.write(`lexwatch: ${(err as Error).message}\n\n${KEYS_USAGE}`);
    return 2;
  }
  if (parsed.values.help) {
    io.stdout.write(KEYS_USAGE);
    return 0;
  }
  const name = parsed.values.name ?? 'lexwatch-signing';
  if (parsed.positionals.length !== 1 || parsed.positionals[0] !== 'create' || !/^[A-Za-z0-9._-]{1,100}$/.test(name) || name.startsWith('.')) {
    io.stderr.write(`lexwatch: keys takes "create" and a plain --name (letters, digits, . _ -)\n\n${KEYS_USAGE}`);
    return 2;
  }
  const { createSigningKeyPair, keyFingerprint } = require('../export/dossier/signing') as typeof import('../export/dossier/signing');
  const dir = path.resolve(parsed.values.out ?? '.');
  const privateFile = path.join(dir, `${name}.key`);
  const publicFile = path.join(dir, `${name}.pub`);
  const pair = createSigningKeyPair();
  try {
    fs.mkdirSync(dir, { recursive: true });
    // 'wx': never overwrite a key someone may still depend on.
    fs.writeFileSync(privateFile, pair.privatePem, { mode: 0o600, flag: 'wx' });
    fs.writeFileSync(publicFile, pair.publicPem, { mode: 0o644, flag: 'wx' });
  } catch (err) {
    io.stderr.write(`lexwatch: cannot write the key pair: ${(err as Error).message}\n`);
    return 1;
  }
  io.stdout.write(`private key: ${privateFile}\npublic key:  ${publicFile}\nfingerprint: SHA-256 ${keyFingerprint(pair.publicPem)}\nSet DOSSIER_SIGNING_KEY=${privateFile} to sign dossier packages.\n`);
  return 0;
}
