import { randomBytes, scrypt as scryptCallback, timingSafeEqual, type ScryptOptions } from 'node:crypto';

/**
 * Password hashing with scrypt (decision D18). Stored form:
 * `scrypt$<log2 N>$<r>$<p>$<salt base64>$<hash base64>`, so the cost can be raised later
 * without breaking existing hashes.
 */
const PREFIX = 'scrypt';
const KEY_LENGTH = 32;

let defaultLogN = 15;

/** Sets the cost of new hashes (2^logN). Tests lower it; production keeps the default. */
export function setPasswordHashCost(logN: number): void {
  if (!Number.isInteger(logN) || logN < 4 || logN > 20) throw new Error('scrypt cost must be 4..20');
  defaultLogN = logN;
}

function scrypt(password: string, salt: Buffer, logN: number, r: number, p: number): Promise<Buffer> {
  const N = 2 ** logN;
  const options: ScryptOptions = { N, r, p, maxmem: 256 * N * r + 1024 * 1024 };
  return new Promise((resolve, reject) => {
    scryptCallback(password.normalize('NFKC'), salt, KEY_LENGTH, options, (err, key) => (err ? reject(err) : resolve(key)));
  });
}

export async function hashPassword(password: string): Promise<string> {
  const salt = randomBytes(16);
  const r = 8;
  const p = 1;
  const key = await scrypt(password, salt, defaultLogN, r, p);
  return [PREFIX, defaultLogN, r, p, salt.toString('base64'), key.toString('base64')].join('$');
}

// A fixed hash to verify against when the user does not exist, so that the answer takes as
// long as for a real user (no user enumeration by timing).
let dummyHash: Promise<string> | undefined;

export async function verifyPassword(password: string, stored: string | undefined): Promise<boolean> {
  const target = stored && stored.startsWith(`${PREFIX}$`) ? stored : await (dummyHash ??= hashPassword(randomBytes(12).toString('hex')));
  const parts = target.split('$');
  if (parts.length !== 6) return false;
  const [, logN, r, p, salt, hash] = parts as [string, string, string, string, string, string];
  const expected = Buffer.from(hash, 'base64');
  const actual = await scrypt(password, Buffer.from(salt, 'base64'), Number(logN), Number(r), Number(p));
  const ok = actual.length === expected.length && timingSafeEqual(actual, expected);
  return ok && target === stored;
}

/** A random password for generated accounts: 20 characters, URL-safe. */
export function randomPassword(): string {
  return randomBytes(15).toString('base64url');
}
