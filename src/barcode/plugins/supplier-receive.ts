/**
 * A supplier plugin receiving a purchase-order line from a scanned label
 * (supplier-barcodes.md §6.2), with Stockscan's fixes (D14: pending lines are preferred; the
 * supplier is resolved per request). Runs inside the po-receive transaction (D16).
 */
import type { Database } from '../../db/connection.js';
import type { Executor } from '../../db/transaction.js';
import { coerceNumber } from '../../http/fields.js';
import { receiveItems, ReceiveError } from '../../order/purchase-receive.js';
import { categoryDefaultLocations } from '../../part/brief.js';
import type { SettingsService } from '../../settings/service.js';
import { qty, qtySub } from '../../util/decimal.js';
import { matchPurchaseOrder, matchSupplierPart, resolveSupplier } from './supplier-matching.js';
import type { SupplierBarcodePlugin } from './suppliers.js';
import type { PluginContext } from './types.js';

export const ACTION_REQUIRED = 'Further information required to receive line item';
export const RECEIVED = 'Received purchase order line item';

export interface ReceiveOptions {
  supplier: number | null;
  purchaseOrder: number | null;
  location: number | null;
  lineItem: number | null;
  autoAllocate: boolean;
  userId: number | null;
  database: Database;
  settings: SettingsService;
}

export interface LineItemAnswer {
  pk: number;
  quantity: number;
  supplier_part: number;
  purchase_order: number;
  location: number | null;
}

/** What the plugin answers; `error` without `lineitem` for the early refusals. */
export interface ReceiveAnswer {
  lineitem?: LineItemAnswer;
  success?: string;
  action_required?: string;
  error?: string;
}

/** A plugin that cannot read its input at all (InvenTree: the plugin raised and is skipped). */
export class PluginSkip extends Error {}

/** The default location of a part: its own, else the nearest category's up the tree. */
async function partDefaultLocation(db: Executor, partId: number): Promise<number | null> {
  const part = await db.selectFrom('part').select(['default_location_id', 'category_id']).where('id', '=', partId).executeTakeFirst();
  if (part === undefined) return null;
  if (part.default_location_id !== null) return part.default_location_id;
  if (part.category_id === null) return null;
  return (await categoryDefaultLocations(db, [part.category_id])).get(part.category_id) ?? null;
}

export async function receiveWithSupplierPlugin(
  plugin: SupplierBarcodePlugin,
  ctx: PluginContext,
  barcode: string,
  options: ReceiveOptions,
): Promise<ReceiveAnswer | undefined> {
  const db = ctx.db;
  const fields = plugin.parse(barcode);
  const pluginSupplier = await resolveSupplier(ctx, plugin.defaultSupplierName);
  const supplier = options.supplier ?? pluginSupplier;
  if (supplier === null) return undefined;

  const orderId = options.purchaseOrder ?? (await matchPurchaseOrder(db, fields, pluginSupplier));
  if (orderId === null) return undefined;
  const order = await db.selectFrom('purchase_order').select(['id', 'supplier_id', 'destination_id']).where('id', '=', orderId).executeTakeFirst();
  if (order === undefined || order.supplier_id !== supplier) return undefined;

  const supplierPartId = await matchSupplierPart(db, fields, pluginSupplier);
  if (supplierPartId === null) return undefined;

  const lineColumns = ['id', 'order_id', 'part_id', 'quantity', 'received', 'destination_id'] as const;
  let line;
  if (options.lineItem !== null) {
    line = await db.selectFrom('purchase_order_line').select(lineColumns).where('id', '=', options.lineItem).executeTakeFirst();
  } else {
    const candidates = await db.selectFrom('purchase_order_line').select(lineColumns).where('order_id', '=', order.id).where('part_id', '=', supplierPartId).orderBy('id').execute();
    // D14: one pending line wins over completed ones beside it.
    const pending = candidates.filter((l) => Number(l.received) < Number(l.quantity));
    line = pending.length === 1 ? pending[0] : pending.length === 0 && candidates.length === 1 ? candidates[0] : undefined;
  }
  if (line === undefined) return undefined;
  if (line.part_id !== supplierPartId) return { error: 'Supplier part does not match line item' };
  if (Number(line.received) >= Number(line.quantity)) return { error: 'Line item is already completed' };

  let location = options.location ?? line.destination_id ?? order.destination_id;
  if (location === null) {
    const sp = await db.selectFrom('supplier_part').select('part_id').where('id', '=', supplierPartId).executeTakeFirstOrThrow();
    location = await partDefaultLocation(db, sp.part_id);
  }

  const labelQuantity = fields.quantity;
  const actionRequired = !options.autoAllocate || location === null || labelQuantity === undefined;
  let quantity: number;
  if (labelQuantity === undefined) {
    quantity = Math.max(qtySub(Number(line.quantity), Number(line.received)), 0);
  } else {
    const n = coerceNumber(labelQuantity);
    if (n === undefined) throw new PluginSkip(`quantity "${labelQuantity}" is not a number`);
    quantity = qty(n);
  }

  const lineitem: LineItemAnswer = { pk: line.id, quantity, supplier_part: supplierPartId, purchase_order: order.id, location };
  if (actionRequired) return { lineitem, action_required: ACTION_REQUIRED };
  try {
    await receiveItems(options.database, db, options.settings, {
      orderId: order.id,
      userId: options.userId,
      location,
      items: [{ lineId: line.id, quantity, location, barcode }],
    });
  } catch (e) {
    if (!(e instanceof ReceiveError)) return { lineitem, error: 'Failed to receive line item' };
    if (e.single === undefined) throw new PluginSkip(e.message);
    // Linked by a concurrent scan of the same label in the meantime (D16).
    if (e.single === 'Barcode is already in use') return { error: 'Item has already been received' };
    return { lineitem, error: e.single };
  }
  return { lineitem, success: RECEIVED };
}
