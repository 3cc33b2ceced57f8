import { randomBytes } from 'node:crypto';
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
 * What is wrong with a chosen password, as the sentence shown beside its
 * field (`what` names it: "The new password"), or null when it is fine.
 * Lengths count characters (code points) as the API's schema validator does,
 * so a password the page accepts is never refused by the API, and back.
 */
export function passwordProblem(value: string, what = 'The password'): string | null {
  const length = Array.from(value).length;
  if (length < PASSWORD_MIN_LENGTH) return `${what} must be at least ${PASSWORD_MIN_LENGTH} characters.`;
  if (length > PASSWORD_MAX_LENGTH) return `${what} must be at most ${PASSWORD_MAX_LENGTH} characters.`;
  return null;
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
