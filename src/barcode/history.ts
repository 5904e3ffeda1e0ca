/**
 * Scan history (barcode-api.md §1.4, §5; decision D6). Every barcode endpoint that InvenTree
 * logs stores what was sent, by whom, to which endpoint, what came back, whether it matched
 * and which plugin answered — when BARCODE_STORE_RESULTS is on (Stockscan's default).
 *
 * The cap BARCODE_RESULTS_MAX_NUM is kept without counting the table: ids only grow, so after
 * inserting row N every row with an id ≤ N − max is older than the newest `max` and is
 * deleted with one indexed range delete. At most `max` rows remain, at any table size.
 */
import type { FastifyRequest } from 'fastify';
import type { Executor } from '../db/transaction.js';
import type { SettingsService } from '../settings/service.js';
import { nowIso } from '../util/time.js';
import { barcodeHash } from './formats/hash.js';

export interface ScanRecord {
  /** The raw `barcode` value of the request (not stripped), as text. */
  data: string;
  userId: number | null;
  endpoint: string;
  context: Record<string, unknown>;
  response: unknown;
  result: boolean;
  plugin: string | null;
  /** The barcode after scan repair; undefined when the request's barcode was invalid. */
  normalized?: string;
}

/** The normalised barcode of each request being answered (set by prepareBarcode). */
const normalizedOf = new WeakMap<FastifyRequest, string>();

export function noteNormalized(request: FastifyRequest, normalized: string): void {
  normalizedOf.set(request, normalized);
}

/** The request's parameters (query string, then body) without `barcode` (§1.4 step 1). */
export function requestContext(request: FastifyRequest): Record<string, unknown> {
  const query = (request.query ?? {}) as Record<string, unknown>;
  const body = request.body !== null && typeof request.body === 'object' && !Array.isArray(request.body) ? (request.body as Record<string, unknown>) : {};
  const context: Record<string, unknown> = { ...query, ...body };
  delete context.barcode;
  return context;
}

/** The raw barcode value sent, as text (`""` when missing; numbers in their text form, D20). */
export function rawBarcode(request: FastifyRequest): string {
  const body = request.body !== null && typeof request.body === 'object' && !Array.isArray(request.body) ? (request.body as Record<string, unknown>) : {};
  const value = body.barcode ?? ((request.query ?? {}) as Record<string, unknown>).barcode;
  if (value === undefined || value === null) return '';
  return typeof value === 'string' ? value : JSON.stringify(value);
}

/** Stores one scan and prunes the history to its cap. Failures are logged, never raised. */
export async function recordScan(db: Executor, settings: SettingsService, record: ScanRecord, request?: FastifyRequest): Promise<void> {
  try {
    if (!(await settings.getGlobalBool('BARCODE_STORE_RESULTS'))) return;
    const row = await db
      .insertInto('barcode_scan')
      .values({
        data: record.data,
        user_id: record.userId,
        timestamp: nowIso(),
        endpoint: record.endpoint,
        context: JSON.stringify(record.context),
        response: JSON.stringify(record.response),
        result: record.result,
        plugin: record.plugin,
        normalized: record.normalized ?? null,
        normalized_hash: record.normalized === undefined ? null : barcodeHash(record.normalized),
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    const max = await settings.getGlobalInt('BARCODE_RESULTS_MAX_NUM');
    if (row.id > max) await db.deleteFrom('barcode_scan').where('id', '<=', row.id - max).execute();
  } catch (error) {
    request?.log.error({ err: error }, 'could not store the scan result');
  }
}

/** Records a scan made by `request` on its own endpoint. */
export function recordRequestScan(
  db: Executor,
  settings: SettingsService,
  request: FastifyRequest,
  response: unknown,
  result: boolean,
  plugin: string | null,
): Promise<void> {
  return recordScan(
    db,
    settings,
    {
      data: rawBarcode(request),
      userId: request.user?.id ?? null,
      endpoint: request.url.split('?')[0] ?? request.url,
      context: requestContext(request),
      response,
      result,
      plugin,
      ...(normalizedOf.has(request) ? { normalized: normalizedOf.get(request) as string } : {}),
    },
    request,
  );
}
