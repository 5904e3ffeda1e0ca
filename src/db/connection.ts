import { AsyncLocalStorage } from 'node:async_hooks';
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import type BetterSqlite3 from 'better-sqlite3';
import {
  CompiledQuery,
  Kysely,
  PostgresDialect,
  PostgresDriver,
  type PostgresPool,
  type PostgresPoolClient,
  SqliteDialect,
  SqliteDriver,
  type DatabaseConnection,
  type Dialect,
  type Driver,
  type QueryResult,
  type SqliteDialectConfig,
} from 'kysely';
import type { DB } from './schema.js';
import { startCheckpointer } from './checkpointer.js';
import { betterSqlite3, pgDriverModule } from './drivers.js';
import { statementName } from './statement-names.js';

export type DialectName = 'sqlite' | 'postgres';

/** An open database: the Kysely instance plus what the rest of the code needs to know about it. */
export interface Database {
  readonly kysely: Kysely<DB>;
  readonly dialect: DialectName;
  /** The URL the database was opened from, with any password removed (for logs). */
  readonly displayUrl: string;
  /**
   * Runs `work` (which opens one transaction) so that queries made inside it through `kysely`
   * instead of the transaction share the transaction's connection (see ScopedDriver). Used by
   * `inTransaction`.
   */
  transactionScope<T>(work: () => Promise<T>): Promise<T>;
  /**
   * SQLite only: runs a compiled read at once, synchronously, on the one connection (for the
   * data generation, db/generation.ts). Not for use inside a transaction scope.
   */
  readNow?<R>(query: CompiledQuery<R>): R[];
  /**
   * How many writes this process has started, finished or committed on this database: it
   * changes whenever this process may have changed data (db/generation.ts). Every statement
   * that is not a SELECT counts as a write, before and after it runs, and so does a commit.
   */
  writeCount(): number;
  close(): Promise<void>;
}

export interface ParsedDatabaseUrl {
  dialect: DialectName;
  /** SQLite: a file path or ":memory:". PostgreSQL: the connection string. */
  target: string;
}

export function parseDatabaseUrl(url: string): ParsedDatabaseUrl {
  if (url.startsWith('sqlite:')) {
    let path = url.slice('sqlite:'.length);
    if (path.startsWith('//')) path = path.slice(2);
    if (path === '') throw new Error('DATABASE_URL "sqlite:" needs a file path, e.g. sqlite:./data/stockscan.db');
    return { dialect: 'sqlite', target: path };
  }
  if (url.startsWith('postgres://') || url.startsWith('postgresql://')) {
    return { dialect: 'postgres', target: url };
  }
  throw new Error(`DATABASE_URL must start with "sqlite:" or "postgres://", got "${redactUrl(url)}"`);
}

export function redactUrl(url: string): string {
  return url.replace(/(\/\/[^:/@]+):[^@/]*@/, '$1:***@');
}

// --- SQLite ---------------------------------------------------------------------------------

type SqliteParam = unknown;

function toSqliteParam(value: SqliteParam): SqliteParam {
  if (typeof value === 'boolean') return value ? 1 : 0;
  return value;
}

function convertParams(params: readonly unknown[] | undefined): unknown[] {
  if (params === undefined) return [];
  return params.map(toSqliteParam);
}

/**
 * Wraps a better-sqlite3 database so that Kysely's driver (a) re-uses prepared statements
 * instead of preparing every query again, and (b) can bind JavaScript booleans, which SQLite
 * stores as 1 and 0 (PostgreSQL stores real booleans; reads of boolean columns are `SqlBool`).
 */
interface WrappedSqlite {
  readNow<R>(query: CompiledQuery<R>): R[];
  /** A read run at once through the statement cache; undefined for a statement that writes. */
  readDirect<R>(query: CompiledQuery<R>): R[] | undefined;
}

function wrapSqlite(raw: BetterSqlite3.Database, cacheSize = 500): SqliteDialectConfig['database'] & WrappedSqlite {
  const cache = new Map<string, BetterSqlite3.Statement>();
  const cached = (sql: string): BetterSqlite3.Statement => {
    let stmt = cache.get(sql);
    if (stmt === undefined) {
      stmt = raw.prepare(sql);
      if (cache.size >= cacheSize) {
        const oldest = cache.keys().next().value;
        if (oldest !== undefined) cache.delete(oldest);
      }
      cache.set(sql, stmt);
    }
    return stmt;
  };
  // Reads run at once, synchronously, through the same statement cache as Kysely's queries.
  const readNow = <R>(query: CompiledQuery<R>): R[] => cached(query.sql).all(...convertParams(query.parameters)) as R[];
  const readDirect = <R>(query: CompiledQuery<R>): R[] | undefined => (cached(query.sql).reader ? readNow(query) : undefined);
  const prepare = (sql: string) => {
    const statement = cached(sql);
    return {
      reader: statement.reader,
      all: (params: readonly unknown[]) => statement.all(...convertParams(params)),
      run: (params: readonly unknown[]) => statement.run(...convertParams(params)),
      iterate: (params: readonly unknown[]) => statement.iterate(...convertParams(params)),
    };
  };
  return { prepare, close: () => raw.close(), readNow, readDirect } as unknown as SqliteDialectConfig['database'] & WrappedSqlite;
}

