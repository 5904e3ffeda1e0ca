/**
 * Response objects of the sales-order endpoints (core-api.md §7.8, §7.11–§7.14): schemas and
 * batched row → API object builders. Every builder loads related rows for the whole page at
 * once (no query per row).
 */
import { Type, type Static } from '@sinclair/typebox';
import { sql, type RawBuilder, type Selectable } from 'kysely';
import { barcodeHashesOfRows } from '../barcode/links.js';
import { CompanyBriefSchema, loadCompanyBriefs } from '../company/brief.js';
import type { SalesOrderShipmentTable, SalesOrderTable, SalesOrderLineTable, SalesOrderAllocationTable } from '../db/schema.js';
import type { Executor } from '../db/transaction.js';
import { Nullable } from '../http/schema.js';
import { loadPartBriefs, PartBriefSchema } from '../part/brief.js';
import { BUILD_ACTIVE, PO_OPEN, SalesOrderStatus, SO_OPEN, statusLabel } from '../status/enums.js';
import { loadLocationBriefs, LocationBriefSchema } from '../stock/brief.js';
import { qty } from '../util/decimal.js';
import { apiDateTime, today } from '../util/time.js';
import { isOverdue, loadNestedUsers, NestedUserSchema } from './common.js';
import { inList } from '../http/listing.js';
import { activeAllocationCondition, inStockCondition } from '../stock/queries.js';
import { EMBEDDED_FLAGS, loadStockItems, StockItemSchema } from '../stock/serializers.js';

export type SalesOrderRow = Selectable<SalesOrderTable>;
export type SalesOrderLineRow = Selectable<SalesOrderLineTable>;
export type ShipmentRow = Selectable<SalesOrderShipmentTable>;
export type AllocationRow = Selectable<SalesOrderAllocationTable>;

const money = (n: number): number => Math.round(n * 1e6) / 1e6;
const Empty = Type.Array(Type.Unknown());

// --- SalesOrder ------------------------------------------------------------------------------

export const SalesOrderSchema = Type.Object({
  pk: Type.Integer(),
  created_by: NestedUserSchema,
  creation_date: Nullable(Type.String()),
  issue_date: Nullable(Type.String()),
  start_date: Nullable(Type.String()),
  target_date: Nullable(Type.String()),
  description: Type.String(),
  line_items: Type.Integer(),
  completed_lines: Type.Integer(),
  link: Type.String(),
  project_code: Nullable(Type.Integer()),
  project_code_label: Nullable(Type.String()),
  project_code_detail: Nullable(Type.Object({}, { additionalProperties: true })),
  reference: Type.String(),
  responsible: Nullable(Type.Integer()),
  responsible_detail: Nullable(Type.Object({}, { additionalProperties: true })),
  contact: Nullable(Type.Integer()),
  contact_detail: Nullable(Type.Object({}, { additionalProperties: true })),
  address: Nullable(Type.Integer()),
  address_detail: Nullable(Type.Object({}, { additionalProperties: true })),
  status: Type.Integer(),
  status_text: Type.String(),
  status_custom_key: Type.Integer(),
  notes: Type.Optional(Type.String()),
  barcode_hash: Type.String(),
  overdue: Type.Boolean(),
  parameters: Empty,
  tags: Type.Array(Type.String()),
  customer: Nullable(Type.Integer()),
  customer_detail: Type.Optional(Nullable(CompanyBriefSchema)),
  customer_reference: Type.String(),
  shipment_date: Nullable(Type.String()),
  total_price: Nullable(Type.Number()),
  order_currency: Nullable(Type.String()),
  shipments_count: Type.Integer(),
  completed_shipments_count: Type.Integer(),
  allocated_lines: Type.Integer(),
  updated_at: Nullable(Type.String()),
});
export type SalesOrderBody = Static<typeof SalesOrderSchema>;

export interface SalesOrderOptions {
  customerDetail?: boolean;
  /** Include the markdown `notes` (detail views only). */
  notes?: boolean;
}

