/**
 * Path parameters. Django's `<int:pk>` converter matches digits only; anything else falls
 * through to the API catch-all 404, so routes use `PK_PARAM` and read it with `pkParam`.
 */
import type { FastifyRequest } from 'fastify';
import { ApiError } from './errors.js';
import { isPossibleKey } from '../db/keys.js';

/** A path segment of digits only, named `pk`. */
export const PK_PARAM = ':pk(^\\d+)';

/** The `pk` path parameter; a number too large to be a key answers DRF's detail 404. */
export function pkParam(request: FastifyRequest, modelClassName: string): number {
  const raw = (request.params as { pk?: string }).pk ?? '';
  const n = Number(raw);
  if (!isPossibleKey(n)) {
    throw new ApiError(404, { detail: `No ${modelClassName} matches the given query.` });
  }
  return n;
}
