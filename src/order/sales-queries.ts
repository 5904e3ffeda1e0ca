/**
 * List queries of the sales-order endpoints: the filters, search fields and orderings of
 * InvenTree's SalesOrderList, SalesOrderLineItemList, SalesOrderShipmentList and
 * SalesOrderAllocationList (core-api.md §1.2, §7.11–§7.14).
 */
import { sql, type RawBuilder, type SqlBool } from 'kysely';
import type { Executor } from '../db/transaction.js';
import type { PageRequest } from '../http/pagination.js';
import { queryBool, type Query } from '../http/listing.js';
import { SO_COMPLETE, SO_OPEN } from '../status/enums.js';
import { today } from '../util/time.js';
import {
  dateFilter,
  existsIn,
  icontains,
  iexact,
  integerEquals,
  locationTreeCondition,
  modelChoiceFilter,
  numberFilter,
  orderExpressions,
  orderingTerms,
  partTreeCondition,
  presentParam,
  searchTerms,
} from './sales-listing.js';
import type { AllocationRow, SalesOrderLineRow, SalesOrderRow, ShipmentRow } from './sales-serializers.js';
import { activeAllocationCondition, intList } from './sales-stock.js';

/** A filtered list: its size and one page (or all) of its rows. */
export interface ListQuery<Row> {
  count(): Promise<number>;
  fetch(page: PageRequest | undefined): Promise<Row[]>;
}

interface OrderKey {
  expr: RawBuilder<unknown>;
  nullable?: boolean;
}

const ref = (name: string): RawBuilder<unknown> => sql.ref(name) as unknown as RawBuilder<unknown>;

/**
 * Runs a list over `table` (aliased `t`) with raw conditions and an ordering, counting with
 * the same conditions.
 */
function listOf<Row>(
  db: Executor,
  table: 'sales_order' | 'sales_order_line' | 'sales_order_shipment' | 'sales_order_allocation',
  conditions: RawBuilder<SqlBool>[],
  ordering: RawBuilder<unknown>[],
): ListQuery<Row> {
  const where = conditions.length === 0 ? sql`` : sql`where ${sql.join(conditions, sql` and `)}`;
  return {
    async count() {
      const r = await sql<{ n: number }>`select count(*) as n from ${sql.table(table)} as t ${where}`.execute(db);
      return Number(r.rows[0]?.n ?? 0);
    },
    async fetch(page) {
      const limit = page === undefined ? sql`` : sql`limit ${page.limit} offset ${page.offset}`;
      const r = await sql<Row>`select t.* from ${sql.table(table)} as t ${where} order by ${sql.join([...ordering, sql`t.id asc`])} ${limit}`.execute(db);
      return r.rows;
    },
  };
}

function orderBy(query: Query, keys: Record<string, OrderKey[]>, fallback: string): RawBuilder<unknown>[] {
  const out: RawBuilder<unknown>[] = [];
  for (const term of orderingTerms(query, Object.keys(keys), fallback)) {
    for (const key of keys[term.field] ?? []) out.push(...orderExpressions(key.expr, term.desc, key.nullable ?? false));
  }
  return out;
}

/** Every search term must match at least one of the fields. */
function searchConditions(query: Query, fields: RawBuilder<unknown>[]): RawBuilder<SqlBool>[] {
  return searchTerms(query).map((term) => sql<SqlBool>`(${sql.join(
    fields.map((f) => icontains(f, term)),
    sql` or `,
  )})`);
}

function boolCondition(value: boolean | undefined, condition: RawBuilder<SqlBool>): RawBuilder<SqlBool>[] {
  if (value === undefined) return [];
  return [value ? condition : sql<SqlBool>`not ${condition}`];
}

function dateConditions(query: Query, column: string, prefix: string): RawBuilder<SqlBool>[] {
  const out: RawBuilder<SqlBool>[] = [];
  const before = dateFilter(query, `${prefix}_before`);
  const after = dateFilter(query, `${prefix}_after`);
  if (before !== undefined) out.push(sql<SqlBool>`${ref(column)} < ${before}`);
  if (after !== undefined) out.push(sql<SqlBool>`${ref(column)} > ${after}`);
  return out;
}

const openStatus = (column: string) => sql<SqlBool>`${ref(column)} in (${intList(SO_OPEN)})`;