/** Per order: line counts, completed and fully allocated lines, total price. */
async function orderLineStats(db: Executor, orderIds: number[]) {
  const stats = new Map<number, { lines: number; completed: number; allocated: number; total: number }>();
  if (orderIds.length === 0) return stats;
  const rows = await sql<{ order_id: number; lines: number; completed: number; allocated: number; total: number | null }>`
    select l.order_id as order_id,
      count(*) as lines,
      sum(case when l.shipped >= l.quantity then 1 else 0 end) as completed,
      sum(case when p.virtual = ${true} or coalesce(al.total, 0) >= l.quantity then 1 else 0 end) as allocated,
      sum(case when l.sale_price is null then 0 else l.sale_price * l.quantity end) as total
    from sales_order_line l
    left join part p on p.id = l.part_id
    left join (select a.line_id as line_id, sum(a.quantity) as total from sales_order_allocation a
               join sales_order_line x on x.id = a.line_id where x.order_id in (${sql.join(orderIds)}) group by a.line_id) al on al.line_id = l.id
    where l.order_id in (${sql.join(orderIds)})
    group by l.order_id`.execute(db);
  for (const r of rows.rows) {
    stats.set(Number(r.order_id), { lines: Number(r.lines), completed: Number(r.completed ?? 0), allocated: Number(r.allocated ?? 0), total: money(Number(r.total ?? 0)) });
  }
  return stats;
}

async function orderShipmentStats(db: Executor, orderIds: number[]) {
  const stats = new Map<number, { count: number; done: number }>();
  if (orderIds.length === 0) return stats;
  const rows = await sql<{ order_id: number; n: number; done: number }>`
    select order_id, count(*) as n, sum(case when shipment_date is not null then 1 else 0 end) as done
    from sales_order_shipment where order_id in (${sql.join(orderIds)}) group by order_id`.execute(db);
  for (const r of rows.rows) stats.set(Number(r.order_id), { count: Number(r.n), done: Number(r.done ?? 0) });
  return stats;
}

/** The SalesOrder API objects of these rows, in the same order. */
export async function serializeSalesOrders(db: Executor, rows: readonly SalesOrderRow[], opts: SalesOrderOptions = {}): Promise<SalesOrderBody[]> {
  if (rows.length === 0) return [];
  const ids = rows.map((r) => r.id);
  const [lineStats, shipStats, users, hashes, customers] = await Promise.all([
    orderLineStats(db, ids),
    orderShipmentStats(db, ids),
    loadNestedUsers(
      db,
      rows.map((r) => r.created_by_id),
    ),
    barcodeHashesOfRows(db, 'salesorder', rows),
    opts.customerDetail
      ? loadCompanyBriefs(
          db,
          rows.map((r) => r.customer_id),
        )
      : Promise.resolve(new Map()),
  ]);
  return rows.map((r) => {
    const status = Number(r.status);
    const ls = lineStats.get(r.id) ?? { lines: 0, completed: 0, allocated: 0, total: 0 };
    const ss = shipStats.get(r.id) ?? { count: 0, done: 0 };
    const body: SalesOrderBody = {
      pk: r.id,
      created_by: r.created_by_id === null ? null : (users.get(r.created_by_id) ?? null),
      creation_date: r.creation_date,
      issue_date: r.issue_date,
      start_date: r.start_date,
      target_date: r.target_date,
      description: r.description,
      line_items: ls.lines,
      completed_lines: ls.completed,
      link: r.link,
      project_code: null,
      project_code_label: null,
      project_code_detail: null,
      reference: r.reference,
      responsible: null,
      responsible_detail: null,
      contact: null,
      contact_detail: null,
      address: null,
      address_detail: null,
      status,
      status_text: statusLabel(SalesOrderStatus, status),
      status_custom_key: status,
      barcode_hash: hashes.get(r.id) ?? '',
      overdue: isOverdue(r.target_date, status, SO_OPEN),
      parameters: [],
      tags: [],
      customer: r.customer_id,
      customer_reference: r.customer_reference,
      shipment_date: r.shipment_date,
      total_price: ls.total,
      order_currency: r.order_currency,
      shipments_count: ss.count,
      completed_shipments_count: ss.done,
      allocated_lines: ls.allocated,
      updated_at: apiDateTime(r.updated_at),
    };
    if (opts.notes) body.notes = r.notes;
    if (opts.customerDetail) body.customer_detail = r.customer_id === null ? null : (customers.get(r.customer_id) ?? null);
    return body;
  });
}

/** Sales orders by id, serialized (for `order_detail` fields). */
async function salesOrdersById(db: Executor, ids: readonly number[]): Promise<Map<number, SalesOrderBody>> {
  const wanted = [...new Set(ids)];
  if (wanted.length === 0) return new Map();
  const rows = await db.selectFrom('sales_order').selectAll().where('id', 'in', wanted).execute();
  const bodies = await serializeSalesOrders(db, rows);
  return new Map(bodies.map((b) => [b.pk, b]));
}