/** A synchronous read of a SQLite database, or undefined where it must go through Kysely. */
export type DirectReader = <R>(query: CompiledQuery<R>) => R[] | undefined;

const directReaders = new WeakMap<object, DirectReader>();

/**
 * The direct reader of `db` when it is the root Kysely instance of a SQLite database (not a
 * transaction): db/prepared.ts runs its reads through it, skipping Kysely's connection
 * hand-over (a mutex and a few promises per query, more than SQLite takes to run a primary-key
 * look-up). It reads only while no transaction is open on the connection; otherwise the query
 * queues for the connection as before, so no read sees another request's uncommitted writes.
 */
export function directReaderOf(db: object): DirectReader | undefined {
  return directReaders.get(db);
}

interface ConnectionScope {
  held: number;
  connection: DatabaseConnection | undefined;
}

/** The writes of one database in this process (see `Database.writeCount`). */
class WriteCounter {
  count = 0;
}

/** A driver connection that counts the writes made through it. */
class CountingConnection implements DatabaseConnection {
  constructor(
    readonly inner: DatabaseConnection,
    private readonly writes: WriteCounter,
  ) {}

  async executeQuery<R>(query: CompiledQuery): Promise<QueryResult<R>> {
    if (query.query.kind === 'SelectQueryNode') return this.inner.executeQuery<R>(query);
    this.writes.count += 1;
    try {
      return await this.inner.executeQuery<R>(query);
    } finally {
      this.writes.count += 1;
    }
  }

  streamQuery<R>(query: CompiledQuery, chunkSize?: number): AsyncIterableIterator<QueryResult<R>> {
    if (query.query.kind !== 'SelectQueryNode') this.writes.count += 1;
    return this.inner.streamQuery<R>(query, chunkSize);
  }
}

/**
 * Makes a driver's connection re-entrant inside a transaction scope (`transactionScope`): while
 * `inTransaction` runs, every query — through the transaction or through the root Kysely
 * instance — uses the transaction's one connection. Without this, a root query inside a
 * transaction waits forever for the single SQLite connection the transaction holds, and on
 * PostgreSQL enough concurrent transactions each wanting a second connection exhaust the pool.
 */
class ScopedDriver implements Driver {
  /** One counting wrapper per driver connection, made once. */
  private readonly wrappers = new WeakMap<DatabaseConnection, CountingConnection>();

  constructor(
    private readonly inner: Driver,
    private readonly scopes: AsyncLocalStorage<ConnectionScope>,
    private readonly writes: WriteCounter,
  ) {}

  private wrap(connection: DatabaseConnection): CountingConnection {
    let wrapper = this.wrappers.get(connection);
    if (wrapper === undefined) {
      wrapper = new CountingConnection(connection, this.writes);
      this.wrappers.set(connection, wrapper);
    }
    return wrapper;
  }

  init(): Promise<void> {
    return this.inner.init();
  }

  async acquireConnection(): Promise<DatabaseConnection> {
    const scope = this.scopes.getStore();
    if (scope !== undefined && scope.held > 0 && scope.connection !== undefined) {
      scope.held += 1;
      return scope.connection;
    }
    const connection = this.wrap(await this.inner.acquireConnection());
    if (scope !== undefined) {
      scope.held = 1;
      scope.connection = connection;
    }
    return connection;
  }

  async releaseConnection(connection: DatabaseConnection): Promise<void> {
    const scope = this.scopes.getStore();
    if (scope !== undefined && scope.held > 0) {
      scope.held -= 1;
      if (scope.held > 0) return;
      scope.connection = undefined;
    }
    await this.inner.releaseConnection(unwrap(connection));
  }

  beginTransaction(connection: DatabaseConnection, settings: Parameters<Driver['beginTransaction']>[1]): Promise<void> {
    return this.inner.beginTransaction(unwrap(connection), settings);
  }

