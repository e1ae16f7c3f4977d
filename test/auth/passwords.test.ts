/**
 * The password rules beyond length (NIST SP 800-63B): the shipped list of the 100,000 most
 * common passwords is the one its README names, and the rules refuse what they say they refuse.
 */
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { COMMON_PASSWORDS_FILE, passwordProblem } from '../../src/auth/passwords';

it('ships the list its README names, unchanged, with its license beside it', () => {
  const bytes = fs.readFileSync(COMMON_PASSWORDS_FILE);
  const readme = fs.readFileSync(path.join(path.dirname(COMMON_PASSWORDS_FILE), 'README.md'), 'utf8');
  expect(readme).toContain(createHash('sha256').update(bytes).digest('hex'));
  expect(bytes.toString('utf8').split('\n').filter(Boolean)).toHaveLength(100_000);
  expect(fs.readFileSync(path.join(path.dirname(COMMON_PASSWORDS_FILE), 'LICENSE'), 'utf8')).toMatch(/^MIT License$/m);
});

it('refuses common passwords in any case, the username inside, and one short sequence repeated', () => {
  expect(passwordProblem('aaaaaaaaaaaa', 'someone')).toMatch(/100,000 most common/);
  expect(passwordProblem('1qaz2wsx3edc', 'someone')).toMatch(/100,000 most common/);
  expect(passwordProblem('PasswordPassword', 'someone')).toMatch(/100,000 most common/);
  expect(passwordProblem('notes of Tarvani.Reader 2026', 'tarvani.reader')).toBe('must not contain the username');
  expect(passwordProblem('aaaaaaaaaaaaa', 'someone')).toMatch(/repeated/); // 13 × a: not on the list, still refused
  expect(passwordProblem('0123012301230123', 'someone')).toMatch(/repeated/);
  // No composition rules: length and rarity are what count.
  expect(passwordProblem('correct horse battery staple', 'someone')).toBeNull();
  expect(passwordProblem('мерениты живут у реки', 'someone')).toBeNull();
  expect(passwordProblem('abcdabcdabcdX', 'someone')).toBeNull();
});