// --- SalesOrderLineItem ----------------------------------------------------------------------

export const SalesOrderLineSchema = Type.Object({
  pk: Type.Integer(),
  allocated: Type.Number(),
  customer_detail: Type.Optional(Nullable(CompanyBriefSchema)),
  quantity: Type.Number(),
  reference: Type.String(),
  notes: Type.String(),
  order: Type.Integer(),
  order_detail: Type.Optional(SalesOrderSchema),
  overdue: Type.Boolean(),
  part: Nullable(Type.Integer()),
  part_detail: Type.Optional(Nullable(PartBriefSchema)),
  sale_price: Nullable(Type.Number()),
  sale_price_currency: Type.String(),
  shipped: Type.Number(),
  target_date: Nullable(Type.String()),
  link: Type.String(),
  project_code: Nullable(Type.Integer()),
  project_code_label: Nullable(Type.String()),
  project_code_detail: Nullable(Type.Object({}, { additionalProperties: true })),
  available_stock: Type.Number(),
  available_variant_stock: Type.Number(),
  building: Type.Number(),
  on_order: Type.Number(),
});
export type SalesOrderLineBody = Static<typeof SalesOrderLineSchema>;

export interface LineOptions {
  partDetail?: boolean;
  orderDetail?: boolean;
  customerDetail?: boolean;
}

/** Sum of the allocations of each line (`allocated` on the line; core-api.md §7.12, §9.3). */
export async function lineAllocatedTotals(db: Executor, lineIds: readonly number[]): Promise<Map<number, number>> {
  const wanted = [...new Set(lineIds)];
  if (wanted.length === 0) return new Map();
  const rows = await db
    .selectFrom('sales_order_allocation')
    .select((eb) => ['line_id', eb.fn.sum<number>('quantity').as('total')])
    .where('line_id', 'in', wanted)
    .groupBy('line_id')
    .execute();
  return new Map(rows.map((r) => [r.line_id, qty(Number(r.total ?? 0))]));
}

async function sumByPart(db: Executor, query: RawBuilder<{ part_id: number; total: number | null }>): Promise<Map<number, number>> {
  const rows = await query.execute(db);
  return new Map(rows.rows.map((r) => [Number(r.part_id), Number(r.total ?? 0)]));
}

/**
 * Stock figures of parts, as SO lines show them: `available_stock` (in stock minus active
 * sales-order allocations, at least 0), `available_variant_stock` (the same over salable,
 * active variants below the part), `building` and `on_order`.
 */
export async function partStockFigures(db: Executor, partIds: readonly number[]) {
  const wanted = [...new Set(partIds)];
  const out = new Map<number, { available: number; variant: number; building: number; onOrder: number }>();
  if (wanted.length === 0) return out;
  const ids = sql.join(wanted);
  const variantRows = await db
    .selectFrom('part')
    .select(['id', 'tree_path'])
    .where('salable', '=', true)
    .where('active', '=', true)
    .where((eb) => eb.or(wanted.map((p) => eb('tree_path', 'like', `%/${p}/%`))))
    .execute();
  // variant part → the wanted ancestors it counts for
  const variantOf = new Map<number, number[]>();
  for (const v of variantRows) {
    const chain = v.tree_path.split('/').filter((s) => s !== '').map(Number);
    const ancestors = chain.slice(0, -1).filter((a) => wanted.includes(a));
    if (ancestors.length > 0) variantOf.set(v.id, ancestors);
  }
  const variantIds = [...variantOf.keys()];
  const allIds = sql.join([...new Set([...wanted, ...variantIds])]);
  const [inStock, allocated, building, onOrder] = await Promise.all([
    sumByPart(db, sql`select i.part_id as part_id, sum(i.quantity) as total from stock_item i where i.part_id in (${allIds}) and ${inStockCondition('i')} group by i.part_id`),
    sumByPart(
      db,
      sql`select i.part_id as part_id, sum(a.quantity) as total from sales_order_allocation a
        join stock_item i on i.id = a.item_id join sales_order_line l on l.id = a.line_id join sales_order o on o.id = l.order_id
        left join sales_order_shipment s on s.id = a.shipment_id
        where i.part_id in (${allIds}) and ${activeAllocationCondition()} group by i.part_id`,
    ),
    sumByPart(
      db,
      sql`select i.part_id as part_id, sum(i.quantity) as total from stock_item i join build b on b.id = i.build_id
        where i.part_id in (${ids}) and i.is_building = ${true} and i.consumed_by_id is null and ${inList('b.status', BUILD_ACTIVE)} group by i.part_id`,
    ),
    sumByPart(
      db,
      sql`select sp.part_id as part_id, sum((pl.quantity - pl.received) * sp.pack_quantity_native) as total
        from purchase_order_line pl join supplier_part sp on sp.id = pl.part_id join purchase_order po on po.id = pl.order_id
        where sp.part_id in (${ids}) and ${inList('po.status', PO_OPEN)} and pl.quantity > pl.received group by sp.part_id`,
    ),
  ]);
  const variantTotals = new Map<number, number>();
  for (const [variant, ancestors] of variantOf) {
    const free = (inStock.get(variant) ?? 0) - (allocated.get(variant) ?? 0);
    for (const a of ancestors) variantTotals.set(a, (variantTotals.get(a) ?? 0) + free);
  }
  for (const p of wanted) {
    out.set(p, {
      available: Math.max(qty((inStock.get(p) ?? 0) - (allocated.get(p) ?? 0)), 0),
      variant: Math.max(qty(variantTotals.get(p) ?? 0), 0),
      building: qty(building.get(p) ?? 0),
      onOrder: qty(onOrder.get(p) ?? 0),
    });
  }
  return out;
}

