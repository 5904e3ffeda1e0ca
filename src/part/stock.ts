/**
 * Stock quantities of parts and supplier parts, computed from stock items and order lines
 * (core-api.md §7.3, §7.5, §7.7). "In stock" is InvenTree's rule: status in the available
 * codes [10, 50, 55, 85], quantity > 0, not being built, and not shipped to a sales order,
 * installed in another item, owned by a customer or consumed by a build.
 *
 * Every loader takes the ids of a whole page and answers with a few grouped queries.
 */
import { sql } from 'kysely';
import { prepared } from '../db/prepared.js';
import type { Executor } from '../db/transaction.js';
import { BUILD_ACTIVE, PO_OPEN, SO_OPEN } from '../status/enums.js';
import { activeAllocationCondition, inStockCondition } from '../stock/queries.js';
import { qty } from '../util/decimal.js';

/** SQL: this part's own in-stock quantity (`partRef` names the part's id column). */
export function inStockOfPartSql(partIdRef: string) {
  return sql<number>`(select coalesce(sum(si_own.quantity), 0) from stock_item si_own where si_own.part_id = ${sql.ref(partIdRef)} and ${inStockCondition('si_own')})`;
}

/** SQL: in-stock quantity of a part and all its variants (`treePathRef` names its tree_path). */
export function totalInStockOfPartSql(treePathRef: string) {
  return sql<number>`(select coalesce(sum(si_tree.quantity), 0) from stock_item si_tree inner join part p_tree on p_tree.id = si_tree.part_id where p_tree.tree_path like ${sql.ref(treePathRef)} || '%' and ${sql.ref(treePathRef)} <> '' and ${inStockCondition('si_tree')})`;
}

/** SQL: in-stock quantity of a supplier part (`idRef` names its id column). */
export function inStockOfSupplierPartSql(idRef: string) {
  return sql<number>`(select coalesce(sum(si_sp.quantity), 0) from stock_item si_sp where si_sp.supplier_part_id = ${sql.ref(idRef)} and ${inStockCondition('si_sp')})`;
}

function toMap(rows: readonly { id: number | null; total: unknown }[]): Map<number, number> {
  const out = new Map<number, number>();
  for (const r of rows) if (r.id !== null) out.set(r.id, qty(Number(r.total ?? 0)));
  return out;
}

/** In-stock quantity of each part itself (no variants). */
export async function inStockByPart(db: Executor, partIds: readonly number[]): Promise<Map<number, number>> {
  if (partIds.length === 0) return new Map();
  const rows = await db
    .selectFrom('stock_item')
    .select((eb) => ['stock_item.part_id as id', eb.fn.sum<number>('stock_item.quantity').as('total')])
    .where('stock_item.part_id', 'in', [...new Set(partIds)])
    .where(inStockCondition())
    .groupBy('stock_item.part_id')
    .execute();
  return toMap(rows);
}

const inStockBySupplierPartQuery = prepared((db, a: { ids: number[] }) =>
  db
    .selectFrom('stock_item')
    .select((eb) => ['stock_item.supplier_part_id as id', eb.fn.sum<number>('stock_item.quantity').as('total')])
    .where('stock_item.supplier_part_id', 'in', a.ids)
    .where(inStockCondition())
    .groupBy('stock_item.supplier_part_id'),
);

/** In-stock quantity of each supplier part. */
export async function inStockBySupplierPart(db: Executor, supplierPartIds: readonly number[]): Promise<Map<number, number>> {
  if (supplierPartIds.length === 0) return new Map();
  const rows = await inStockBySupplierPartQuery.execute(db, { ids: [...new Set(supplierPartIds)] });
  return toMap(rows);
}

const onOrderBySupplierPartQuery = prepared((db, a: { ids: number[] }) =>
  db
    .selectFrom('purchase_order_line as l')
    .innerJoin('purchase_order as o', 'o.id', 'l.order_id')
    .select(['l.part_id as id', sql<number>`sum(l.quantity - l.received)`.as('total')])
    .where('l.part_id', 'in', a.ids)
    .where('o.status', 'in', [...PO_OPEN])
    .whereRef('l.quantity', '>', 'l.received')
    .groupBy('l.part_id'),
);

/**
 * Outstanding quantity of each supplier part on open purchase orders, in supplier packs:
 * for every line of an open order, what is left to receive (never below zero).
 */
export async function onOrderBySupplierPart(db: Executor, supplierPartIds: readonly number[]): Promise<Map<number, number>> {
  if (supplierPartIds.length === 0) return new Map();
  const rows = await onOrderBySupplierPartQuery.execute(db, { ids: [...new Set(supplierPartIds)] });
  return toMap(rows);
}

export interface PartStockTotals {
  /** In stock, this part only. */
  in_stock: number;
  /** In stock, variants only. */
  variant_stock: number;
  /** in_stock + variant_stock. */
  total_in_stock: number;
  /** In stock at external locations, this part only. */
  external_stock: number;
  /** max(total_in_stock − allocated to sales orders − allocated to builds, 0). */
  unallocated_stock: number;
  /** Every stock item of this part, whatever its state. */
  stock_item_count: number;
  /** Allocations of this part's stock to open sales orders whose shipment has not shipped. */
  allocated_to_sales_orders: number;
  /** Stockscan keeps no build allocations: always 0. */
  allocated_to_build_orders: number;
  /** quantity − shipped over lines of open sales orders. */
  required_for_sales_orders: number;
  /** Stockscan keeps no bills of materials: always 0. */
  required_for_build_orders: number;
  /** Outstanding quantity on open purchase orders, in the part's units (packs × pack size). */
  ordering: number;
  /** Stock items being built by active build orders. */
  building: number;
  /** quantity − completed over active build orders for this part. */
  scheduled_to_build: number;
}