// --- sales orders ----------------------------------------------------------------------------

const isCustomer = async (db: Executor, id: number) =>
  (await db.selectFrom('company').select('id').where('id', '=', id).where('is_customer', '=', true).executeTakeFirst()) !== undefined;

const lineCount = sql`(select count(*) from sales_order_line x where x.order_id = t.id)`;
const totalPrice = sql`(select coalesce(sum(x.sale_price * x.quantity), 0) from sales_order_line x where x.order_id = t.id)`;

export async function salesOrderList(db: Executor, query: Query): Promise<ListQuery<SalesOrderRow>> {
  const c: RawBuilder<SqlBool>[] = [];
  const customer = await modelChoiceFilter(db, query, 'customer', isCustomer);
  if (customer !== undefined) c.push(sql<SqlBool>`t.customer_id = ${customer}`);
  const status = numberFilter(query, 'status');
  if (status !== undefined) c.push(integerEquals(ref('t.status'), status));
  const reference = presentParam(query, 'reference');
  if (reference !== undefined) c.push(iexact(ref('t.reference'), reference));
  c.push(...boolCondition(queryBool(query, 'outstanding'), openStatus('t.status')));
  c.push(...boolCondition(queryBool(query, 'overdue'), overdueCondition()));
  const createdBy = await modelChoiceFilter(db, query, 'created_by', existsIn('auth_user'));
  if (createdBy !== undefined) c.push(sql<SqlBool>`t.created_by_id = ${createdBy}`);
  const part = await modelChoiceFilter(db, query, 'part', existsIn('part'));
  if (part !== undefined) {
    const parts = partTreeCondition(ref('x.part_id'), part, queryBool(query, 'include_variants') === true);
    c.push(sql<SqlBool>`t.id in (select x.order_id from sales_order_line x where ${parts})`);
  }
  c.push(...boolCondition(queryBool(query, 'has_target_date'), sql<SqlBool>`t.target_date is not null`));
  c.push(...boolCondition(queryBool(query, 'has_start_date'), sql<SqlBool>`t.start_date is not null`));
  // No responsible owners or project codes are kept: "assigned to me" and "has project code" match nothing.
  c.push(...boolCondition(queryBool(query, 'assigned_to_me'), sql<SqlBool>`1 = 0`));
  c.push(...boolCondition(queryBool(query, 'has_project_code'), sql<SqlBool>`1 = 0`));
  c.push(...dateConditions(query, 't.creation_date', 'created'));
  c.push(...dateConditions(query, 't.target_date', 'target_date'));
  c.push(...dateConditions(query, 't.start_date', 'start_date'));
  c.push(...dateConditions(query, 't.shipment_date', 'completed'));
  c.push(
    ...searchConditions(query, [
      sql`(select co.name from company co where co.id = t.customer_id)`,
      ref('t.reference'),
      ref('t.description'),
      ref('t.customer_reference'),
    ]),
  );
  const ordering = orderBy(
    query,
    {
      creation_date: [{ expr: ref('t.creation_date'), nullable: true }],
      created_by: [{ expr: ref('t.created_by_id'), nullable: true }],
      reference: [{ expr: ref('t.reference_int') }, { expr: ref('t.reference') }],
      customer__name: [{ expr: sql`(select co.name from company co where co.id = t.customer_id)`, nullable: true }],
      customer_reference: [{ expr: ref('t.customer_reference') }],
      status: [{ expr: ref('t.status') }],
      start_date: [{ expr: ref('t.start_date'), nullable: true }],
      target_date: [{ expr: ref('t.target_date'), nullable: true }],
      line_items: [{ expr: lineCount }],
      shipment_date: [{ expr: ref('t.shipment_date'), nullable: true }],
      total_price: [{ expr: totalPrice }],
    },
    '-reference',
  );
  return listOf<SalesOrderRow>(db, 'sales_order', c, ordering);
}

/** An order is overdue when it is open and its target date has passed. */
function overdueCondition(): RawBuilder<SqlBool> {
  return sql<SqlBool>`(${openStatus('t.status')} and t.target_date is not null and t.target_date < ${today()})`;
}

// --- lines -----------------------------------------------------------------------------------

const lineAllocated = sql`(select coalesce(sum(a.quantity), 0) from sales_order_allocation a where a.line_id = t.id)`;
const lineOrderStatus = sql`(select o.status from sales_order o where o.id = t.order_id)`;