  async commitTransaction(connection: DatabaseConnection): Promise<void> {
    this.writes.count += 1;
    try {
      await this.inner.commitTransaction(unwrap(connection));
    } finally {
      this.writes.count += 1;
    }
  }

  rollbackTransaction(connection: DatabaseConnection): Promise<void> {
    return this.inner.rollbackTransaction(unwrap(connection));
  }

  destroy(): Promise<void> {
    return this.inner.destroy();
  }
}

function unwrap(connection: DatabaseConnection): DatabaseConnection {
  return connection instanceof CountingConnection ? connection.inner : connection;
}

/** SQLite transactions start with BEGIN IMMEDIATE: every transaction here writes, and taking
 * the write lock up front avoids SQLITE_BUSY on lock upgrade between processes. */
class ImmediateSqliteDriver extends SqliteDriver {
  override async beginTransaction(connection: DatabaseConnection): Promise<void> {
    await connection.executeQuery(CompiledQuery.raw('begin immediate'));
  }
}

/** Wraps a dialect so that its driver is a ScopedDriver. */
class ScopedDialect implements Dialect {
  constructor(
    private readonly base: Dialect,
    private readonly makeDriver: () => Driver,
    private readonly scopes: AsyncLocalStorage<ConnectionScope>,
    private readonly writes: WriteCounter,
  ) {}
  createDriver(): Driver {
    return new ScopedDriver(this.makeDriver(), this.scopes, this.writes);
  }
  createQueryCompiler() {
    return this.base.createQueryCompiler();
  }
  createAdapter() {
    return this.base.createAdapter();
  }
  createIntrospector(db: Kysely<any>) {
    return this.base.createIntrospector(db);
  }
}

/**
 * SQLite's page cache per connection, in KiB. It holds the upper levels of the indexes a scan
 * walks and the newest history pages; the leaves a random scan reads are spread over the whole
 * file whatever its size, and come from the operating system's cache. 16 MB instead of 32 MB
 * cost no measurable CPU per scan at 100k rows and took ~15 MB off the server's RSS under load
 * (docs/performance.md, "Fifth round").
 */
const PAGE_CACHE_KIB = 16_000;

export function openSqliteFile(path: string): BetterSqlite3.Database {
  if (path !== ':memory:') mkdirSync(dirname(path), { recursive: true });
  const Sqlite = betterSqlite3();
  const raw = new Sqlite(path);
  raw.pragma('journal_mode = WAL');
  raw.pragma('synchronous = NORMAL');
  raw.pragma('foreign_keys = ON');
  raw.pragma('busy_timeout = 10000');
  raw.pragma(`cache_size = -${PAGE_CACHE_KIB}`);
  raw.pragma('temp_store = MEMORY');
  return raw;
}

function openSqlite(path: string, displayUrl: string, options: OpenOptions): Database {
  const raw = openSqliteFile(path);
  const checkpointer = options.walCheckpointer === true && path !== ':memory:' ? startCheckpointer(raw, path, { onError: options.onCheckpointerError }) : undefined;
  const scopes = new AsyncLocalStorage<ConnectionScope>();
  const wrapped = wrapSqlite(raw);
  const config: SqliteDialectConfig = { database: wrapped };
  const writes = new WriteCounter();
  const dialect = new ScopedDialect(new SqliteDialect(config), () => new ImmediateSqliteDriver(config), scopes, writes);
  const kysely = new Kysely<DB>({ dialect });
  directReaders.set(kysely, (query) => (raw.inTransaction ? undefined : wrapped.readDirect(query)));
  return {
    kysely,
    dialect: 'sqlite',
    displayUrl,
    transactionScope: (work) => scopes.run({ held: 0, connection: undefined }, work),
    readNow: (query) => wrapped.readNow(query),
    writeCount: () => writes.count,
    close: async () => {
      await checkpointer?.stop();
      await kysely.destroy();
    },
  };
}

// --- PostgreSQL -----------------------------------------------------------------------------

let pgTypesConfigured = false;

function configurePgTypes(): void {
  if (pgTypesConfigured) return;
  pgTypesConfigured = true;
  const pg = pgDriverModule();
  // COUNT(*) and other int8 values: numbers, not strings (counts stay far below 2^53).
  pg.types.setTypeParser(pg.types.builtins.INT8, (v) => Number.parseInt(v, 10));
  // NUMERIC quantities: JSON numbers in the API, as InvenTree renders decimals.
  pg.types.setTypeParser(pg.types.builtins.NUMERIC, (v) => Number.parseFloat(v));
}

