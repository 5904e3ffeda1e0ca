/**
 * Matching the fields of a supplier label to the database (supplier-barcodes.md §3.0, §4),
 * with Stockscan's fixes (decision D14): the plugin's supplier is resolved on every request,
 * and the purchase-order look-up falls back from the customer order number (`K`) to the
 * supplier order number (`1K`).
 */
import { prepared } from '../../db/prepared.js';
import type { Executor } from '../../db/transaction.js';
import type { SupplierFields } from '../formats/supplier-fields.js';
import type { PluginContext } from './types.js';
import { isPossibleKey } from '../../db/keys.js';

// Every supplier label a plugin reads runs these, so they are compiled once (db/prepared.ts).
// A query whose shape depends on a value (a supplier or none) has one prepared form per shape.
const companyExists = prepared((db, a: { id: number }) => db.selectFrom('company').select('id').where('id', '=', a.id));
const supplierPartsBySku = prepared((db, a: { supplierId: number; sku: string }) =>
  db.selectFrom('supplier_part').select(['id', 'manufacturer_part_id']).where('supplier_id', '=', a.supplierId).where('sku', '=', a.sku).orderBy('id').limit(2),
);
const manufacturerPartsByMpn = prepared((db, a: { mpn: string }) => db.selectFrom('manufacturer_part').select('id').where('mpn', '=', a.mpn).orderBy('id').limit(2));
const suppliersManufacturerPartsByMpn = prepared((db, a: { mpn: string; supplierId: number }) =>
  db
    .selectFrom('manufacturer_part')
    .select('id')
    .where('mpn', '=', a.mpn)
    .where((eb) =>
      eb.or([
        eb('manufacturer_id', '=', a.supplierId),
        // Correlated: one indexed probe per manufacturer part of that MPN, not a list of all
        // the supplier's parts.
        eb.exists(
          eb
            .selectFrom('supplier_part as sp')
            .select('sp.id')
            .whereRef('sp.manufacturer_part_id', '=', 'manufacturer_part.id')
            .where('sp.supplier_id', '=', a.supplierId),
        ),
      ]),
    )
    .orderBy('id')
    .limit(2),
);

/** Purchase orders by `column`, of any supplier or of one (the column is part of the shape). */
function orderLookups(column: 'reference' | 'supplier_reference') {
  return {
    anySupplier: prepared((db, a: { value: string }) => db.selectFrom('purchase_order').select('id').where(column, '=', a.value).limit(2)),
    ofSupplier: prepared((db, a: { value: string; supplierId: number }) =>
      db.selectFrom('purchase_order').select('id').where(column, '=', a.value).where('supplier_id', '=', a.supplierId).limit(2),
    ),
  };
}
const ordersBy = { reference: orderLookups('reference'), supplier_reference: orderLookups('supplier_reference') };

/** The look-ups whose plans matter as a supplier's catalogue grows (test/barcode/supplier-lookups.test.ts). */
export const SUPPLIER_LOOKUPS = { supplierPartsBySku, suppliersOrdersBySupplierReference: ordersBy.supplier_reference.ofSupplier, suppliersManufacturerPartsByMpn };

function escapeLike(text: string): string {
  return text.replace(/[\\%_]/g, (c) => `\\${c}`);
}

/**
 * The plugin's supplier: the company in SUPPLIER_ID; else the single supplier whose name
 * contains the plugin's default name (case-insensitive), which is then stored in SUPPLIER_ID.
 */
export async function resolveSupplier(ctx: PluginContext, defaultName: string | undefined): Promise<number | null> {
  const configured = (await ctx.setting('SUPPLIER_ID')).trim();
  if (configured !== '') {
    const id = Number(configured);
    if (!isPossibleKey(id)) return null;
    const row = await companyExists.executeTakeFirst(ctx.db, { id });
    return row?.id ?? null;
  }
  if (defaultName === undefined || defaultName === '') return null;
  const pattern = `%${escapeLike(defaultName.toLowerCase())}%`;
  const rows = await ctx.db
    .selectFrom('company')
    .select('id')
    .where('is_supplier', '=', true)
    .where((eb) => eb(eb.fn('lower', ['name']), 'like', eb.val(pattern)))
    .limit(2)
    .execute();
  if (rows.length !== 1) return null;
  const id = (rows[0] as { id: number }).id;
  await ctx.setSetting('SUPPLIER_ID', String(id));
  return id;
}

/** §4.2: one supplier part by SKU (exact), narrowed by MPN when several remain. */
export async function matchSupplierPart(db: Executor, fields: SupplierFields, supplierId: number | null): Promise<number | null> {
  const sku = fields.supplier_part_number ?? '';
  const mpn = fields.manufacturer_part_number ?? '';
  if (sku === '' && mpn === '') return null;
  const candidates = () => {
    let q = db.selectFrom('supplier_part').select(['id', 'manufacturer_part_id']);
    if (supplierId !== null) q = q.where('supplier_id', '=', supplierId);
    if (sku !== '') q = q.where('sku', '=', sku);
    return q;
  };
  // Two rows tell "exactly one" from "several"; the MPN narrowing needs the rows themselves.
  // The usual case (the plugin's supplier and a SKU) runs prepared.
  const firstTwo =
    supplierId !== null && sku !== '' ? await supplierPartsBySku.execute(db, { supplierId, sku }) : await candidates().orderBy('id').limit(2).execute();
  if (firstTwo.length <= 1) return firstTwo[0]?.id ?? null;
  if (mpn === '') return null;
  const manufacturerParts = db.selectFrom('manufacturer_part').select('id').where('mpn', '=', mpn);
  const anyManufacturerPart = await manufacturerParts.limit(1).executeTakeFirst();
  if (anyManufacturerPart === undefined) return null;
  const narrowed = await candidates().where('manufacturer_part_id', 'in', manufacturerParts).orderBy('id').limit(2).execute();
  return narrowed.length === 1 ? (narrowed[0] as { id: number }).id : null;
}

/** §4.3: one manufacturer part by MPN, limited to the supplier's when the plugin has one. */
export async function matchManufacturerPart(db: Executor, fields: SupplierFields, supplierId: number | null): Promise<number | null> {
  const mpn = fields.manufacturer_part_number ?? '';
  if (mpn === '') return null;
  const rows = supplierId === null ? await manufacturerPartsByMpn.execute(db, { mpn }) : await suppliersManufacturerPartsByMpn.execute(db, { mpn, supplierId });
  return rows.length === 1 ? (rows[0] as { id: number }).id : null;
}

/**
 * §4.4 with D14: the purchase order whose reference is the customer order number; failing
 * that, the one whose supplier reference is the supplier order number. Any status counts.
 */
export async function matchPurchaseOrder(db: Executor, fields: SupplierFields, supplierId: number | null): Promise<number | null> {
  const byColumn = async (column: 'reference' | 'supplier_reference', value: string): Promise<number | null> => {
    const lookups = ordersBy[column];
    const rows = supplierId === null ? await lookups.anySupplier.execute(db, { value }) : await lookups.ofSupplier.execute(db, { value, supplierId });
    return rows.length === 1 ? (rows[0] as { id: number }).id : null;
  };
  const customer = fields.customer_order_number ?? '';
  const supplier = fields.supplier_order_number ?? '';
  if (customer !== '') {
    const found = await byColumn('reference', customer);
    if (found !== null) return found;
  }
  if (supplier !== '') return byColumn('supplier_reference', supplier);
  return null;
}
