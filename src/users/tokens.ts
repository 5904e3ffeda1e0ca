/**
 * API tokens (core-api.md §3.1–§3.2, decision D18). Keys look like `inv-<40 hex>-<yyyymmdd>`.
 * The database holds only an HMAC of the key (the look-up) and the key encrypted under the
 * server secret, so "same name, same token" can return the existing key.
 */
import { randomBytes } from 'node:crypto';
import type { Executor } from '../db/transaction.js';
import type { ServerSecret } from '../secrets.js';
import { addDays, nowIso, today } from '../util/time.js';
import type { CachedToken } from './auth-cache.js';

export const TOKEN_VALIDITY_DAYS = 365;

export function generateTokenKey(now: Date = new Date()): string {
  return `inv-${randomBytes(20).toString('hex')}-${today(now).replaceAll('-', '')}`;
}

/** InvenTree's token-name sanitising: no HTML, no non-printables, spaces → "-", ≤ 100 chars. */
export function sanitizeTokenName(raw: string): string {
  const noTags = raw.replace(/<[^>]*>/g, '');
  const printable = noTags.replace(/\p{C}/gu, '');
  return [...printable.trim().replace(/\s/g, '-')].slice(0, 100).join('');
}

/** First 8 and last 12 characters of a key, stars in between (the redacted list form). */
export function redactTokenKey(key: string): string {
  if (key.length <= 20) return '*'.repeat(key.length);
  return `${key.slice(0, 8)}${'*'.repeat(key.length - 20)}${key.slice(-12)}`;
}

export interface TokenRow {
  id: number;
  user_id: number;
  name: string;
  key_encrypted: string;
  created: string;
  expiry: string;
  last_seen: string | null;
  revoked: unknown;
  metadata: string;
}

export interface IssuedToken {
  id: number;
  key: string;
  name: string;
  expiry: string;
}

export function isTokenActive(row: { revoked: unknown; expiry: string }, on: string = today()): boolean {
  return !row.revoked && row.expiry >= on;
}

export async function createToken(
  db: Executor,
  secret: ServerSecret,
  userId: number,
  name: string,
  options: { expiry?: string; metadata?: Record<string, unknown> } = {},
): Promise<IssuedToken> {
  const now = new Date();
  const key = generateTokenKey(now);
  const expiry = options.expiry ?? addDays(today(now), TOKEN_VALIDITY_DAYS);
  const row = await db
    .insertInto('api_token')
    .values({
      user_id: userId,
      name,
      key_lookup: secret.lookupHash(key),
      key_encrypted: secret.encrypt(key),
      created: nowIso(now),
      expiry,
      revoked: false,
      metadata: JSON.stringify(options.metadata ?? {}),
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return { id: row.id, key, name, expiry };
}

/**
 * The user's active token of this name, or a new one (InvenTree's `GET /api/user/token/`).
 */
export async function getOrCreateToken(
  db: Executor,
  secret: ServerSecret,
  userId: number,
  name: string,
  metadata: Record<string, unknown>,
): Promise<IssuedToken> {
  const existing = await db
    .selectFrom('api_token')
    .select(['id', 'key_encrypted', 'name', 'expiry'])
    .where('user_id', '=', userId)
    .where('name', '=', name)
    .where('revoked', '=', false)
    .where('expiry', '>=', today())
    .orderBy('id', 'desc')
    .executeTakeFirst();
  if (existing !== undefined) {
    return { id: existing.id, key: secret.decrypt(existing.key_encrypted), name: existing.name, expiry: existing.expiry };
  }
  return createToken(db, secret, userId, name, { metadata });
}

/** The token row of a key's look-up hash (`secret.lookupHash(key)`), or undefined. */
export async function findToken(db: Executor, lookup: string): Promise<CachedToken | undefined> {
  const row = await db.selectFrom('api_token').select(['id', 'user_id', 'revoked', 'expiry', 'last_seen']).where('key_lookup', '=', lookup).executeTakeFirst();
  if (row === undefined) return undefined;
  return { tokenId: row.id, userId: row.user_id, revoked: Boolean(row.revoked), expiry: row.expiry, lastSeen: row.last_seen };
}

/** Why a found token is refused on `day`, or undefined when it is valid. */
export function tokenRefusal(token: CachedToken, day: string): 'Token has been revoked' | 'Token has expired' | undefined {
  if (token.revoked) return 'Token has been revoked';
  if (token.expiry < day) return 'Token has expired';
  return undefined;
}

/** Records that a token was used on `day` (written at most once a day per token). */
export async function touchToken(db: Executor, tokenId: number, day: string): Promise<void> {
  await db.updateTable('api_token').set({ last_seen: day }).where('id', '=', tokenId).execute();
}

export async function revokeToken(db: Executor, tokenId: number): Promise<void> {
  await db.updateTable('api_token').set({ revoked: true }).where('id', '=', tokenId).execute();
}
