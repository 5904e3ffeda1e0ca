/**
 * Queries that Kysely builds and compiles once and that then run with new values: for the
 * few statements every scan makes, building a query anew (dozens of frozen operation nodes,
 * then the compiler's walk over them) costs more than SQLite takes to run it.
 *
 *   const itemById = prepared((db, a: { id: number }) => db.selectFrom('stock_item').selectAll().where('id', '=', a.id));
 *   const rows = await itemById.execute(db, { id: 7 });
 *
 * The builder is called with placeholders in place of the values (an array argument becomes an
 * array of placeholders of the same length), and the compiled statement is kept per database
 * kind and per length of each array argument. Placeholders only ever become bound parameters,
 * so a builder must use its arguments as values only: not to choose what it builds (no `if`
 * on a value, no `null` meaning `is null`), not inside `sql.lit` or `sql.ref`.
 *
 * On SQLite a read through the database itself (not a transaction) runs at once, synchronously,
 * while no transaction is open on the connection (db/connection.ts, `directReaderOf`). On
 * PostgreSQL each compiled statement runs as a named statement (db/statement-names.ts).
 */
import type { CompiledQuery, Compilable, Kysely } from 'kysely';
import type { DB } from './schema.js';
import type { Executor } from './transaction.js';
import { directReaderOf } from './connection.js';
import { nameStatement } from './statement-names.js';

/** Where an argument's value goes in the compiled parameters. */
class Placeholder {
  constructor(
    readonly name: string,
    /** The position in an array argument; undefined for a single value. */
    readonly index: number | undefined,
  ) {}
}

type Args = Record<string, unknown>;

/** How many shapes (lengths of array arguments) of one query are kept compiled. */
const MAX_SHAPES = 32;

export interface PreparedQuery<A extends Args, R> {
  /** Runs the query with `args` through `db` (the database or an open transaction). */
  execute(db: Executor, args: A): Promise<R[]>;
  /** The statement `execute` would run, with its values bound (for plans and diagnostics). */
  compile(db: Executor, args: A): CompiledQuery<R>;
  /** The first row, or undefined. */
  executeTakeFirst(db: Executor, args: A): Promise<R | undefined>;
}

function placeholdersFor<A extends Args>(args: A): A {
  const out: Args = {};
  for (const [name, value] of Object.entries(args)) {
    out[name] = Array.isArray(value) ? value.map((_, i) => new Placeholder(name, i)) : new Placeholder(name, undefined);
  }
  return out as A;
}

/** The cache key of one shape of `args`: the length of each array argument. */
function shapeOf(args: Args): string {
  let key = '';
  for (const name in args) {
    const value = args[name];
    if (Array.isArray(value)) key += `${name}:${value.length};`;
  }
  return key;
}

function bind(compiled: CompiledQuery<unknown>, args: Args): unknown[] {
  return compiled.parameters.map((p) => {
    if (!(p instanceof Placeholder)) return p;
    const value = args[p.name];
    return p.index === undefined ? value : (value as readonly unknown[])[p.index];
  });
}

/**
 * The database kind a query runs on, for the cache: the executor's dialect adapter (one per
 * kind of database; a transaction shares its database's). Kysely marks `getExecutor` internal;
 * it is stable across 0.28 and the only way to tell the dialect from a transaction.
 */
const kindOf = (db: Executor): object => db.getExecutor().adapter;

export function prepared<A extends Args, R>(build: (db: Kysely<DB>, args: A) => Compilable<R>): PreparedQuery<A, R> {
  const byKind = new WeakMap<object, Map<string, CompiledQuery<unknown>>>();
  const compiledFor = (db: Executor, args: A): CompiledQuery<unknown> => {
    const kind = kindOf(db);
    let shapes = byKind.get(kind);
    if (shapes === undefined) {
      shapes = new Map();
      byKind.set(kind, shapes);
    }
    const shape = shapeOf(args);
    let compiled = shapes.get(shape);
    if (compiled === undefined) {
      compiled = build(db, placeholdersFor(args)).compile();
      // Bounded: lists of many lengths (a page of 1000 items) are compiled per call past this,
      // and only the kept shapes become named statements on PostgreSQL (each connection keeps
      // a named statement, and its plan, until it closes).
      if (shapes.size < MAX_SHAPES) {
        shapes.set(shape, compiled);
        nameStatement(compiled.sql);
      }
    }
    return compiled;
  };
  const compile = (db: Executor, args: A): CompiledQuery<R> => {
    const compiled = compiledFor(db, args);
    return { ...compiled, parameters: bind(compiled, args) } as CompiledQuery<R>;
  };
  const execute = (db: Executor, args: A): Promise<R[]> => {
    const query = compile(db, args);
    const direct = directReaderOf(db);
    if (direct !== undefined) {
      try {
        const rows = direct(query);
        if (rows !== undefined) return Promise.resolve(rows);
      } catch (error) {
        return Promise.reject(error);
      }
    }
    return db.executeQuery<R>(query).then((result) => result.rows);
  };
  return {
    execute,
    compile,
    executeTakeFirst: async (db, args) => (await execute(db, args))[0],
  };
}
