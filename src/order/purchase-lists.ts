/**
 * List helpers for the purchase and return order endpoints (django-filter and DRF's search and
 * ordering filters): model-choice filters that answer 400 for a missing object, number and
 * date filters with django-filter's messages, multi-term search and comma-separated ordering.
 */
import { sql, type Expression, type SqlBool } from 'kysely';
import { ValidationError } from '../http/errors.js';
import { coerceInteger, coerceNumber } from '../http/fields.js';
import { queryBool, queryString, type Query } from '../http/listing.js';
import type { Executor } from '../db/transaction.js';
import { userExists } from './purchase-fields.js';

const sqlTrue = sql<SqlBool>`1 = 1`;
const sqlFalse = sql<SqlBool>`1 = 0`;

const INVALID_CHOICE = 'Select a valid choice. That choice is not one of the available choices.';

/** The raw value of a filter, or undefined when absent or empty (django-filter skips ""). */
function filterValue(query: Query, name: string): string | undefined {
  const v = queryString(query, name);
  if (v === undefined || v.trim() === '') return undefined;
  return v.trim();
}

/**
 * A ModelChoiceFilter: the pk of an existing (and allowed) object, or undefined when the
 * parameter is absent. Anything else answers 400 with django-filter's message.
 */
export async function modelChoiceFilter(
  db: Executor,
  query: Query,
  name: string,
  exists: (db: Executor, id: number) => Promise<boolean>,
): Promise<number | undefined> {
  const v = filterValue(query, name);
  if (v === undefined) return undefined;
  const id = coerceInteger(v);
  if (id === undefined || id < 1 || id > 2147483647 || !(await exists(db, id))) {
    throw new ValidationError({ [name]: [INVALID_CHOICE] });
  }
  return id;
}

/** A NumberFilter: undefined when absent, 400 `Enter a number.` when not a number. */
export function numberFilter(query: Query, name: string): number | undefined {
  const v = filterValue(query, name);
  if (v === undefined) return undefined;
  const n = coerceNumber(v);
  if (n === undefined) throw new ValidationError({ [name]: ['Enter a number.'] });
  return n;
}

const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

/** A DateFilter: `YYYY-MM-DD`, undefined when absent, 400 `Enter a valid date.` otherwise. */
export function dateFilter(query: Query, name: string): string | undefined {
  const v = filterValue(query, name);
  if (v === undefined) return undefined;
  const m = DATE.exec(v);
  const d = m === null ? undefined : new Date(`${v}T00:00:00Z`);
  if (d === undefined || Number.isNaN(d.getTime()) || d.toISOString().slice(0, 10) !== v) {
    throw new ValidationError({ [name]: ['Enter a valid date.'] });
  }
  return v;
}

/** DRF SearchFilter's terms: the search text split on whitespace and commas. */
export function searchTerms(query: Query): string[] {
  const v = queryString(query, 'search');
  if (v === undefined) return [];
  return v
    .replace(/\u0000/g, '')
    .split(/[\s,]+/)
    .filter((t) => t !== '');
}

