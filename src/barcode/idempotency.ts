/**
 * Safe retries of the writing barcode endpoints (link, unlink, po-receive, po-allocate,
 * so-allocate) with an `Idempotency-Key` header (standards.md §3 item 5).
 *
 * - Keys belong to a user: two users may use the same key.
 * - A request that completed (2xx) is recorded with its status and body, in the same
 *   transaction as its action (D16). A repeat with the same key and the same request (method,
 *   path with query, body) gets that answer again with `Idempotency-Replayed: true`, and
 *   nothing is done again; the same key with a different request is refused with 409
 *   `{"detail": "Idempotency-Key reused with a different request"}`.
 * - Two concurrent requests with one key act once: the record is inserted first thing in the
 *   action's transaction and the key is unique per user, so the second insert waits for the
 *   first transaction (PostgreSQL) or runs after it (SQLite), finds the key taken, rolls its
 *   own transaction back and replays the first answer.
 * - A refused request (4xx) leaves no record: nothing was done, so it may be retried with the
 *   same key.
 * - Records are kept for 24 hours.
 */
import { createHash } from 'node:crypto';
import { Type } from '@sinclair/typebox';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Executor } from '../db/transaction.js';
import { ApiError } from '../http/errors.js';
import { nowIso } from '../util/time.js';

export const IDEMPOTENCY_HEADER = 'idempotency-key';
export const REPLAYED_HEADER = 'Idempotency-Replayed';
export const KEEP_MS = 24 * 60 * 60 * 1000;
export const REUSED = { detail: 'Idempotency-Key reused with a different request' } as const;

/** The header, for the OpenAPI document of the endpoints that accept it. */
export const IdempotencyHeaders = Type.Object({
  'Idempotency-Key': Type.Optional(
    Type.String({
      minLength: 1,
      maxLength: 255,
      description:
        'Makes retries safe: a repeat with the same key and request replays the first answer (header Idempotency-Replayed: true) without acting again; the same key with a different request answers 409. Per user, kept 24 hours.',
    }),
  ),
});

/** Thrown inside an action's transaction when another request holds the key: roll back and replay. */
export class KeyTaken extends Error {
  constructor() {
    super('Idempotency-Key taken');
  }
}

function canonical(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(canonical);
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(
      Object.keys(value as Record<string, unknown>)
        .sort()
        .map((k) => [k, canonical((value as Record<string, unknown>)[k])]),
    );
  }
  return value;
}

/** What makes two requests "the same": method, path with query, and the body (key order aside). */
export function requestFingerprint(request: FastifyRequest): string {
  return createHash('sha256')
    .update(`${request.method} ${request.url}\n${JSON.stringify(canonical(request.body ?? null)) ?? ''}`)
    .digest('hex');
}

function cutoff(): string {
  return nowIso(new Date(Date.now() - KEEP_MS));
}

interface StoredAnswer {
  status: number;
  body: unknown;
}

export class IdempotencyKey {
  private recordId: number | undefined;

  constructor(
    readonly userId: number,
    readonly key: string,
    readonly fingerprint: string,
  ) {}

  /** The request's key, or undefined without the header. A malformed key is a 400. */
  static of(request: FastifyRequest): IdempotencyKey | undefined {
    const raw = request.headers[IDEMPOTENCY_HEADER];
    if (raw === undefined || request.user === null) return undefined;
    const key = Array.isArray(raw) ? raw[0] : raw;
    if (typeof key !== 'string' || key.trim() === '' || key.length > 255) {
      throw new ApiError(400, { detail: 'Idempotency-Key must be between 1 and 255 characters' });
    }
    return new IdempotencyKey(request.user.id, key, requestFingerprint(request));
  }

  /** The recorded answer of this key (409 when it was recorded for another request). */
  async stored(db: Executor): Promise<StoredAnswer | undefined> {
    const row = await db
      .selectFrom('barcode_idempotency')
      .select(['fingerprint', 'status', 'response', 'created'])
      .where('user_id', '=', this.userId)
      .where('key', '=', this.key)
      .executeTakeFirst();
    if (row === undefined || row.status === 0 || row.created < cutoff()) return undefined;
    if (row.fingerprint !== this.fingerprint) throw new ApiError(409, REUSED);
    return { status: row.status, body: JSON.parse(row.response) as unknown };
  }

  /** Takes the key inside the action's transaction; throws KeyTaken when another request has it. */
  async claim(trx: Executor): Promise<void> {
    await trx.deleteFrom('barcode_idempotency').where('user_id', '=', this.userId).where('key', '=', this.key).where('created', '<', cutoff()).execute();
    const inserted = await trx
      .insertInto('barcode_idempotency')
      .values({ user_id: this.userId, key: this.key, fingerprint: this.fingerprint, status: 0, response: 'null', created: nowIso() })
      .onConflict((oc) => oc.columns(['user_id', 'key']).doNothing())
      .returning('id')
      .executeTakeFirst();
    if (inserted === undefined) throw new KeyTaken();
    this.recordId = inserted.id;
  }

  /** Records the answer, in the transaction that claimed the key. */
  async complete(trx: Executor, status: number, body: unknown): Promise<void> {
    if (this.recordId === undefined) throw new Error('Idempotency-Key completed without a claim');
    await trx.updateTable('barcode_idempotency').set({ status, response: JSON.stringify(body) }).where('id', '=', this.recordId).execute();
  }
}

function replay(reply: FastifyReply, answer: StoredAnswer): FastifyReply {
  return reply.code(answer.status).header(REPLAYED_HEADER, 'true').send(answer.body);
}

/**
 * Runs an endpoint under its Idempotency-Key: replays a recorded answer, else runs `handler`,
 * which claims and completes the key in its transaction (`key` is undefined without a key).
 */
export async function idempotent(request: FastifyRequest, reply: FastifyReply, handler: (key: IdempotencyKey | undefined) => Promise<unknown>): Promise<unknown> {
  const key = IdempotencyKey.of(request);
  if (key === undefined) return handler(undefined);
  const db = request.server.ctx.db;
  await db.deleteFrom('barcode_idempotency').where('created', '<', cutoff()).execute();
  const prior = await key.stored(db);
  if (prior !== undefined) return replay(reply, prior);
  try {
    return await handler(key);
  } catch (error) {
    if (!(error instanceof KeyTaken)) throw error;
    const now = await key.stored(db);
    if (now === undefined) throw new ApiError(409, { detail: 'A request with this Idempotency-Key is still in progress' });
    return replay(reply, now);
  }
}
