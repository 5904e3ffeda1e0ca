/**
 * Allocating stock to a sales order (core-api.md §9.1): the service behind
 * `POST /api/order/so/{pk}/allocate/`. InvenTree validates the request (each item's line,
 * quantity, serial rule and available quantity; the shipment), then creates one
 * SalesOrderAllocation per item after the model's full clean, all in one transaction.
 *
 * Decision D16: the checks and the writes run in the caller's transaction after the stock
 * items (and the shipment) are locked, so concurrent requests can never allocate more than a
 * stock item's unallocated quantity, nor add stock to a shipment being shipped.
 */
import type { Database } from '../db/connection.js';
import type { Executor } from '../db/transaction.js';
import { ValidationError } from '../http/errors.js';
import { MESSAGES } from '../http/fields.js';
import { isSerialized, unallocatedQuantities } from '../stock/queries.js';
import { qty } from '../util/decimal.js';
import { createAllocationIn } from './sales-service.js';

export const LINE_NOT_IN_ORDER = 'Line item is not associated with this order';
export const QUANTITY_NOT_POSITIVE = 'Quantity must be positive';
export const SERIALIZED_QUANTITY = 'Quantity must be 1 for serialized stock item';
export const NO_ALLOCATION_ITEMS = 'Allocation items must be provided';
export const SHIPMENT_ALREADY_SHIPPED = 'Shipment has already been shipped';
export const SHIPMENT_NOT_IN_ORDER = 'Shipment is not associated with this order';

export interface AllocateItem {
  lineId: number;
  itemId: number;
  quantity: number;
}

export interface AllocateRequest {
  orderId: number;
  items: AllocateItem[];
  shipmentId: number | null;
}

type LockTable = 'stock_item' | 'sales_order_shipment' | 'sales_order_line';

/**
 * Locks rows for the rest of the transaction on PostgreSQL, in key order so that two
 * transactions locking overlapping sets cannot deadlock. SQLite transactions already hold
 * the database's write lock.
 */
export async function lockRows(trx: Executor, database: Database, table: LockTable, ids: readonly number[]): Promise<void> {
  const wanted = [...new Set(ids)].sort((a, b) => a - b);
  if (wanted.length === 0 || database.dialect !== 'postgres') return;
  await trx.selectFrom(table).select('id').where('id', 'in', wanted).orderBy('id').forUpdate().execute();
}

/** Locks what an allocation request depends on: its shipment first, then its stock items. */
export async function lockAllocationTargets(trx: Executor, database: Database, itemIds: readonly number[], shipmentId: number | null): Promise<void> {
  if (shipmentId !== null) await lockRows(trx, database, 'sales_order_shipment', [shipmentId]);
  await lockRows(trx, database, 'stock_item', itemIds);
}

/** A quantity as InvenTree's `normalize()` prints it: no trailing zeros, no exponent. */
export function quantityText(n: number): string {
  const value = qty(n);
  if (Number.isInteger(value)) return BigInt(value).toString();
  return value.toFixed(5).replace(/0+$/, '');
}

/**
 * Why the shipment cannot take allocations for this order (the serializer's
 * `validate_shipment`), or undefined: it must not be shipped and must belong to the order.
 */
export async function shipmentAllocationError(db: Executor, orderId: number, shipmentId: number): Promise<string | undefined> {
  const shipment = await db.selectFrom('sales_order_shipment').select(['order_id', 'shipment_date']).where('id', '=', shipmentId).executeTakeFirst();
  if (shipment === undefined) return MESSAGES.invalidPk(shipmentId);
  if (shipment.shipment_date !== null) return SHIPMENT_ALREADY_SHIPPED;
  if (shipment.order_id !== orderId) return SHIPMENT_NOT_IN_ORDER;
  return undefined;
}

/**
 * The per-item checks of the allocation serializer (its `validate`), as field → messages:
 * a serialized stock item takes exactly 1, and no item gives more than its unallocated
 * quantity (`Available quantity (<q>) exceeded`). Undefined when the item passes.
 */
export async function allocationItemErrors(db: Executor, item: { itemId: number; quantity: number }): Promise<Record<string, string[]> | undefined> {
  const row = await db.selectFrom('stock_item').select(['id', 'quantity', 'serial']).where('id', '=', item.itemId).executeTakeFirst();
  if (row === undefined) return { stock_item: [MESSAGES.invalidPk(item.itemId)] };
  if (isSerialized({ serial: row.serial, quantity: Number(row.quantity) }) && item.quantity !== 1) return { quantity: [SERIALIZED_QUANTITY] };
  const available = (await unallocatedQuantities(db, [item.itemId])).get(item.itemId)?.unallocated ?? 0;
  if (item.quantity > available) return { quantity: [`Available quantity (${quantityText(available)}) exceeded`] };
  return undefined;
}

/** The field checks of one item (line of this order, positive quantity), then its `validate`. */
async function itemErrors(db: Executor, orderId: number, item: AllocateItem): Promise<Record<string, string[]>> {
  const errors: Record<string, string[]> = {};
  const line = await db.selectFrom('sales_order_line').select('order_id').where('id', '=', item.lineId).executeTakeFirst();
  if (line === undefined) errors.line_item = [MESSAGES.invalidPk(item.lineId)];
  else if (line.order_id !== orderId) errors.line_item = [LINE_NOT_IN_ORDER];
  const stock = await db.selectFrom('stock_item').select('id').where('id', '=', item.itemId).executeTakeFirst();
  if (stock === undefined) errors.stock_item = [MESSAGES.invalidPk(item.itemId)];
  if (!(item.quantity > 0)) errors.quantity = [item.quantity < 0 ? MESSAGES.minValue(0) : QUANTITY_NOT_POSITIVE];
  if (Object.keys(errors).length > 0) return errors;
  return (await allocationItemErrors(db, item)) ?? {};
}

/**
 * Allocates the items against the order (and shipment) inside the caller's transaction;
 * returns the new allocation ids in request order. Refusals throw a 400 ValidationError with
 * DRF's body: per-item errors positionally under `items` (`[{}, {"quantity": [...]}]`) with
 * any `shipment` error, then `{"non_field_errors": ["Allocation items must be provided"]}`,
 * then the model checks of the first allocation that fails them (field-keyed, e.g.
 * `{"quantity": ["Stock item is over-allocated"]}` when two items of one request together
 * exceed a stock item). The caller's transaction must roll back on a refusal.
 */
export async function allocateStock(trx: Executor, database: Database, request: AllocateRequest): Promise<number[]> {
  await lockAllocationTargets(
    trx,
    database,
    request.items.map((i) => i.itemId),
    request.shipmentId,
  );
  const positional: Record<string, string[]>[] = [];
  for (const item of request.items) positional.push(await itemErrors(trx, request.orderId, item));
  const body: Record<string, unknown> = {};
  if (positional.some((e) => Object.keys(e).length > 0)) body.items = positional;
  if (request.shipmentId !== null) {
    const error = await shipmentAllocationError(trx, request.orderId, request.shipmentId);
    if (error !== undefined) body.shipment = [error];
  }
  if (Object.keys(body).length > 0) throw new ValidationError(body);
  if (request.items.length === 0) throw new ValidationError({ non_field_errors: [NO_ALLOCATION_ITEMS] });
  const ids: number[] = [];
  for (const item of request.items) {
    ids.push(await createAllocationIn(trx, database, { lineId: item.lineId, itemId: item.itemId, shipmentId: request.shipmentId, quantity: item.quantity }));
  }
  return ids;
}