/** A LIKE pattern matching `term` anywhere, case-insensitively, wildcards escaped. */
export function containsPattern(term: string): string {
  return `%${term.toLowerCase().replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
}

/** `lower(column) LIKE pattern ESCAPE '\'` for one (possibly qualified) column reference. */
export function ilike(column: string, pattern: string): Expression<SqlBool> {
  return sql<SqlBool>`lower(${sql.ref(column)}) like ${pattern} escape '\\'`;
}

export interface OrderingTerm {
  key: string;
  desc: boolean;
}

/**
 * DRF OrderingFilter: `?ordering=a,-b`; fields not in `allowed` are ignored. Falls back to
 * `fallback` when nothing valid is left.
 */
export function orderingTerms(query: Query, allowed: readonly string[], fallback: OrderingTerm[]): OrderingTerm[] {
  const v = queryString(query, 'ordering');
  if (v === undefined) return fallback;
  const out: OrderingTerm[] = [];
  for (const raw of v.split(',')) {
    const t = raw.trim();
    const desc = t.startsWith('-');
    const key = desc ? t.slice(1) : t;
    if (allowed.includes(key)) out.push({ key, desc });
  }
  return out.length > 0 ? out : fallback;
}

/** `column = n` for an integer column; a non-integer number matches nothing (as in Django). */
export function integerEquals(column: string, n: number): Expression<SqlBool> {
  if (!Number.isSafeInteger(n) || Math.abs(n) > 2147483647) return sqlFalse;
  return sql<SqlBool>`${sql.ref(column)} = ${n}`;
}

/** `column IN (values)` for a (possibly qualified) column. */
export function inList(column: string, values: readonly number[]): Expression<SqlBool> {
  if (values.length === 0) return sqlFalse;
  return sql<SqlBool>`${sql.ref(column)} in (${sql.join(values.map((v) => sql.lit(v)))})`;
}

/**
 * The filters every order list shares (InvenTree's OrderFilter): `status`, `reference`
 * (case-insensitive exact), `outstanding`, `overdue`, `assigned_to_me` and `has_project_code`
 * (Stockscan has no owners or project codes, so nothing is assigned or coded), `created_by`,
 * `has_start_date`, `has_target_date` and the `*_before` / `*_after` date filters. Returns SQL
 * conditions on the order table aliased `alias`.
 */
export async function commonOrderConditions(
  db: Executor,
  query: Query,
  alias: string,
  openStatuses: readonly number[],
  today: string,
  completeDateColumn: string | undefined,
): Promise<Expression<SqlBool>[]> {
  const col = (c: string) => `${alias}.${c}`;
  const out: Expression<SqlBool>[] = [];
  const status = numberFilter(query, 'status');
  if (status !== undefined) out.push(integerEquals(col('status'), status));
  const reference = filterValue(query, 'reference');
  if (reference !== undefined) out.push(sql<SqlBool>`lower(${sql.ref(col('reference'))}) = ${reference.toLowerCase()}`);
  const outstanding = queryBool(query, 'outstanding');
  if (outstanding !== undefined) {
    const open = inList(col('status'), openStatuses);
    out.push(outstanding ? open : sql<SqlBool>`not (${open})`);
  }
  const overdue = queryBool(query, 'overdue');
  if (overdue !== undefined) {
    const cond = sql<SqlBool>`(${inList(col('status'), openStatuses)} and ${sql.ref(col('target_date'))} is not null and ${sql.ref(col('target_date'))} < ${today})`;
    out.push(overdue ? cond : sql<SqlBool>`not ${cond}`);
  }
  for (const name of ['assigned_to_me', 'has_project_code']) {
    const v = queryBool(query, name);
    if (v === true) out.push(sqlFalse);
  }
  const createdBy = await modelChoiceFilter(db, query, 'created_by', userExists);
  if (createdBy !== undefined) out.push(sql<SqlBool>`${sql.ref(col('created_by_id'))} = ${createdBy}`);
  for (const [name, column] of [
    ['has_start_date', 'start_date'],
    ['has_target_date', 'target_date'],
  ] as const) {
    const v = queryBool(query, name);
    if (v !== undefined) out.push(v ? sql<SqlBool>`${sql.ref(col(column))} is not null` : sql<SqlBool>`${sql.ref(col(column))} is null`);
  }
  const dateColumns: [string, string][] = [
    ['created', 'creation_date'],
    ['start_date', 'start_date'],
    ['target_date', 'target_date'],
  ];
  if (completeDateColumn !== undefined) dateColumns.push(['completed', completeDateColumn]);
  for (const [prefix, column] of dateColumns) {
    const before = dateFilter(query, `${prefix}_before`);
    if (before !== undefined) out.push(sql<SqlBool>`${sql.ref(col(column))} < ${before}`);
    const after = dateFilter(query, `${prefix}_after`);
    if (after !== undefined) out.push(sql<SqlBool>`${sql.ref(col(column))} > ${after}`);
  }
  return out.length > 0 ? out : [sqlTrue];
}

/** `ORDER BY` terms from a key → SQL expressions table, with the primary key last so pages are stable. */
export function orderByClause(terms: readonly OrderingTerm[], table: Record<string, Expression<unknown>[]>, pk: string) {
  const parts = terms.flatMap((t) => (table[t.key] ?? []).map((e) => sql`${e} ${sql.raw(t.desc ? 'desc' : 'asc')}`));
  parts.push(sql`${sql.ref(pk)} asc`);
  return sql.join(parts);
}
