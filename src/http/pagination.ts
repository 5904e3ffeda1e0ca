/**
 * DRF's LimitOffsetPagination with no default page size (core-api.md §1.1): without `limit`
 * a list is a plain JSON array; with a positive `limit` it is
 * `{count, next, previous, results}` with absolute `next`/`previous` URLs.
 */
import type { FastifyRequest } from 'fastify';
import { Type, type TSchema } from '@sinclair/typebox';
import { Nullable } from './schema.js';
import { coerceInteger } from './fields.js';
import { queryOf, queryString } from './listing.js';

export interface Page<T> {
  count: number;
  next: string | null;
  previous: string | null;
  results: T[];
}

export interface PageRequest {
  limit: number;
  offset: number;
}

/** The page asked for, or undefined for "the whole list". */
export function pageRequest(request: FastifyRequest): PageRequest | undefined {
  const query = queryOf(request);
  const limitText = queryString(query, 'limit');
  if (limitText === undefined) return undefined;
  const limit = coerceInteger(limitText);
  if (limit === undefined || limit <= 0) return undefined;
  const offset = coerceInteger(queryString(query, 'offset') ?? '0');
  return { limit, offset: offset === undefined || offset < 0 ? 0 : offset };
}

/** The absolute URL of this request. */
export function absoluteUrl(request: FastifyRequest, path: string = request.url): string {
  return `${request.protocol}://${request.host}${path}`;
}

function pageUrl(request: FastifyRequest, limit: number, offset: number | null): string {
  const url = new URL(absoluteUrl(request));
  url.searchParams.set('limit', String(limit));
  if (offset === null) url.searchParams.delete('offset');
  else url.searchParams.set('offset', String(offset));
  return url.toString();
}

export function buildPage<T>(request: FastifyRequest, page: PageRequest, count: number, results: T[]): Page<T> {
  const { limit, offset } = page;
  const next = offset + limit < count ? pageUrl(request, limit, offset + limit) : null;
  let previous: string | null = null;
  if (offset > 0) previous = offset - limit <= 0 ? pageUrl(request, limit, null) : pageUrl(request, limit, offset - limit);
  return { count, next, previous, results };
}

/**
 * Answers a list request: `fetch(undefined)` for the whole list, or `count()` plus
 * `fetch(page)` for one page.
 */
export async function paginate<T>(
  request: FastifyRequest,
  count: () => Promise<number>,
  fetch: (page: PageRequest | undefined) => Promise<T[]>,
): Promise<T[] | Page<T>> {
  const page = pageRequest(request);
  if (page === undefined) return fetch(undefined);
  const [total, results] = await Promise.all([count(), fetch(page)]);
  return buildPage(request, page, total, results);
}

/** Paginates a list already in memory (small, fixed lists such as settings). */
export function paginateArray<T>(request: FastifyRequest, items: T[]): T[] | Page<T> {
  const page = pageRequest(request);
  if (page === undefined) return items;
  return buildPage(request, page, items.length, items.slice(page.offset, page.offset + page.limit));
}

/** Response schema of a list endpoint: the array, or the page envelope when `limit` is given. */
export function listResponse(item: TSchema): TSchema {
  return Type.Union([
    Type.Array(item),
    Type.Object({
      count: Type.Integer(),
      next: Nullable(Type.String()),
      previous: Nullable(Type.String()),
      results: Type.Array(item),
    }),
  ]);
}
