/**
 * django-filter style helpers for the stock list endpoints: model-choice filters that answer
 * 400 for unknown objects, search and ordering parameters.
 */
import { sql, type RawBuilder, type SqlBool } from 'kysely';
import type { Executor } from '../db/transaction.js';
import { ValidationError } from '../http/errors.js';
import { coerceInteger } from '../http/fields.js';
import { queryString, type Query } from '../http/query.js';

export const INVALID_CHOICE = 'Select a valid choice. That choice is not one of the available choices.';

/** Collects model-choice filter values, and their errors, for one request. */
export class ChoiceFilters {
  private readonly errors: Record<string, string[]> = {};
  constructor(
    private readonly db: Executor,
    private readonly query: Query,
  ) {}

  /**
   * The pk named by filter `name` (undefined when absent or empty). An unknown pk, or one not
   * passing `check`, is recorded as a 400 error.
   */
  async pk(name: string, check: (db: Executor, pk: number) => Promise<boolean>): Promise<number | undefined> {
    const raw = queryString(this.query, name);
    if (raw === undefined || raw.trim() === '') return undefined;
    const n = coerceInteger(raw);
    if (n === undefined || n < 1 || n > 2147483647 || !(await check(this.db, n))) {
      this.errors[name] = [INVALID_CHOICE];
      return undefined;
    }
    return n;
  }

  error(name: string, message: string): void {
    this.errors[name] = [message];
  }

  /** Throws the 400 with every bad filter, if any. */
  finish(): void {
    if (Object.keys(this.errors).length > 0) throw new ValidationError(this.errors);
  }
}

export const rowExists =
  (table: 'part' | 'part_category' | 'stock_location' | 'supplier_part' | 'purchase_order' | 'sales_order' | 'stock_item' | 'build' | 'company') =>
  async (db: Executor, pk: number) =>
    (await db.selectFrom(table).select('id').where('id', '=', pk).executeTakeFirst()) !== undefined;

/** `?ordering=field` / `-field` among the allowed fields, or undefined. */
export function orderingOf<K extends string>(query: Query, allowed: readonly K[]): { field: K; desc: boolean } | undefined {
  const raw = queryString(query, 'ordering');
  if (raw === undefined) return undefined;
  for (const part of raw.split(',')) {
    const text = part.trim();
    const desc = text.startsWith('-');
    const field = (desc ? text.slice(1) : text) as K;
    if (allowed.includes(field)) return { field, desc };
  }
  return undefined;
}

/** The search text (lower-cased LIKE pattern), or undefined. */
export function searchPattern(query: Query): string | undefined {
  const raw = queryString(query, 'search')?.trim();
  if (raw === undefined || raw === '') return undefined;
  const escaped = raw.toLowerCase().replace(/[\\%_]/g, (c) => `\\${c}`);
  return `%${escaped}%`;
}

/** Case-insensitive "contains" on a column, with the pattern from `searchPattern`. */
export function ilike(column: string, pattern: string): RawBuilder<SqlBool> {
  return sql<SqlBool>`lower(${sql.ref(column)}) like ${pattern} escape '\\'`;
}
