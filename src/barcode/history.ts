/**
 * Scan history (barcode-api.md §1.4, §5; decision D6). Every barcode endpoint that InvenTree
 * logs stores what was sent, by whom, to which endpoint, what came back, whether it matched
 * and which plugin answered — when BARCODE_STORE_RESULTS is on (Stockscan's default).
 *
 * The cap BARCODE_RESULTS_MAX_NUM is kept without counting the table: ids only grow, so after
 * inserting row N every row with an id ≤ N − max is older than the newest `max` and is
 * deleted with one indexed range delete. At most `max` rows remain, at any table size.
 *
 * Writes are batched: the scans of one event-loop tick are inserted in one transaction (and
 * the history pruned once), and every request still waits until its row has been committed
 * before it answers. Under load this turns hundreds of commits a second into a few. On
 * PostgreSQL the batch's insert and prune are one statement: one round trip rather than four
 * (begin, insert, delete, commit).
 */
import { AsyncResource } from 'node:async_hooks';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { PostgresAdapter, sql, type Insertable, type Kysely } from 'kysely';
import type { BarcodeScanTable, DB } from '../db/schema.js';
import { openTransactionOf, type Executor } from '../db/transaction.js';
import type { SettingsService } from '../settings/service.js';
import { coerceBoolean, coerceInteger } from '../http/fields.js';
import { nowIso } from '../util/time.js';
import { barcodeHash } from './formats/hash.js';

/** A scan answer already serialised: stored as it is. */
export class AnswerText {
  constructor(readonly json: string) {}
}

export interface ScanRecord {
  /** The raw `barcode` value of the request (not stripped), as text. */
  data: string;
  userId: number | null;
  endpoint: string;
  context: Record<string, unknown>;
  /** The answer: a JSON value, or its text. */
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

type ScanRow = Insertable<BarcodeScanTable>;

interface PendingScan {
  row: ScanRow;
  /** BARCODE_RESULTS_MAX_NUM when the scan was made. */
  max: number;
  request: FastifyRequest | undefined;
  done: () => void;
}

/** Rows per INSERT statement (well below SQLite's limit of bound parameters). */
const ROWS_PER_STATEMENT = 200;

/**
 * Runs the flushes outside the async context of whichever request happened to schedule them,
 * so that a flush never joins that request's transaction scope (db/connection.ts).
 */
const detached = new AsyncResource('stockscan-scan-history');

/** Collects the scans of one tick and writes them in one transaction. One per database. */
class HistoryWriter {
  private queue: PendingScan[] = [];
  private flushing = false;
  private scheduled = false;

  constructor(
    private readonly db: Kysely<DB>,
    private readonly pruner: HistoryPruner,
  ) {}

  /** Resolves once the row is committed (or its failure logged). */
  write(row: ScanRow, max: number, request: FastifyRequest | undefined): Promise<void> {
    return new Promise((resolve) => {
      this.queue.push({ row, max, request, done: resolve });
      this.schedule();
    });
  }

  private schedule(): void {
    if (this.scheduled || this.flushing) return;
    this.scheduled = true;
    detached.runInAsyncScope(() => setImmediate(() => void this.flush()));
  }

  private async flush(): Promise<void> {
    this.scheduled = false;
    this.flushing = true;
    const batch = this.queue;
    this.queue = [];
    const max = (batch[batch.length - 1] as PendingScan).max;
    try {
      // The one statement's delete does not see the rows it inserts: for a batch larger than
      // the cap (a tiny cap) the transaction keeps it exact.
      if (batch.length <= ROWS_PER_STATEMENT && batch.length <= max && writesInCtes(this.db)) {
        await this.pruner.insertPruning(this.db, batch.map((p) => p.row), max);
      } else {
        await this.db.transaction().execute(async (trx) => {
          let last = 0;
          for (let i = 0; i < batch.length; i += ROWS_PER_STATEMENT) {
            const ids = await trx
              .insertInto('barcode_scan')
              .values(batch.slice(i, i + ROWS_PER_STATEMENT).map((p) => p.row))
              .returning('id')
              .execute();
            for (const { id } of ids) last = Math.max(last, id);
          }
          await this.pruner.prune(trx, last, max);
        });
      }
    } catch {
      // One bad row must not lose the others: store them one by one.
      for (const p of batch) {
        try {
          await this.db.transaction().execute(async (trx) => {
            const { id } = await trx.insertInto('barcode_scan').values(p.row).returning('id').executeTakeFirstOrThrow();
            await this.pruner.prune(trx, id, p.max);
          });
        } catch (error) {
          p.request?.log.error({ err: error }, 'could not store the scan result');
        }
      }
    } finally {
      for (const p of batch) p.done();
      this.flushing = false;
      if (this.queue.length > 0) this.schedule();
    }
  }
}

/** Every this many prunes (and the first) a pruner deletes its whole range, not only the new part. */
const FULL_PRUNE_EVERY = 1000;

/**
 * Keeps the newest `max` rows of the history, given the newest id: one indexed range delete,
 * from where this process's last prune of the database ended. On PostgreSQL the rows a delete
 * removes stay in the id index as dead entries until a vacuum, and a delete of everything up to
 * the cutoff walks all of them from the index's start: with thousands of scans a second and
 * the vacuum behind (or off), each prune cost more than the one before (~20 ms after 200 000
 * deleted rows). Everything below where the last prune ended is gone already, except rows no
 * bounded prune can see: an id taken by a transaction that committed after the prune above it,
 * or a prune rolled back. So every `fullEvery`-th prune, and the first, deletes the whole range.
 */
export class HistoryPruner {
  /** The cutoff of this pruner's latest prune: older rows were deleted then or before. */
  private through: number | undefined;
  private prunes = 0;

