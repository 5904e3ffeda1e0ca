/**
 * Return order rules and writes (core-api.md §7.8, §7.16): orders with the shared reference,
 * date and lock rules; the status actions issue / hold / cancel / complete; lines with
 * InvenTree's quantity checks and the (order, item) uniqueness. One transaction per write.
 */
import type { Database } from '../db/connection.js';
import { inTransaction, type Executor } from '../db/transaction.js';
import { ValidationError } from '../http/errors.js';
import type { SettingsService } from '../settings/service.js';
import { RO_OPEN } from '../status/enums.js';
import { isSerialized } from '../stock/queries.js';
import { today } from '../util/time.js';
import { changeOrderStatus, checkNotLocked, createOrder, deleteOrderLine, deleteOrderWithLines, lockLineAndOrder, lockOrder, RETURN_ORDER, touchOrder, updateOrder } from './common.js';

export const RO_STATUS = { PENDING: 10, IN_PROGRESS: 20, ON_HOLD: 25, COMPLETE: 30, CANCELLED: 40 } as const;

// --- orders ----------------------------------------------------------------------------------

export interface ReturnOrderInput {
  reference?: string;
  description?: string;
  link?: string;
  customer?: number | null;
  customer_reference?: string;
  order_currency?: string | null;
  start_date?: string | null;
  target_date?: string | null;
  creation_date?: string | null;
  issue_date?: string | null;
  complete_date?: string | null;
  notes?: string | null;
}

function orderColumns(body: ReturnOrderInput) {
  const set: Record<string, unknown> = {};
  for (const key of ['description', 'link', 'customer_reference', 'start_date', 'target_date', 'issue_date', 'complete_date'] as const) {
    if (body[key] !== undefined) set[key] = body[key];
  }
  if (body.notes !== undefined) set.notes = body.notes ?? '';
  if (body.customer !== undefined) set.customer_id = body.customer;
  if (body.order_currency !== undefined) set.order_currency = body.order_currency === '' ? null : body.order_currency;
  return set;
}

export async function createReturnOrder(database: Database, settings: SettingsService, body: ReturnOrderInput, userId: number | null): Promise<number> {
  return createOrder(database, settings, RETURN_ORDER, body, orderColumns(body), userId);
}

export async function updateReturnOrder(database: Database, settings: SettingsService, id: number, body: ReturnOrderInput): Promise<void> {
  await updateOrder(database, settings, RETURN_ORDER, id, body, orderColumns(body));
}

/** Deletes a return order with its lines and barcode links (any status, as InvenTree). */
export async function deleteReturnOrder(database: Database, id: number): Promise<void> {
  await deleteOrderWithLines(database, RETURN_ORDER, id);
}

export type ReturnOrderAction = 'issue' | 'hold' | 'cancel' | 'complete';

/**
 * issue: PENDING / ON_HOLD → IN_PROGRESS (sets issue_date); hold: PENDING / IN_PROGRESS →
 * ON_HOLD; cancel: any open status → CANCELLED; complete: IN_PROGRESS → COMPLETE (sets
 * complete_date). Any other move is silently ignored.
 */
export async function returnOrderAction(database: Database, id: number, action: ReturnOrderAction): Promise<void> {
  await changeOrderStatus(database, RETURN_ORDER, id, async (order) => {
    const status = Number(order.status);
    if (action === 'issue' && (status === RO_STATUS.PENDING || status === RO_STATUS.ON_HOLD)) return { status: RO_STATUS.IN_PROGRESS, issue_date: today() };
    if (action === 'hold' && (status === RO_STATUS.PENDING || status === RO_STATUS.IN_PROGRESS)) return { status: RO_STATUS.ON_HOLD };
    if (action === 'cancel' && RO_OPEN.includes(status)) return { status: RO_STATUS.CANCELLED };
    if (action === 'complete' && status === RO_STATUS.IN_PROGRESS) return { status: RO_STATUS.COMPLETE, complete_date: today() };
    return undefined;
  });
}

