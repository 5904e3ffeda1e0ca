/**
 * Sales-order rules and writes (core-api.md §7.8, §7.11–§7.14, §9): orders and their status
 * actions, lines, shipments and allocations. Plain functions over the database; the routes
 * parse and serialise around them. Settings read inside a transaction go through it.
 *
 * Helpers the allocation and shipping work builds on: `isSalesOrderOpen`,
 * `undeliveredShipment`, `lineAllocatedTotals` (sales-serializers.ts),
 * `activeAllocationCounts` / `unallocatedQuantities` (stock/queries.ts),
 * `allocationModelErrors`, `lockRowForUpdate`.
 */
import type { Database } from '../db/connection.js';
import { inTransaction, isUniqueViolation, type Executor } from '../db/transaction.js';
import { deleteBarcodeLinks } from '../barcode/links.js';
import { notFound, ValidationError } from '../http/errors.js';
import type { SettingsService } from '../settings/service.js';
import { SO_COMPLETE, SO_OPEN } from '../status/enums.js';
import { nowIso, today } from '../util/time.js';
import { changeOrderStatus, checkNotLocked, dateErrors, insertWithReference, resolveReference, SALES_ORDER, uniqueReference } from './common.js';
import type { SalesOrderRow } from './sales-serializers.js';
import { activeAllocationCounts } from '../stock/queries.js';

export const SO_STATUS = {
  PENDING: 10,
  IN_PROGRESS: 15,
  SHIPPED: 20,
  ON_HOLD: 25,
  COMPLETE: 30,
  CANCELLED: 40,
  LOST: 50,
  RETURNED: 60,
} as const;

/** The SO OPEN group at API 435: PENDING, ON_HOLD, IN_PROGRESS (SHIPPED is "complete"). */
export function isSalesOrderOpen(status: number): boolean {
  return SO_OPEN.includes(Number(status));
}

/** The SO COMPLETE group at API 435: SHIPPED and COMPLETE (locked for edits). */
export function isSalesOrderComplete(status: number): boolean {
  return SO_COMPLETE.includes(Number(status));
}

type Table = 'sales_order' | 'sales_order_line' | 'sales_order_shipment' | 'sales_order_allocation' | 'stock_item' | 'build';

/**
 * Locks a row for the rest of the transaction on PostgreSQL (SQLite transactions already
 * hold the database's write lock). Returns false when the row does not exist.
 */
export async function lockRowForUpdate(trx: Executor, database: Database, table: Table, id: number): Promise<boolean> {
  let q = trx.selectFrom(table).select('id').where('id', '=', id);
  if (database.dialect === 'postgres') q = q.forUpdate();
  return (await q.executeTakeFirst()) !== undefined;
}

export async function loadSalesOrder(db: Executor, id: number): Promise<SalesOrderRow | undefined> {
  return db.selectFrom('sales_order').selectAll().where('id', '=', id).executeTakeFirst();
}

export async function requireSalesOrder(db: Executor, id: number): Promise<SalesOrderRow> {
  const row = await loadSalesOrder(db, id);
  if (row === undefined) throw notFound('SalesOrder');
  return row;
}

/**
 * The order's single shipment that has not been delivered (no `delivery_date`), or null when
 * there is none or more than one (barcode so-allocate's shipment choice, core-api.md §9.2).
 */
export async function undeliveredShipment(db: Executor, orderId: number): Promise<number | null> {
  const rows = await db.selectFrom('sales_order_shipment').select('id').where('order_id', '=', orderId).where('delivery_date', 'is', null).limit(2).execute();
  return rows.length === 1 ? (rows[0] as { id: number }).id : null;
}

// --- orders ----------------------------------------------------------------------------------

export interface SalesOrderInput {
  reference?: string;
  customer?: number | null;
  customer_reference?: string;
  description?: string;
  link?: string;
  creation_date?: string | null;
  start_date?: string | null;
  target_date?: string | null;
  notes?: string;
  order_currency?: string | null;
}

