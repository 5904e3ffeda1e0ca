/**
 * Reading list requests the way InvenTree's list endpoints do (core-api.md §1.2): query
 * parameters with django-filter's leniency (unknown parameters ignored, Python-client booleans
 * accepted), filters that collect every bad value into one 400 in DRF's body shape, DRF's
 * SearchFilter (every search term must match one of the fields, case-insensitively) and
 * OrderingFilter (`?ordering=a,-b`, unknown fields ignored).
 *
 * A list handler typically does:
 *
 *   const filters = new ListFilters(db, query);
 *   const part = await filters.pk('part', rowExists('part'));
 *   const status = filters.number('status');
 *   filters.check();                                  // 400 naming every bad filter
 *   … conditions …
 *   const search = searchCondition(query, ['part.name', (t) => sql`… ${icontains('c.name', t)}`]);
 *   const ordering = orderingOf(query, { name: ['part.name'], … }, 'name');
 *   applyOrdering(q, ordering, 'part.id')             // or sql`order by ${orderByClause(ordering, 'x.id')}`
 */
import type { FastifyRequest } from 'fastify';
import { sql, type Expression, type RawBuilder, type SqlBool } from 'kysely';
import type { Executor } from '../db/transaction.js';
import type { PageRequest } from './pagination.js';
import { isPythonSpace, pythonStrip } from '../text/python-strip.js';
import { ValidationError } from './errors.js';
import { coerceInteger, coerceNumber } from './fields.js';
import { fitsInteger, isPossibleKey } from '../db/keys.js';

// --- query parameters ------------------------------------------------------------------------

export type Query = Record<string, string | string[] | undefined>;

export function queryOf(request: FastifyRequest): Query {
  return (request.query ?? {}) as Query;
}

/** The first value of a parameter, or undefined when it is absent. */
export function queryString(query: Query, key: string): string | undefined {
  const v = query[key];
  if (Array.isArray(v)) return v[0];
  return v;
}

const TRUE = new Set(['1', 'y', 'yes', 't', 'true', 'ok', 'on']);
const FALSE = new Set(['0', 'n', 'no', 'f', 'false', 'off']);

/** DRF's truthy spellings (`str2bool`, core-api.md §1): the flag is on only for these. */
export function isTruthy(value: string | undefined): boolean {
  return value !== undefined && TRUE.has(value.trim().toLowerCase());
}

/** A boolean filter: true, false, or undefined when absent or not a boolean spelling. */
export function queryBool(query: Query, key: string): boolean | undefined {
  const v = queryString(query, key);
  if (v === undefined) return undefined;
  const text = v.trim().toLowerCase();
  if (TRUE.has(text)) return true;
  if (FALSE.has(text)) return false;
  return undefined;
}

/** An integer parameter; undefined when absent or not an integer. */
export function queryInt(query: Query, key: string): number | undefined {
  const v = queryString(query, key);
  return v === undefined ? undefined : coerceInteger(v);
}

/**
 * A detail switch such as `?part_detail=true`: `fallback` when absent, otherwise on only for
 * a truthy spelling (InvenTree's `str2bool`, so `?part_detail=maybe` turns a default-on
 * detail off).
 */
export function detailFlag(query: Query, key: string, fallback: boolean): boolean {
  const v = queryString(query, key);
  return v === undefined ? fallback : isTruthy(v);
}

// --- filters ---------------------------------------------------------------------------------

export const INVALID_CHOICE = 'Select a valid choice. That choice is not one of the available choices.';

/** Whether a pk names an object the filter accepts (the same signature as `f.pk`'s `exists`). */
export type ExistsCheck = (db: Executor, id: number) => Promise<boolean>;

/** A filter's text, stripped; undefined when absent or blank (django-filter skips empty values). */
export function filterText(query: Query, key: string): string | undefined {
  const v = queryString(query, key);
  if (v === undefined) return undefined;
  const text = pythonStrip(v);
  return text === '' ? undefined : text;
}

const DATE = /^\d{4}-\d{2}-\d{2}$/;

/**
 * django-filter's typed filters for one request. Each bad value is recorded (and read as
 * absent); `check()` then answers one 400 naming every bad filter, as a FilterSet's form does.
 */
export class ListFilters {
  private readonly errors: Record<string, string[]> = {};

  constructor(
    private readonly db: Executor,
    private readonly query: Query,
  ) {}

  /** A ModelChoiceFilter: the pk of an existing (and accepted) object, else `INVALID_CHOICE`. */
  async pk(key: string, exists: ExistsCheck): Promise<number | undefined> {
    const text = filterText(this.query, key);
    if (text === undefined) return undefined;
    const id = coerceInteger(text);
    if (id === undefined || !isPossibleKey(id) || !(await exists(this.db, id))) {
      this.error(key, INVALID_CHOICE);
      return undefined;
    }
    return id;
  }