export async function serializeSalesOrderLines(db: Executor, rows: readonly SalesOrderLineRow[], opts: LineOptions = {}): Promise<SalesOrderLineBody[]> {
  if (rows.length === 0) return [];
  const orderIds = [...new Set(rows.map((r) => r.order_id))];
  const partIds = rows.map((r) => r.part_id).filter((p): p is number => p !== null);
  const [allocated, orderRows, figures, parts, orderBodies] = await Promise.all([
    lineAllocatedTotals(
      db,
      rows.map((r) => r.id),
    ),
    db.selectFrom('sales_order').select(['id', 'status', 'customer_id']).where('id', 'in', orderIds).execute(),
    partStockFigures(db, partIds),
    opts.partDetail ? loadPartBriefs(db, partIds) : Promise.resolve(new Map()),
    opts.orderDetail ? salesOrdersById(db, orderIds) : Promise.resolve(new Map<number, SalesOrderBody>()),
  ]);
  const orders = new Map(orderRows.map((o) => [o.id, o]));
  const customers = opts.customerDetail ? await loadCompanyBriefs(db, orderRows.map((o) => o.customer_id)) : new Map();
  const now = today();
  return rows.map((r) => {
    const order = orders.get(r.order_id);
    const status = Number(order?.status ?? 0);
    const quantity = Number(r.quantity);
    const shipped = Number(r.shipped);
    const fig = r.part_id === null ? undefined : figures.get(r.part_id);
    const body: SalesOrderLineBody = {
      pk: r.id,
      allocated: allocated.get(r.id) ?? 0,
      quantity,
      reference: r.reference,
      notes: r.notes,
      order: r.order_id,
      overdue: SO_OPEN.includes(status) && shipped < quantity && r.target_date !== null && r.target_date < now,
      part: r.part_id,
      sale_price: r.sale_price === null ? null : Number(r.sale_price),
      sale_price_currency: r.sale_price_currency,
      shipped,
      target_date: r.target_date,
      link: r.link,
      project_code: null,
      project_code_label: null,
      project_code_detail: null,
      available_stock: fig?.available ?? 0,
      available_variant_stock: fig?.variant ?? 0,
      building: fig?.building ?? 0,
      on_order: fig?.onOrder ?? 0,
    };
    if (opts.partDetail) body.part_detail = r.part_id === null ? null : (parts.get(r.part_id) ?? null);
    if (opts.orderDetail) {
      const o = orderBodies.get(r.order_id);
      if (o !== undefined) body.order_detail = o;
    }
    if (opts.customerDetail) body.customer_detail = order?.customer_id == null ? null : (customers.get(order.customer_id) ?? null);
    return body;
  });
}

// --- SalesOrderShipment ----------------------------------------------------------------------

