/**
 * Receiving a purchase-order line from a scanned label (supplier-barcodes.md §6.2), with
 * Stockscan's fixes (D14: pending lines are preferred; the supplier is resolved per request).
 * Runs inside the po-receive transaction (D16). The supplier plugins read ISO 15434 / LCSC /
 * TME fields; the GS1 plugin (gs1.ts) shares the second half, `receiveLine`, and adds batch,
 * expiry and serial number.
 */
import type { Executor } from '../../db/transaction.js';
import { coerceNumber } from '../../http/fields.js';
import { receiveItems, ReceiveError } from '../../order/purchase-receive.js';
import { categoryDefaultLocations } from '../../part/brief.js';
import { qty, qtySub } from '../../util/decimal.js';
import type { SupplierFields } from '../formats/supplier-fields.js';
import { matchPurchaseOrder, matchSupplierPart, resolveSupplier } from './supplier-matching.js';
import type { SupplierBarcodePlugin } from './suppliers.js';
import type { LineItemAnswer, PluginContext, ReceiveAnswer, ReceiveOptions } from './types.js';

export type { LineItemAnswer, ReceiveAnswer, ReceiveOptions } from './types.js';

export const ACTION_REQUIRED = 'Further information required to receive line item';
export const RECEIVED = 'Received purchase order line item';

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

export interface OrderRow {
  id: number;
  supplier_id: number;
  destination_id: number | null;
}

export interface LineRow {
  id: number;
  order_id: number;
  part_id: number | null;
  quantity: number;
  received: number;
  destination_id: number | null;
}

const LINE_COLUMNS = ['id', 'order_id', 'part_id', 'quantity', 'received', 'destination_id'] as const;

export async function loadOrder(db: Executor, orderId: number): Promise<OrderRow | undefined> {
  return db.selectFrom('purchase_order').select(['id', 'supplier_id', 'destination_id']).where('id', '=', orderId).executeTakeFirst();
}

/**
 * The line to receive: the one named, else the order's one line for one of the supplier
 * parts — a single pending line wins over completed ones beside it (D14). Undefined when
 * there is none or several.
 */
export async function pickLine(db: Executor, orderId: number, supplierPartIds: readonly number[], lineItem: number | null): Promise<LineRow | undefined> {
  if (lineItem !== null) return db.selectFrom('purchase_order_line').select(LINE_COLUMNS).where('id', '=', lineItem).executeTakeFirst();
  if (supplierPartIds.length === 0) return undefined;
  const candidates = await db
    .selectFrom('purchase_order_line')
    .select(LINE_COLUMNS)
    .where('order_id', '=', orderId)
    .where('part_id', 'in', [...supplierPartIds])
    .orderBy('id')
    .execute();
  const pending = candidates.filter((l) => Number(l.received) < Number(l.quantity));
  return pending.length === 1 ? pending[0] : pending.length === 0 && candidates.length === 1 ? candidates[0] : undefined;
}

export interface ReceiveTarget {
  order: OrderRow;
  line: LineRow;
  /** The supplier part the label names; the line must be for it (or one of them). */
  supplierPartIds: readonly number[];
  /** The label's quantity: text as a supplier label carries it, or a number; undefined when absent. */
  labelQuantity: string | number | undefined;
  /** Written to the received stock item (GS1 labels). */
  details?: { batchCode?: string; expiryDate?: string; serialNumbers?: string };
}

/**
 * The second half of §6.2 (steps 7–13): checks the line, finds the location and quantity and
 * either answers `action_required` with the line or receives it.
 */
export async function receiveLine(db: Executor, barcode: string, options: ReceiveOptions, target: ReceiveTarget): Promise<ReceiveAnswer> {
  const { order, line, details } = target;
  if (line.part_id === null || !target.supplierPartIds.includes(line.part_id)) return { error: 'Supplier part does not match line item' };
  const supplierPartId = line.part_id;
  if (Number(line.received) >= Number(line.quantity)) return { error: 'Line item is already completed' };

  let location = options.location ?? line.destination_id ?? order.destination_id;
  if (location === null) {
    const sp = await db.selectFrom('supplier_part').select('part_id').where('id', '=', supplierPartId).executeTakeFirstOrThrow();
    location = await partDefaultLocation(db, sp.part_id);
  }

  const labelQuantity = target.labelQuantity;
  const actionRequired = !options.autoAllocate || location === null || labelQuantity === undefined;
  let quantity: number;
  if (labelQuantity === undefined) {
    quantity = Math.max(qtySub(Number(line.quantity), Number(line.received)), 0);
  } else {
    const n = typeof labelQuantity === 'number' ? labelQuantity : coerceNumber(labelQuantity);
    if (n === undefined) throw new PluginSkip(`quantity "${labelQuantity}" is not a number`);
    quantity = qty(n);
  }

  const lineitem: LineItemAnswer = { pk: line.id, quantity, supplier_part: supplierPartId, purchase_order: order.id, location };
  if (details?.batchCode !== undefined) lineitem.batch_code = details.batchCode;
  if (details?.expiryDate !== undefined) lineitem.expiry_date = details.expiryDate;
  if (details?.serialNumbers !== undefined) lineitem.serial_numbers = details.serialNumbers;
  if (actionRequired) return { lineitem, action_required: ACTION_REQUIRED };
  try {
    await receiveItems(options.database, db, options.settings, {
      orderId: order.id,
      userId: options.userId,
      location,
      items: [
        {
          lineId: line.id,
          quantity,
          location,
          barcode,
          ...(details?.batchCode !== undefined ? { batchCode: details.batchCode } : {}),
          ...(details?.expiryDate !== undefined ? { expiryDate: details.expiryDate } : {}),
          ...(details?.serialNumbers !== undefined ? { serialNumbers: details.serialNumbers } : {}),
        },
      ],
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

/**
 * §6.2 for the fields of a supplier label, read as the supplier `pluginSupplier` (the plugin's
 * configured supplier; the request's `supplier` only overrides the order's supplier check).
 */
export async function receiveSupplierLabel(
  db: Executor,
  barcode: string,
  fields: SupplierFields,
  pluginSupplier: number | null,
  options: ReceiveOptions,
): Promise<ReceiveAnswer | undefined> {
  const supplier = options.supplier ?? pluginSupplier;
  if (supplier === null) return undefined;

  const orderId = options.purchaseOrder ?? (await matchPurchaseOrder(db, fields, pluginSupplier));
  if (orderId === null) return undefined;
  const order = await loadOrder(db, orderId);
  if (order === undefined || order.supplier_id !== supplier) return undefined;

  const supplierPartId = await matchSupplierPart(db, fields, pluginSupplier);
  if (supplierPartId === null) return undefined;

  const line = await pickLine(db, order.id, [supplierPartId], options.lineItem);
  if (line === undefined) return undefined;
  return receiveLine(db, barcode, options, { order, line, supplierPartIds: [supplierPartId], labelQuantity: fields.quantity });
}

export async function receiveWithSupplierPlugin(
  plugin: SupplierBarcodePlugin,
  ctx: PluginContext,
  barcode: string,
  options: ReceiveOptions,
): Promise<ReceiveAnswer | undefined> {
  const fields = plugin.parse(barcode);
  // Not this plugin's label: nothing to match, so no supplier to resolve (as when scanning).
  if (Object.keys(fields).length === 0) return undefined;
  const pluginSupplier = await resolveSupplier(ctx, plugin.defaultSupplierName);
  return receiveSupplierLabel(ctx.db, barcode, fields, pluginSupplier, options);
}
