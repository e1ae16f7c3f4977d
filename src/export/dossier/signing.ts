/**
 * Optional Ed25519 signing of a package by the organisation: the signature is over the exact
 * bytes of tagmanifest-sha256.txt, which lists the hash of manifest-sha256.txt (and so of every
 * payload file), bag-info.txt, verify.html and the public key. The public key travels in the
 * package; whoever receives it compares the key's fingerprint with the one the organisation
 * publishes. Standard tools can check it too: `openssl pkeyutl -verify -pubin -inkey
 * signing-key.pem -rawin -in tagmanifest-sha256.txt -sigfile tagmanifest-sha256.txt.sig`.
 */
import { readFileSync } from 'node:fs';
import { createHash, createPrivateKey, createPublicKey, generateKeyPairSync, sign, verify } from 'node:crypto';

/** The raw 64-byte signature, beside the tag manifest it signs (not listed in it). */
export const SIGNATURE_FILE = 'tagmanifest-sha256.txt.sig';
/** The public key (SPKI PEM), listed in the tag manifest. */
export const SIGNING_KEY_FILE = 'signing-key.pem';

export interface KeyPair {
  privatePem: string;
  publicPem: string;
}

export function createSigningKeyPair(): KeyPair {
  const { privateKey, publicKey } = generateKeyPairSync('ed25519');
  return {
    privatePem: privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
    publicPem: publicKey.export({ type: 'spki', format: 'pem' }).toString(),
  };
}

/** The public key of a private key (PKCS#8 PEM); throws if it is not an Ed25519 key. */
export function publicKeyOf(privatePem: string): string {
  const key = createPrivateKey(privatePem);
  if (key.asymmetricKeyType !== 'ed25519') throw new Error(`the signing key is ${key.asymmetricKeyType ?? 'not an asymmetric key'}, not Ed25519`);
  return createPublicKey(key).export({ type: 'spki', format: 'pem' }).toString();
}

export function signBytes(data: Buffer, privatePem: string): Buffer {
  return sign(null, data, createPrivateKey(privatePem));
}

export function verifyBytes(data: Buffer, signature: Buffer, publicPem: string): boolean {
  const key = createPublicKey(publicPem);
  if (key.asymmetricKeyType !== 'ed25519') return false;
  return verify(null, data, key, signature);
}

/** SHA-256 of the key's DER encoding, in hex: what a recipient compares. */
export function keyFingerprint(publicPem: string): string {
  return createHash('sha256').update(createPublicKey(publicPem).export({ type: 'spki', format: 'der' })).digest('hex');
}

/** The signing key named by DOSSIER_SIGNING_KEY, checked at start-up so a bad key fails early. */
export function readSigningKey(file: string | undefined): string | undefined {
  if (!file) return undefined;
  let pem: string;
  try {
    pem = readFileSync(file, 'utf8');
  } catch (err) {
    throw new Error(`DOSSIER_SIGNING_KEY: cannot read ${file} (${(err as NodeJS.ErrnoException).code ?? (err as Error).message})`);
  }
  try {
    publicKeyOf(pem);
  } catch (err) {
    throw new Error(`DOSSIER_SIGNING_KEY: ${file} is not an Ed25519 private key in PEM (${(err as Error).message}); make one with \`lexwatch keys create\``);
  }
  return pem;
}
