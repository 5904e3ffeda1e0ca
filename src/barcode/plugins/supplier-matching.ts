/**
 * Matching the fields of a supplier label to the database (supplier-barcodes.md §3.0, §4),
 * with Stockscan's fixes (decision D14): the plugin's supplier is resolved on every request,
 * and the purchase-order look-up falls back from the customer order number (`K`) to the
 * supplier order number (`1K`).
 */
import type { Executor } from '../../db/transaction.js';
import type { SupplierFields } from '../formats/supplier-fields.js';
import type { PluginContext } from './types.js';
import { isPossibleKey } from '../../db/keys.js';

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
    const row = await ctx.db.selectFrom('company').select('id').where('id', '=', id).executeTakeFirst();
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
  let candidates = db.selectFrom('supplier_part').select(['id', 'manufacturer_part_id']);
  if (supplierId !== null) candidates = candidates.where('supplier_id', '=', supplierId);
  if (sku !== '') candidates = candidates.where('sku', '=', sku);
  // Two rows tell "exactly one" from "several"; the MPN narrowing needs the rows themselves.
  const firstTwo = await candidates.orderBy('id').limit(2).execute();
  if (firstTwo.length <= 1) return firstTwo[0]?.id ?? null;
  if (mpn === '') return null;
  const manufacturerParts = db.selectFrom('manufacturer_part').select('id').where('mpn', '=', mpn);
  const anyManufacturerPart = await manufacturerParts.limit(1).executeTakeFirst();
  if (anyManufacturerPart === undefined) return null;
  const narrowed = await candidates.where('manufacturer_part_id', 'in', manufacturerParts).orderBy('id').limit(2).execute();
  return narrowed.length === 1 ? (narrowed[0] as { id: number }).id : null;
}

/** §4.3: one manufacturer part by MPN, limited to the supplier's when the plugin has one. */
export async function matchManufacturerPart(db: Executor, fields: SupplierFields, supplierId: number | null): Promise<number | null> {
  const mpn = fields.manufacturer_part_number ?? '';
  if (mpn === '') return null;
  let q = db.selectFrom('manufacturer_part').select('id').where('mpn', '=', mpn);
  if (supplierId !== null) {
    q = q.where((eb) =>
      eb.or([
        eb('manufacturer_id', '=', supplierId),
        eb('id', 'in', eb.selectFrom('supplier_part').select('manufacturer_part_id').where('supplier_id', '=', supplierId).where('manufacturer_part_id', 'is not', null) as never),
      ]),
    );
  }
  const rows = await q.orderBy('id').limit(2).execute();
  return rows.length === 1 ? (rows[0] as { id: number }).id : null;
}

/**
 * §4.4 with D14: the purchase order whose reference is the customer order number; failing
 * that, the one whose supplier reference is the supplier order number. Any status counts.
 */
export async function matchPurchaseOrder(db: Executor, fields: SupplierFields, supplierId: number | null): Promise<number | null> {
  const byColumn = async (column: 'reference' | 'supplier_reference', value: string): Promise<number | null> => {
    let q = db.selectFrom('purchase_order').select('id').where(column, '=', value);
    if (supplierId !== null) q = q.where('supplier_id', '=', supplierId);
    const rows = await q.limit(2).execute();
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