export const ShipmentSchema = Type.Object({
  pk: Type.Integer(),
  order: Type.Integer(),
  allocated_items: Type.Integer(),
  shipment_date: Nullable(Type.String()),
  shipment_address: Nullable(Type.Integer()),
  delivery_date: Nullable(Type.String()),
  checked_by: Nullable(Type.Integer()),
  reference: Type.String(),
  tracking_number: Type.String(),
  invoice_number: Type.String(),
  barcode_hash: Type.String(),
  link: Type.String(),
  notes: Type.Optional(Type.String()),
  parameters: Empty,
  checked_by_detail: Type.Optional(NestedUserSchema),
  customer_detail: Type.Optional(Nullable(CompanyBriefSchema)),
  order_detail: Type.Optional(Nullable(SalesOrderSchema)),
  shipment_address_detail: Type.Optional(Nullable(Type.Object({}, { additionalProperties: true }))),
});
export type ShipmentBody = Static<typeof ShipmentSchema>;

export interface ShipmentOptions {
  orderDetail?: boolean;
  checkedByDetail?: boolean;
  addressDetail?: boolean;
  customerDetail?: boolean;
  notes?: boolean;
}

/** Number of allocations of each shipment (`allocated_items`). */
export async function shipmentAllocationCounts(db: Executor, shipmentIds: readonly number[]): Promise<Map<number, number>> {
  const wanted = [...new Set(shipmentIds)];
  if (wanted.length === 0) return new Map();
  const rows = await db
    .selectFrom('sales_order_allocation')
    .select((eb) => ['shipment_id', eb.fn.countAll<number>().as('n')])
    .where('shipment_id', 'in', wanted)
    .groupBy('shipment_id')
    .execute();
  return new Map(rows.map((r) => [Number(r.shipment_id), Number(r.n)]));
}

export async function serializeShipments(db: Executor, rows: readonly ShipmentRow[], opts: ShipmentOptions = {}): Promise<ShipmentBody[]> {
  if (rows.length === 0) return [];
  const ids = rows.map((r) => r.id);
  const orderIds = rows.map((r) => r.order_id);
  const [counts, hashes, users, orders, customerIds] = await Promise.all([
    shipmentAllocationCounts(db, ids),
    barcodeHashesOfRows(db, 'salesordershipment', rows),
    opts.checkedByDetail
      ? loadNestedUsers(
          db,
          rows.map((r) => r.checked_by_id),
        )
      : Promise.resolve(new Map()),
    opts.orderDetail ? salesOrdersById(db, orderIds) : Promise.resolve(new Map<number, SalesOrderBody>()),
    opts.customerDetail ? db.selectFrom('sales_order').select(['id', 'customer_id']).where('id', 'in', [...new Set(orderIds)]).execute() : Promise.resolve([]),
  ]);
  const customerOfOrder = new Map(customerIds.map((o) => [o.id, o.customer_id]));
  const customers = opts.customerDetail ? await loadCompanyBriefs(db, [...customerOfOrder.values()]) : new Map();
  return rows.map((r) => {
    const body: ShipmentBody = {
      pk: r.id,
      order: r.order_id,
      allocated_items: counts.get(r.id) ?? 0,
      shipment_date: r.shipment_date,
      shipment_address: null,
      delivery_date: r.delivery_date,
      checked_by: r.checked_by_id,
      reference: r.reference,
      tracking_number: r.tracking_number,
      invoice_number: r.invoice_number,
      barcode_hash: hashes.get(r.id) ?? '',
      link: r.link,
      parameters: [],
    };
    if (opts.notes) body.notes = r.notes;
    if (opts.checkedByDetail) body.checked_by_detail = r.checked_by_id === null ? null : (users.get(r.checked_by_id) ?? null);
    if (opts.customerDetail) {
      const c = customerOfOrder.get(r.order_id) ?? null;
      body.customer_detail = c === null ? null : (customers.get(c) ?? null);
    }
    if (opts.orderDetail) body.order_detail = orders.get(r.order_id) ?? null;
    if (opts.addressDetail) body.shipment_address_detail = null;
    return body;
  });
}

// --- SalesOrderAllocation --------------------------------------------------------------------

