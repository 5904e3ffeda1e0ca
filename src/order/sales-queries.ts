/**
 * List queries of the sales-order endpoints: the filters, search fields and orderings of
 * InvenTree's SalesOrderList, SalesOrderLineItemList, SalesOrderShipmentList and
 * SalesOrderAllocationList (core-api.md §1.2, §7.11–§7.14).
 */
import { sql, type RawBuilder, type SqlBool } from 'kysely';
import { rowExists } from '../db/exists.js';
import type { Executor } from '../db/transaction.js';
import { subtreeCondition } from '../db/tree.js';
import {
  boolCondition,
  inList,
  integerEquals,
  ListFilters,
  orderingOf,
  queryBool,
  searchCondition,
  sqlList,
  type ListQuery,
  type OrderingFields,
  type Query,
} from '../http/listing.js';
import { SO_COMPLETE, SO_OPEN } from '../status/enums.js';
import { orderFilterConditions } from './common.js';
import type { AllocationRow, SalesOrderLineRow, SalesOrderRow, ShipmentRow } from './sales-serializers.js';
import { activeAllocationCondition } from '../stock/queries.js';

/** A sort key whose nulls sort as PostgreSQL's do on both databases. */
const nullable = (expr: string | RawBuilder<unknown>) => ({ expr, nullable: true });

/** `column` names `partId`, or with `include_variants=true` also any of its variants. */
function partCondition(query: Query, column: string, partId: number): RawBuilder<SqlBool> {
  return queryBool(query, 'include_variants') === true ? subtreeCondition('part', column, partId) : sql<SqlBool>`${sql.ref(column)} = ${partId}`;
}

// --- sales orders ----------------------------------------------------------------------------

const customerName = sql`(select co.name from company co where co.id = t.customer_id)`;
const lineCount = sql`(select count(*) from sales_order_line x where x.order_id = t.id)`;
const totalPrice = sql`(select coalesce(sum(x.sale_price * x.quantity), 0) from sales_order_line x where x.order_id = t.id)`;

const SALES_ORDER_ORDERING: OrderingFields = {
  creation_date: [nullable('t.creation_date')],
  created_by: [nullable('t.created_by_id')],
  reference: ['t.reference_int', 't.reference'],
  customer__name: [nullable(customerName)],
  customer_reference: ['t.customer_reference'],
  status: ['t.status'],
  start_date: [nullable('t.start_date')],
  target_date: [nullable('t.target_date')],
  line_items: [lineCount],
  shipment_date: [nullable('t.shipment_date')],
  total_price: [totalPrice],
};

export async function salesOrderList(db: Executor, query: Query): Promise<ListQuery<SalesOrderRow>> {
  const filters = new ListFilters(db, query);
  const c = await orderFilterConditions(filters, query, 't', { open: SO_OPEN, completedColumn: 'shipment_date', createdBy: true });
  const customer = await filters.pk('customer', rowExists('company', { is_customer: true }));
  if (customer !== undefined) c.push(sql<SqlBool>`t.customer_id = ${customer}`);
  const part = await filters.pk('part', rowExists('part'));
  if (part !== undefined) c.push(sql<SqlBool>`t.id in (select x.order_id from sales_order_line x where ${partCondition(query, 'x.part_id', part)})`);
  filters.check();
  const search = searchCondition(query, [customerName, 't.reference', 't.description', 't.customer_reference']);
  if (search !== undefined) c.push(search);
  return sqlList<SalesOrderRow>(db, sql`sales_order t`, 't', c, orderingOf(query, SALES_ORDER_ORDERING, '-reference'));
}

// --- lines -----------------------------------------------------------------------------------

const lineAllocated = sql`(select coalesce(sum(a.quantity), 0) from sales_order_allocation a where a.line_id = t.id)`;
/** The status of the sales order a line or shipment (aliased `t`) belongs to. */
const orderStatusOf = sql`(select o.status from sales_order o where o.id = t.order_id)`;