/** What the pool's clients (pg.Client) offer beyond Kysely's view of them. */
interface NamedQueryClient {
  query(config: { name: string; text: string; values: readonly unknown[] }): Promise<unknown>;
  /** 'I' idle, 'T' in a transaction, 'E' in a failed one (from the server's last ReadyForQuery). */
  getTransactionStatus(): string | null;
}

/** PostgreSQL's refusal to run a named statement whose table changed shape (SQLSTATE 0A000). */
function isStalePlan(error: unknown): boolean {
  return (error as { code?: unknown } | null)?.code === '0A000' && /cached plan must not change result type/.test(String((error as Error).message));
}

/**
 * A pool whose clients run the fixed statements (db/statement-names.ts) as named statements:
 * the first run on a connection parses and plans it, later runs only bind and execute. Every
 * other query, and cursors, pass through unchanged.
 *
 * A named statement outlives a change to its tables: when a migration run by another process
 * adds a column to a table a `select *` reads, PostgreSQL refuses the old statement on every
 * later run. The connection then stops naming statements and runs that query again unnamed
 * (outside a transaction; inside one, the transaction has failed and its caller sees the error
 * once).
 */
function namingPool(pool: PostgresPool): PostgresPool {
  const wrappers = new WeakMap<PostgresPoolClient, PostgresPoolClient>();
  const wrap = (client: PostgresPoolClient): PostgresPoolClient => {
    const plain = client.query.bind(client) as (...args: unknown[]) => Promise<unknown>;
    const pgClient = client as unknown as NamedQueryClient;
    let naming = true;
    const named = async (name: string, text: string, parameters: ReadonlyArray<unknown> | undefined): Promise<unknown> => {
      try {
        return await pgClient.query({ name, text, values: parameters ?? [] });
      } catch (error) {
        if (!isStalePlan(error)) throw error;
        naming = false;
        if (pgClient.getTransactionStatus() !== 'I') throw error;
        return plain(text, parameters);
      }
    };
    const query = ((sqlOrCursor: unknown, parameters?: ReadonlyArray<unknown>) => {
      // A cursor (streamed query) is returned as it is, not wrapped in a promise.
      if (typeof sqlOrCursor !== 'string') return plain(sqlOrCursor);
      const name = naming ? statementName(sqlOrCursor) : undefined;
      return name === undefined ? plain(sqlOrCursor, parameters) : named(name, sqlOrCursor, parameters);
    }) as unknown as PostgresPoolClient['query'];
    return { query, release: (destroy?: boolean) => client.release(destroy) };
  };
  return {
    connect: async () => {
      const client = await pool.connect();
      let wrapper = wrappers.get(client);
      if (wrapper === undefined) {
        wrapper = wrap(client);
        wrappers.set(client, wrapper);
      }
      return wrapper;
    },
    end: () => pool.end(),
  };
}

function openPostgres(url: string, displayUrl: string, poolSize: number): Database {
  configurePgTypes();
  // A bounded wait for a connection: an exhausted pool fails a request instead of hanging it.
  const pool = new (pgDriverModule().Pool)({ connectionString: url, max: poolSize, connectionTimeoutMillis: 30000 });
  // An idle client losing its connection must not crash the process.
  pool.on('error', () => undefined);
  const scopes = new AsyncLocalStorage<ConnectionScope>();
  const config = { pool: namingPool(pool) };
  const writes = new WriteCounter();
  const dialect = new ScopedDialect(new PostgresDialect(config), () => new PostgresDriver(config), scopes, writes);
  const kysely = new Kysely<DB>({ dialect });
  return {
    kysely,
    dialect: 'postgres',
    displayUrl,
    transactionScope: (work) => scopes.run({ held: 0, connection: undefined }, work),
    writeCount: () => writes.count,
    close: () => kysely.destroy(),
  };
}

export interface OpenOptions {
  /** Size of the PostgreSQL connection pool (per process). */
  poolSize?: number;
  /**
   * SQLite: leave WAL checkpoints to a worker thread (db/checkpointer.ts) instead of the commit
   * that crosses SQLite's threshold. For the server; short-lived commands keep SQLite's way.
   */
  walCheckpointer?: boolean;
  /** Told when the checkpoint thread fails (the server logs it). */
  onCheckpointerError?: (error: Error) => void;
}

export function openDatabase(url: string, options: OpenOptions = {}): Database {
  const parsed = parseDatabaseUrl(url);
  const displayUrl = redactUrl(url);
  if (parsed.dialect === 'sqlite') return openSqlite(parsed.target, displayUrl, options);
  return openPostgres(parsed.target, displayUrl, options.poolSize ?? 10);
}
