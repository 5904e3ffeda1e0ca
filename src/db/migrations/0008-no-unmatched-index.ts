import type { Kysely } from 'kysely';
import { UNMATCHED_INDEX } from './0006-unmatched-index.js';

/**
 * No index of the scan history is keyed by the normalised barcode's hash. The partial index of
 * failed scans (0006) put each failed scan's hash at a random place of an index as large as
 * the failures in the history: on a history of a million rows, every miss dirtied a page of
 * its own, which the commit wrote to the WAL and the checkpoint again (CPU per miss at 1M
 * against 1k: +20% with it, +5% without; docs/performance.md, seventh round). The unmatched
 * inbox it served reads every failed scan whatever the index (it groups them all and asks the
 * plugins about each group): at a million rows it took the same time with and without it.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.dropIndex(UNMATCHED_INDEX).execute();
}
