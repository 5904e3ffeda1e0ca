/**
 * The data generation (migration 0005): a value that triggers replace (with a random one) in
 * the same transaction as any write to data the in-process caches hold. A cache tags what it
 * loads with the generation read *before* loading it and uses it only while a fresh read
 * still returns that generation; a write committed by any process (another server, the CLI,
 * plain SQL) therefore reaches the very next request.
 *
 * "Fresh" means: the read started after the caller asked. On SQLite the read is synchronous
 * (a few microseconds). It may see the new value of a transaction another request has open
 * on the one connection; that is harmless: whatever is then loaded waits for the connection,
 * so for a commit it is the new data, and after a rollback the value never comes back. On
 * PostgreSQL concurrent callers share reads (a caller joins the next read to start, never one
 * already running), so under load one small indexed query serves many requests.
 */
import { AsyncResource } from 'node:async_hooks';
import type { CompiledQuery, Kysely } from 'kysely';
import type { Database } from './connection.js';
import type { DB } from './schema.js';
import { openTransactionOf, type Executor } from './transaction.js';

/** Reads run outside the caller's async context, so never on a transaction's connection. */
const detached = new AsyncResource('stockscan-data-generation');

export class DataGeneration {
  private readonly query: CompiledQuery<{ value: number }>;
  private readonly db: Kysely<DB>;
  private running: Promise<number> | undefined;
  private waiting: Promise<number> | undefined;

  constructor(private readonly database: Database) {
    this.db = database.kysely;
    this.query = this.db.selectFrom('data_generation').select('value').where('id', '=', 1).compile();
  }

  /**
   * The current generation, read after this call was made. Call it only where `cacheable`
   * holds: inside a transaction on SQLite the read would wait for the transaction's connection.
   */
  current(): Promise<number> {
    if (this.database.readNow !== undefined) {
      try {
        return Promise.resolve(Number(this.database.readNow(this.query)[0]?.value ?? 0));
      } catch (error) {
        return Promise.reject(error);
      }
    }
    if (this.running === undefined) return this.start();
    this.waiting ??= this.running.then(
      () => this.next(),
      () => this.next(),
    );
    return this.waiting;
  }

  private next(): Promise<number> {
    this.waiting = undefined;
    return this.start();
  }

  private start(): Promise<number> {
    const read: Promise<number> = detached.runInAsyncScope(() => this.db.executeQuery(this.query)).then(
      (result) => {
        if (this.running === read) this.running = undefined;
        return Number(result.rows[0]?.value ?? 0);
      },
      (error: unknown) => {
        if (this.running === read) this.running = undefined;
        throw error;
      },
    );
    this.running = read;
    return read;
  }

  /**
   * Whether reads through `db` may use or fill the caches: not inside a transaction, whose
   * own uncommitted writes (and rollbacks) the generation cannot describe.
   */
  cacheable(db: Executor): boolean {
    return !db.isTransaction && openTransactionOf(db) === undefined;
  }
}