export async function salesOrderLineList(db: Executor, query: Query): Promise<ListQuery<SalesOrderLineRow>> {
  const c: RawBuilder<SqlBool>[] = [];
  const order = await modelChoiceFilter(db, query, 'order', existsIn('sales_order'));
  if (order !== undefined) c.push(sql<SqlBool>`t.order_id = ${order}`);
  const part = await modelChoiceFilter(db, query, 'part', existsIn('part'));
  if (part !== undefined) c.push(partTreeCondition(ref('t.part_id'), part, queryBool(query, 'include_variants') === true));
  c.push(...boolCondition(queryBool(query, 'completed'), sql<SqlBool>`t.shipped >= t.quantity`));
  c.push(...boolCondition(queryBool(query, 'allocated'), sql<SqlBool>`${lineAllocated} >= t.quantity`));
  c.push(...boolCondition(queryBool(query, 'has_pricing'), sql<SqlBool>`t.sale_price is not null`));
  const orderStatus = numberFilter(query, 'order_status');
  if (orderStatus !== undefined) c.push(integerEquals(lineOrderStatus, orderStatus));
  c.push(...boolCondition(queryBool(query, 'order_outstanding'), sql<SqlBool>`${lineOrderStatus} in (${intList(SO_OPEN)})`));
  c.push(...boolCondition(queryBool(query, 'order_complete'), sql<SqlBool>`${lineOrderStatus} in (${intList(SO_COMPLETE)})`));
  c.push(...searchConditions(query, [sql`(select p.name from part p where p.id = t.part_id)`, ref('t.reference')]));
  const partName = sql`(select p.name from part p where p.id = t.part_id)`;
  const ordering = orderBy(
    query,
    {
      customer: [{ expr: sql`(select co.name from sales_order o join company co on co.id = o.customer_id where o.id = t.order_id)`, nullable: true }],
      order: [{ expr: sql`(select o.reference from sales_order o where o.id = t.order_id)` }],
      part: [{ expr: partName, nullable: true }],
      part__name: [{ expr: partName, nullable: true }],
      quantity: [{ expr: ref('t.quantity') }],
      allocated: [{ expr: lineAllocated }],
      shipped: [{ expr: ref('t.shipped') }],
      reference: [{ expr: ref('t.reference') }],
      sale_price: [{ expr: ref('t.sale_price'), nullable: true }],
      target_date: [{ expr: ref('t.target_date'), nullable: true }],
    },
    '',
  );
  return listOf<SalesOrderLineRow>(db, 'sales_order_line', c, ordering);
}

// --- shipments -------------------------------------------------------------------------------

const shipmentOrderStatus = sql`(select o.status from sales_order o where o.id = t.order_id)`;

export async function shipmentList(db: Executor, query: Query): Promise<ListQuery<ShipmentRow>> {
  const c: RawBuilder<SqlBool>[] = [];
  const order = await modelChoiceFilter(db, query, 'order', existsIn('sales_order'));
  if (order !== undefined) c.push(sql<SqlBool>`t.order_id = ${order}`);
  c.push(...boolCondition(queryBool(query, 'shipped'), sql<SqlBool>`t.shipment_date is not null`));
  c.push(...boolCondition(queryBool(query, 'delivered'), sql<SqlBool>`t.delivery_date is not null`));
  c.push(...boolCondition(queryBool(query, 'checked'), sql<SqlBool>`t.checked_by_id is not null`));
  c.push(...boolCondition(queryBool(query, 'order_outstanding'), sql<SqlBool>`${shipmentOrderStatus} in (${intList(SO_OPEN)})`));
  const orderStatus = numberFilter(query, 'order_status');
  if (orderStatus !== undefined) c.push(integerEquals(shipmentOrderStatus, orderStatus));
  c.push(
    ...searchConditions(query, [
      sql`(select o.reference from sales_order o where o.id = t.order_id)`,
      ref('t.reference'),
      ref('t.tracking_number'),
      ref('t.invoice_number'),
    ]),
  );
  const ordering = orderBy(
    query,
    {
      reference: [{ expr: ref('t.reference') }],
      delivery_date: [{ expr: ref('t.delivery_date'), nullable: true }],
      shipment_date: [{ expr: ref('t.shipment_date'), nullable: true }],
      allocated_items: [{ expr: sql`(select count(*) from sales_order_allocation a where a.shipment_id = t.id)` }],
    },
    '',
  );
  return listOf<ShipmentRow>(db, 'sales_order_shipment', c, ordering);
}

