/**
 * The database drivers, loaded when a database of their kind is first opened: a SQLite server
 * never loads `pg`, a PostgreSQL one never loads `better-sqlite3` (start-up time and memory).
 * Both are CommonJS packages, so a synchronous `require` loads them.
 */
import { createRequire } from 'node:module';
import type BetterSqlite3 from 'better-sqlite3';
import type Pg from 'pg';

const require = createRequire(import.meta.url);

let sqliteDriver: typeof BetterSqlite3 | undefined;
let pgDriver: typeof Pg | undefined;

/** better-sqlite3's Database constructor. */
export function betterSqlite3(): typeof BetterSqlite3 {
  return (sqliteDriver ??= require('better-sqlite3') as typeof BetterSqlite3);
}

/** The `pg` package (Pool and types). */
export function pgDriverModule(): typeof Pg {
  return (pgDriver ??= require('pg') as typeof Pg);
}
