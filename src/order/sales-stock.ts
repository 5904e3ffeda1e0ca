/**
 * What sales orders need to know about stock: which items are "in stock", how much of an
 * item is held by active sales-order allocations (open order, shipment not yet shipped;
 * core-api.md §7.5 and §9.3), and the StockItem object embedded as an allocation's
 * `item_detail` (StockItemSerializer without part, location or supplier-part details).
 */
import { Type, type Static } from '@sinclair/typebox';
import { sql, type RawBuilder, type SqlBool } from 'kysely';
import { barcodeHashes } from '../barcode/links.js';
import type { Executor } from '../db/transaction.js';
import { Nullable } from '../http/schema.js';
import { SO_OPEN, STOCK_AVAILABLE_CODES, StockStatus, statusLabel } from '../status/enums.js';
import { qty } from '../util/decimal.js';
import { apiDateTime, today } from '../util/time.js';

/** SQL list of a fixed set of integers (status codes). */
export function intList(values: readonly number[]): RawBuilder<unknown> {
  return sql.raw(values.map((v) => String(Math.trunc(v))).join(', '));
}

/**
 * InvenTree's "in stock" rule for the stock item aliased `alias`: an available status, a
 * positive quantity, not being built, and not shipped, installed, sold or consumed.
 */
export function inStockCondition(alias: string): RawBuilder<SqlBool> {
  const c = (name: string) => sql.ref(`${alias}.${name}`);
  return sql<SqlBool>`(${c('status')} in (${intList(STOCK_AVAILABLE_CODES)}) and ${c('quantity')} > 0 and ${c('is_building')} = ${false}
    and ${c('sales_order_id')} is null and ${c('belongs_to_id')} is null and ${c('customer_id')} is null and ${c('consumed_by_id')} is null)`;
}

/**
 * Condition on an allocation aliased `alias` (joined to its line `l`, order `o` and optional
 * shipment `s`) that it still holds stock: its order is open and its shipment not shipped.
 */
export function activeAllocationCondition(): RawBuilder<SqlBool> {
  return sql<SqlBool>`(o.status in (${intList(SO_OPEN)}) and s.shipment_date is null)`;
}

/**
 * Quantity of each stock item held by active sales-order allocations (open order, shipment
 * not shipped, or no shipment). `excludeAllocationId` leaves one allocation out (the one
 * being edited).
 */
export async function activeAllocatedByItem(db: Executor, itemIds: readonly number[], excludeAllocationId?: number): Promise<Map<number, number>> {
  const wanted = [...new Set(itemIds)];
  if (wanted.length === 0) return new Map();
  const rows = await sql<{ item_id: number; total: number | null }>`
    select a.item_id as item_id, sum(a.quantity) as total
    from sales_order_allocation a
    join sales_order_line l on l.id = a.line_id
    join sales_order o on o.id = l.order_id
    left join sales_order_shipment s on s.id = a.shipment_id
    where a.item_id in (${sql.join(wanted)}) and ${activeAllocationCondition()}
      ${excludeAllocationId === undefined ? sql`` : sql`and a.id <> ${excludeAllocationId}`}
    group by a.item_id`.execute(db);
  return new Map(rows.rows.map((r) => [Number(r.item_id), qty(Number(r.total ?? 0))]));
}

/** Sum of every sales-order allocation of each item (the StockItem serializer's `allocated`). */
export async function allAllocatedByItem(db: Executor, itemIds: readonly number[]): Promise<Map<number, number>> {
  const wanted = [...new Set(itemIds)];
  if (wanted.length === 0) return new Map();
  const rows = await db
    .selectFrom('sales_order_allocation')
    .select((eb) => ['item_id', eb.fn.sum<number>('quantity').as('total')])
    .where('item_id', 'in', wanted)
    .groupBy('item_id')
    .execute();
  return new Map(rows.map((r) => [r.item_id, qty(Number(r.total ?? 0))]));
}

/**
 * The quantity of a stock item not held by active sales-order allocations:
 * `max(quantity − allocated, 0)` (core-api.md §7.5; there are no build allocations here).
 */
export async function unallocatedQuantity(db: Executor, itemId: number, excludeAllocationId?: number): Promise<number> {
  const item = await db.selectFrom('stock_item').select('quantity').where('id', '=', itemId).executeTakeFirst();
  if (item === undefined) return 0;
  const held = (await activeAllocatedByItem(db, [itemId], excludeAllocationId)).get(itemId) ?? 0;
  return Math.max(qty(Number(item.quantity) - held), 0);
}

/** A stock item is serialized when it has a serial number and a quantity of exactly 1. */
export function isSerialized(item: { serial: string | null; quantity: number }): boolean {
  return item.serial !== null && item.serial.trim() !== '' && Number(item.quantity) === 1;
}

// --- the embedded StockItem ------------------------------------------------------------------