/** Order checks of the model's clean(): a customer is needed, start date before target date. */
function orderModelErrors(v: { customer_id: number | null; start_date: string | null; target_date: string | null }): void {
  const errors: Record<string, string[]> = {};
  if (v.customer_id === null) errors.customer = ['This field cannot be blank.'];
  Object.assign(errors, dateErrors(v.start_date, v.target_date));
  if (Object.keys(errors).length > 0) throw new ValidationError(errors);
}

function orderColumns(input: SalesOrderInput) {
  const out: Record<string, unknown> = {};
  if (input.customer !== undefined) out.customer_id = input.customer;
  for (const key of ['customer_reference', 'description', 'link', 'start_date', 'target_date', 'notes', 'order_currency'] as const) {
    if (input[key] !== undefined) out[key] = input[key];
  }
  if (input.creation_date !== undefined && input.creation_date !== null) out.creation_date = input.creation_date;
  return out;
}

/** Creates a sales order (and its default shipment "1" when SALESORDER_DEFAULT_SHIPMENT is on). */
export async function createSalesOrder(database: Database, settings: SettingsService, input: SalesOrderInput, userId: number | null): Promise<number> {
  const defaultShipment = await settings.getGlobalBool('SALESORDER_DEFAULT_SHIPMENT');
  return insertWithReference(database, settings, 'sales_order', input.reference, async (ref) => {
    orderModelErrors({ customer_id: input.customer ?? null, start_date: input.start_date ?? null, target_date: input.target_date ?? null });
    return inTransaction(database, async (trx) => {
      const row = await trx
        .insertInto('sales_order')
        .values({
          ...orderColumns(input),
          reference: ref.reference,
          reference_int: ref.reference_int,
          status: SO_STATUS.PENDING,
          creation_date: input.creation_date ?? today(),
          created_by_id: userId,
          updated_at: nowIso(),
        } as never)
        .returning('id')
        .executeTakeFirstOrThrow();
      if (defaultShipment) await trx.insertInto('sales_order_shipment').values({ order_id: row.id, reference: '1' }).execute();
      return row.id;
    });
  });
}

/** Updates an order's editable fields; completed orders are locked (core-api.md §7.8). */
export async function updateSalesOrder(database: Database, settings: SettingsService, order: SalesOrderRow, input: SalesOrderInput): Promise<void> {
  await checkNotLocked(database.kysely, settings, SALES_ORDER, Number(order.status), 'order');
  const changes = orderColumns(input);
  if (input.reference !== undefined && input.reference !== order.reference) {
    const ref = await resolveReference(database.kysely, settings, 'sales_order', input.reference, order.id);
    changes.reference = ref.reference;
    changes.reference_int = ref.reference_int;
  }
  orderModelErrors({
    customer_id: input.customer !== undefined ? input.customer : order.customer_id,
    start_date: input.start_date !== undefined ? input.start_date : order.start_date,
    target_date: input.target_date !== undefined ? input.target_date : order.target_date,
  });
  await uniqueReference(
    'sales_order',
    database.kysely
      .updateTable('sales_order')
      .set({ ...changes, updated_at: nowIso() } as never)
      .where('id', '=', order.id)
      .execute(),
  );
}

/** Deletes an order with its lines, shipments and allocations, and their barcode links. */
export async function deleteSalesOrder(database: Database, orderId: number): Promise<void> {
  await inTransaction(database, async (trx) => {
    const shipments = await trx.selectFrom('sales_order_shipment').select('id').where('order_id', '=', orderId).execute();
    await deleteBarcodeLinks(
      trx,
      'salesordershipment',
      shipments.map((s) => s.id),
    );
    await deleteBarcodeLinks(trx, 'salesorder', [orderId]);
    await trx.deleteFrom('sales_order').where('id', '=', orderId).execute();
  });
}

// --- status actions --------------------------------------------------------------------------

/** `issue/`: PENDING or ON_HOLD → IN_PROGRESS, with the issue date; otherwise nothing. */
export async function issueSalesOrder(database: Database, orderId: number): Promise<void> {
  await changeOrderStatus(database, SALES_ORDER, orderId, async (order) =>
    [SO_STATUS.PENDING, SO_STATUS.ON_HOLD].includes(Number(order.status) as 10 | 25) ? { status: SO_STATUS.IN_PROGRESS, issue_date: today() } : undefined,
  );
}