  /** Like `pk`, but the literal `null` / `none` (any case) selects "no object": `null`. */
  async pkOrNull(key: string, exists: ExistsCheck): Promise<number | null | undefined> {
    const text = filterText(this.query, key);
    if (text !== undefined && ['null', 'none'].includes(text.toLowerCase())) return null;
    return this.pk(key, exists);
  }

  /** A NumberFilter: `Enter a number.` when not a number. */
  number(key: string): number | undefined {
    const text = filterText(this.query, key);
    if (text === undefined) return undefined;
    const n = coerceNumber(text);
    if (n === undefined) this.error(key, 'Enter a number.');
    return n;
  }

  /** A DateFilter (`YYYY-MM-DD`): `Enter a valid date.` otherwise. */
  date(key: string): string | undefined {
    const text = filterText(this.query, key);
    if (text === undefined) return undefined;
    const parsed = DATE.test(text) ? new Date(`${text}T00:00:00Z`) : undefined;
    const valid = parsed !== undefined && !Number.isNaN(parsed.getTime()) && parsed.toISOString().slice(0, 10) === text;
    if (!valid) {
      this.error(key, 'Enter a valid date.');
      return undefined;
    }
    return text;
  }

  /** Records a bad filter with its message. */
  error(key: string, message: string): void {
    this.errors[key] = [message];
  }

  /** Throws the 400 with every bad filter, if any. */
  check(): void {
    if (Object.keys(this.errors).length > 0) throw new ValidationError({ ...this.errors });
  }
}

// --- conditions ------------------------------------------------------------------------------

/** A column reference (`"table.column"`) or an SQL expression. */
export type ColumnLike = string | Expression<unknown>;

function toExpression(column: ColumnLike): Expression<unknown> {
  return typeof column === 'string' ? sql.ref(column) : column;
}

export const sqlTrue: RawBuilder<SqlBool> = sql<SqlBool>`1 = 1`;
export const sqlFalse: RawBuilder<SqlBool> = sql<SqlBool>`1 = 0`;

/**
 * `column = value` for an integer column and a NumberFilter value: truncated as Django's
 * IntegerField does; a value no integer column can hold matches nothing.
 */
export function integerEquals(column: ColumnLike, value: number): RawBuilder<SqlBool> {
  const n = Math.trunc(value);
  if (!fitsInteger(n)) return sqlFalse;
  return sql<SqlBool>`${toExpression(column)} = ${n}`;
}

/** `column IN (values)` for a fixed set of integers (status codes); nothing matches an empty set. */
export function inList(column: ColumnLike, values: readonly number[]): RawBuilder<SqlBool> {
  if (values.length === 0) return sqlFalse;
  return sql<SqlBool>`${toExpression(column)} in (${sql.join(values.map((v) => sql.lit(Math.trunc(v))))})`;
}

/** A boolean filter on a condition: nothing when absent, the condition or its negation. */
export function boolCondition(value: boolean | undefined, condition: Expression<SqlBool>): RawBuilder<SqlBool>[] {
  if (value === undefined) return [];
  return [value ? sql<SqlBool>`${condition}` : sql<SqlBool>`not (${condition})`];
}

/** `<prefix>_before` / `<prefix>_after` date filters on a column (strictly before / after). */
export function dateRangeConditions(filters: ListFilters, column: ColumnLike, prefix: string): RawBuilder<SqlBool>[] {
  const out: RawBuilder<SqlBool>[] = [];
  const before = filters.date(`${prefix}_before`);
  const after = filters.date(`${prefix}_after`);
  if (before !== undefined) out.push(sql<SqlBool>`${toExpression(column)} < ${before}`);
  if (after !== undefined) out.push(sql<SqlBool>`${toExpression(column)} > ${after}`);
  return out;
}

/** The conditions joined with `and` (true when there are none). */
export function allOf(conditions: readonly Expression<SqlBool>[]): RawBuilder<SqlBool> {
  return conditions.length === 0 ? sqlTrue : sql<SqlBool>`(${sql.join(conditions, sql` and `)})`;
}

// --- search ----------------------------------------------------------------------------------

/**
 * DRF SearchFilter's terms: NUL characters dropped, commas read as spaces, split on
 * whitespace as Python's `str.split()` does.
 */
export function searchTerms(query: Query): string[] {
  const text = queryString(query, 'search');
  if (text === undefined) return [];
  const terms: string[] = [];
  let current = '';
  for (const ch of text.replace(/\u0000/g, '')) {
    if (ch === ',' || isPythonSpace(ch.charCodeAt(0))) {
      if (current !== '') terms.push(current);
      current = '';
    } else current += ch;
  }
  if (current !== '') terms.push(current);
  return terms;
}