const linePartName = sql`(select p.name from part p where p.id = t.part_id)`;

const LINE_ORDERING: OrderingFields = {
  customer: [nullable(sql`(select co.name from sales_order o join company co on co.id = o.customer_id where o.id = t.order_id)`)],
  order: [sql`(select o.reference from sales_order o where o.id = t.order_id)`],
  part: [nullable(linePartName)],
  part__name: [nullable(linePartName)],
  quantity: ['t.quantity'],
  allocated: [lineAllocated],
  shipped: ['t.shipped'],
  reference: ['t.reference'],
  sale_price: [nullable('t.sale_price')],
  target_date: [nullable('t.target_date')],
};

export async function salesOrderLineList(db: Executor, query: Query): Promise<ListQuery<SalesOrderLineRow>> {
  const c: RawBuilder<SqlBool>[] = [];
  const filters = new ListFilters(db, query);
  const order = await filters.pk('order', rowExists('sales_order'));
  if (order !== undefined) c.push(sql<SqlBool>`t.order_id = ${order}`);
  const part = await filters.pk('part', rowExists('part'));
  if (part !== undefined) c.push(partCondition(query, 't.part_id', part));
  const orderStatus = filters.number('order_status');
  if (orderStatus !== undefined) c.push(integerEquals(orderStatusOf, orderStatus));
  filters.check();
  c.push(...boolCondition(queryBool(query, 'completed'), sql<SqlBool>`t.shipped >= t.quantity`));
  c.push(...boolCondition(queryBool(query, 'allocated'), sql<SqlBool>`${lineAllocated} >= t.quantity`));
  c.push(...boolCondition(queryBool(query, 'has_pricing'), sql<SqlBool>`t.sale_price is not null`));
  c.push(...boolCondition(queryBool(query, 'order_outstanding'), inList(orderStatusOf, SO_OPEN)));
  c.push(...boolCondition(queryBool(query, 'order_complete'), inList(orderStatusOf, SO_COMPLETE)));
  const search = searchCondition(query, [linePartName, 't.reference']);
  if (search !== undefined) c.push(search);
  return sqlList<SalesOrderLineRow>(db, sql`sales_order_line t`, 't', c, orderingOf(query, LINE_ORDERING));
}

// --- shipments -------------------------------------------------------------------------------

const SHIPMENT_ORDERING: OrderingFields = {
  reference: ['t.reference'],
  delivery_date: [nullable('t.delivery_date')],
  shipment_date: [nullable('t.shipment_date')],
  allocated_items: [sql`(select count(*) from sales_order_allocation a where a.shipment_id = t.id)`],
};

export async function shipmentList(db: Executor, query: Query): Promise<ListQuery<ShipmentRow>> {
  const c: RawBuilder<SqlBool>[] = [];
  const filters = new ListFilters(db, query);
  const order = await filters.pk('order', rowExists('sales_order'));
  if (order !== undefined) c.push(sql<SqlBool>`t.order_id = ${order}`);
  const orderStatus = filters.number('order_status');
  if (orderStatus !== undefined) c.push(integerEquals(orderStatusOf, orderStatus));
  filters.check();
  c.push(...boolCondition(queryBool(query, 'shipped'), sql<SqlBool>`t.shipment_date is not null`));
  c.push(...boolCondition(queryBool(query, 'delivered'), sql<SqlBool>`t.delivery_date is not null`));
  c.push(...boolCondition(queryBool(query, 'checked'), sql<SqlBool>`t.checked_by_id is not null`));
  c.push(...boolCondition(queryBool(query, 'order_outstanding'), inList(orderStatusOf, SO_OPEN)));
  const search = searchCondition(query, [sql`(select o.reference from sales_order o where o.id = t.order_id)`, 't.reference', 't.tracking_number', 't.invoice_number']);
  if (search !== undefined) c.push(search);
  return sqlList<ShipmentRow>(db, sql`sales_order_shipment t`, 't', c, orderingOf(query, SHIPMENT_ORDERING));
}

