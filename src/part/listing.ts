/**
 * List-endpoint helpers shared by the catalogue (companies, supplier and manufacturer parts,
 * part categories, parts): DRF's search (every word must match one of the fields,
 * case-insensitively), DRF's ordering parameter, django-filter's model-choice filters (a
 * missing object is a 400 naming every bad filter at once) and the input clean-up InvenTree
 * applies to text fields.
 */
import { sql, type Expression, type ExpressionBuilder, type SqlBool } from 'kysely';
import type { Executor } from '../db/transaction.js';
import { ValidationError } from '../http/errors.js';
import { coerceInteger } from '../http/fields.js';
import { isTruthy, queryString, type Query } from '../http/listing.js';

export const INVALID_CHOICE = 'Select a valid choice. That choice is not one of the available choices.';

/** DRF SearchFilter's terms: the text split on whitespace and commas, NUL characters dropped. */
export function searchTerms(query: Query): string[] {
  const text = queryString(query, 'search');
  if (text === undefined) return [];
  return text
    .replace(/\u0000/g, '')
    .replace(/,/g, ' ')
    .split(/\s+/)
    .filter((t) => t !== '');
}

/** `%term%`, lower-cased, with LIKE's wildcards escaped (used with `escape '\'`). */
export function containsPattern(term: string): string {
  return `%${term.toLowerCase().replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
}

/** `lower(column) like '%term%'`, for a column reference such as `part.name`. */
export function ilike(column: string, term: string): Expression<SqlBool> {
  return sql<SqlBool>`lower(${sql.ref(column)}) like ${containsPattern(term)} escape '\\'`;
}

/** Case-insensitive equality (django's `iexact`). */
export function iequals(column: string, value: string): Expression<SqlBool> {
  return sql<SqlBool>`lower(${sql.ref(column)}) = ${value.toLowerCase()}`;
}

/**
 * DRF search: each term must match at least one of the matchers. A matcher turns a term into
 * a condition (a column match, or an EXISTS over a related table).
 */
export function searchCondition(
  eb: ExpressionBuilder<any, any>,
  terms: readonly string[],
  matchers: readonly ((term: string) => Expression<SqlBool>)[],
): Expression<SqlBool> {
  return eb.and(terms.map((term) => eb.or(matchers.map((m) => m(term)))));
}

/** Matchers for plain columns of the listed table. */
export function columnMatchers(columns: readonly string[]): ((term: string) => Expression<SqlBool>)[] {
  return columns.map((c) => (term: string) => ilike(c, term));
}

export interface OrderSpec {
  /** Column references (or SQL expressions) ordered together for this key. */
  columns: readonly (string | Expression<unknown>)[];
}

export interface Ordering {
  columns: readonly (string | Expression<unknown>)[];
  desc: boolean;
}

/**
 * DRF OrderingFilter: `?ordering=field` or `-field`, several separated by commas; unknown
 * fields are ignored; nothing valid → the endpoint's default.
 */
export function orderingOf(query: Query, allowed: Record<string, OrderSpec>, fallback: readonly Ordering[]): Ordering[] {
  const text = queryString(query, 'ordering');
  if (text === undefined) return [...fallback];
  const out: Ordering[] = [];
  for (const raw of text.split(',')) {
    const item = raw.trim();
    const desc = item.startsWith('-');
    const key = desc ? item.slice(1) : item;
    const spec = Object.prototype.hasOwnProperty.call(allowed, key) ? allowed[key] : undefined;
    if (spec !== undefined) out.push({ columns: spec.columns, desc });
  }
  return out.length > 0 ? out : [...fallback];
}

/** Applies orderings to a Kysely select query, then the primary key for a stable order. */
export function applyOrdering<Q extends { orderBy: (...args: any[]) => Q }>(q: Q, orderings: readonly Ordering[], pkColumn: string): Q {
  let out = q;
  for (const o of orderings) {
    for (const c of o.columns) {
      const ref = typeof c === 'string' ? sql.ref(c) : c;
      out = out.orderBy(ref as any, o.desc ? 'desc' : 'asc');
    }
  }
  return out.orderBy(sql.ref(pkColumn) as any, 'asc');
}

/**
 * Model-choice filters (django-filter ModelChoiceFilter). Values are checked as a batch so a
 * request with several bad filters answers one 400 naming all of them.
 */
export class FilterErrors {
  private readonly errors: Record<string, string[]> = {};

  constructor(private readonly query: Query) {}

  /**
   * The pk named by `key`: undefined when the parameter is absent or empty, `null` for the
   * literal `null`/`none` when `allowNull` is set; otherwise it must name an existing object.
   */
  async pk(key: string, exists: (pk: number) => Promise<boolean>, options: { allowNull?: boolean } = {}): Promise<number | null | undefined> {
    const raw = queryString(this.query, key);
    if (raw === undefined) return undefined;
    const text = raw.trim();
    if (text === '') return undefined;
    if (options.allowNull && ['null', 'none'].includes(text.toLowerCase())) return null;
    const n = coerceInteger(text);
    if (n === undefined || n < 1 || n > 2147483647 || !(await exists(n))) {
      this.errors[key] = [INVALID_CHOICE];
      return undefined;
    }
    return n;
  }

  /** Throws the collected 400, if any filter was invalid. */
  check(): void {
    if (Object.keys(this.errors).length > 0) throw new ValidationError(this.errors);
  }
}

/** A detail switch such as `?part_detail=true` with its default. */
export function detailFlag(query: Query, key: string, fallback: boolean): boolean {
  const v = queryString(query, key);
  if (v === undefined) return fallback;
  return isTruthy(v);
}

const HTML_TAG = /<\/?[A-Za-z!][^<>]*>/g;

/**
 * InvenTree's input clean-up for text fields: HTML tags are stripped and, except in markdown
 * notes, line breaks are removed.
 */
export function cleanText(value: string, keepNewlines = false): string {
  const stripped = value.replace(HTML_TAG, '');
  return keepNewlines ? stripped : stripped.replace(/[\r\n]+/g, '');
}

/** Applies `cleanText` to every string value of a parsed body (notes keep their newlines). */
export function cleanStrings<T extends Record<string, unknown>>(body: T, notesKeys: readonly string[] = ['notes']): T {
  const out: Record<string, unknown> = { ...body };
  for (const [k, v] of Object.entries(out)) {
    if (typeof v === 'string') out[k] = cleanText(v, notesKeys.includes(k));
  }
  return out as T;
}

/** Serialises PostgreSQL writers that check a rule no index enforces (e.g. sibling names). */
export async function lockForCheck(db: Executor, dialect: 'sqlite' | 'postgres', key: string): Promise<void> {
  if (dialect !== 'postgres') return;
  await sql`select pg_advisory_xact_lock(hashtext(${key}))`.execute(db);
}