/** `%term%`, lower-cased, with LIKE's wildcards escaped (used with `escape '\'`). */
export function containsPattern(term: string): string {
  return `%${term.toLowerCase().replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
}

/** Django's `icontains`: `lower(column) like '%term%'`. */
export function icontains(column: ColumnLike, term: string): RawBuilder<SqlBool> {
  return sql<SqlBool>`lower(${toExpression(column)}) like ${containsPattern(term)} escape '\\'`;
}

/** Django's `iexact`: `lower(column) = lower(value)`. */
export function iexact(column: ColumnLike, value: string): RawBuilder<SqlBool> {
  return sql<SqlBool>`lower(${toExpression(column)}) = ${value.toLowerCase()}`;
}

/**
 * A search field: a column or expression matched with `icontains`, or a function giving the
 * condition for one term (for matches through related tables).
 */
export type SearchField = ColumnLike | ((term: string) => Expression<SqlBool>);

/**
 * DRF search over `fields`: every term must match at least one field. Undefined without
 * search terms.
 */
export function searchCondition(query: Query, fields: readonly SearchField[]): RawBuilder<SqlBool> | undefined {
  const terms = searchTerms(query);
  if (terms.length === 0) return undefined;
  const perTerm = terms.map((term) => {
    const matches = fields.map((field) => (typeof field === 'function' ? field(term) : icontains(field, term)));
    return sql<SqlBool>`(${sql.join(matches, sql` or `)})`;
  });
  return sql<SqlBool>`(${sql.join(perTerm, sql` and `)})`;
}

// --- ordering --------------------------------------------------------------------------------

/**
 * One sort key of an ordering field. `nullable` keys sort nulls as PostgreSQL does (last when
 * ascending, first when descending) on both databases.
 */
export type SortKey = ColumnLike | { expr: ColumnLike; nullable: boolean };

/** The fields `?ordering=` accepts, each with the keys it sorts by. */
export type OrderingFields = Record<string, readonly SortKey[]>;

export interface Ordering {
  keys: readonly SortKey[];
  desc: boolean;
}

function parseOrdering(text: string, fields: OrderingFields): Ordering[] {
  const out: Ordering[] = [];
  for (const raw of text.split(',')) {
    const item = raw.trim();
    const desc = item.startsWith('-');
    const name = desc ? item.slice(1) : item;
    if (Object.prototype.hasOwnProperty.call(fields, name)) out.push({ keys: fields[name]!, desc });
  }
  return out;
}

/**
 * DRF OrderingFilter: `?ordering=a,-b` among `fields`; unknown fields are ignored, and when
 * none is left the endpoint's default `fallback` (same syntax, e.g. `-reference`) applies.
 */
export function orderingOf(query: Query, fields: OrderingFields, fallback = ''): Ordering[] {
  const text = queryString(query, 'ordering');
  const asked = text === undefined ? [] : parseOrdering(text, fields);
  return asked.length > 0 ? asked : parseOrdering(fallback, fields);
}

function orderFragments(orderings: readonly Ordering[], pk: string): RawBuilder<unknown>[] {
  const out: RawBuilder<unknown>[] = [];
  for (const o of orderings) {
    const dir = o.desc ? sql`desc` : sql`asc`;
    for (const key of o.keys) {
      const spec = typeof key === 'object' && 'expr' in key ? key : { expr: key, nullable: false };
      const expr = toExpression(spec.expr);
      if (spec.nullable) out.push(sql`(case when ${expr} is null then 1 else 0 end) ${dir}`);
      out.push(sql`${expr} ${dir}`);
    }
  }
  out.push(sql`${sql.ref(pk)} asc`);
  return out;
}

/** The ORDER BY list for raw SQL: the orderings, then the primary key so pages are stable. */
export function orderByClause(orderings: readonly Ordering[], pk: string): RawBuilder<unknown> {
  return sql.join(orderFragments(orderings, pk));
}

/** Applies the orderings, then the primary key, to a Kysely select query. */
export function applyOrdering<Q extends { orderBy: (...args: any[]) => Q }>(q: Q, orderings: readonly Ordering[], pk: string): Q {
  let out = q;
  for (const fragment of orderFragments(orderings, pk)) out = out.orderBy(fragment);
  return out;
}

// --- running a list --------------------------------------------------------------------------

/** A filtered list: its size and one page (or all) of its rows. */
export interface ListQuery<Row> {
  count(): Promise<number>;
  fetch(page: PageRequest | undefined): Promise<Row[]>;
}

/**
 * A list over raw SQL: `from` names the listed table as `alias` (with any joins the
 * conditions and orderings need); rows are `alias.*`, ordered, then by `alias.id`.
 */
export function sqlList<Row>(db: Executor, from: RawBuilder<unknown>, alias: string, conditions: readonly Expression<SqlBool>[], orderings: readonly Ordering[]): ListQuery<Row> {
  const where = allOf(conditions);
  return {
    async count() {
      const r = await sql<{ n: number }>`select count(*) as n from ${from} where ${where}`.execute(db);
      return Number(r.rows[0]?.n ?? 0);
    },
    async fetch(page) {
      const limit = page === undefined ? sql`` : sql`limit ${page.limit} offset ${page.offset}`;
      const r = await sql<Row>`select ${sql.ref(alias)}.* from ${from} where ${where} order by ${orderByClause(orderings, `${alias}.id`)} ${limit}`.execute(db);
      return r.rows;
    },
  };
}
