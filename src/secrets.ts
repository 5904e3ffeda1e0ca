import { createCipheriv, createDecipheriv, createHmac, hkdfSync, randomBytes, timingSafeEqual } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/**
 * The server secret (decision D18). API tokens and session keys are stored only as keyed
 * hashes (for look-up) and AES-256-GCM ciphertext (so that "same name, same token" can hand
 * the token back), both under keys derived from this secret. A copy of the database alone
 * therefore grants nothing.
 */
export class ServerSecret {
  private readonly lookupKey: Buffer;
  private readonly encryptionKey: Buffer;

  constructor(secret: string) {
    if (secret.length < 16) throw new Error('the server secret must be at least 16 characters long');
    const ikm = Buffer.from(secret, 'utf8');
    this.lookupKey = Buffer.from(hkdfSync('sha256', ikm, 'stockscan', 'lookup-hmac', 32));
    this.encryptionKey = Buffer.from(hkdfSync('sha256', ikm, 'stockscan', 'token-encryption', 32));
  }

  /** Keyed hash used as the database look-up value for a secret (hex, 64 characters). */
  lookupHash(value: string): string {
    return createHmac('sha256', this.lookupKey).update(value, 'utf8').digest('hex');
  }

  encrypt(plain: string): string {
    const iv = randomBytes(12);
    const cipher = createCipheriv('aes-256-gcm', this.encryptionKey, iv);
    const body = Buffer.concat([cipher.update(plain, 'utf8'), cipher.final()]);
    return Buffer.concat([iv, cipher.getAuthTag(), body]).toString('base64url');
  }

  decrypt(encoded: string): string {
    const raw = Buffer.from(encoded, 'base64url');
    const decipher = createDecipheriv('aes-256-gcm', this.encryptionKey, raw.subarray(0, 12));
    decipher.setAuthTag(raw.subarray(12, 28));
    return Buffer.concat([decipher.update(raw.subarray(28)), decipher.final()]).toString('utf8');
  }
}

/** Constant-time comparison of two strings. */
export function safeEqual(a: string, b: string): boolean {
  const ab = Buffer.from(a, 'utf8');
  const bb = Buffer.from(b, 'utf8');
  return ab.length === bb.length && timingSafeEqual(ab, bb);
}

export const SECRET_FILE_NAME = 'secret_key';

/**
 * The secret from STOCKSCAN_SECRET_KEY, or else from `<dataDir>/secret_key`, generated there
 * (mode 0600) on first use. Several processes must share one secret: set the variable, or
 * give them the same data directory.
 */
export function loadServerSecret(configured: string | undefined, dataDir: string): ServerSecret {
  if (configured !== undefined) return new ServerSecret(configured);
  const file = join(dataDir, SECRET_FILE_NAME);
  if (!existsSync(file)) {
    mkdirSync(dataDir, { recursive: true });
    try {
      writeFileSync(file, `${randomBytes(48).toString('base64url')}\n`, { mode: 0o600, flag: 'wx' });
    } catch (e) {
      // Another process created it first: use theirs.
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
    }
    chmodSync(file, 0o600);
  }
  return new ServerSecret(readFileSync(file, 'utf8').trim());
}
