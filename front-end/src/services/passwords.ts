import { randomBytes } from 'node:crypto';
import { Errors, withField } from '@barback/messaging';
import { ZxcvbnFactory } from '@zxcvbn-ts/core';
import { adjacencyGraphs, dictionary } from '@zxcvbn-ts/language-common';
import argon2 from 'argon2';
import pLimit from 'p-limit';

/** OWASP's argon2id baseline (19 MiB, 2 passes): about 20 ms here, and memory × concurrency stays bounded. */
const OPTIONS = { type: argon2.argon2id, memoryCost: 19_456, timeCost: 2, parallelism: 1 } as const;

/**
 * The one rule for a password someone chooses (register, a new account's
 * initial password, a change): the API's `Password` schema is built from
 * these limits and the pages check them with `passwordProblem`.
 */
export const PASSWORD_MIN_LENGTH = 10;
export const PASSWORD_MAX_LENGTH = 200;

/**
 * zxcvbn with its common-password, name and word lists (@zxcvbn-ts/language-common,
 * about 30,000 passwords people really chose). Built once: loading the lists takes ~70 ms.
 */
let estimator: ZxcvbnFactory | undefined;
function guessability(value: string, userInputs: string[]): number {
  estimator ??= new ZxcvbnFactory({ dictionary, graphs: adjacencyGraphs });
  // The first 32 characters decide: no common password is longer, and zxcvbn runs on the event loop in a time
  // that grows with the length (a 64-character run of one digit took 190 ms, 32 about 50).
  return estimator.check(Array.from(value).slice(0, 32).join(''), userInputs).score;
}

/**
 * Below this zxcvbn score a password is refused: 0 and 1 mean it falls
 * within about a million guesses ("password12", ten spaces, a keyboard
 * row, a common word with a digit), which an attacker's list tries first.
 */
const MIN_SCORE = 2;

/** Who the password is for: it may not be their email or name, nor be guessable from them. */
export interface PasswordOwner {
  email?: string | undefined;
  name?: string | undefined;
}

const same = (a: string, b: string | undefined) => b !== undefined && b.trim() !== '' && a.trim().toLowerCase() === b.trim().toLowerCase();

/**
 * What is wrong with a chosen password, as the sentence shown beside its
 * field (`what` names it: "The new password"), or null when it is fine.
 * Lengths count characters (code points) as the API's schema validator does,
 * so a password the page accepts is never refused by the API, and back. With
 * `owner`, the password may not be their email or name, and it must not be
 * common (on zxcvbn's lists, or guessable from the owner's own details).
 */
export function passwordProblem(value: string, what = 'The password', owner?: PasswordOwner): string | null {
  const length = Array.from(value).length;
  if (length < PASSWORD_MIN_LENGTH) return `${what} must be at least ${PASSWORD_MIN_LENGTH} characters.`;
  if (length > PASSWORD_MAX_LENGTH) return `${what} must be at most ${PASSWORD_MAX_LENGTH} characters.`;
  if (!owner) return null;
  if (same(value, owner.email)) return `${what} must not be the account's email address.`;
  if (same(value, owner.name)) return `${what} must not be the account's name.`;
  // The details whole and in their parts ("Mary Byrne", "mary", "byrne", "marybyrne", the email's local part…).
  const local = owner.email?.split('@')[0] ?? '';
  const name = owner.name ?? '';
  const parts = [...name.split(/\s+/), ...local.split(/[^\p{L}\p{N}]+/u)];
  const inputs = [owner.email ?? '', name, local, name.replace(/\s+/g, ''), ...parts].filter((v) => v.trim().length > 1);
  if (guessability(value, inputs) < MIN_SCORE) {
    return `${what} is too common or too easy to guess: use a few unrelated words, or a longer phrase.`;
  }
  return null;
}

/**
 * The whole rule for a password someone chooses, where the API and the
 * pages both pass (register, a new account's initial password, a change):
 * a 400 naming `field` when passwordProblem finds anything. Checked before
 * the password is hashed, so a refused one costs no argon2 work.
 */
export function checkChosenPassword(value: string, owner: PasswordOwner, field: string, what = 'The password'): void {
  const problem = passwordProblem(value, what, owner);
  if (problem) throw withField(new Errors.validation(problem), field);
}

export interface Passwords {
  hash(plain: string): Promise<string>;
  /** Verifies against the stored hash, or against a decoy when there is none, so both take the same time. */
  verify(hash: string | null, plain: string): Promise<boolean>;
}

export async function createPasswords(maxConcurrency: number): Promise<Passwords> {
  // A login storm must not multiply argon2's memory without bound: extra hashes wait their turn.
  const limit = pLimit(maxConcurrency);
  const decoy = await argon2.hash(randomBytes(32).toString('hex'), OPTIONS);
  return {
    hash: (plain) => limit(() => argon2.hash(plain, OPTIONS)),
    verify: (hash, plain) =>
      limit(async () => {
        try {
          const ok = await argon2.verify(hash ?? decoy, plain);
          return ok && hash !== null;
        } catch {
          return false;
        }
      }),
  };
}
