/**
 * Reusable stock queries (core-api.md §7.5 "Derived values", §9.3): the "in stock" condition
 * as a query fragment, and allocated / unallocated quantities of stock items.
 */
import { sql, type RawBuilder, type SqlBool } from 'kysely';
import type { Executor } from '../db/transaction.js';
import { SO_OPEN, STOCK_AVAILABLE_CODES } from '../status/enums.js';
import { qty, qtySub } from '../util/decimal.js';

/**
 * The "in stock" condition on `stock_item` (InvenTree's IN_STOCK_FILTER): an available status,
 * quantity above zero, not being built, and not shipped, installed, assigned to a customer or
 * consumed. Use it in any query that has the `stock_item` table (unaliased) in scope:
 * `db.selectFrom('stock_item').where(inStockCondition)`; `notInStockCondition` is its negation.
 */
export const inStockCondition: RawBuilder<SqlBool> = sql<SqlBool>`(stock_item.quantity > 0 and stock_item.sales_order_id is null and stock_item.belongs_to_id is null and stock_item.customer_id is null and stock_item.consumed_by_id is null and stock_item.is_building = ${false} and stock_item.status in (${sql.join([...STOCK_AVAILABLE_CODES])}))`;

export const notInStockCondition: RawBuilder<SqlBool> = sql<SqlBool>`(not ${inStockCondition})`;

/** The in-stock test on a loaded row (same rule as `inStockCondition`). */
export function isInStock(row: {
  quantity: number;
  status: number;
  is_building: unknown;
  sales_order_id: number | null;
  belongs_to_id: number | null;
  customer_id: number | null;
  consumed_by_id: number | null;
}): boolean {
  return (
    Number(row.quantity) > 0 &&
    STOCK_AVAILABLE_CODES.includes(Number(row.status)) &&
    !row.is_building &&
    row.sales_order_id === null &&
    row.belongs_to_id === null &&
    row.customer_id === null &&
    row.consumed_by_id === null
  );
}

/** Sum of every SalesOrderAllocation quantity per item (the serializer's `allocated`). */
export async function allocatedTotals(db: Executor, itemIds: readonly number[]): Promise<Map<number, number>> {
  const ids = [...new Set(itemIds)];
  if (ids.length === 0) return new Map();
  const rows = await db
    .selectFrom('sales_order_allocation')
    .select((eb) => ['item_id', eb.fn.sum<number>('quantity').as('total')])
    .where('item_id', 'in', ids)
    .groupBy('item_id')
    .execute();
  return new Map(rows.map((r) => [r.item_id, qty(Number(r.total ?? 0))]));
}

/**
 * The "active" allocated quantity per item (InvenTree's `allocation_count`): allocations whose
 * sales order is in the SO OPEN group [10, 25, 15] and whose shipment has no `shipment_date`
 * (an allocation without a shipment counts).
 */
export async function activeAllocationCounts(db: Executor, itemIds: readonly number[]): Promise<Map<number, number>> {
  const ids = [...new Set(itemIds)];
  if (ids.length === 0) return new Map();
  const rows = await db
    .selectFrom('sales_order_allocation')
    .innerJoin('sales_order_line', 'sales_order_line.id', 'sales_order_allocation.line_id')
    .innerJoin('sales_order', 'sales_order.id', 'sales_order_line.order_id')
    .leftJoin('sales_order_shipment', 'sales_order_shipment.id', 'sales_order_allocation.shipment_id')
    .select((eb) => ['sales_order_allocation.item_id', eb.fn.sum<number>('sales_order_allocation.quantity').as('total')])
    .where('sales_order_allocation.item_id', 'in', ids)
    .where('sales_order.status', 'in', [...SO_OPEN])
    .where('sales_order_shipment.shipment_date', 'is', null)
    .groupBy('sales_order_allocation.item_id')
    .execute();
  return new Map(rows.map((r) => [r.item_id, qty(Number(r.total ?? 0))]));
}

export interface ItemAllocation {
  quantity: number;
  /** Active allocations (SO OPEN, shipment not shipped). */
  allocationCount: number;
  /** `max(quantity − allocationCount, 0)`. */
  unallocated: number;
}

/** Quantity, active allocation count and unallocated quantity per stock item. */
export async function unallocatedQuantities(db: Executor, itemIds: readonly number[]): Promise<Map<number, ItemAllocation>> {
  const ids = [...new Set(itemIds)];
  if (ids.length === 0) return new Map();
  const [items, counts] = await Promise.all([
    db.selectFrom('stock_item').select(['id', 'quantity']).where('id', 'in', ids).execute(),
    activeAllocationCounts(db, ids),
  ]);
  return new Map(
    items.map((i) => {
      const quantity = Number(i.quantity);
      const allocationCount = counts.get(i.id) ?? 0;
      return [i.id, { quantity, allocationCount, unallocated: Math.max(qtySub(quantity, allocationCount), 0) }];
    }),
  );
}