export function emptyTotals(): PartStockTotals {
  return {
    in_stock: 0,
    variant_stock: 0,
    total_in_stock: 0,
    external_stock: 0,
    unallocated_stock: 0,
    stock_item_count: 0,
    allocated_to_sales_orders: 0,
    allocated_to_build_orders: 0,
    required_for_sales_orders: 0,
    required_for_build_orders: 0,
    ordering: 0,
    building: 0,
    scheduled_to_build: 0,
  };
}

/** The stock and order totals of a page of parts (a fixed number of grouped queries). */
export async function partStockTotals(db: Executor, parts: readonly { id: number; tree_path: string }[]): Promise<Map<number, PartStockTotals>> {
  const out = new Map<number, PartStockTotals>(parts.map((p) => [p.id, emptyTotals()]));
  const ids = [...out.keys()];
  if (ids.length === 0) return out;

  const [own, counts, variants, allocated, required, ordering, building, scheduled] = await Promise.all([
    db
      .selectFrom('stock_item')
      .leftJoin('stock_location', 'stock_location.id', 'stock_item.location_id')
      .select([
        'stock_item.part_id as id',
        sql<number>`sum(stock_item.quantity)`.as('total'),
        sql<number>`sum(case when stock_location.external = ${sql.lit(true)} then stock_item.quantity else 0 end)`.as('external'),
      ])
      .where('stock_item.part_id', 'in', ids)
      .where(inStockCondition())
      .groupBy('stock_item.part_id')
      .execute(),
    db
      .selectFrom('stock_item')
      .select((eb) => ['stock_item.part_id as id', eb.fn.countAll<number>().as('total')])
      .where('stock_item.part_id', 'in', ids)
      .groupBy('stock_item.part_id')
      .execute(),
    db
      .selectFrom('part as anc')
      .innerJoin('part as d', (join) =>
        join.on((eb) => eb.and([eb('d.tree_path', 'like', sql<string>`anc.tree_path || '%'`), eb('d.id', '<>', eb.ref('anc.id'))])),
      )
      .innerJoin('stock_item as si', 'si.part_id', 'd.id')
      .select(['anc.id as id', sql<number>`sum(si.quantity)`.as('total')])
      .where('anc.id', 'in', ids)
      .where('anc.tree_path', '<>', '')
      .where(inStockCondition('si'))
      .groupBy('anc.id')
      .execute(),
    db
      .selectFrom('sales_order_allocation as a')
      .innerJoin('stock_item as si', 'si.id', 'a.item_id')
      .innerJoin('sales_order_line as l', 'l.id', 'a.line_id')
      .innerJoin('sales_order as o', 'o.id', 'l.order_id')
      .leftJoin('sales_order_shipment as s', 's.id', 'a.shipment_id')
      .select(['si.part_id as id', sql<number>`sum(a.quantity)`.as('total')])
      .where('si.part_id', 'in', ids)
      .where(activeAllocationCondition())
      .groupBy('si.part_id')
      .execute(),
    db
      .selectFrom('sales_order_line as l')
      .innerJoin('sales_order as o', 'o.id', 'l.order_id')
      .select(['l.part_id as id', sql<number>`sum(l.quantity) - sum(l.shipped)`.as('total')])
      .where('l.part_id', 'in', ids)
      .where('o.status', 'in', [...SO_OPEN])
      .groupBy('l.part_id')
      .execute(),
    db
      .selectFrom('purchase_order_line as l')
      .innerJoin('purchase_order as o', 'o.id', 'l.order_id')
      .innerJoin('supplier_part as sp', 'sp.id', 'l.part_id')
      .select(['sp.part_id as id', sql<number>`sum((l.quantity - l.received) * sp.pack_quantity_native)`.as('total')])
      .where('sp.part_id', 'in', ids)
      .where('o.status', 'in', [...PO_OPEN])
      .whereRef('l.quantity', '>', 'l.received')
      .groupBy('sp.part_id')
      .execute(),
    db
      .selectFrom('stock_item as si')
      .innerJoin('build as b', 'b.id', 'si.build_id')
      .select(['si.part_id as id', sql<number>`sum(si.quantity)`.as('total')])
      .where('si.part_id', 'in', ids)
      .where('si.is_building', '=', true)
      .where('b.status', 'in', [...BUILD_ACTIVE])
      .groupBy('si.part_id')
      .execute(),
    db
      .selectFrom('build as b')
      .select(['b.part_id as id', sql<number>`sum(b.quantity - b.completed)`.as('total')])
      .where('b.part_id', 'in', ids)
      .where('b.status', 'in', [...BUILD_ACTIVE])
      .groupBy('b.part_id')
      .execute(),
  ]);

  for (const r of own) {
    const t = out.get(r.id);
    if (t === undefined) continue;
    t.in_stock = qty(Number(r.total ?? 0));
    t.external_stock = qty(Number(r.external ?? 0));
  }
  const assign = (rows: readonly { id: number | null; total: unknown }[], key: keyof PartStockTotals) => {
    for (const r of rows) {
      const t = r.id === null ? undefined : out.get(r.id);
      if (t !== undefined) t[key] = qty(Number(r.total ?? 0));
    }
  };
  assign(counts, 'stock_item_count');
  assign(variants, 'variant_stock');
  assign(allocated, 'allocated_to_sales_orders');
  assign(required, 'required_for_sales_orders');
  assign(ordering, 'ordering');
  assign(building, 'building');
  assign(scheduled, 'scheduled_to_build');
  for (const t of out.values()) {
    t.total_in_stock = qty(t.in_stock + t.variant_stock);
    t.unallocated_stock = Math.max(qty(t.total_in_stock - t.allocated_to_sales_orders - t.allocated_to_build_orders), 0);
  }
  return out;
}