export const StockItemDetailSchema = Type.Object({
  pk: Type.Integer(),
  part: Type.Integer(),
  quantity: Type.Number(),
  serial: Nullable(Type.String()),
  batch: Nullable(Type.String()),
  location: Nullable(Type.Integer()),
  belongs_to: Nullable(Type.Integer()),
  build: Nullable(Type.Integer()),
  consumed_by: Nullable(Type.Integer()),
  customer: Nullable(Type.Integer()),
  delete_on_deplete: Type.Boolean(),
  expiry_date: Nullable(Type.String()),
  in_stock: Type.Boolean(),
  is_building: Type.Boolean(),
  link: Type.String(),
  owner: Nullable(Type.Integer()),
  packaging: Type.String(),
  parent: Nullable(Type.Integer()),
  purchase_order: Nullable(Type.Integer()),
  purchase_order_reference: Nullable(Type.String()),
  sales_order: Nullable(Type.Integer()),
  sales_order_reference: Nullable(Type.String()),
  status: Type.Integer(),
  status_text: Type.String(),
  status_custom_key: Type.Integer(),
  supplier_part: Nullable(Type.Integer()),
  SKU: Nullable(Type.String()),
  MPN: Nullable(Type.String()),
  barcode_hash: Type.String(),
  creation_date: Nullable(Type.String()),
  stocktake_date: Nullable(Type.String()),
  updated: Nullable(Type.String()),
  purchase_price: Nullable(Type.Number()),
  purchase_price_currency: Type.String(),
  allocated: Type.Number(),
  expired: Type.Boolean(),
  installed_items: Type.Integer(),
  child_items: Type.Integer(),
  stale: Type.Boolean(),
  tracking_items: Type.Integer(),
  tags: Type.Array(Type.String()),
});
export type StockItemDetail = Static<typeof StockItemDetailSchema>;

async function countBy(db: Executor, table: 'stock_item' | 'stock_tracking', column: 'belongs_to_id' | 'parent_id' | 'item_id', ids: number[]): Promise<Map<number, number>> {
  const rows = await sql<{ k: number; n: number }>`
    select ${sql.ref(column)} as k, count(*) as n from ${sql.table(table)} where ${sql.ref(column)} in (${sql.join(ids)}) group by ${sql.ref(column)}`.execute(db);
  return new Map(rows.rows.map((r) => [Number(r.k), Number(r.n)]));
}

/** The StockItem objects of these ids, as an allocation's `item_detail` (batched). */
export async function loadStockItemDetails(db: Executor, ids: readonly number[]): Promise<Map<number, StockItemDetail>> {
  const wanted = [...new Set(ids)];
  if (wanted.length === 0) return new Map();
  const rows = await db
    .selectFrom('stock_item as i')
    .leftJoin('purchase_order as po', 'po.id', 'i.purchase_order_id')
    .leftJoin('sales_order as so', 'so.id', 'i.sales_order_id')
    .leftJoin('supplier_part as sp', 'sp.id', 'i.supplier_part_id')
    .leftJoin('manufacturer_part as mp', 'mp.id', 'sp.manufacturer_part_id')
    .selectAll('i')
    .select(['po.reference as po_reference', 'so.reference as so_reference', 'sp.sku as sku', 'mp.mpn as mpn'])
    .where('i.id', 'in', wanted)
    .execute();
  const [hashes, allocated, installed, children, tracking] = await Promise.all([
    barcodeHashes(db, 'stockitem', wanted),
    allAllocatedByItem(db, wanted),
    countBy(db, 'stock_item', 'belongs_to_id', wanted),
    countBy(db, 'stock_item', 'parent_id', wanted),
    countBy(db, 'stock_tracking', 'item_id', wanted),
  ]);
  const now = today();
  const out = new Map<number, StockItemDetail>();
  for (const r of rows) {
    const quantity = Number(r.quantity);
    const inStock =
      STOCK_AVAILABLE_CODES.includes(Number(r.status)) &&
      quantity > 0 &&
      !r.is_building &&
      r.sales_order_id === null &&
      r.belongs_to_id === null &&
      r.customer_id === null &&
      r.consumed_by_id === null;
    out.set(r.id, {
      pk: r.id,
      part: r.part_id,
      quantity,
      serial: r.serial,
      batch: r.batch,
      location: r.location_id,
      belongs_to: r.belongs_to_id,
      build: r.build_id,
      consumed_by: r.consumed_by_id,
      customer: r.customer_id,
      delete_on_deplete: Boolean(r.delete_on_deplete),
      expiry_date: r.expiry_date,
      in_stock: inStock,
      is_building: Boolean(r.is_building),
      link: r.link,
      owner: null,
      packaging: r.packaging,
      parent: r.parent_id,
      purchase_order: r.purchase_order_id,
      purchase_order_reference: r.po_reference ?? null,
      sales_order: r.sales_order_id,
      sales_order_reference: r.so_reference ?? null,
      status: Number(r.status),
      status_text: statusLabel(StockStatus, Number(r.status)),
      status_custom_key: Number(r.status),
      supplier_part: r.supplier_part_id,
      SKU: r.sku ?? null,
      MPN: r.mpn ?? null,
      barcode_hash: hashes.get(r.id) ?? '',
      creation_date: apiDateTime(r.creation_date),
      stocktake_date: r.stocktake_date,
      updated: apiDateTime(r.updated),
      purchase_price: r.purchase_price === null ? null : Number(r.purchase_price),
      purchase_price_currency: r.purchase_price_currency,
      allocated: allocated.get(r.id) ?? 0,
      expired: inStock && r.expiry_date !== null && r.expiry_date < now,
      installed_items: installed.get(r.id) ?? 0,
      child_items: children.get(r.id) ?? 0,
      stale: false,
      tracking_items: tracking.get(r.id) ?? 0,
      tags: [],
    });
  }
  return out;
}