// --- allocations -----------------------------------------------------------------------------

/** The allocation (aliased `t`) still holds stock: open order, shipment not shipped. */
const allocationActive = sql<SqlBool>`exists (select 1 from sales_order_line l join sales_order o on o.id = l.order_id
  left join sales_order_shipment s on s.id = t.shipment_id where l.id = t.line_id and ${activeAllocationCondition()})`;

export async function allocationConditions(db: Executor, query: Query): Promise<RawBuilder<SqlBool>[]> {
  const c: RawBuilder<SqlBool>[] = [];
  const order = await modelChoiceFilter(db, query, 'order', existsIn('sales_order'));
  if (order !== undefined) c.push(sql<SqlBool>`t.line_id in (select l.id from sales_order_line l where l.order_id = ${order})`);
  const line = await modelChoiceFilter(db, query, 'line', existsIn('sales_order_line'));
  if (line !== undefined) c.push(sql<SqlBool>`t.line_id = ${line}`);
  const shipment = await modelChoiceFilter(db, query, 'shipment', existsIn('sales_order_shipment'));
  if (shipment !== undefined) c.push(sql<SqlBool>`t.shipment_id = ${shipment}`);
  const item = await modelChoiceFilter(db, query, 'item', existsIn('stock_item'));
  if (item !== undefined) c.push(sql<SqlBool>`t.item_id = ${item}`);
  const part = await modelChoiceFilter(db, query, 'part', existsIn('part'));
  if (part !== undefined) {
    const parts = partTreeCondition(ref('i.part_id'), part, queryBool(query, 'include_variants') === true);
    c.push(sql<SqlBool>`t.item_id in (select i.id from stock_item i where ${parts})`);
  }
  const location = await modelChoiceFilter(db, query, 'location', existsIn('stock_location'));
  if (location !== undefined) c.push(sql<SqlBool>`t.item_id in (select i.id from stock_item i where ${locationTreeCondition(ref('i.location_id'), location)})`);
  c.push(...boolCondition(queryBool(query, 'outstanding'), allocationActive));
  c.push(...boolCondition(queryBool(query, 'assigned_to_shipment'), sql<SqlBool>`t.shipment_id is not null`));
  c.push(
    ...searchConditions(query, [
      sql`(select p.name from stock_item i join part p on p.id = i.part_id where i.id = t.item_id)`,
      sql`(select p.ipn from stock_item i join part p on p.id = i.part_id where i.id = t.item_id)`,
      sql`(select i.serial from stock_item i where i.id = t.item_id)`,
      sql`(select i.batch from stock_item i where i.id = t.item_id)`,
    ]),
  );
  return c;
}

export async function allocationList(db: Executor, query: Query): Promise<ListQuery<AllocationRow>> {
  const c = await allocationConditions(db, query);
  const item = (column: string) => sql`(select i.${sql.ref(column)} from stock_item i where i.id = t.item_id)`;
  const ordering = orderBy(
    query,
    {
      quantity: [{ expr: ref('t.quantity') }],
      part: [{ expr: sql`(select p.name from stock_item i join part p on p.id = i.part_id where i.id = t.item_id)` }],
      IPN: [{ expr: sql`(select p.ipn from stock_item i join part p on p.id = i.part_id where i.id = t.item_id)`, nullable: true }],
      serial: [
        { expr: item('serial_int'), nullable: true },
        { expr: item('serial'), nullable: true },
      ],
      batch: [{ expr: item('batch'), nullable: true }],
      location: [{ expr: sql`(select l.name from stock_item i join stock_location l on l.id = i.location_id where i.id = t.item_id)`, nullable: true }],
      order: [{ expr: sql`(select o.reference from sales_order_line l join sales_order o on o.id = l.order_id where l.id = t.line_id)` }],
      shipment_date: [{ expr: sql`(select s.shipment_date from sales_order_shipment s where s.id = t.shipment_id)`, nullable: true }],
    },
    '',
  );
  return listOf<AllocationRow>(db, 'sales_order_allocation', c, ordering);
}
