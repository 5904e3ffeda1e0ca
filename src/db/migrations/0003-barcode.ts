import type { Kysely } from 'kysely';
import type { DialectName } from '../connection.js';
import { withId } from '../migration-helpers.js';

/** Scan history (decision D6) and plugin state (activation and per-plugin settings). */
export async function up(db: Kysely<any>, dialect: DialectName): Promise<void> {
  await withId(db.schema.createTable('barcode_scan'), dialect)
    .addColumn('data', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('user_id', 'integer', (c) => c.references('auth_user.id').onDelete('set null'))
    .addColumn('timestamp', 'varchar(32)', (c) => c.notNull())
    .addColumn('endpoint', 'varchar(250)')
    .addColumn('context', 'text')
    .addColumn('response', 'text')
    .addColumn('result', 'boolean', (c) => c.notNull().defaultTo(false))
    .addColumn('plugin', 'varchar(100)')
    .execute();
  await db.schema.createIndex('barcode_scan_timestamp_idx').on('barcode_scan').column('timestamp').execute();
  await db.schema.createIndex('barcode_scan_user_idx').on('barcode_scan').columns(['user_id', 'timestamp']).execute();

  await db.schema
    .createTable('plugin_config')
    .addColumn('key', 'varchar(100)', (c) => c.primaryKey())
    .addColumn('active', 'boolean', (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('plugin_setting')
    .addColumn('plugin_key', 'varchar(100)', (c) => c.notNull())
    .addColumn('key', 'varchar(50)', (c) => c.notNull())
    .addColumn('value', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('plugin_setting_pk', ['plugin_key', 'key'])
    .execute();
}