  constructor(private readonly fullEvery = FULL_PRUNE_EVERY) {}

  /** Where this prune starts (rows above it are deleted); undefined: the whole range. */
  private start(): number | undefined {
    return this.prunes % this.fullEvery === 0 ? undefined : this.through;
  }

  async prune(db: Executor, newestId: number, max: number): Promise<void> {
    const cutoff = newestId - max;
    if (cutoff <= 0) return;
    const from = this.start();
    if (from !== undefined && cutoff <= from) return;
    this.prunes += 1;
    let rows = db.deleteFrom('barcode_scan').where('id', '<=', cutoff);
    if (from !== undefined) rows = rows.where('id', '>', from);
    await rows.execute();
    this.through = Math.max(this.through ?? 0, cutoff);
  }

  /**
   * Stores `rows` and prunes the history in one statement, so in one round trip (PostgreSQL,
   * whose data-modifying CTEs make that possible): the delete's cutoff is the newest stored id
   * less `max`. The delete sees the table as it was before the statement, so none of the new
   * rows can go with it: the writer sends batches larger than the cap through a transaction
   * instead, and if another process's rows took ids among this batch's (so that its first rows
   * fall below the cutoff), the prune is marked as ending below the batch's first row and the
   * next one deletes them.
   */
  async insertPruning(db: Kysely<DB>, rows: ScanRow[], max: number): Promise<void> {
    const from = this.start();
    const stored = await db
      .with('added', (q) => q.insertInto('barcode_scan').values(rows).returning('id'))
      .with('pruned', (q) => {
        let pruned = q.deleteFrom('barcode_scan').where('id', '<=', (eb) => eb.selectFrom('added').select((a) => sql<number>`max(${a.ref('id')}) - ${max}`.as('cutoff')));
        if (from !== undefined) pruned = pruned.where('id', '>', from);
        return pruned;
      })
      .selectFrom('added')
      .select((eb) => [eb.fn.min('id').as('first'), eb.fn.max('id').as('last')])
      .executeTakeFirstOrThrow();
    this.prunes += 1;
    const first = Number(stored.first);
    const cutoff = Number(stored.last) - max;
    this.through = Math.max(this.through ?? 0, Math.min(cutoff, first - 1));
  }
}

/** Whether the database runs a write inside a WITH clause (PostgreSQL does, SQLite does not). */
function writesInCtes(db: Kysely<DB>): boolean {
  return db.getExecutor().adapter instanceof PostgresAdapter;
}

/** One pruner per database (the root executor scans are recorded through). */
const pruners = new WeakMap<Executor, HistoryPruner>();

function prunerOf(db: Executor): HistoryPruner {
  let pruner = pruners.get(db);
  if (pruner === undefined) {
    pruner = new HistoryPruner();
    pruners.set(db, pruner);
  }
  return pruner;
}

const writers = new WeakMap<Executor, HistoryWriter>();

/**
 * Stores one scan and prunes the history to its cap; resolves once the row is committed.
 * Through the database itself the row joins the tick's batch; through an open transaction it
 * is written in that transaction. Failures are logged, never raised.
 */
export async function recordScan(db: Executor, settings: SettingsService, record: ScanRecord, request?: FastifyRequest): Promise<void> {
  try {
    const values = await settings.getGlobals(['BARCODE_STORE_RESULTS', 'BARCODE_RESULTS_MAX_NUM']);
    if (!coerceBoolean(values.get('BARCODE_STORE_RESULTS'))) return;
    const max = coerceInteger(values.get('BARCODE_RESULTS_MAX_NUM')) ?? 100000;
    const row: ScanRow = {
      data: record.data,
      user_id: record.userId,
      timestamp: nowIso(),
      endpoint: record.endpoint,
      context: JSON.stringify(record.context),
      response: record.response instanceof AnswerText ? record.response.json : JSON.stringify(record.response),
      result: record.result,
      plugin: record.plugin,
      normalized: record.normalized ?? null,
      normalized_hash: record.normalized === undefined ? null : barcodeHash(record.normalized),
    };
    const trx = db.isTransaction ? db : openTransactionOf(db);
    if (trx !== undefined) {
      const { id } = await trx.insertInto('barcode_scan').values(row).returning('id').executeTakeFirstOrThrow();
      await prunerOf(db).prune(trx, id, max);
      return;
    }
    let writer = writers.get(db);
    if (writer === undefined) {
      writer = new HistoryWriter(db as Kysely<DB>, prunerOf(db));
      writers.set(db, writer);
    }
    await writer.write(row, max, request);
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

/**
 * Stores a scan request with its answer, then sends the answer with `status`. The answer is
 * serialised to JSON once, for the history row and the reply alike.
 */
export async function recordAndAnswer(
  db: Executor,
  settings: SettingsService,
  request: FastifyRequest,
  reply: FastifyReply,
  answer: { status: 200 | 400; body: Record<string, unknown>; result: boolean; plugin: string | null },
): Promise<FastifyReply> {
  const json = JSON.stringify(answer.body);
  await recordRequestScan(db, settings, request, new AnswerText(json), answer.result, answer.plugin);
  return reply.code(answer.status).type('application/json').send(json);
}
