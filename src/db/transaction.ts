import { AsyncLocalStorage } from 'node:async_hooks';
import { sql, type Kysely, type Transaction } from 'kysely';
import type { Database } from './connection.js';
import type { DB } from './schema.js';

/** Anything a query can run on: the database itself or an open transaction. */
export type Executor = Kysely<DB> | Transaction<DB>;

const RETRYABLE_PG_CODES = new Set(['40001', '40P01']);
const MAX_ATTEMPTS = 5;

function isRetryable(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' && RETRYABLE_PG_CODES.has(code);
}

/** The transaction open in the current async context, per database. */
const openTransactions = new AsyncLocalStorage<{ database: Database; trx: Transaction<DB> }>();

/**
 * Runs `work` in one transaction (decision D16): every check and write of a multi-row change
 * commits together or not at all. On PostgreSQL a serialization failure or deadlock is retried
 * a few times; on SQLite transactions are serialised by the write lock (BEGIN IMMEDIATE).
 * Called inside another `inTransaction` on the same database, it joins that transaction, so
 * services that each keep their writes atomic compose into one larger atomic change.
 * `work` may run more than once, so it must not have side effects outside the database.
 */
export async function inTransaction<T>(database: Database, work: (trx: Transaction<DB>) => Promise<T>): Promise<T> {
  const open = openTransactions.getStore();
  if (open !== undefined && open.database === database) return work(open.trx);
  for (let attempt = 1; ; attempt++) {
    try {
      return await database.transactionScope(() =>
        database.kysely.transaction().execute((trx) => openTransactions.run({ database, trx }, () => work(trx))),
      );
    } catch (error) {
      if (database.dialect !== 'postgres' || !isRetryable(error) || attempt >= MAX_ATTEMPTS) throw error;
      await new Promise((r) => setTimeout(r, 5 * attempt * Math.random()));
    }
  }
}

/** The transaction `inTransaction` has open on the database `db` in this async context, if any. */
export function openTransactionOf(db: Executor): Transaction<DB> | undefined {
  const open = openTransactions.getStore();
  return open !== undefined && open.database.kysely === db ? open.trx : undefined;
}

/** True when a database error is a unique-constraint violation (on either database). */
export function isUniqueViolation(error: unknown): boolean {
  const e = error as { code?: unknown; message?: unknown } | null;
  if (e === null || typeof e !== 'object') return false;
  if (e.code === '23505') return true;
  return e.code === 'SQLITE_CONSTRAINT_UNIQUE' || e.code === 'SQLITE_CONSTRAINT_PRIMARYKEY';
}

/**
 * Serialises PostgreSQL writers that check a rule no index enforces (e.g. sibling names):
 * a transaction-scoped advisory lock on `key`. SQLite's write lock already serialises them.
 */
export async function lockForCheck(db: Executor, dialect: 'sqlite' | 'postgres', key: string): Promise<void> {
  if (dialect !== 'postgres') return;
  await sql`select pg_advisory_xact_lock(hashtext(${key}))`.execute(db);
}
