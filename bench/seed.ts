/**
 * Bulk seeding for the benchmark: N stock items, N barcodes linked to them and N scan-history
 * rows, in large batches (1M rows of each in minutes), with a progress bar on stderr. The
 * history rows are as the server writes them (two in three successful, each with its normalised
 * barcode and that barcode's hash), so that pruning them costs what it would in production.
 * The DigiKey supplier of the demo data gets a catalogue of the same size (N supplier parts)
 * and N / 10 purchase orders, so that reading its label is measured against a grown catalogue.
 */
import { createHash } from 'node:crypto';
import BetterSqlite3 from 'better-sqlite3';
import pg from 'pg';
import { parseDatabaseUrl } from '../src/db/connection.js';

export interface SeedResult {
  /** The first seeded stock item id; items are consecutive from it. */
  firstItem: number;
  count: number;
  seconds: number;
}

function progress(label: string, done: number, total: number): void {
  const width = 30;
  const filled = Math.round((done / Math.max(total, 1)) * width);
  process.stderr.write(`\r  ${label.padEnd(18)} [${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${done}/${total}`);
  if (done >= total) process.stderr.write('\n');
}

/** The linked barcode of seeded stock item number `i` (0-based). */
export function seededLabel(i: number): string {
  return `BENCH-${i}`;
}

/**
 * The demo's TME order (the po-receive scenario's label names it): its one line is given this
 * quantity, so that every request of that scenario receives one more unit rather than finding
 * the line completed after the first.
 */
export const RECEIVABLE_ORDER = { supplierReference: '19361337', quantity: 1_000_000_000 };

/** The SKU of seeded DigiKey supplier part number `i`. */
export function seededSku(i: number): string {
  return `BENCH-SKU-${i}`;
}

const md5 = (text: string) => createHash('md5').update(text, 'utf8').digest('hex');

export async function seed(url: string, count: number): Promise<SeedResult> {
  const started = Date.now();
  const parsed = parseDatabaseUrl(url);
  const firstItem = parsed.dialect === 'sqlite' ? seedSqlite(parsed.target, count) : await seedPostgres(url, count);
  return { firstItem, count, seconds: (Date.now() - started) / 1000 };
}

function seedSqlite(file: string, count: number): number {
  const db = new BetterSqlite3(file);
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = OFF');
  try {
    const parts = (db.prepare('select id from part where virtual = 0 and is_template = 0 order by id').all() as { id: number }[]).map((r) => r.id);
    const locations = (db.prepare('select id from stock_location where structural = 0 order by id').all() as { id: number }[]).map((r) => r.id);
    const user = (db.prepare('select id from auth_user order by id limit 1').get() as { id: number }).id;
    const now = new Date().toISOString();
    const insertItem = db.prepare(
      'insert into stock_item (part_id, quantity, location_id, status, creation_date, updated) values (?, ?, ?, 10, ?, ?)',
    );
    const insertLink = db.prepare(
      "insert into barcode_link (hash, data, model_type, object_id, is_primary, kind, note, created) values (?, ?, 'stockitem', ?, 1, 'custom', '', ?)",
    );
    const insertScan = db.prepare(
      "insert into barcode_scan (data, normalized, normalized_hash, user_id, timestamp, endpoint, context, response, result, plugin) values (?, ?, ?, ?, ?, '/api/barcode/', '{}', '{}', ?, ?)",
    );
    const digikey = (db.prepare("select id from company where name = 'DigiKey'").get() as { id: number } | undefined)?.id;
    const insertSupplierPart = db.prepare('insert into supplier_part (part_id, supplier_id, sku) values (?, ?, ?)');
    const insertOrder = db.prepare('insert into purchase_order (reference, supplier_id, supplier_reference) values (?, ?, ?)');
    const batch = 20_000;
    let firstItem = 0;
    for (let start = 0; start < count; start += batch) {
      const end = Math.min(count, start + batch);
      db.transaction(() => {
        for (let i = start; i < end; i++) {
          const info = insertItem.run(parts[i % parts.length], (i % 100) + 1, locations[i % locations.length], now, now);
          const id = Number(info.lastInsertRowid);
          if (i === 0) firstItem = id;
          const label = seededLabel(i);
          insertLink.run(md5(label), label, id, now);
          const ts = new Date(Date.now() - (count - i) * 1000).toISOString();
          const scanned = `SCAN-${i}`;
          insertScan.run(scanned, scanned, md5(scanned), user, ts, i % 3 === 0 ? 0 : 1, i % 3 === 0 ? null : 'InvenTreeBarcode');
          if (digikey !== undefined) {
            insertSupplierPart.run(parts[i % parts.length], digikey, seededSku(i));
            if (i % 10 === 0) insertOrder.run(`BENCH-PO-${i}`, digikey, `BENCH-SR-${i}`);
          }
        }
      })();
      progress('stock, links, scans', end, count);
    }
    db.prepare('update purchase_order_line set quantity = ? where order_id in (select id from purchase_order where supplier_reference = ?)').run(
      RECEIVABLE_ORDER.quantity,
      RECEIVABLE_ORDER.supplierReference,
    );
    return firstItem;
  } finally {
    db.close();
  }
}

