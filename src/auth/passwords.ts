/**
 * Password hashing with scrypt (memory-hard; Node's own crypto, no native dependency).
 * Stored as `scrypt$N$r$p$salt$hash` so the parameters can be raised later without breaking
 * existing hashes. N=2^15, r=8 needs 32 MiB per hash.
 */
import { randomBytes, scrypt, timingSafeEqual, type ScryptOptions } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';

const PARAMS = { N: 1 << 15, r: 8, p: 1 };
const KEY_BYTES = 32;

function scryptAsync(password: string, salt: Buffer, options: ScryptOptions): Promise<Buffer> {
  return new Promise((resolve, reject) =>
    scrypt(password.normalize('NFC'), salt, KEY_BYTES, { ...options, maxmem: 128 * options.N! * options.r! * 2 }, (err, key) => (err ? reject(err) : resolve(key))),
  );
}

export async function hashPassword(password: string): Promise<string> {
  const salt = randomBytes(16);
  const key = await scryptAsync(password, salt, PARAMS);
  return ['scrypt', PARAMS.N, PARAMS.r, PARAMS.p, salt.toString('base64'), key.toString('base64')].join('$');
}

export async function verifyPassword(password: string, stored: string): Promise<boolean> {
  const [scheme, n, r, p, salt, hash] = stored.split('$');
  if (scheme !== 'scrypt' || !salt || !hash) return false;
  const expected = Buffer.from(hash, 'base64');
  const key = await scryptAsync(password, Buffer.from(salt, 'base64'), { N: Number(n), r: Number(r), p: Number(p) });
  return key.length === expected.length && timingSafeEqual(key, expected);
}

/** A hash of a random password, so a login for an unknown user costs as much as a real one. */
let dummyHash: Promise<string> | undefined;
export function dummyPasswordHash(): Promise<string> {
  dummyHash ??= hashPassword(randomBytes(16).toString('hex'));
  return dummyHash;
}

export const PASSWORD_MIN_LENGTH = 12;

/** SecLists' 100,000 most common passwords (MIT; see the README beside it). */
// Beside this module: in src/auth, and in dist/auth after `npm run build` (which copies it).
export const COMMON_PASSWORDS_FILE = path.join(__dirname, 'common-passwords', '10-million-password-list-top-100000.txt');

let commonPasswords: Set<string> | undefined;
/** The common passwords that pass the length rule (489 of them), in lower case; read once. */
function longCommonPasswords(): Set<string> {
  commonPasswords ??= new Set(
    fs
      .readFileSync(COMMON_PASSWORDS_FILE, 'utf8')
      .split('\n')
      .map((line) => line.replace(/\r$/, '').normalize('NFC').toLowerCase())
      .filter((line) => line.length >= PASSWORD_MIN_LENGTH),
  );
  return commonPasswords;
}

/**
 * NIST SP 800-63B: beyond the length rule, a password must not be a known common (breached)
 * one nor contain the username; no composition rules. One short sequence repeated ("aaaa…",
 * "abcabc…") is refused too: such a password is as weak as its unit, and a list cannot hold
 * every length of it. Returns what is wrong, or null.
 */
export function passwordProblem(password: string, username: string): string | null {
  const folded = password.normalize('NFC').toLowerCase();
  if (longCommonPasswords().has(folded)) return 'is one of the 100,000 most common passwords; choose another';
  if (username && folded.includes(username.normalize('NFC').toLowerCase())) return 'must not contain the username';
  if (/^(.{1,4})\1+$/su.test(folded)) return 'is one short sequence repeated; choose another';
  return null;
}
