/**
 * Existence checks for relation fields (`f.pk({ exists })`) and model-choice filters: does a
 * row with this id exist, optionally limited by boolean columns (InvenTree's choice limits,
 * e.g. a supplier must be `is_supplier`).
 */
import { sql } from 'kysely';
import type { DB } from './schema.js';
import type { Executor } from './transaction.js';

/** The tables keyed by an integer `id`. */
export type IdTable = { [T in keyof DB]: DB[T] extends { id: unknown } ? T : never }[keyof DB];

/** `(db, id) => exists`: the row is in `table` and has every listed boolean column set as given. */
export function rowExists(table: IdTable, flags: Readonly<Record<string, boolean>> = {}): (db: Executor, id: number) => Promise<boolean> {
  return async (db, id) => {
    let q = db.selectFrom(table as 'part').select('id').where('id', '=', id);
    for (const [column, value] of Object.entries(flags)) q = q.where(sql.ref(column), '=', value);
    return (await q.executeTakeFirst()) !== undefined;
  };
}
