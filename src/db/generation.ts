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
 *
 * One read per request: inside a request scope (`openScope` / `within`, entered by the HTTP
 * layer) the first read is shared by the request's later look-ups (token, permissions,
 * settings, plugins) for as long as this process has written nothing to the database since
 * (`Database.writeCount`). A request is concurrent with writes other processes commit while
 * it runs, so it may see the data as it was when it started; its own writes, and those of
 * other requests in this process, make its next look-up read the generation again.
 *
 * Inside a transaction a cache asks for the generation as the transaction sees it (`seenBy`,
 * one read through the transaction, shared the same way): equal to the one a cached value was
 * loaded under, nothing that value came from has changed for the transaction, its own writes
 * included.
 */
import { AsyncLocalStorage, AsyncResource } from 'node:async_hooks';
import type { CompiledQuery, Kysely, Transaction } from 'kysely';
import type { Database } from './connection.js';
import type { DB } from './schema.js';
import { nameStatement } from './statement-names.js';
import { openTransactionOf, type Executor } from './transaction.js';

/** Reads run outside the caller's async context, so never on a transaction's connection. */
const detached = new AsyncResource('stockscan-data-generation');

/** The generation read a request's look-ups share, and the write count it was read under. */
export interface GenerationScope {
  read: Promise<number> | undefined;
  writes: number;
}

export class DataGeneration {
  private readonly scopes = new AsyncLocalStorage<GenerationScope>();
  private readonly query: CompiledQuery<{ value: number }>;
  private readonly db: Kysely<DB>;
  private running: Promise<number> | undefined;
  /** How many fresh reads of the generation were made (the tests read it). */
  freshReads = 0;
  private waiting: Promise<number> | undefined;
  /** Each open transaction's read of the generation as it sees it (`seenBy`). */
  private readonly transactionReads = new WeakMap<Transaction<DB>, GenerationScope>();
  /** How many reads were made through open transactions (the tests read it). */
  transactionReadCount = 0;

  constructor(private readonly database: Database) {
    this.db = database.kysely;
    this.query = this.db.selectFrom('data_generation').select('value').where('id', '=', 1).compile();
    nameStatement(this.query.sql);
  }

  /**
   * The current generation, read after this call was made. Call it only where `cacheable`
   * holds: inside a transaction on SQLite the read would wait for the transaction's connection.
   */
  current(): Promise<number> {
    const scope = this.scopes.getStore();
    return scope === undefined ? this.read() : this.shared(scope, () => this.read());
  }

  /** `scope`'s read, made by `read` when it has none yet or this process has written since. */
  private shared(scope: GenerationScope, read: () => Promise<number>): Promise<number> {
    const writes = this.database.writeCount();
    if (scope.read === undefined || scope.writes !== writes) {
      const fresh = read();
      scope.read = fresh;
      scope.writes = writes;
      // A failed read is not shared: the next look-up tries again.
      fresh.catch(() => {
        if (scope.read === fresh) scope.read = undefined;
      });
    }
    return scope.read;
  }

  /** A new request scope (nothing read yet). */
  openScope(): GenerationScope {
    return { read: undefined, writes: 0 };
  }

  /** Runs `work` inside `scope`: its `current()` calls share the scope's read. */
  within<T>(scope: GenerationScope, work: () => T): T {
    return this.scopes.run(scope, work);
  }

  /** A fresh read: started after the caller asked. */
  private read(): Promise<number> {
    this.freshReads += 1;
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
   * The generation as the transaction open on `db` sees it, read through that transaction: its
   * own uncommitted writes replaced it too. Shared by the transaction's later look-ups for as
   * long as this process has written nothing since, as a request's reads are (`current`).
   */
  seenBy(db: Executor): Promise<number> {
    const trx = db.isTransaction ? (db as Transaction<DB>) : openTransactionOf(db);
    if (trx === undefined) return this.current();
    let scope = this.transactionReads.get(trx);
    if (scope === undefined) {
      scope = this.openScope();
      this.transactionReads.set(trx, scope);
    }
    return this.shared(scope, () => {
      this.transactionReadCount += 1;
      return trx.executeQuery(this.query).then((result) => Number(result.rows[0]?.value ?? 0));
    });
  }

  /**
   * Whether reads through `db` may use or fill the caches: not inside a transaction, whose
   * own uncommitted writes (and rollbacks) the generation cannot describe.
   */
  cacheable(db: Executor): boolean {
    return !db.isTransaction && openTransactionOf(db) === undefined;
  }
}

/**
 * One value cached under the data generation (the global settings, the plugins' state): loaded
 * again whenever the generation has changed since it was loaded. Inside a transaction the
 * cached value serves while the transaction sees the generation it was loaded under (any write
 * to the data, committed or the transaction's own, replaces it); otherwise the value is read
 * through the transaction and not kept, since the transaction may roll back. Without a
 * generation nothing is cached.
 */
export class CachedUnderGeneration<T> {
  private entry: { generation: number; value: T } | undefined;

  constructor(
    private readonly generation: DataGeneration | undefined,
    private readonly load: (db: Executor) => Promise<T>,
  ) {}

  async get(db: Executor): Promise<T> {
    if (this.generation === undefined) return this.load(db);
    if (!this.generation.cacheable(db)) {
      const cached = this.entry;
      if (cached !== undefined && cached.generation === (await this.generation.seenBy(db))) return cached.value;
      return this.load(db);
    }
    const generation = await this.generation.current();
    const entry = this.entry;
    if (entry !== undefined && entry.generation === generation) return entry.value;
    // Loaded after the generation was read: at least as new as that generation.
    const value = await this.load(db);
    this.entry = { generation, value };
    return value;
  }

  /** Drops the value (after a write made here). */
  clear(): void {
    this.entry = undefined;
  }
}
