import { sql, type Kysely } from 'kysely';

/**
 * The unmatched inbox reads failed scans only, by their normalised barcode's hash. Its index
 * held every scan-history row: each successful scan then wrote (and, when the history was
 * pruned at its cap, deleted) an entry at a random place of a table-sized index, which is
 * what a large history costs per scan. A partial index of the failed scans serves the inbox
 * as well and leaves successful scans out of it (the inbox's query writes `result = false` as
 * a literal: see `failedScans`).
 */
export const UNMATCHED_INDEX = 'barcode_scan_unmatched_idx';

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.dropIndex('barcode_scan_normalized_hash_idx').execute();
  await db.schema.createIndex(UNMATCHED_INDEX).on('barcode_scan').column('normalized_hash').where(sql.ref('result'), '=', false).execute();
}
