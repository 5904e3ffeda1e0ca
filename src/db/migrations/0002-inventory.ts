import { sql, type ColumnDefinitionBuilder, type CreateTableBuilder, type Kysely } from 'kysely';
import type { DialectName } from '../connection.js';
import { withId } from '../migration-helpers.js';

/**
 * The inventory: companies, part categories and parts, stock locations and items, supplier
 * and manufacturer parts, purchase, sales and return orders, shipments, allocations, builds,
 * stock tracking, and the barcode links of the ten barcodable models.
 *
 * Conventions (see schema.ts): foreign keys are `<name>_id`; trees keep `parent_id`, `level`,
 * `pathstring` and `tree_path` (the ids from the root, e.g. "/1/4/9/", for subtree queries);
 * quantities are numeric(15,5); dates are `YYYY-MM-DD` text and timestamps ISO text.
 */
type Table = CreateTableBuilder<string, any>;
type Col = ColumnDefinitionBuilder;

const QTY = 'numeric(15, 5)';
const MONEY = 'numeric(19, 6)';

const text = (t: Table, name: string, size: number, fallback = ''): Table =>
  t.addColumn(name, `varchar(${size})`, (c: Col) => c.notNull().defaultTo(fallback));
const bool = (t: Table, name: string, fallback: boolean): Table => t.addColumn(name, 'boolean', (c: Col) => c.notNull().defaultTo(fallback));
const fk = (t: Table, name: string, target: string, onDelete: 'cascade' | 'set null' | 'restrict', notNull = false): Table =>
  t.addColumn(name, 'integer', (c: Col) => {
    const col = c.references(`${target}.id`).onDelete(onDelete);
    return notNull ? col.notNull() : col;
  });
const date = (t: Table, name: string): Table => t.addColumn(name, 'varchar(10)');
const stamp = (t: Table, name: string): Table => t.addColumn(name, 'varchar(32)');
const notes = (t: Table): Table => t.addColumn('notes', 'text', (c: Col) => c.notNull().defaultTo(''));
const metadata = (t: Table): Table => t.addColumn('metadata', 'text', (c: Col) => c.notNull().defaultTo('{}'));
const link = (t: Table): Table => text(t, 'link', 2000);

function tree(t: Table, self: string): Table {
  t = fk(t, 'parent_id', self, 'restrict');
  t = text(t, 'pathstring', 250);
  t = t.addColumn('level', 'integer', (c: Col) => c.notNull().defaultTo(0));
  return text(t, 'tree_path', 2000);
}

/** Fields every order (purchase, sales, return) and the build order share. */
function orderCommon(t: Table): Table {
  t = t.addColumn('reference', 'varchar(64)', (c: Col) => c.notNull().unique());
  t = t.addColumn('reference_int', 'integer', (c: Col) => c.notNull().defaultTo(0));
  t = text(t, 'description', 250);
  t = link(t);
  t = t.addColumn('status', 'integer', (c: Col) => c.notNull().defaultTo(10));
  t = date(t, 'creation_date');
  t = date(t, 'issue_date');
  t = date(t, 'start_date');
  t = date(t, 'target_date');
  t = fk(t, 'created_by_id', 'auth_user', 'set null');
  t = t.addColumn('order_currency', 'varchar(3)');
  t = notes(t);
  t = metadata(t);
  return stamp(t, 'updated_at');
}

async function index(db: Kysely<any>, table: string, columns: string[], unique = false): Promise<void> {
  let b = db.schema.createIndex(`${table}_${columns.join('_')}_idx`).on(table).columns(columns);
  if (unique) b = b.unique();
  await b.execute();
}