export const AllocationSchema = Type.Object({
  pk: Type.Integer(),
  item: Type.Integer(),
  quantity: Type.Number(),
  shipment: Nullable(Type.Integer()),
  line: Type.Integer(),
  part: Type.Integer(),
  order: Type.Integer(),
  serial: Nullable(Type.String()),
  location: Nullable(Type.Integer()),
  item_detail: Type.Optional(Nullable(StockItemSchema)),
  part_detail: Type.Optional(Nullable(PartBriefSchema)),
  order_detail: Type.Optional(Nullable(SalesOrderSchema)),
  customer_detail: Type.Optional(Nullable(CompanyBriefSchema)),
  location_detail: Type.Optional(Nullable(LocationBriefSchema)),
  shipment_detail: Type.Optional(Nullable(ShipmentSchema)),
});
export type AllocationBody = Static<typeof AllocationSchema>;

export interface AllocationOptions {
  itemDetail?: boolean;
  partDetail?: boolean;
  orderDetail?: boolean;
  customerDetail?: boolean;
  locationDetail?: boolean;
  shipmentDetail?: boolean;
}

export async function serializeAllocations(db: Executor, rows: readonly AllocationRow[], opts: AllocationOptions = {}): Promise<AllocationBody[]> {
  if (rows.length === 0) return [];
  const lineIds = [...new Set(rows.map((r) => r.line_id))];
  const itemIds = [...new Set(rows.map((r) => r.item_id))];
  const shipmentIds = [...new Set(rows.map((r) => r.shipment_id).filter((s): s is number => s !== null))];
  const [lines, items] = await Promise.all([
    db.selectFrom('sales_order_line as l').innerJoin('sales_order as o', 'o.id', 'l.order_id').select(['l.id', 'l.order_id', 'o.customer_id']).where('l.id', 'in', lineIds).execute(),
    db.selectFrom('stock_item').select(['id', 'part_id', 'serial', 'location_id']).where('id', 'in', itemIds).execute(),
  ]);
  const lineById = new Map(lines.map((l) => [l.id, l]));
  const itemById = new Map(items.map((i) => [i.id, i]));
  const [itemDetails, parts, orders, customers, locations, shipments] = await Promise.all([
    opts.itemDetail ? loadStockItems(db, itemIds, EMBEDDED_FLAGS) : Promise.resolve(new Map()),
    opts.partDetail
      ? loadPartBriefs(
          db,
          items.map((i) => i.part_id),
        )
      : Promise.resolve(new Map()),
    opts.orderDetail
      ? salesOrdersById(
          db,
          lines.map((l) => l.order_id),
        )
      : Promise.resolve(new Map<number, SalesOrderBody>()),
    opts.customerDetail
      ? loadCompanyBriefs(
          db,
          lines.map((l) => l.customer_id),
        )
      : Promise.resolve(new Map()),
    opts.locationDetail
      ? loadLocationBriefs(
          db,
          items.map((i) => i.location_id),
        )
      : Promise.resolve(new Map()),
    opts.shipmentDetail && shipmentIds.length > 0
      ? db
          .selectFrom('sales_order_shipment')
          .selectAll()
          .where('id', 'in', shipmentIds)
          .execute()
          .then(async (s) => new Map((await serializeShipments(db, s, { checkedByDetail: true, addressDetail: true })).map((b) => [b.pk, b])))
      : Promise.resolve(new Map<number, ShipmentBody>()),
  ]);
  return rows.map((r) => {
    const line = lineById.get(r.line_id);
    const item = itemById.get(r.item_id);
    const body: AllocationBody = {
      pk: r.id,
      item: r.item_id,
      quantity: Number(r.quantity),
      shipment: r.shipment_id,
      line: r.line_id,
      part: item?.part_id ?? 0,
      order: line?.order_id ?? 0,
      serial: item?.serial ?? null,
      location: item?.location_id ?? null,
    };
    if (opts.itemDetail) body.item_detail = itemDetails.get(r.item_id) ?? null;
    if (opts.partDetail) body.part_detail = item === undefined ? null : (parts.get(item.part_id) ?? null);
    if (opts.orderDetail) body.order_detail = line === undefined ? null : (orders.get(line.order_id) ?? null);
    if (opts.customerDetail) body.customer_detail = line?.customer_id == null ? null : (customers.get(line.customer_id) ?? null);
    if (opts.locationDetail) body.location_detail = item?.location_id == null ? null : (locations.get(item.location_id) ?? null);
    if (opts.shipmentDetail) body.shipment_detail = r.shipment_id === null ? null : (shipments.get(r.shipment_id) ?? null);
    return body;
  });
}
