/**
 * Query-string helpers with django-filter's leniency: unknown parameters are ignored,
 * booleans accept `true/True/1/yes/on/...` case-insensitively, invalid values of optional
 * filters are ignored unless the filter is a model choice (then 400, see `pkFilter`).
 */
import type { FastifyRequest } from 'fastify';
import { coerceInteger } from './fields.js';

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

/** DRF's truthy spellings (`str2bool`): the flag is on only for these. */
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

/** An optional `?<flag>=true` detail switch with a default. */
export function queryFlag(query: Query, key: string, fallback: boolean): boolean {
  return queryBool(query, key) ?? fallback;
}

/** An integer filter; undefined when absent or not an integer. */
export function queryInt(query: Query, key: string): number | undefined {
  const v = queryString(query, key);
  return v === undefined ? undefined : coerceInteger(v);
}
