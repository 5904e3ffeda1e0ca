/**
 * Direct database fixtures for tests: each function inserts one row with sensible defaults
 * and returns its id. Pass `id` to pin a primary key (as InvenTree's fixtures do); the
 * PostgreSQL identity sequence is moved past it so later inserts do not collide.
 */
import { sql } from 'kysely';
import type { Database } from '../../src/db/connection.js';
import type { DB } from '../../src/db/schema.js';
import { placeNewNode } from '../../src/db/tree.js';
import { linkBarcode } from '../../src/barcode/links.js';
import type { BarcodeModelType } from '../../src/barcode/model-types.js';
import { nowIso, today } from '../../src/util/time.js';

type Row<T extends keyof DB> = Partial<Record<keyof DB[T], unknown>> & { id?: number };

export class Fixtures {
  private counter = 0;
  constructor(readonly database: Database) {}

  get db() {
    return this.database.kysely;
  }

  private async insert<T extends keyof DB & string>(table: T, values: Record<string, unknown>): Promise<number> {
    const row = await (this.db as any).insertInto(table).values(values).returning('id').executeTakeFirstOrThrow();
    if (values.id !== undefined && this.database.dialect === 'postgres') {
      await sql`select setval(pg_get_serial_sequence(${table}, 'id'), (select max(id) from ${sql.table(table)}))`.execute(this.db);
    }
    return row.id as number;
  }

  private next(prefix: string): string {
    this.counter += 1;
    return `${prefix}-${this.counter}`;
  }

  company(v: Row<'company'> = {}): Promise<number> {
    return this.insert('company', { name: this.next('Company'), is_supplier: true, ...v });
  }

  async location(v: Row<'stock_location'> = {}): Promise<number> {
    const id = await this.insert('stock_location', { name: this.next('Location'), ...v });
    await placeNewNode(this.db, 'stock_location', id);
    return id;
  }

  async category(v: Row<'part_category'> = {}): Promise<number> {
    const id = await this.insert('part_category', { name: this.next('Category'), ...v });
    await placeNewNode(this.db, 'part_category', id);
    return id;
  }

  async part(v: Row<'part'> = {}): Promise<number> {
    const id = await this.insert('part', { name: this.next('Part'), creation_date: today(), ...v });
    const parent = v.variant_of_id as number | undefined;
    const parentPath = parent === undefined ? '/' : (await this.db.selectFrom('part').select('tree_path').where('id', '=', parent).executeTakeFirstOrThrow()).tree_path;
    await this.db.updateTable('part').set({ tree_path: `${parentPath}${id}/` }).where('id', '=', id).execute();
    return id;
  }

  stockItem(v: Row<'stock_item'> & { part_id: number }): Promise<number> {
    const now = nowIso();
    return this.insert('stock_item', { quantity: 1, creation_date: now, updated: now, ...v });
  }

  manufacturerPart(v: Row<'manufacturer_part'> & { part_id: number }): Promise<number> {
    return this.insert('manufacturer_part', { mpn: this.next('MPN'), ...v });
  }

  supplierPart(v: Row<'supplier_part'> & { part_id: number; supplier_id: number }): Promise<number> {
    return this.insert('supplier_part', { sku: this.next('SKU'), ...v });
  }

  purchaseOrder(v: Row<'purchase_order'> & { supplier_id: number }): Promise<number> {
    this.counter += 1;
    return this.insert('purchase_order', { reference: `PO-${String(this.counter).padStart(4, '0')}`, reference_int: this.counter, creation_date: today(), ...v });
  }

  poLine(v: Row<'purchase_order_line'> & { order_id: number; part_id: number }): Promise<number> {
    return this.insert('purchase_order_line', { quantity: 1, ...v });
  }

  salesOrder(v: Row<'sales_order'> = {}): Promise<number> {
    this.counter += 1;
    return this.insert('sales_order', { reference: `SO-${String(this.counter).padStart(4, '0')}`, reference_int: this.counter, creation_date: today(), ...v });
  }

  soLine(v: Row<'sales_order_line'> & { order_id: number }): Promise<number> {
    return this.insert('sales_order_line', { quantity: 1, ...v });
  }

  shipment(v: Row<'sales_order_shipment'> & { order_id: number }): Promise<number> {
    return this.insert('sales_order_shipment', { reference: this.next('S'), ...v });
  }

  allocation(v: Row<'sales_order_allocation'> & { line_id: number; item_id: number }): Promise<number> {
    return this.insert('sales_order_allocation', { quantity: 1, ...v });
  }

  build(v: Row<'build'> & { part_id: number }): Promise<number> {
    this.counter += 1;
    return this.insert('build', { reference: `BO-${String(this.counter).padStart(4, '0')}`, reference_int: this.counter, creation_date: today(), ...v });
  }

  returnOrder(v: Row<'return_order'> = {}): Promise<number> {
    this.counter += 1;
    return this.insert('return_order', { reference: `RMA-${String(this.counter).padStart(4, '0')}`, reference_int: this.counter, creation_date: today(), ...v });
  }

  /** Links a barcode to an object, as a scan-and-link would. */
  async link(modelType: BarcodeModelType, objectId: number, data: string): Promise<string> {
    return (await linkBarcode(this.db, modelType, objectId, data)).hash;
  }
}
