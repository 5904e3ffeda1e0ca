import type { Kysely } from 'kysely';
import type { DialectName } from '../connection.js';
import { withId } from '../migration-helpers.js';
import { barcodeHash } from '../../barcode/formats/hash.js';
import { pythonStrip } from '../../text/python-strip.js';

/**
 * Stockscan's barcode features beyond InvenTree:
 * - the normalised (repaired) barcode on every scan-history row, and its barcode hash, which
 *   groups failed scans in the unmatched inbox;
 * - idempotency records of the writing barcode endpoints (Idempotency-Key, 24 hours);
 * - dismissed groups of the unmatched inbox;
 * - the supplier companies whose ISO/IEC 15434 labels the generic ECIA plugin reads.
 * Rows of the scan history written before this migration get the trimmed raw data as their
 * normalised text (no repair was recorded for them).
 */
export async function up(db: Kysely<any>, dialect: DialectName): Promise<void> {
  await db.schema.alterTable('barcode_scan').addColumn('normalized', 'text').execute();
  await db.schema.alterTable('barcode_scan').addColumn('normalized_hash', 'varchar(32)').execute();
  await db.schema.createIndex('barcode_scan_normalized_hash_idx').on('barcode_scan').columns(['normalized_hash', 'result']).execute();

  await backfillNormalized(db);

  await withId(db.schema.createTable('barcode_idempotency'), dialect)
    .addColumn('user_id', 'integer', (c) => c.notNull().references('auth_user.id').onDelete('cascade'))
    .addColumn('key', 'varchar(255)', (c) => c.notNull())
    .addColumn('fingerprint', 'varchar(64)', (c) => c.notNull())
    .addColumn('status', 'integer', (c) => c.notNull())
    .addColumn('response', 'text', (c) => c.notNull())
    .addColumn('created', 'varchar(32)', (c) => c.notNull())
    .addUniqueConstraint('barcode_idempotency_user_key', ['user_id', 'key'])
    .execute();
  await db.schema.createIndex('barcode_idempotency_created_idx').on('barcode_idempotency').column('created').execute();

  await withId(db.schema.createTable('barcode_unmatched_dismissal'), dialect)
    .addColumn('normalized_hash', 'varchar(32)', (c) => c.notNull().unique())
    .addColumn('normalized', 'text', (c) => c.notNull())
    .addColumn('dismissed_at', 'varchar(32)', (c) => c.notNull())
    .addColumn('dismissed_by_id', 'integer', (c) => c.references('auth_user.id').onDelete('set null'))
    .execute();

  await withId(db.schema.createTable('barcode_ecia_supplier'), dialect)
    .addColumn('company_id', 'integer', (c) => c.notNull().unique().references('company.id').onDelete('cascade'))
    .addColumn('created', 'varchar(32)', (c) => c.notNull())
    .addColumn('created_by_id', 'integer', (c) => c.references('auth_user.id').onDelete('set null'))
    .execute();
}

/**
 * Gives scan-history rows without a normalised barcode their trimmed raw data as one (rows
 * written before scan repair existed), in batches of ids.
 */
export async function backfillNormalized(db: Kysely<any>): Promise<number> {
  let after = 0;
  let updated = 0;
  for (;;) {
    const rows: { id: number; data: string }[] = await db
      .selectFrom('barcode_scan')
      .select(['id', 'data'])
      .where('id', '>', after)
      .where('normalized', 'is', null)
      .orderBy('id')
      .limit(500)
      .execute();
    if (rows.length === 0) return updated;
    for (const row of rows) {
      const normalized = pythonStrip(row.data);
      if (normalized === '') continue;
      await db.updateTable('barcode_scan').set({ normalized, normalized_hash: barcodeHash(normalized) }).where('id', '=', row.id).execute();
      updated++;
    }
    after = rows[rows.length - 1]!.id;
  }
}