/** `hold/`: PENDING or IN_PROGRESS → ON_HOLD; otherwise nothing. */
export async function holdSalesOrder(database: Database, orderId: number): Promise<void> {
  await changeOrderStatus(database, SALES_ORDER, orderId, async (order) =>
    [SO_STATUS.PENDING, SO_STATUS.IN_PROGRESS].includes(Number(order.status) as 10 | 15) ? { status: SO_STATUS.ON_HOLD } : undefined,
  );
}

/** `cancel/`: an open order → CANCELLED, deleting every allocation of its lines; otherwise nothing. */
export async function cancelSalesOrder(database: Database, orderId: number): Promise<void> {
  await changeOrderStatus(database, SALES_ORDER, orderId, async (order, trx) => {
    if (!isSalesOrderOpen(Number(order.status))) return undefined;
    await trx
      .deleteFrom('sales_order_allocation')
      .where('line_id', 'in', trx.selectFrom('sales_order_line').select('id').where('order_id', '=', orderId))
      .execute();
    return { status: SO_STATUS.CANCELLED };
  });
}

/** Number of lines not yet fully shipped (`shipped < quantity`). */
async function pendingLineCount(db: Executor, orderId: number): Promise<number> {
  const row = await db
    .selectFrom('sales_order_line')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('order_id', '=', orderId)
    .whereRef('shipped', '<', 'quantity')
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

/**
 * Why the order cannot be completed (SalesOrder.can_complete, in InvenTree's order), or
 * undefined when it can.
 */
export async function salesOrderCompletionError(db: Executor, order: SalesOrderRow, allowIncompleteLines: boolean): Promise<string | undefined> {
  const status = Number(order.status);
  if (status === SO_STATUS.COMPLETE) return 'Order is already complete';
  if (status === SO_STATUS.CANCELLED) return 'Order is already cancelled';
  const pendingShipments = await db
    .selectFrom('sales_order_shipment')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('order_id', '=', order.id)
    .where('shipment_date', 'is', null)
    .executeTakeFirstOrThrow();
  if (Number(pendingShipments.n) > 0) return 'Order cannot be completed as there are incomplete shipments';
  const pendingAllocations = await db
    .selectFrom('sales_order_allocation as a')
    .innerJoin('sales_order_line as l', 'l.id', 'a.line_id')
    .leftJoin('sales_order_shipment as s', 's.id', 'a.shipment_id')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('l.order_id', '=', order.id)
    .where('s.shipment_date', 'is', null)
    .executeTakeFirstOrThrow();
  if (Number(pendingAllocations.n) > 0) return 'Order cannot be completed as there are incomplete allocations';
  if (!allowIncompleteLines && (await pendingLineCount(db, order.id)) > 0) return 'Order cannot be completed as there are incomplete line items';
  return undefined;
}

/**
 * `complete/`: refuses with `{"accept_incomplete": ["Order has incomplete line items"]}` when
 * lines are not fully shipped and the flag is off, then with the completion errors as
 * `non_field_errors`; otherwise the order becomes SHIPPED, or COMPLETE when it already was
 * SHIPPED or SALESORDER_SHIP_COMPLETE is on. The shipment date and user are set once.
 */
export async function completeSalesOrder(database: Database, settings: SettingsService, orderId: number, userId: number | null, acceptIncomplete: boolean): Promise<void> {
  await changeOrderStatus(database, SALES_ORDER, orderId, async (order, trx) => {
    if (!acceptIncomplete && (await pendingLineCount(trx, orderId)) > 0) {
      throw new ValidationError({ accept_incomplete: ['Order has incomplete line items'] });
    }
    const error = await salesOrderCompletionError(trx, order, acceptIncomplete);
    if (error !== undefined) throw new ValidationError({ non_field_errors: [error] });
    const shipComplete = await settings.getGlobalBool('SALESORDER_SHIP_COMPLETE', trx);
    const status = shipComplete || Number(order.status) === SO_STATUS.SHIPPED ? SO_STATUS.COMPLETE : SO_STATUS.SHIPPED;
    // The shipment date and user are set once.
    return order.shipment_date === null ? { status, shipment_date: today(), shipped_by_id: userId } : { status };
  });
}

// --- lines -----------------------------------------------------------------------------------

export interface LineInput {
  order?: number;
  part?: number | null;
  quantity?: number;
  reference?: string;
  notes?: string;
  link?: string;
  target_date?: string | null;
  sale_price?: number | null;
  sale_price_currency?: string;
}

async function checkLineRules(db: Executor, settings: SettingsService, partId: number | null, orderIds: number[]): Promise<void> {
  if (partId !== null) {
    const part = await db.selectFrom('part').select('salable').where('id', '=', partId).executeTakeFirst();
    if (part !== undefined && !part.salable) throw new ValidationError({ part: ['Only salable parts can be assigned to a sales order'] });
  }
  for (const id of new Set(orderIds)) {
    const order = await loadSalesOrder(db, id);
    if (order !== undefined) await checkNotLocked(db, settings, SALES_ORDER, Number(order.status), 'line');
  }
}

function lineColumns(input: LineInput): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  if (input.order !== undefined) out.order_id = input.order;
  if (input.part !== undefined) out.part_id = input.part;
  for (const key of ['quantity', 'reference', 'notes', 'link', 'target_date', 'sale_price', 'sale_price_currency'] as const) {
    if (input[key] !== undefined) out[key] = input[key];
  }
  return out;
}

