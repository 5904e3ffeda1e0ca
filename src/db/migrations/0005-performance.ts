import { sql, type Kysely } from 'kysely';
import type { DialectName } from '../connection.js';

/**
 * Performance (issue 7):
 * - indexes for the per-item counts every stock item answer carries (child and installed
 *   items), which were table scans;
 * - the data generation: one value that database triggers replace, in the same transaction, on
 *   every write to the data the in-process caches hold (tokens, users, groups, rulesets,
 *   global and plugin settings). A cache entry is used only while the value still reads what
 *   it was loaded under, so no process ever answers from data another process (or the CLI, or
 *   a direct SQL write) has changed. The new value is random rather than the old one plus one:
 *   a value seen before a rollback never comes back for different data. Kysely has no builder
 *   for triggers: they are the DDL statements below, with fixed table and column names only;
 * - the number of scan-history rows, kept by triggers, so that the history's first page does
 *   not count a table of a million rows on every request.
 */

/**
 * The tables (and, for updates, the columns) the caches read. Updates of other columns
 * (`last_seen`, `last_login`, the password hash) do not invalidate anything.
 */
export const GENERATION_SOURCES: readonly { table: string; updateOf?: readonly string[] }[] = [
  { table: 'api_token', updateOf: ['id', 'user_id', 'key_lookup', 'expiry', 'revoked'] },
  { table: 'auth_user', updateOf: ['id', 'username', 'email', 'first_name', 'last_name', 'is_staff', 'is_superuser', 'is_active'] },
  { table: 'auth_group' },
  { table: 'auth_user_group' },
  { table: 'ruleset' },
  { table: 'setting_global' },
  { table: 'plugin_config' },
  { table: 'plugin_setting' },
];

export async function up(db: Kysely<any>, dialect: DialectName): Promise<void> {
  await db.schema.createIndex('stock_item_parent_id_idx').on('stock_item').column('parent_id').execute();
  await db.schema.createIndex('stock_item_belongs_to_id_idx').on('stock_item').column('belongs_to_id').execute();

  await db.schema
    .createTable('data_generation')
    .addColumn('id', 'integer', (c) => c.primaryKey())
    .addColumn('value', 'bigint', (c) => c.notNull())
    .execute();
  await db.insertInto('data_generation').values({ id: 1, value: 1 }).execute();

  await db.schema
    .createTable('row_count')
    .addColumn('name', 'varchar(64)', (c) => c.primaryKey())
    .addColumn('n', 'bigint', (c) => c.notNull())
    .execute();
  const scans = await db.selectFrom('barcode_scan').select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow();
  await db.insertInto('row_count').values({ name: 'barcode_scan', n: Number(scans.n) }).execute();
  if (dialect === 'postgres') {
    await sql`create function stockscan_count_scans() returns trigger language plpgsql as $$
      begin
        if tg_op = 'INSERT' then
          update row_count set n = n + (select count(*) from inserted_rows) where name = 'barcode_scan';
        elsif tg_op = 'DELETE' then
          update row_count set n = n - (select count(*) from deleted_rows) where name = 'barcode_scan';
        else
          update row_count set n = 0 where name = 'barcode_scan';
        end if;
        return null;
      end $$`.execute(db);
    await sql`create trigger barcode_scan_count_insert after insert on barcode_scan referencing new table as inserted_rows for each statement execute function stockscan_count_scans()`.execute(db);
    await sql`create trigger barcode_scan_count_delete after delete on barcode_scan referencing old table as deleted_rows for each statement execute function stockscan_count_scans()`.execute(db);
    await sql`create trigger barcode_scan_count_truncate after truncate on barcode_scan for each statement execute function stockscan_count_scans()`.execute(db);
  } else {
    await sql`create trigger barcode_scan_count_insert after insert on barcode_scan
      begin update row_count set n = n + 1 where name = 'barcode_scan'; end`.execute(db);
    await sql`create trigger barcode_scan_count_delete after delete on barcode_scan
      begin update row_count set n = n - 1 where name = 'barcode_scan'; end`.execute(db);
  }

  if (dialect === 'postgres') {
    await sql`create function stockscan_raise_generation() returns trigger language plpgsql as $$
      begin
        update data_generation set value = floor(random() * 9007199254740991)::bigint where id = 1;
        return null;
      end $$`.execute(db);
    for (const { table, updateOf } of GENERATION_SOURCES) {
      const events = updateOf === undefined ? sql`insert or update or delete or truncate` : sql`insert or delete or truncate or update of ${sql.join(updateOf.map((c) => sql.ref(c)))}`;
      await sql`create trigger ${sql.id(`${table}_generation`)} after ${events} on ${sql.table(table)} for each statement execute function stockscan_raise_generation()`.execute(db);
    }
    return;
  }
  for (const { table, updateOf } of GENERATION_SOURCES) {
    for (const event of ['insert', 'update', 'delete'] as const) {
      const on = event === 'update' && updateOf !== undefined ? sql`update of ${sql.join(updateOf.map((c) => sql.ref(c)))}` : sql.raw(event);
      await sql`create trigger ${sql.id(`${table}_generation_${event}`)} after ${on} on ${sql.table(table)}
        begin update data_generation set value = abs(random() % 9007199254740991) where id = 1; end`.execute(db);
    }
  }
}
