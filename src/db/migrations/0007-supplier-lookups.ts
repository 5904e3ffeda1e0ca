import type { Kysely } from 'kysely';

/**
 * Reading a supplier label looks up the plugin's supplier's part by SKU and its purchase order
 * by the supplier's order number. With one index per column, SQLite (which keeps no statistics
 * here) chose the supplier's index and walked every part, or every order, of that supplier to
 * find the one: a scan cost grew with the size of the supplier's catalogue. An index of both
 * columns finds the row directly on both databases, and also serves every look-up by supplier
 * alone (its first column), so it replaces the supplier's own index.
 */
export const SUPPLIER_SKU_INDEX = 'supplier_part_supplier_id_sku_idx';
export const SUPPLIER_ORDER_INDEX = 'purchase_order_supplier_id_supplier_reference_idx';

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.createIndex(SUPPLIER_SKU_INDEX).on('supplier_part').columns(['supplier_id', 'sku']).execute();
  await db.schema.dropIndex('supplier_part_supplier_id_idx').execute();
  await db.schema.createIndex(SUPPLIER_ORDER_INDEX).on('purchase_order').columns(['supplier_id', 'supplier_reference']).execute();
  await db.schema.dropIndex('purchase_order_supplier_id_idx').execute();
}
