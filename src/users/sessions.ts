/**
 * Browser sessions (cookie `sessionid`), each bound to its own CSRF token (cookie
 * `csrftoken`, header `X-CSRFToken`). Only a keyed hash of the session key is stored.
 */
import { randomBytes } from 'node:crypto';
import type { Executor } from '../db/transaction.js';
import type { ServerSecret } from '../secrets.js';
import { nowIso } from '../util/time.js';

export const SESSION_COOKIE = 'sessionid';
export const CSRF_COOKIE = 'csrftoken';
export const SESSION_MAX_AGE_SECONDS = 14 * 24 * 60 * 60;

export interface NewSession {
  key: string;
  csrfToken: string;
}

export async function createSession(db: Executor, secret: ServerSecret, userId: number): Promise<NewSession> {
  const key = randomBytes(32).toString('base64url');
  const csrfToken = randomBytes(24).toString('base64url');
  const now = new Date();
  await db
    .insertInto('session')
    .values({
      key_lookup: secret.lookupHash(key),
      user_id: userId,
      csrf_token: csrfToken,
      created: nowIso(now),
      expires: nowIso(new Date(now.getTime() + SESSION_MAX_AGE_SECONDS * 1000)),
    })
    .execute();
  return { key, csrfToken };
}

export interface SessionRow {
  id: number;
  user_id: number;
  csrf_token: string;
}

export async function findSession(db: Executor, secret: ServerSecret, key: string): Promise<SessionRow | undefined> {
  return db
    .selectFrom('session')
    .select(['id', 'user_id', 'csrf_token'])
    .where('key_lookup', '=', secret.lookupHash(key))
    .where('expires', '>', nowIso())
    .executeTakeFirst();
}

export async function deleteSession(db: Executor, sessionId: number): Promise<void> {
  await db.deleteFrom('session').where('id', '=', sessionId).execute();
}

export async function deleteExpiredSessions(db: Executor): Promise<void> {
  await db.deleteFrom('session').where('expires', '<=', nowIso()).execute();
}
