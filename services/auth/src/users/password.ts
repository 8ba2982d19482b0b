/**
 * Password hashing: argon2id with the OWASP Password Storage Cheat Sheet's parameters
 * (m = 19 MiB, t = 2, p = 1). Unknown users are checked against a dummy hash with the same
 * parameters, so the answer's timing does not tell which usernames exist (ASVS V6.3).
 */
import { hash, verify, type Algorithm } from '@node-rs/argon2';
import { randomBytes } from 'node:crypto';

const ARGON2ID = 2 as Algorithm;
export const PASSWORD_OPTIONS = {
  algorithm: ARGON2ID,
  memoryCost: 19_456,
  timeCost: 2,
  parallelism: 1,
} as const;

/** Longest password accepted (ASVS V6.2.4 wants ≥ 64 allowed; a bound keeps hashing cheap). */
export const MAX_PASSWORD_LENGTH = 256;
export const MIN_PASSWORD_LENGTH = 8;

export function hashPassword(password: string): Promise<string> {
  return hash(password, PASSWORD_OPTIONS);
}

let dummy: Promise<string> | undefined;
/** A hash of a random password, computed once per process. */
function dummyHash(): Promise<string> {
  dummy ??= hashPassword(randomBytes(24).toString('base64url'));
  return dummy;
}

/**
 * Verifies `password` against `stored`, or against the dummy hash when there is no stored hash
 * (unknown user, no password), so both paths cost one argon2id verification.
 */
export async function checkPassword(stored: string | null | undefined, password: string): Promise<boolean> {
  // An overlong password cannot match (addUser refuses them) but still costs one verification.
  if (!stored || password.length > MAX_PASSWORD_LENGTH) {
    await verify(await dummyHash(), password.slice(0, MAX_PASSWORD_LENGTH)).catch(() => false);
    return false;
  }
  try {
    return await verify(stored, password);
  } catch {
    return false;
  }
}

/** Warms the dummy hash at start-up, so the first unknown-user login is not faster. */
export async function warmDummyHash(): Promise<void> {
  await dummyHash();
}
