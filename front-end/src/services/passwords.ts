import { randomBytes } from 'node:crypto';
import argon2 from 'argon2';
import pLimit from 'p-limit';

/** OWASP's argon2id baseline (19 MiB, 2 passes): about 20 ms here, and memory × concurrency stays bounded. */
const OPTIONS = { type: argon2.argon2id, memoryCost: 19_456, timeCost: 2, parallelism: 1 } as const;

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