// --- lines -----------------------------------------------------------------------------------

export interface RoLineInput {
  order?: number;
  item?: number;
  quantity?: number;
  received_date?: string | null;
  outcome?: number;
  price?: number | null;
  price_currency?: string;
  reference?: string;
  notes?: string;
  link?: string;
  target_date?: string | null;
}

function lineColumns(body: RoLineInput) {
  const set: Record<string, unknown> = {};
  for (const key of ['quantity', 'received_date', 'outcome', 'price', 'price_currency', 'reference', 'notes', 'link', 'target_date'] as const) {
    if (body[key] !== undefined) set[key] = body[key];
  }
  if (body.order !== undefined) set.order_id = body.order;
  if (body.item !== undefined) set.item_id = body.item;
  return set;
}

/**
 * The line rules on the values the line will have: (order, item) unique, then InvenTree's
 * clean(): not more than the item holds, more than zero, exactly 1 of a serialized item.
 */
async function validateRoLine(trx: Executor, values: { orderId: number; itemId: number; quantity: number }, exceptId?: number): Promise<number> {
  let q = trx.selectFrom('return_order_line').select('id').where('order_id', '=', values.orderId).where('item_id', '=', values.itemId);
  if (exceptId !== undefined) q = q.where('id', '!=', exceptId);
  if ((await q.executeTakeFirst()) !== undefined) throw new ValidationError({ non_field_errors: ['The fields order, item must make a unique set.'] });
  const item = await trx.selectFrom('stock_item').select(['quantity', 'serial']).where('id', '=', values.itemId).executeTakeFirstOrThrow();
  if (values.quantity > Number(item.quantity)) throw new ValidationError({ quantity: ['Return quantity exceeds stock quantity'] });
  if (values.quantity <= 0) throw new ValidationError({ quantity: ['Return quantity must be greater than zero'] });
  if (isSerialized(item) && values.quantity !== 1) throw new ValidationError({ quantity: ['Invalid quantity for serialized stock item'] });
  const order = await trx.selectFrom('return_order').select('status').where('id', '=', values.orderId).executeTakeFirstOrThrow();
  return Number(order.status);
}

export async function createRoLine(database: Database, settings: SettingsService, body: RoLineInput): Promise<number> {
  return inTransaction(database, async (trx) => {
    const orderId = body.order as number;
    await lockOrder(database, trx, RETURN_ORDER, orderId);
    const status = await validateRoLine(trx, { orderId, itemId: body.item as number, quantity: body.quantity ?? 1 });
    await checkNotLocked(trx, settings, RETURN_ORDER, status, 'line');
    const row = await trx
      .insertInto('return_order_line')
      .values({ ...lineColumns(body), order_id: orderId, item_id: body.item as number, quantity: body.quantity ?? 1 })
      .returning('id')
      .executeTakeFirstOrThrow();
    await touchOrder(trx, RETURN_ORDER, orderId);
    return row.id;
  });
}

export async function updateRoLine(database: Database, settings: SettingsService, id: number, body: RoLineInput): Promise<void> {
  await inTransaction(database, async (trx) => {
    const { line, order: current } = await lockLineAndOrder(database, trx, RETURN_ORDER, id);
    const orderId = body.order ?? line.order_id;
    const status = await validateRoLine(trx, { orderId, itemId: body.item ?? line.item_id, quantity: body.quantity ?? Number(line.quantity) }, id);
    if (current !== undefined) await checkNotLocked(trx, settings, RETURN_ORDER, Number(current.status), 'line');
    if (orderId !== line.order_id) await checkNotLocked(trx, settings, RETURN_ORDER, status, 'line');
    const set = lineColumns(body);
    if (Object.keys(set).length > 0) await trx.updateTable('return_order_line').set(set).where('id', '=', id).execute();
    await touchOrder(trx, RETURN_ORDER, orderId);
  });
}

export async function deleteRoLine(database: Database, settings: SettingsService, id: number): Promise<void> {
  await deleteOrderLine(database, settings, RETURN_ORDER, id);
}