export async function createSalesOrderLine(db: Executor, settings: SettingsService, input: LineInput & { order: number; quantity: number }): Promise<number> {
  await checkLineRules(db, settings, input.part ?? null, [input.order]);
  const currency = input.sale_price_currency ?? (await settings.getGlobal('INVENTREE_DEFAULT_CURRENCY'));
  const row = await db
    .insertInto('sales_order_line')
    .values({ ...lineColumns(input), sale_price_currency: currency } as never)
    .returning('id')
    .executeTakeFirstOrThrow();
  return row.id;
}

export async function updateSalesOrderLine(db: Executor, settings: SettingsService, line: { id: number; order_id: number; part_id: number | null }, input: LineInput): Promise<void> {
  const partId = input.part !== undefined ? input.part : line.part_id;
  await checkLineRules(db, settings, input.part !== undefined ? partId : null, [line.order_id, ...(input.order !== undefined ? [input.order] : [])]);
  const changes = lineColumns(input);
  if (Object.keys(changes).length > 0) await db.updateTable('sales_order_line').set(changes).where('id', '=', line.id).execute();
}

export async function deleteSalesOrderLine(db: Executor, settings: SettingsService, line: { id: number; order_id: number }): Promise<void> {
  await checkLineRules(db, settings, null, [line.order_id]);
  await db.deleteFrom('sales_order_line').where('id', '=', line.id).execute();
}

// --- shipments -------------------------------------------------------------------------------

export interface ShipmentInput {
  order?: number;
  reference?: string;
  shipment_date?: string | null;
  delivery_date?: string | null;
  checked_by?: number | null;
  tracking_number?: string;
  invoice_number?: string;
  link?: string;
  notes?: string;
}

const SHIPMENT_NOT_UNIQUE = { non_field_errors: ['The fields order, reference must make a unique set.'] };

function shipmentColumns(input: ShipmentInput): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  if (input.order !== undefined) out.order_id = input.order;
  if (input.checked_by !== undefined) out.checked_by_id = input.checked_by;
  for (const key of ['reference', 'shipment_date', 'delivery_date', 'tracking_number', 'invoice_number', 'link', 'notes'] as const) {
    if (input[key] !== undefined) out[key] = input[key];
  }
  return out;
}

async function checkShipmentUnique(db: Executor, orderId: number, reference: string, exceptId?: number): Promise<void> {
  let q = db.selectFrom('sales_order_shipment').select('id').where('order_id', '=', orderId).where('reference', '=', reference);
  if (exceptId !== undefined) q = q.where('id', '!=', exceptId);
  if ((await q.executeTakeFirst()) !== undefined) throw new ValidationError(SHIPMENT_NOT_UNIQUE);
}

