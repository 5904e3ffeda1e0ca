/**
 * Reusable stock rules (core-api.md §7.5 "Derived values", §9.3): "in stock" and "serialized",
 * as query fragments and row tests, and allocated / unallocated quantities of stock items.
 * Every other module uses these.
 */
import { sql, type RawBuilder, type SqlBool } from 'kysely';
import type { Executor } from '../db/transaction.js';
import { inList } from '../http/listing.js';
import { SO_OPEN, STOCK_AVAILABLE_CODES } from '../status/enums.js';
import { qty, qtySub } from '../util/decimal.js';

/**
 * The "in stock" condition (InvenTree's IN_STOCK_FILTER) on the stock item table under `alias`:
 * an available status, quantity above zero, not being built, and not shipped, installed,
 * assigned to a customer or consumed. `isInStock` applies the same rule to a loaded row.
 */
export function inStockCondition(alias = 'stock_item'): RawBuilder<SqlBool> {
  const c = (column: string) => sql.ref(`${alias}.${column}`);
  return sql<SqlBool>`(${c('quantity')} > 0 and ${c('sales_order_id')} is null and ${c('belongs_to_id')} is null and ${c('customer_id')} is null and ${c('consumed_by_id')} is null and ${c('is_building')} = ${false} and ${inList(c('status'), STOCK_AVAILABLE_CODES)})`;
}

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

/** `serial` not blank and quantity exactly 1. */
export function isSerialized(row: { serial: string | null; quantity: number }): boolean {
  return row.serial !== null && row.serial.trim() !== '' && Number(row.quantity) === 1;
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
 * Whether a sales-order allocation still holds its stock (it counts towards InvenTree's
 * `allocation_count`): its order is in the SO OPEN group and its shipment, if any, has no
 * `shipment_date`. The allocation's order must be joined as `o` and its shipment (left
 * joined) as `s`.
 */
export function activeAllocationCondition(): RawBuilder<SqlBool> {
  return sql<SqlBool>`(${inList('o.status', SO_OPEN)} and s.shipment_date is null)`;
}

/**
 * The "active" allocated quantity per item (InvenTree's `allocation_count`, see
 * `activeAllocationCondition`). `excludeAllocationId` leaves one allocation out (the one
 * being edited).
 */
export async function activeAllocationCounts(db: Executor, itemIds: readonly number[], excludeAllocationId?: number): Promise<Map<number, number>> {
  const ids = [...new Set(itemIds)];
  if (ids.length === 0) return new Map();
  const rows = await sql<{ item_id: number; total: number | null }>`
    select a.item_id as item_id, sum(a.quantity) as total
    from sales_order_allocation a
    join sales_order_line l on l.id = a.line_id
    join sales_order o on o.id = l.order_id
    left join sales_order_shipment s on s.id = a.shipment_id
    where a.item_id in (${sql.join(ids)}) and ${activeAllocationCondition()}
      ${excludeAllocationId === undefined ? sql`` : sql`and a.id <> ${excludeAllocationId}`}
    group by a.item_id`.execute(db);
  return new Map(rows.rows.map((r) => [Number(r.item_id), qty(Number(r.total ?? 0))]));
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