export async function up(db: Kysely<any>, dialect: DialectName): Promise<void> {
  const table = (name: string) => withId(db.schema.createTable(name), dialect) as unknown as Table;

  // Companies ------------------------------------------------------------------------------
  let t = table('company');
  t = text(t, 'name', 100);
  t = text(t, 'description', 500);
  t = text(t, 'website', 2000);
  t = text(t, 'phone', 50);
  t = t.addColumn('email', 'varchar(254)');
  t = text(t, 'contact', 100);
  t = link(t);
  t = bool(t, 'active', true);
  t = bool(t, 'is_customer', false);
  t = bool(t, 'is_supplier', true);
  t = bool(t, 'is_manufacturer', false);
  t = text(t, 'currency', 3, 'USD');
  t = text(t, 'tax_id', 50);
  t = notes(t);
  t = metadata(t);
  await t.addUniqueConstraint('company_name_email_unique', ['name', 'email']).execute();
  await index(db, 'company', ['name']);

  // Stock locations (before categories and parts, which point at default locations) --------
  t = table('stock_location');
  t = text(t, 'name', 100);
  t = text(t, 'description', 250);
  t = tree(t, 'stock_location');
  t = bool(t, 'structural', false);
  t = bool(t, 'external', false);
  t = text(t, 'custom_icon', 100);
  t = metadata(t);
  await t.execute();
  await index(db, 'stock_location', ['parent_id']);
  await index(db, 'stock_location', ['tree_path']);

  // Part categories --------------------------------------------------------------------------
  t = table('part_category');
  t = text(t, 'name', 100);
  t = text(t, 'description', 250);
  t = tree(t, 'part_category');
  t = fk(t, 'default_location_id', 'stock_location', 'set null');
  t = text(t, 'default_keywords', 250);
  t = bool(t, 'structural', false);
  t = text(t, 'icon', 100);
  t = metadata(t);
  await t.execute();
  await index(db, 'part_category', ['parent_id']);
  await index(db, 'part_category', ['tree_path']);

  // Parts -----------------------------------------------------------------------------------
  t = table('part');
  t = text(t, 'name', 100);
  t = t.addColumn('ipn', 'varchar(100)');
  t = t.addColumn('revision', 'varchar(100)');
  t = text(t, 'description', 250);
  t = text(t, 'keywords', 250);
  t = fk(t, 'category_id', 'part_category', 'set null');
  t = bool(t, 'active', true);
  t = bool(t, 'assembly', false);
  t = bool(t, 'component', true);
  t = bool(t, 'trackable', false);
  t = bool(t, 'testable', false);
  t = bool(t, 'purchaseable', true);
  t = bool(t, 'salable', false);
  t = bool(t, 'virtual', false);
  t = bool(t, 'is_template', false);
  t = bool(t, 'locked', false);
  t = fk(t, 'variant_of_id', 'part', 'restrict');
  t = fk(t, 'revision_of_id', 'part', 'set null');
  // Ids of the template chain down to this part, e.g. "/3/12/": variant-tree queries.
  t = text(t, 'tree_path', 2000);
  t = fk(t, 'default_location_id', 'stock_location', 'set null');
  t = t.addColumn('default_expiry', 'integer', (c: Col) => c.notNull().defaultTo(0));
  t = t.addColumn('minimum_stock', QTY, (c: Col) => c.notNull().defaultTo(0));
  t = text(t, 'units', 20);
  t = link(t);
  t = notes(t);
  t = metadata(t);
  t = date(t, 'creation_date');
  t = fk(t, 'creation_user_id', 'auth_user', 'set null');
  await t.addUniqueConstraint('part_name_ipn_revision_unique', ['name', 'ipn', 'revision']).execute();
  await index(db, 'part', ['ipn']);
  await index(db, 'part', ['category_id']);
  await index(db, 'part', ['variant_of_id']);
  await index(db, 'part', ['tree_path']);

  // Manufacturer and supplier parts -------------------------------------------------------------
  t = table('manufacturer_part');
  t = fk(t, 'part_id', 'part', 'cascade', true);
  t = fk(t, 'manufacturer_id', 'company', 'cascade');
  t = t.addColumn('mpn', 'varchar(100)');
  t = text(t, 'description', 250);
  t = link(t);
  t = notes(t);
  t = metadata(t);
  await t.addUniqueConstraint('manufacturer_part_unique', ['part_id', 'manufacturer_id', 'mpn']).execute();
  await index(db, 'manufacturer_part', ['mpn']);
  await index(db, 'manufacturer_part', ['manufacturer_id']);

  t = table('supplier_part');
  t = fk(t, 'part_id', 'part', 'cascade', true);
  t = fk(t, 'supplier_id', 'company', 'cascade', true);
  t = t.addColumn('sku', 'varchar(100)', (c: Col) => c.notNull());
  t = fk(t, 'manufacturer_part_id', 'manufacturer_part', 'set null');
  t = bool(t, 'active', true);
  t = bool(t, 'is_primary', false);
  t = text(t, 'description', 250);
  t = link(t);
  t = text(t, 'note', 100);
  t = t.addColumn('base_cost', QTY, (c: Col) => c.notNull().defaultTo(0));
  t = text(t, 'packaging', 50);
  t = text(t, 'pack_quantity', 25, '1');
  t = t.addColumn('pack_quantity_native', QTY, (c: Col) => c.notNull().defaultTo(1));
  t = t.addColumn('multiple', 'integer', (c: Col) => c.notNull().defaultTo(1));
  t = t.addColumn('available', QTY, (c: Col) => c.notNull().defaultTo(0));
  t = stamp(t, 'availability_updated');
  t = stamp(t, 'updated');
  t = notes(t);
  t = metadata(t);
  await t.addUniqueConstraint('supplier_part_unique', ['part_id', 'supplier_id', 'sku']).execute();
  await index(db, 'supplier_part', ['sku']);
  await index(db, 'supplier_part', ['supplier_id']);
  await index(db, 'supplier_part', ['manufacturer_part_id']);

  // Orders ----------------------------------------------------------------------------------
  t = orderCommon(table('purchase_order'));
  t = fk(t, 'supplier_id', 'company', 'restrict', true);
  t = text(t, 'supplier_reference', 64);
  t = date(t, 'complete_date');
  t = fk(t, 'received_by_id', 'auth_user', 'set null');
  t = fk(t, 'destination_id', 'stock_location', 'set null');
  await t.execute();
  await index(db, 'purchase_order', ['supplier_id']);
  await index(db, 'purchase_order', ['status']);
  await index(db, 'purchase_order', ['supplier_reference']);

  t = orderCommon(table('sales_order'));
  t = fk(t, 'customer_id', 'company', 'restrict');
  t = text(t, 'customer_reference', 64);
  t = date(t, 'shipment_date');
  t = fk(t, 'shipped_by_id', 'auth_user', 'set null');
  await t.execute();
  await index(db, 'sales_order', ['customer_id']);
  await index(db, 'sales_order', ['status']);

  t = orderCommon(table('return_order'));
  t = fk(t, 'customer_id', 'company', 'restrict');
  t = text(t, 'customer_reference', 64);
  t = date(t, 'complete_date');
  await t.execute();

  // Builds ----------------------------------------------------------------------------------
  t = table('build');
  t = t.addColumn('reference', 'varchar(64)', (c: Col) => c.notNull().unique());
  t = t.addColumn('reference_int', 'integer', (c: Col) => c.notNull().defaultTo(0));
  t = text(t, 'title', 100);
  t = fk(t, 'part_id', 'part', 'restrict', true);
  t = t.addColumn('quantity', QTY, (c: Col) => c.notNull().defaultTo(1));
  t = t.addColumn('completed', QTY, (c: Col) => c.notNull().defaultTo(0));
  t = t.addColumn('status', 'integer', (c: Col) => c.notNull().defaultTo(10));
  t = fk(t, 'parent_id', 'build', 'set null');
  t = fk(t, 'sales_order_id', 'sales_order', 'set null');
  t = fk(t, 'take_from_id', 'stock_location', 'set null');
  t = fk(t, 'destination_id', 'stock_location', 'set null');
  t = t.addColumn('batch', 'varchar(100)');
  t = bool(t, 'external', false);
  t = date(t, 'creation_date');
  t = date(t, 'start_date');
  t = date(t, 'target_date');
  t = date(t, 'completion_date');
  t = fk(t, 'completed_by_id', 'auth_user', 'set null');
  t = fk(t, 'issued_by_id', 'auth_user', 'set null');
  t = t.addColumn('priority', 'integer', (c: Col) => c.notNull().defaultTo(0));
  t = link(t);
  t = notes(t);
  t = metadata(t);
  await t.execute();
  await index(db, 'build', ['part_id']);

  // Stock items -----------------------------------------------------------------------------
  t = table('stock_item');
  t = fk(t, 'part_id', 'part', 'restrict', true);
  t = t.addColumn('quantity', QTY, (c: Col) => c.notNull().defaultTo(1));
  t = t.addColumn('serial', 'varchar(100)');
  t = t.addColumn('serial_int', 'integer', (c: Col) => c.notNull().defaultTo(0));
  t = t.addColumn('batch', 'varchar(100)');
  t = fk(t, 'location_id', 'stock_location', 'set null');
  t = fk(t, 'supplier_part_id', 'supplier_part', 'set null');
  t = fk(t, 'purchase_order_id', 'purchase_order', 'set null');
  t = fk(t, 'sales_order_id', 'sales_order', 'set null');
  t = fk(t, 'customer_id', 'company', 'set null');
  t = fk(t, 'belongs_to_id', 'stock_item', 'set null');
  t = fk(t, 'parent_id', 'stock_item', 'set null');
  t = fk(t, 'build_id', 'build', 'set null');
  t = fk(t, 'consumed_by_id', 'build', 'set null');
  t = bool(t, 'is_building', false);
  t = t.addColumn('status', 'integer', (c: Col) => c.notNull().defaultTo(10));
  t = date(t, 'expiry_date');
  t = date(t, 'stocktake_date');
  t = text(t, 'packaging', 50);
  t = link(t);
  t = notes(t);
  t = t.addColumn('purchase_price', MONEY);
  t = text(t, 'purchase_price_currency', 3);
  t = bool(t, 'delete_on_deplete', true);
  t = stamp(t, 'updated');
  t = stamp(t, 'creation_date');
  t = metadata(t);
  await t.execute();
  for (const cols of [['part_id'], ['location_id'], ['serial'], ['batch'], ['supplier_part_id'], ['purchase_order_id'], ['sales_order_id'], ['status']]) {
    await index(db, 'stock_item', cols);
  }

  t = table('stock_tracking');
  t = fk(t, 'item_id', 'stock_item', 'cascade', true);
  t = stamp(t, 'date');
  t = t.addColumn('tracking_type', 'integer', (c: Col) => c.notNull());
  t = text(t, 'notes', 512);
  t = fk(t, 'user_id', 'auth_user', 'set null');
  t = t.addColumn('deltas', 'text', (c: Col) => c.notNull().defaultTo('{}'));
  await t.execute();
  await index(db, 'stock_tracking', ['item_id']);

  // Order lines, shipments, allocations -------------------------------------------------------
  t = table('purchase_order_line');
  t = fk(t, 'order_id', 'purchase_order', 'cascade', true);
  t = fk(t, 'part_id', 'supplier_part', 'set null');
  t = t.addColumn('quantity', QTY, (c: Col) => c.notNull().defaultTo(1));
  t = t.addColumn('received', QTY, (c: Col) => c.notNull().defaultTo(0));
  t = t.addColumn('purchase_price', MONEY);
  t = text(t, 'purchase_price_currency', 3);
  t = fk(t, 'destination_id', 'stock_location', 'set null');
  t = fk(t, 'build_order_id', 'build', 'set null');
  t = text(t, 'reference', 100);
  t = text(t, 'notes', 500);
  t = link(t);
  t = date(t, 'target_date');
  t = metadata(t);
  await t.execute();
  await index(db, 'purchase_order_line', ['order_id']);
  await index(db, 'purchase_order_line', ['part_id']);

  t = table('sales_order_line');
  t = fk(t, 'order_id', 'sales_order', 'cascade', true);
  t = fk(t, 'part_id', 'part', 'set null');
  t = t.addColumn('quantity', QTY, (c: Col) => c.notNull().defaultTo(1));
  t = t.addColumn('shipped', QTY, (c: Col) => c.notNull().defaultTo(0));
  t = t.addColumn('sale_price', MONEY);
  t = text(t, 'sale_price_currency', 3);
  t = text(t, 'reference', 100);
  t = text(t, 'notes', 500);
  t = link(t);
  t = date(t, 'target_date');
  t = metadata(t);
  await t.execute();
  await index(db, 'sales_order_line', ['order_id']);
  await index(db, 'sales_order_line', ['part_id']);

  t = table('sales_order_shipment');
  t = fk(t, 'order_id', 'sales_order', 'cascade', true);
  t = text(t, 'reference', 100, '1');
  t = date(t, 'shipment_date');
  t = date(t, 'delivery_date');
  t = fk(t, 'checked_by_id', 'auth_user', 'set null');
  t = text(t, 'tracking_number', 100);
  t = text(t, 'invoice_number', 100);
  t = link(t);
  t = notes(t);
  t = metadata(t);
  await t.addUniqueConstraint('sales_order_shipment_unique', ['order_id', 'reference']).execute();

  t = table('sales_order_allocation');
  t = fk(t, 'line_id', 'sales_order_line', 'cascade', true);
  t = fk(t, 'shipment_id', 'sales_order_shipment', 'cascade');
  t = fk(t, 'item_id', 'stock_item', 'cascade', true);
  t = t.addColumn('quantity', QTY, (c: Col) => c.notNull().defaultTo(1));
  await t.execute();
  await index(db, 'sales_order_allocation', ['item_id']);
  await index(db, 'sales_order_allocation', ['line_id']);
  await index(db, 'sales_order_allocation', ['shipment_id']);

  t = table('return_order_line');
  t = fk(t, 'order_id', 'return_order', 'cascade', true);
  t = fk(t, 'item_id', 'stock_item', 'restrict', true);
  t = t.addColumn('quantity', QTY, (c: Col) => c.notNull().defaultTo(1));
  t = date(t, 'received_date');
  t = t.addColumn('outcome', 'integer', (c: Col) => c.notNull().defaultTo(10));
  t = t.addColumn('price', MONEY);
  t = text(t, 'price_currency', 3);
  t = text(t, 'reference', 100);
  t = text(t, 'notes', 500);
  t = link(t);
  t = date(t, 'target_date');
  t = metadata(t);
  await t.addUniqueConstraint('return_order_line_unique', ['order_id', 'item_id']).execute();

  // Barcode links (decision D13) ----------------------------------------------------------------
  // One row per barcode linked to an object of one of the ten barcodable models. The hash is
  // unique across all of them, so a scan finds its object with one indexed look-up and two
  // concurrent links of one barcode cannot both succeed. `is_primary` marks the link that the
  // object's `barcode_hash` reports (at most one per object).
  t = table('barcode_link');
  t = t.addColumn('hash', 'varchar(128)', (c: Col) => c.notNull().unique());
  t = t.addColumn('data', 'text', (c: Col) => c.notNull());
  t = t.addColumn('model_type', 'varchar(32)', (c: Col) => c.notNull());
  t = t.addColumn('object_id', 'integer', (c: Col) => c.notNull());
  t = bool(t, 'is_primary', true);
  t = text(t, 'kind', 20, 'custom');
  t = text(t, 'note', 250);
  t = stamp(t, 'created');
  t = fk(t, 'created_by_id', 'auth_user', 'set null');
  await t.execute();
  await index(db, 'barcode_link', ['model_type', 'object_id']);
  await db.schema
    .createIndex('barcode_link_primary_unique')
    .on('barcode_link')
    .columns(['model_type', 'object_id'])
    .unique()
    .where(sql.ref('is_primary'), '=', sql.lit(true))
    .execute();
}
