/**
 * django-filter / DRF list helpers shared by the sales-order and build endpoints: model-choice
 * filters (400 on an unknown pk), number and date filters with django-filter's messages,
 * DRF's search terms (every term must match one of the search fields, case-insensitively)
 * and `ordering` parsing (unknown fields ignored, nulls sorted as PostgreSQL does).
 */
import { sql, type Expression, type RawBuilder, type SqlBool } from 'kysely';
import type { Executor } from '../db/transaction.js';
import { ValidationError } from '../http/errors.js';
import { coerceInteger, coerceNumber } from '../http/fields.js';
import { queryString, type Query } from '../http/listing.js';
import { pythonStrip } from '../text/python-strip.js';

export const INVALID_CHOICE = 'Select a valid choice. That choice is not one of the available choices.';

/** A present, non-empty query parameter (django-filter ignores empty values). */
export function presentParam(query: Query, key: string): string | undefined {
  const v = queryString(query, key);
  if (v === undefined || v.trim() === '') return undefined;
  return v;
}

/**
 * A model-choice filter: undefined when absent; the pk when it names an existing object;
 * otherwise 400 `{"<key>": ["Select a valid choice. …"]}`.
 */
export async function modelChoiceFilter(
  db: Executor,
  query: Query,
  key: string,
  exists: (db: Executor, id: number) => Promise<boolean>,
): Promise<number | undefined> {
  const raw = presentParam(query, key);
  if (raw === undefined) return undefined;
  const id = coerceInteger(raw);
  if (id === undefined || id < 1 || id > 2147483647 || !(await exists(db, id))) throw new ValidationError({ [key]: [INVALID_CHOICE] });
  return id;
}

/** django-filter NumberFilter: 400 `{"<key>": ["Enter a number."]}` on a bad value. */
export function numberFilter(query: Query, key: string): number | undefined {
  const raw = presentParam(query, key);
  if (raw === undefined) return undefined;
  const n = coerceNumber(raw);
  if (n === undefined) throw new ValidationError({ [key]: ['Enter a number.'] });
  return n;
}

/**
 * `<column> = value` for an integer column given a NumberFilter value: truncated as Django's
 * IntegerField does; a value no integer column can hold matches nothing (instead of a
 * database error on PostgreSQL).
 */
export function integerEquals(column: RawBuilder<unknown>, value: number): RawBuilder<SqlBool> {
  const n = Math.trunc(value);
  if (!Number.isSafeInteger(n) || n < -2147483648 || n > 2147483647) return sql<SqlBool>`1 = 0`;
  return sql<SqlBool>`${column} = ${n}`;
}

const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

/** django-filter DateFilter: `YYYY-MM-DD`, else 400 `{"<key>": ["Enter a valid date."]}`. */
export function dateFilter(query: Query, key: string): string | undefined {
  const raw = presentParam(query, key);
  if (raw === undefined) return undefined;
  const text = raw.trim();
  const valid = DATE.test(text) && new Date(`${text}T00:00:00Z`).toISOString().slice(0, 10) === text;
  if (!valid) throw new ValidationError({ [key]: ['Enter a valid date.'] });
  return text;
}

/** DRF SearchFilter terms: split on whitespace and commas, empty parts dropped. */
export function searchTerms(query: Query): string[] {
  const raw = queryString(query, 'search');
  if (raw === undefined) return [];
  return pythonStrip(raw.replace(/\x00/g, ''))
    .split(/[\s,]+/)
    .filter((t) => t !== '');
}

/** A LIKE pattern matching `term` anywhere, lower-cased, with the wildcards escaped. */
export function containsPattern(term: string): string {
  return `%${term.toLowerCase().replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
}

/** `lower(<column>) LIKE '%term%'` (case-insensitive contains, as Django's icontains). */
export function icontains(column: Expression<unknown> | RawBuilder<unknown>, term: string): RawBuilder<SqlBool> {
  return sql<SqlBool>`lower(${column}) like ${containsPattern(term)} escape '\\'`;
}

/** `lower(<column>) = lower(value)` (Django's iexact). */
export function iexact(column: Expression<unknown> | RawBuilder<unknown>, value: string): RawBuilder<SqlBool> {
  return sql<SqlBool>`lower(${column}) = ${value.toLowerCase()}`;
}

export interface OrderingTerm {
  /** The API name of the field, e.g. `reference`. */
  field: string;
  desc: boolean;
}

/**
 * The `ordering` parameter: comma-separated fields, `-` for descending; fields not in
 * `allowed` are dropped, and the default applies when none is left.
 */
export function orderingTerms(query: Query, allowed: readonly string[], fallback: string): OrderingTerm[] {
  const parse = (text: string) =>
    text
      .split(',')
      .map((s) => s.trim())
      .filter((s) => s !== '')
      .map((s) => (s.startsWith('-') ? { field: s.slice(1), desc: true } : { field: s, desc: false }))
      .filter((t) => allowed.includes(t.field));
  const raw = queryString(query, 'ordering');
  const terms = raw === undefined ? [] : parse(raw);
  return terms.length > 0 ? terms : parse(fallback);
}

/**
 * ORDER BY fragments for one term: nullable values sort as PostgreSQL does (nulls last when
 * ascending, first when descending) on both databases.
 */
export function orderExpressions(expr: RawBuilder<unknown>, desc: boolean, nullable: boolean): RawBuilder<unknown>[] {
  const dir = desc ? sql`desc` : sql`asc`;
  const out: RawBuilder<unknown>[] = [];
  if (nullable) out.push(sql`(case when ${expr} is null then 1 else 0 end) ${dir}`);
  out.push(sql`${expr} ${dir}`);
  return out;
}

/** Selects the ids of part `id` and, with variants, of every part below it in its template tree. */
export function partTreeCondition(column: RawBuilder<unknown>, partId: number, includeVariants: boolean): RawBuilder<SqlBool> {
  if (!includeVariants) return sql<SqlBool>`${column} = ${partId}`;
  return sql<SqlBool>`${column} in (select p.id from part p where p.tree_path like ${`%/${partId}/%`})`;
}

/** Selects the locations at or below `locationId`. */
export function locationTreeCondition(column: RawBuilder<unknown>, locationId: number): RawBuilder<SqlBool> {
  return sql<SqlBool>`${column} in (select l.id from stock_location l where l.tree_path like ${`%/${locationId}/%`})`;
}

/** True when a row with this id exists in `table`. */
export function existsIn(table: 'sales_order' | 'sales_order_line' | 'sales_order_shipment' | 'part' | 'stock_item' | 'stock_location' | 'build' | 'company' | 'auth_user' | 'part_category') {
  return async (db: Executor, id: number): Promise<boolean> => (await db.selectFrom(table).select('id').where('id', '=', id).executeTakeFirst()) !== undefined;
}