// --- allocations -----------------------------------------------------------------------------

/** The allocation (aliased `t`) still holds stock: open order, shipment not shipped. */
const allocationActive = sql<SqlBool>`exists (select 1 from sales_order_line l join sales_order o on o.id = l.order_id
  left join sales_order_shipment s on s.id = t.shipment_id where l.id = t.line_id and ${activeAllocationCondition()})`;

async function allocationConditions(db: Executor, query: Query): Promise<RawBuilder<SqlBool>[]> {
  const c: RawBuilder<SqlBool>[] = [];
  const filters = new ListFilters(db, query);
  const order = await filters.pk('order', rowExists('sales_order'));
  if (order !== undefined) c.push(sql<SqlBool>`t.line_id in (select l.id from sales_order_line l where l.order_id = ${order})`);
  const line = await filters.pk('line', rowExists('sales_order_line'));
  if (line !== undefined) c.push(sql<SqlBool>`t.line_id = ${line}`);
  const shipment = await filters.pk('shipment', rowExists('sales_order_shipment'));
  if (shipment !== undefined) c.push(sql<SqlBool>`t.shipment_id = ${shipment}`);
  const item = await filters.pk('item', rowExists('stock_item'));
  if (item !== undefined) c.push(sql<SqlBool>`t.item_id = ${item}`);
  const part = await filters.pk('part', rowExists('part'));
  if (part !== undefined) c.push(sql<SqlBool>`t.item_id in (select i.id from stock_item i where ${partCondition(query, 'i.part_id', part)})`);
  const location = await filters.pk('location', rowExists('stock_location'));
  if (location !== undefined) c.push(sql<SqlBool>`t.item_id in (select i.id from stock_item i where ${subtreeCondition('stock_location', 'i.location_id', location)})`);
  filters.check();
  c.push(...boolCondition(queryBool(query, 'outstanding'), allocationActive));
  c.push(...boolCondition(queryBool(query, 'assigned_to_shipment'), sql<SqlBool>`t.shipment_id is not null`));
  const search = searchCondition(query, [
    sql`(select p.name from stock_item i join part p on p.id = i.part_id where i.id = t.item_id)`,
    sql`(select p.ipn from stock_item i join part p on p.id = i.part_id where i.id = t.item_id)`,
    itemColumn('serial'),
    itemColumn('batch'),
  ]);
  if (search !== undefined) c.push(search);
  return c;
}

const itemColumn = (column: string) => sql`(select i.${sql.ref(column)} from stock_item i where i.id = t.item_id)`;

const ALLOCATION_ORDERING: OrderingFields = {
  quantity: ['t.quantity'],
  part: [sql`(select p.name from stock_item i join part p on p.id = i.part_id where i.id = t.item_id)`],
  IPN: [nullable(sql`(select p.ipn from stock_item i join part p on p.id = i.part_id where i.id = t.item_id)`)],
  serial: [nullable(itemColumn('serial_int')), nullable(itemColumn('serial'))],
  batch: [nullable(itemColumn('batch'))],
  location: [nullable(sql`(select l.name from stock_item i join stock_location l on l.id = i.location_id where i.id = t.item_id)`)],
  order: [sql`(select o.reference from sales_order_line l join sales_order o on o.id = l.order_id where l.id = t.line_id)`],
  shipment_date: [nullable(sql`(select s.shipment_date from sales_order_shipment s where s.id = t.shipment_id)`)],
};

export async function allocationList(db: Executor, query: Query): Promise<ListQuery<AllocationRow>> {
  return sqlList<AllocationRow>(db, sql`sales_order_allocation t`, 't', await allocationConditions(db, query), orderingOf(query, ALLOCATION_ORDERING));
}