export async function createShipment(db: Executor, input: ShipmentInput & { order: number }): Promise<number> {
  const reference = input.reference ?? '1';
  await checkShipmentUnique(db, input.order, reference);
  try {
    const row = await db
      .insertInto('sales_order_shipment')
      .values({ ...shipmentColumns(input), reference } as never)
      .returning('id')
      .executeTakeFirstOrThrow();
    return row.id;
  } catch (e) {
    if (isUniqueViolation(e)) throw new ValidationError(SHIPMENT_NOT_UNIQUE);
    throw e;
  }
}

export async function updateShipment(db: Executor, shipment: { id: number; order_id: number; reference: string }, input: ShipmentInput): Promise<void> {
  const orderId = input.order ?? shipment.order_id;
  const reference = input.reference ?? shipment.reference;
  if (orderId !== shipment.order_id || reference !== shipment.reference) await checkShipmentUnique(db, orderId, reference, shipment.id);
  const changes = shipmentColumns(input);
  if (Object.keys(changes).length === 0) return;
  try {
    await db.updateTable('sales_order_shipment').set(changes).where('id', '=', shipment.id).execute();
  } catch (e) {
    if (isUniqueViolation(e)) throw new ValidationError(SHIPMENT_NOT_UNIQUE);
    throw e;
  }
}

/** Deletes a shipment, its allocations and its barcode links. */
export async function deleteShipment(database: Database, shipmentId: number): Promise<void> {
  await inTransaction(database, async (trx) => {
    await deleteBarcodeLinks(trx, 'salesordershipment', [shipmentId]);
    await trx.deleteFrom('sales_order_allocation').where('shipment_id', '=', shipmentId).execute();
    await trx.deleteFrom('sales_order_shipment').where('id', '=', shipmentId).execute();
  });
}

// --- allocations -----------------------------------------------------------------------------

export interface AllocationCandidate {
  /** The allocation being changed (left out of the over-allocation sum), if it exists. */
  id?: number;
  lineId: number;
  itemId: number;
  shipmentId: number | null;
  quantity: number;
}

/**
 * SalesOrderAllocation's model validation (full_clean; core-api.md §9.1), gathered into a
 * field-keyed error object, or undefined when the allocation is valid. As in InvenTree,
 * later `quantity` checks replace earlier ones (so an allocation above the stock quantity
 * reports "Stock item is over-allocated"), and the item must still satisfy the relation's
 * limits (salable, not virtual, not installed, not already sent to a customer).
 */
export async function allocationModelErrors(db: Executor, c: AllocationCandidate): Promise<Record<string, string[]> | undefined> {
  const item = await db
    .selectFrom('stock_item as i')
    .innerJoin('part as p', 'p.id', 'i.part_id')
    .select(['i.id', 'i.quantity', 'i.serial', 'i.belongs_to_id', 'i.sales_order_id', 'p.salable', 'p.virtual'])
    .where('i.id', '=', c.itemId)
    .executeTakeFirst();
  if (item === undefined) return { item: ['Stock item has not been assigned'] };
  const errors: Record<string, string[]> = {};
  const add = (field: string, message: string) => (errors[field] = [...(errors[field] ?? []), message]);
  // Field validation (clean_fields): the relation's choice limits and the quantity's minimum.
  if (!item.salable || item.virtual || item.belongs_to_id !== null || item.sales_order_id !== null) {
    add('item', `Stock Item instance with id ${c.itemId} does not exist.`);
  }
  if (c.quantity < 0) add('quantity', 'Ensure this value is greater than or equal to 0.');
  // The model's clean(): one message per field, later checks replacing earlier ones.
  const clean: Record<string, string> = {};
  const line = await db.selectFrom('sales_order_line').select(['id', 'order_id', 'part_id']).where('id', '=', c.lineId).executeTakeFirst();
  if (line !== undefined && line.part_id === null) clean.line = 'Cannot allocate stock to a line without a part';
  const stockQuantity = Number(item.quantity);
  if (c.quantity > stockQuantity) clean.quantity = 'Allocation quantity cannot exceed stock quantity';
  const others = (await activeAllocationCounts(db, [c.itemId], c.id)).get(c.itemId) ?? 0;
  if (others + c.quantity > stockQuantity) clean.quantity = 'Stock item is over-allocated';
  if (c.quantity <= 0) clean.quantity = 'Allocation quantity must be greater than zero';
  if (item.serial !== null && item.serial !== '' && c.quantity !== 1) clean.quantity = 'Quantity must be 1 for serialized stock item';
  if (c.shipmentId !== null && line !== undefined) {
    const shipment = await db.selectFrom('sales_order_shipment').select('order_id').where('id', '=', c.shipmentId).executeTakeFirst();
    if (shipment !== undefined && shipment.order_id !== line.order_id) {
      clean.line = 'Sales order does not match shipment';
      clean.shipment = 'Shipment does not match sales order';
    }
  }
  for (const [field, message] of Object.entries(clean)) add(field, message);
  return Object.keys(errors).length > 0 ? errors : undefined;
}

