/**
 * A view of a Database whose `inTransaction` calls join one transaction that is already open,
 * so that service functions which open their own transaction (createPart, createPurchaseOrder,
 * …) can run as steps of a larger one: the demo loader creates the whole dataset in a single
 * transaction and still goes through those services and their rules.
 *
 * `inTransaction(view, work)` runs `work(trx)` directly: `transactionScope` adds no scope (the
 * open transaction's scope already routes root queries to its connection) and `transaction()`
 * hands out the open transaction instead of beginning a new one. Every other member of
 * `kysely` is the database's own.
 */
import type { Kysely, Transaction } from 'kysely';
import type { Database } from '../db/connection.js';
import type { DB } from '../db/schema.js';

export function joinedDatabase(database: Database, trx: Transaction<DB>): Database {
  const joined = { execute: <T>(work: (t: Transaction<DB>) => Promise<T>) => work(trx) };
  const kysely = new Proxy(database.kysely, {
    get(target, property) {
      if (property === 'transaction') return () => joined;
      const value = Reflect.get(target, property, target) as unknown;
      // Kysely keeps its state in private fields: methods must run on the real instance.
      return typeof value === 'function' ? value.bind(target) : value;
    },
  }) as Kysely<DB>;
  return {
    kysely,
    dialect: database.dialect,
    displayUrl: database.displayUrl,
    transactionScope: (work) => work(),
    close: () => Promise.reject(new Error('a joined transaction view cannot close the database')),
  };
}
