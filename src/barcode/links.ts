/**
 * Barcode links: which barcode belongs to which object (table `barcode_link`, decision D13).
 * Serialisers use `barcodeHashes` to fill each object's `barcode_hash` (`""` when nothing is
 * linked); services call `linkBarcode` / `unlinkBarcodes` inside their transactions.
 */
import { expressionBuilder, sql, type Expression } from 'kysely';
import type { DB } from '../db/schema.js';
import { prepared } from '../db/prepared.js';
import type { Executor } from '../db/transaction.js';
import { nowIso } from '../util/time.js';
import { barcodeHash } from './formats/hash.js';
import type { BarcodeModelType } from './model-types.js';

/**
 * `is_primary = true` as a literal, not a bound parameter: the partial unique index on primary
 * links then matches when the statement is prepared. With a parameter, SQLite prepares the
 * statement again on every run (a bound value might enable the partial index), several times
 * the cost of the look-up itself.
 */
export const PRIMARY = sql.lit(true);

/**
 * A subquery for the primary barcode hash of the object whose id is `objectId` (an outer
 * column), to select alongside the object itself: `primaryHashOf('part', eb.ref('part.id')).as('hash')`.
 */
export function primaryHashOf(modelType: BarcodeModelType, objectId: Expression<number>) {
  return expressionBuilder<DB, never>()
    .selectFrom('barcode_link')
    .select('barcode_link.hash')
    .where('barcode_link.model_type', '=', modelType)
    .where('barcode_link.is_primary', '=', PRIMARY)
    .where('barcode_link.object_id', '=', objectId)
    .limit(1);
}

const primaryHashesQuery = prepared((db, a: { modelType: BarcodeModelType; ids: number[] }) =>
  db
    .selectFrom('barcode_link')
    .select(['object_id', 'hash'])
    .where('model_type', '=', a.modelType)
    .where('is_primary', '=', PRIMARY)
    .where('object_id', 'in', a.ids),
);

/** The primary barcode hash of each object (absent ids have none). */
export async function barcodeHashes(db: Executor, modelType: BarcodeModelType, ids: readonly number[]): Promise<Map<number, string>> {
  if (ids.length === 0) return new Map();
  const rows = await primaryHashesQuery.execute(db, { modelType, ids: [...new Set(ids)] });
  return new Map(rows.map((r) => [r.object_id, r.hash]));
}

/**
 * The primary barcode hash of each row (absent ids have none): read from the rows when their
 * query selected it (`primaryHashOf(...).as('primary_hash')`, as a scan's instance queries
 * do), else looked up in one query.
 */
export async function barcodeHashesOfRows(
  db: Executor,
  modelType: BarcodeModelType,
  rows: readonly { id: number; primary_hash?: string | null }[],
): Promise<Map<number, string>> {
  if (rows.length === 0 || rows.some((r) => r.primary_hash === undefined)) return barcodeHashes(db, modelType, rows.map((r) => r.id));
  const hashes = new Map<number, string>();
  for (const r of rows) if (typeof r.primary_hash === 'string') hashes.set(r.id, r.primary_hash);
  return hashes;
}

/** The `barcode_hash` API value of one object: its primary hash or `""`. */
export async function barcodeHashOf(db: Executor, modelType: BarcodeModelType, id: number): Promise<string> {
  return (await barcodeHashes(db, modelType, [id])).get(id) ?? '';
}

export class BarcodeInUseError extends Error {
  constructor(readonly hash: string) {
    super('Barcode is already in use');
  }
}

export interface LinkOptions {
  userId?: number | null;
  kind?: string;
  note?: string;
  /** Replace the object's current primary barcode (default true). */
  primary?: boolean;
}

/**
 * Links `data` to an object as its primary barcode, replacing any previous primary one.
 * Throws BarcodeInUseError when the hash already belongs to any object (D13): the unique
 * index decides, so two concurrent links of one barcode cannot both succeed. Call inside a
 * transaction; on PostgreSQL, concurrent primary links to one object must be serialised by
 * the caller (`lockForCheck`), or the later one fails on the index of primary links.
 */
export async function linkBarcode(
  db: Executor,
  modelType: BarcodeModelType,
  objectId: number,
  data: string,
  options: LinkOptions = {},
): Promise<{ hash: string }> {
  const hash = barcodeHash(data);
  const primary = options.primary ?? true;
  if (primary) {
    await db.deleteFrom('barcode_link').where('model_type', '=', modelType).where('object_id', '=', objectId).where('is_primary', '=', PRIMARY).execute();
  }
  // ON CONFLICT DO NOTHING instead of catching the violation: on PostgreSQL a failed insert
  // would abort the whole surrounding transaction. Only the hash's conflict means "in use".
  const inserted = await db
    .insertInto('barcode_link')
    .values({
      hash,
      data,
      model_type: modelType,
      object_id: objectId,
      is_primary: primary,
      kind: options.kind ?? 'custom',
      note: options.note ?? '',
      created: nowIso(),
      created_by_id: options.userId ?? null,
    })
    .onConflict((oc) => oc.column('hash').doNothing())
    .returning('id')
    .executeTakeFirst();
  if (inserted === undefined) throw new BarcodeInUseError(hash);
  return { hash };
}

/** Removes the object's primary barcode link (no error when it has none). */
export async function unlinkPrimaryBarcode(db: Executor, modelType: BarcodeModelType, objectId: number): Promise<void> {
  await db.deleteFrom('barcode_link').where('model_type', '=', modelType).where('object_id', '=', objectId).where('is_primary', '=', PRIMARY).execute();
}

/** Removes every barcode link of objects being deleted (call in the deleting transaction). */
export async function deleteBarcodeLinks(db: Executor, modelType: BarcodeModelType, objectIds: readonly number[]): Promise<void> {
  if (objectIds.length === 0) return;
  await db.deleteFrom('barcode_link').where('model_type', '=', modelType).where('object_id', 'in', [...objectIds]).execute();
}

/** The object a hash belongs to, through any of its links. */
const linkByHash = prepared((db, a: { hash: string }) =>
  db.selectFrom('barcode_link').select(['id', 'model_type', 'object_id', 'data', 'is_primary']).where('hash', '=', a.hash),
);

export async function findByHash(db: Executor, hash: string): Promise<{ id: number; model_type: string; object_id: number; data: string; is_primary: unknown } | undefined> {
  return linkByHash.executeTakeFirst(db, { hash });
}