async function seedPostgres(url: string, count: number): Promise<number> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const parts = (await client.query<{ id: number }>('select id from part where virtual = false and is_template = false order by id')).rows.map((r) => r.id);
    const locations = (await client.query<{ id: number }>('select id from stock_location where structural = false order by id')).rows.map((r) => r.id);
    const user = (await client.query<{ id: number }>('select id from auth_user order by id limit 1')).rows[0]!.id;
    const batch = 50_000;
    let firstItem = 0;
    for (let start = 0; start < count; start += batch) {
      const end = Math.min(count, start + batch);
      await client.query('begin');
      const batchMax = (await client.query<{ max: number | null }>('select max(id) as max from stock_item')).rows[0]!.max ?? 0;
      // Items in series order; the i-th seeded item gets the i-th label.
      await client.query(
        `insert into stock_item (part_id, quantity, location_id, status, creation_date, updated)
         select ($1::int[])[1 + (g % cardinality($1::int[]))], (g % 100) + 1, ($2::int[])[1 + (g % cardinality($2::int[]))], 10, now()::text, now()::text
         from generate_series($3::int, $4::int - 1) as g order by g`,
        [parts, locations, start, end],
      );
      await client.query(
        `insert into barcode_link (hash, data, model_type, object_id, is_primary, kind, note, created)
         select md5('BENCH-' || (n.g)::text), 'BENCH-' || (n.g)::text, 'stockitem', n.id, true, 'custom', '', now()::text
         from (select id, $2::int + row_number() over (order by id) - 1 as g from stock_item where id > $1::int) as n`,
        [batchMax, start],
      );
      if (start === 0) firstItem = (await client.query<{ min: number }>('select min(id) as min from stock_item where id > $1', [batchMax])).rows[0]!.min;
      await client.query(
        `insert into barcode_scan (data, normalized, normalized_hash, user_id, timestamp, endpoint, context, response, result, plugin)
         select 'SCAN-' || g, 'SCAN-' || g, md5('SCAN-' || g), $1::int, to_char((now() - (($4::int - g) * interval '1 second')) at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"'),
                '/api/barcode/', '{}', '{}', g % 3 <> 0, case when g % 3 = 0 then null else 'InvenTreeBarcode' end
         from generate_series($2::int, $3::int - 1) as g`,
        [user, start, end, count],
      );
      await client.query(
        `insert into supplier_part (part_id, supplier_id, sku)
         select ($1::int[])[1 + (g % cardinality($1::int[]))], c.id, 'BENCH-SKU-' || g
         from generate_series($2::int, $3::int - 1) as g cross join (select id from company where name = 'DigiKey') as c`,
        [parts, start, end],
      );
      await client.query(
        `insert into purchase_order (reference, supplier_id, supplier_reference)
         select 'BENCH-PO-' || g, c.id, 'BENCH-SR-' || g
         from generate_series($1::int, $2::int - 1) as g cross join (select id from company where name = 'DigiKey') as c
         where g % 10 = 0`,
        [start, end],
      );
      await client.query('commit');
      progress('stock, links, scans', end, count);
    }
    for (const table of ['stock_item', 'barcode_link', 'barcode_scan', 'supplier_part', 'purchase_order']) {
      await client.query(`select setval(pg_get_serial_sequence('${table}', 'id'), (select max(id) from ${table}))`);
    }
    await client.query('update purchase_order_line set quantity = $1 where order_id in (select id from purchase_order where supplier_reference = $2)', [
      RECEIVABLE_ORDER.quantity,
      RECEIVABLE_ORDER.supplierReference,
    ]);
    await client.query('analyze');
    return firstItem;
  } finally {
    await client.end();
  }
}
