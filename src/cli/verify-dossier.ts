/**
 * `lexwatch verify-dossier FILE.zip`: checks a dossier package on its own (no server, no
 * database): every file against the BagIt manifests, dossier.json against the JSON Schema,
 * cited source hashes and the audit chain. Prints one line per failure, naming the file.
 * Exit codes: 0 verified, 1 verification failed, 2 usage.
 */
import fs from 'node:fs';
import type { CliIO } from './main';

export const VERIFY_USAGE = `Usage: lexwatch verify-dossier FILE.zip

Verifies a Lexwatch dossier package: SHA-256 of every file (BagIt manifest-sha256.txt and
tagmanifest-sha256.txt), no unlisted files, dossier.json against schemas/dossier.schema.json,
each cited source hash against the original in the package, and the audit chain segment.
A signed package (signing-key.pem, tagmanifest-sha256.txt.sig) must carry a valid Ed25519
signature of its tag manifest; its key's fingerprint is printed, to compare with the sender's.

Exit codes: 0 verified, 1 verification failed (each failure on stderr), 2 usage.
`;

export async function runVerifyDossier(args: string[], io: Pick<CliIO, 'stdout' | 'stderr'>): Promise<number> {
  if (args.includes('-h') || args.includes('--help')) {
    io.stdout.write(VERIFY_USAGE);
    return 0;
  }
  if (args.length !== 1 || args[0]!.startsWith('-')) {
    io.stderr.write(`lexwatch: verify-dossier takes exactly one FILE.zip\n\n${VERIFY_USAGE}`);
    return 2;
  }
  const file = args[0]!;
  if (!fs.existsSync(file) || !fs.statSync(file).isFile()) {
    io.stderr.write(`lexwatch: ${file}: no such file\n`);
    return 2;
  }
  // Loaded here so `lexwatch analyze` does not pay for ajv and yauzl.
  const { verifyDossierZip } = require('../export/dossier/verify') as typeof import('../export/dossier/verify');
  const result = await verifyDossierZip(file);
  if (result.ok) {
    io.stdout.write(`OK ${file}: ${result.filesChecked} files and ${result.auditEventsChecked} audit events verified (bag ${result.root})\n`);
    io.stdout.write(result.signedBy ? `SIGNED Ed25519, key fingerprint SHA-256 ${result.signedBy}\n` : 'UNSIGNED (the hashes show the files are intact, not who made them)\n');
    return 0;
  }
  for (const failure of result.failures) io.stderr.write(`FAIL ${failure}\n`);
  io.stdout.write(`FAILED ${file}: ${result.failures.length} problem(s); ${result.filesChecked} files matched their hashes\n`);
  return 1;
}