/**
 * Creates one allocation inside an open transaction after the model checks (the path of
 * `allocate/`, core-api.md §9.1), locking the stock item first so concurrent allocations
 * cannot over-allocate it (D16). Throws a ValidationError with the field-keyed model errors.
 */
export async function createAllocationIn(trx: Executor, database: Database, candidate: Omit<AllocationCandidate, 'id'>): Promise<number> {
  await lockRowForUpdate(trx, database, 'stock_item', candidate.itemId);
  const errors = await allocationModelErrors(trx, candidate);
  if (errors !== undefined) throw new ValidationError(errors);
  const row = await trx
    .insertInto('sales_order_allocation')
    .values({ line_id: candidate.lineId, item_id: candidate.itemId, shipment_id: candidate.shipmentId, quantity: candidate.quantity })
    .returning('id')
    .executeTakeFirstOrThrow();
  return row.id;
}

export interface AllocationChanges {
  item?: number;
  quantity?: number;
  shipment?: number | null;
}

/**
 * Changes one allocation inside an open transaction, after the model checks; the stock item
 * is locked first so concurrent changes cannot over-allocate it (D16).
 */
export async function updateAllocationIn(trx: Executor, database: Database, allocationId: number, changes: AllocationChanges): Promise<void> {
  await lockRowForUpdate(trx, database, 'sales_order_allocation', allocationId);
  const current = await trx.selectFrom('sales_order_allocation').selectAll().where('id', '=', allocationId).executeTakeFirst();
  if (current === undefined) throw notFound('SalesOrderAllocation');
  const itemId = changes.item ?? current.item_id;
  await lockRowForUpdate(trx, database, 'stock_item', itemId);
  const candidate: AllocationCandidate = {
    id: current.id,
    lineId: current.line_id,
    itemId,
    shipmentId: changes.shipment !== undefined ? changes.shipment : current.shipment_id,
    quantity: changes.quantity ?? Number(current.quantity),
  };
  const errors = await allocationModelErrors(trx, candidate);
  if (errors !== undefined) throw new ValidationError(errors);
  await trx
    .updateTable('sales_order_allocation')
    .set({ item_id: candidate.itemId, shipment_id: candidate.shipmentId, quantity: candidate.quantity })
    .where('id', '=', allocationId)
    .execute();
}

export async function updateAllocation(database: Database, allocationId: number, changes: AllocationChanges): Promise<void> {
  await inTransaction(database, (trx) => updateAllocationIn(trx, database, allocationId, changes));
}

/** Applies the same changes to several allocations, all or none (bulk PATCH). */
export async function updateAllocations(database: Database, allocationIds: readonly number[], changes: AllocationChanges): Promise<void> {
  await inTransaction(database, async (trx) => {
    for (const id of allocationIds) await updateAllocationIn(trx, database, id, changes);
  });
}

export async function deleteAllocations(database: Database, allocationIds: readonly number[]): Promise<void> {
  if (allocationIds.length === 0) return;
  await inTransaction(database, async (trx) => {
    await trx
      .deleteFrom('sales_order_allocation')
      .where('id', 'in', [...allocationIds])
      .execute();
  });
}
