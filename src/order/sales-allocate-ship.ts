/**
 * Shipping a sales-order shipment (core-api.md §7.13, §9.3): the service behind
 * `POST /api/order/so/shipment/{pk}/ship/`. InvenTree marks the shipment as sent and then, in
 * a background task, hands each allocated stock item over to the customer; Stockscan does
 * all of it in the caller's transaction before answering (decision D16), so a shipment is
 * never "sent" with its stock still on the shelf.
 *
 * Per allocation: the allocated quantity is taken from its stock item (split off when only
 * part of the item is allocated), that item gets the order's `sales_order` and `customer` and
 * loses its location, a tracking entry SHIPPED_AGAINST_SALES_ORDER (60) is written, the
 * line's `shipped` grows by the quantity, and the allocation then points at the shipped item.
 * Once the shipment has a `shipment_date` its allocations no longer hold stock (§7.5).
 */
import type { Database } from '../db/connection.js';
import type { Executor } from '../db/transaction.js';
import { ValidationError } from '../http/errors.js';
import type { SettingsService } from '../settings/service.js';
import { splitStockItem } from '../stock/items-service.js';
import { addTracking, TRACKING } from '../stock/tracking.js';
import { qty, qtyAdd } from '../util/decimal.js';
import { nowIso, today } from '../util/time.js';
import { lockRows } from './sales-allocate-service.js';

export const NO_SHIPMENT = 'No shipment details provided';
export const SHIPMENT_ALREADY_SENT = 'Shipment has already been sent';
export const SHIPMENT_HAS_NO_ALLOCATIONS = 'Shipment has no allocated stock items';
export const SHIPMENT_NOT_CHECKED = 'Shipment must be checked before it can be completed';

export interface ShipRequest {
  shipmentId: number;
  /** Default (missing or null): today. */
  shipmentDate?: string | null;
  /** Kept as it is when missing or null. */
  deliveryDate?: string | null;
  trackingNumber?: string;
  invoiceNumber?: string;
  link?: string;
  userId: number | null;
}

interface ShipmentRow {
  id: number;
  order_id: number;
  shipment_date: string | null;
  checked_by_id: number | null;
}

/**
 * Why the shipment cannot be shipped (InvenTree's `check_can_complete`, in its order), or
 * undefined: already sent, nothing allocated, or not checked while
 * SALESORDER_SHIPMENT_REQUIRES_CHECK is on.
 */
export async function shipmentCompletionError(db: Executor, settings: SettingsService, shipment: ShipmentRow): Promise<string | undefined> {
  if (shipment.shipment_date !== null && shipment.shipment_date !== '') return SHIPMENT_ALREADY_SENT;
  const allocated = await db.selectFrom('sales_order_allocation').select('id').where('shipment_id', '=', shipment.id).limit(1).executeTakeFirst();
  if (allocated === undefined) return SHIPMENT_HAS_NO_ALLOCATIONS;
  if (shipment.checked_by_id === null && (await settings.getGlobalBool('SALESORDER_SHIPMENT_REQUIRES_CHECK', db))) return SHIPMENT_NOT_CHECKED;
  return undefined;
}

/**
 * Ships the shipment inside the caller's transaction (see the file comment). Refusals throw
 * a 400 ValidationError `{"non_field_errors": [message]}`, as InvenTree's serializer reports
 * the model's errors; a shipment that does not exist is refused with
 * "No shipment details provided".
 */
export async function shipShipment(trx: Executor, database: Database, settings: SettingsService, request: ShipRequest): Promise<void> {
  await lockRows(trx, database, 'sales_order_shipment', [request.shipmentId]);
  const shipment = await trx
    .selectFrom('sales_order_shipment')
    .select(['id', 'order_id', 'shipment_date', 'checked_by_id'])
    .where('id', '=', request.shipmentId)
    .executeTakeFirst();
  if (shipment === undefined) throw new ValidationError({ non_field_errors: [NO_SHIPMENT] });
  const refusal = await shipmentCompletionError(trx, settings, shipment);
  if (refusal !== undefined) throw new ValidationError({ non_field_errors: [refusal] });

  const changes: Record<string, unknown> = { shipment_date: request.shipmentDate ?? today() };
  if (request.trackingNumber !== undefined) changes.tracking_number = request.trackingNumber;
  if (request.invoiceNumber !== undefined) changes.invoice_number = request.invoiceNumber;
  if (request.link !== undefined) changes.link = request.link;
  if (request.deliveryDate !== undefined && request.deliveryDate !== null) changes.delivery_date = request.deliveryDate;
  await trx.updateTable('sales_order_shipment').set(changes).where('id', '=', shipment.id).execute();

  const order = await trx
    .selectFrom('sales_order as o')
    .leftJoin('company as c', 'c.id', 'o.customer_id')
    .select(['o.id', 'o.customer_id', 'c.name as customer_name'])
    .where('o.id', '=', shipment.order_id)
    .executeTakeFirstOrThrow();
  const allocations = await trx.selectFrom('sales_order_allocation').selectAll().where('shipment_id', '=', shipment.id).orderBy('id').execute();
  await lockRows(
    trx,
    database,
    'stock_item',
    allocations.map((a) => a.item_id),
  );
  const lineIds = [...new Set(allocations.map((a) => a.line_id))];
  await lockRows(trx, database, 'sales_order_line', lineIds);
  const shipped = new Map((await trx.selectFrom('sales_order_line').select(['id', 'shipped']).where('id', 'in', lineIds).execute()).map((l) => [l.id, Number(l.shipped)]));

  const now = nowIso();
  for (const allocation of allocations) {
    const quantity = qty(Number(allocation.quantity));
    const item = await trx.selectFrom('stock_item').select(['id', 'quantity']).where('id', '=', allocation.item_id).executeTakeFirstOrThrow();
    const whole = quantity >= Number(item.quantity);
    const target = whole ? item.id : await splitStockItem(trx, item.id, quantity, { userId: request.userId });
    await trx.updateTable('stock_item').set({ sales_order_id: order.id, customer_id: order.customer_id, location_id: null, updated: now }).where('id', '=', target).execute();
    const deltas: Record<string, unknown> = {};
    if (order.customer_id !== null) {
      deltas.customer = order.customer_id;
      deltas.customer_name = order.customer_name;
    }
    deltas.salesorder = order.id;
    deltas.quantity = whole ? qty(Number(item.quantity)) : quantity;
    await addTracking(trx, target, TRACKING.SHIPPED_AGAINST_SALES_ORDER, request.userId, deltas);
    const total = qtyAdd(shipped.get(allocation.line_id) ?? 0, quantity);
    shipped.set(allocation.line_id, total);
    await trx.updateTable('sales_order_line').set({ shipped: total }).where('id', '=', allocation.line_id).execute();
    if (target !== allocation.item_id) await trx.updateTable('sales_order_allocation').set({ item_id: target }).where('id', '=', allocation.id).execute();
  }
}
