/**
 * Purchase order rules and writes (core-api.md §7.8–7.10): create and edit orders and lines,
 * the completed-order lock, the status actions of the §7.9 table, line merging and deletion.
 * Every multi-row write runs in one transaction (D16); on PostgreSQL the order row is locked
 * before its status or lines are checked.
 */
import type { Database } from '../db/connection.js';
import { inTransaction, type Executor } from '../db/transaction.js';
import { ApiError, ValidationError } from '../http/errors.js';
import type { SettingsService } from '../settings/service.js';
import { PO_OPEN } from '../status/enums.js';
import { qtyAdd } from '../util/decimal.js';
import { today } from '../util/time.js';
import { changeOrderStatus, checkNotLocked, createOrder, deleteOrderLine, deleteOrderWithLines, lockLineAndOrder, lockOrder, PURCHASE_ORDER, touchOrder, updateOrder } from './common.js';

export const PO_STATUS = { PENDING: 10, PLACED: 20, ON_HOLD: 25, COMPLETE: 30, CANCELLED: 40 } as const;

// --- orders ----------------------------------------------------------------------------------

export interface PurchaseOrderInput {
  reference?: string;
  description?: string;
  link?: string;
  supplier?: number;
  supplier_reference?: string;
  destination?: number | null;
  order_currency?: string | null;
  start_date?: string | null;
  target_date?: string | null;
  creation_date?: string | null;
  notes?: string | null;
  duplicate?: { order_id: number; copy_lines: boolean; copy_extra_lines: boolean };
}

function orderColumns(body: PurchaseOrderInput) {
  const set: Record<string, unknown> = {};
  for (const key of ['description', 'link', 'supplier_reference', 'start_date', 'target_date'] as const) {
    if (body[key] !== undefined) set[key] = body[key];
  }
  if (body.notes !== undefined) set.notes = body.notes ?? '';
  if (body.supplier !== undefined) set.supplier_id = body.supplier;
  if (body.destination !== undefined) set.destination_id = body.destination;
  if (body.order_currency !== undefined) set.order_currency = body.order_currency === '' ? null : body.order_currency;
  return set;
}

/** Creates a purchase order (status PENDING, created by `userId`); returns its id. */
export async function createPurchaseOrder(database: Database, settings: SettingsService, body: PurchaseOrderInput, userId: number | null): Promise<number> {
  const duplicate = body.duplicate;
  return createOrder(database, settings, PURCHASE_ORDER, body, orderColumns(body), userId, duplicate === undefined ? undefined : (trx, id) => duplicateLines(trx, id, duplicate));
}

/** Copies the lines of another order into a new one (InvenTree's `duplicate` option). */
async function duplicateLines(trx: Executor, orderId: number, dup: NonNullable<PurchaseOrderInput['duplicate']>): Promise<void> {
  const source = await trx.selectFrom('purchase_order').select('id').where('id', '=', dup.order_id).executeTakeFirst();
  if (source === undefined) throw new ApiError(400, ['Invalid order ID']);
  if (!dup.copy_lines) return;
  const lines = await trx.selectFrom('purchase_order_line').selectAll().where('order_id', '=', source.id).orderBy('id').execute();
  for (const { id: _id, ...line } of lines) {
    await trx
      .insertInto('purchase_order_line')
      .values({ ...line, order_id: orderId, received: 0, target_date: null, build_order_id: null })
      .execute();
  }
}

/** Edits a purchase order; refused when it is complete and locked. */
export async function updatePurchaseOrder(database: Database, settings: SettingsService, id: number, body: PurchaseOrderInput): Promise<void> {
  await updateOrder(database, settings, PURCHASE_ORDER, id, body, orderColumns(body));
}

/**
 * Deletes a purchase order with its lines and barcode links. InvenTree refuses no status
 * here (its API deletes orders in any state); received stock keeps existing, unlinked.
 */
export async function deletePurchaseOrder(database: Database, id: number): Promise<void> {
  await deleteOrderWithLines(database, PURCHASE_ORDER, id, async (trx) => {
    await trx.updateTable('stock_item').set({ purchase_order_id: null }).where('purchase_order_id', '=', id).execute();
  });
}

export type PurchaseOrderAction = 'issue' | 'hold' | 'cancel' | 'complete';

/**
 * Runs a status action of core-api.md §7.9. A move not allowed from the current status is
 * ignored, except that `cancel` of an order that is not open answers 400
 * `["Order cannot be cancelled"]`, and `complete` with pending lines needs `accept_incomplete`.
 */
export async function purchaseOrderAction(
  database: Database,
  id: number,
  action: PurchaseOrderAction,
  opts: { acceptIncomplete?: boolean } = {},
): Promise<void> {
  await changeOrderStatus(database, PURCHASE_ORDER, id, async (order, trx) => {
    const status = Number(order.status);
    switch (action) {
      case 'issue':
        return status === PO_STATUS.PENDING || status === PO_STATUS.ON_HOLD ? { status: PO_STATUS.PLACED, issue_date: today() } : undefined;
      case 'hold':
        return status === PO_STATUS.PENDING || status === PO_STATUS.PLACED ? { status: PO_STATUS.ON_HOLD } : undefined;
      case 'cancel':
        if (!PO_OPEN.includes(status)) throw new ApiError(400, ['Order cannot be cancelled']);
        return { status: PO_STATUS.CANCELLED };
      case 'complete': {
        if (opts.acceptIncomplete !== true) {
          const pending = await trx
            .selectFrom('purchase_order_line')
            .select('id')
            .where('order_id', '=', id)
            .whereRef('received', '<', 'quantity')
            .executeTakeFirst();
          if (pending !== undefined) throw new ValidationError({ accept_incomplete: ['Order has incomplete line items'] });
        }
        return status === PO_STATUS.PLACED ? { status: PO_STATUS.COMPLETE, complete_date: today() } : undefined;
      }
    }
  });
}

// --- lines -----------------------------------------------------------------------------------

export interface PoLineInput {
  order?: number;
  part?: number | null;
  quantity?: number;
  reference?: string;
  notes?: string;
  link?: string;
  target_date?: string | null;
  purchase_price?: number | null;
  purchase_price_currency?: string;
  destination?: number | null;
  build_order?: number | null;
  merge_items?: boolean;
  auto_pricing?: boolean;
}

function lineColumns(body: PoLineInput) {
  const set: Record<string, unknown> = {};
  for (const key of ['quantity', 'reference', 'notes', 'link', 'target_date', 'purchase_price', 'purchase_price_currency'] as const) {
    if (body[key] !== undefined) set[key] = body[key];
  }
  if (body.order !== undefined) set.order_id = body.order;
  if (body.part !== undefined) set.part_id = body.part;
  if (body.destination !== undefined) set.destination_id = body.destination;
  if (body.build_order !== undefined) set.build_order_id = body.build_order;
  return set;
}

/**
 * The serializer-level checks of a line (core-api.md §7.10), on the values the line will
 * have: a supplier part is given and belongs to the order's supplier; a linked build order
 * is for the same part, an assembly, and not linked to another line.
 */
async function validateLine(
  trx: Executor,
  values: { orderId: number; partId: number | null; buildOrderId: number | null },
  exceptLineId?: number,
): Promise<{ status: number }> {
  if (values.partId === null) throw new ValidationError({ part: ['Supplier part must be specified'] });
  const order = await trx.selectFrom('purchase_order').select(['supplier_id', 'status']).where('id', '=', values.orderId).executeTakeFirst();
  if (order === undefined) throw new ValidationError({ order: ['Purchase order must be specified'] });
  const sp = await trx
    .selectFrom('supplier_part as sp')
    .innerJoin('part as p', 'p.id', 'sp.part_id')
    .select(['sp.supplier_id', 'sp.part_id', 'p.assembly'])
    .where('sp.id', '=', values.partId)
    .executeTakeFirstOrThrow();
  if (sp.supplier_id !== order.supplier_id) {
    throw new ValidationError({ part: ['Supplier must match purchase order'], order: ['Purchase order must match supplier'] });
  }
  if (values.buildOrderId !== null) {
    const build = await trx.selectFrom('build').select(['part_id']).where('id', '=', values.buildOrderId).executeTakeFirstOrThrow();
    if (build.part_id !== sp.part_id) throw new ValidationError({ build_order: ['Build order part must match line item part'] });
    if (!sp.assembly) throw new ValidationError({ build_order: ['Build orders can only be linked to assembly parts'] });
    let q = trx.selectFrom('purchase_order_line').select('id').where('build_order_id', '=', values.buildOrderId);
    if (exceptLineId !== undefined) q = q.where('id', '!=', exceptLineId);
    if ((await q.executeTakeFirst()) !== undefined) {
      throw new ValidationError({ build_order: ['Purchase Order Line Item with this Build Order already exists.'] });
    }
  }
  return { status: Number(order.status) };
}

/**
 * Creates a line, or with `merge_items` (default true) adds the quantity to an existing line
 * of the same supplier part, order, target date and destination. Returns the line's id.
 * `auto_pricing` is accepted and has no effect: Stockscan keeps no supplier price breaks.
 */
export async function createPoLine(database: Database, settings: SettingsService, body: PoLineInput): Promise<number> {
  return inTransaction(database, async (trx) => {
    const orderId = body.order as number;
    await lockOrder(database, trx, PURCHASE_ORDER, orderId);
    const { status } = await validateLine(trx, { orderId, partId: body.part ?? null, buildOrderId: body.build_order ?? null });
    await checkNotLocked(trx, settings, PURCHASE_ORDER, status, 'line');
    if (body.merge_items !== false) {
      let q = trx
        .selectFrom('purchase_order_line')
        .select(['id', 'quantity'])
        .where('order_id', '=', orderId)
        .where('part_id', '=', body.part as number)
        .orderBy('id');
      q = body.target_date == null ? q.where('target_date', 'is', null) : q.where('target_date', '=', body.target_date);
      q = body.destination == null ? q.where('destination_id', 'is', null) : q.where('destination_id', '=', body.destination);
      const existing = await q.executeTakeFirst();
      if (existing !== undefined) {
        await trx
          .updateTable('purchase_order_line')
          .set({ quantity: qtyAdd(Number(existing.quantity), body.quantity ?? 0) })
          .where('id', '=', existing.id)
          .execute();
        await touchOrder(trx, PURCHASE_ORDER, orderId);
        return existing.id;
      }
    }
    let currency = body.purchase_price_currency ?? '';
    if (currency === '') currency = await defaultLineCurrency(trx, settings, orderId);
    const row = await trx
      .insertInto('purchase_order_line')
      .values({ ...lineColumns(body), order_id: orderId, quantity: body.quantity as number, purchase_price_currency: currency })
      .returning('id')
      .executeTakeFirstOrThrow();
    await touchOrder(trx, PURCHASE_ORDER, orderId);
    return row.id;
  });
}

/** A new line's price currency: the order's, else its supplier's, else the default currency. */
async function defaultLineCurrency(trx: Executor, settings: SettingsService, orderId: number): Promise<string> {
  const row = await trx
    .selectFrom('purchase_order as po')
    .innerJoin('company as c', 'c.id', 'po.supplier_id')
    .select(['po.order_currency', 'c.currency'])
    .where('po.id', '=', orderId)
    .executeTakeFirst();
  if (row?.order_currency) return row.order_currency;
  if (row?.currency) return row.currency;
  return settings.getGlobal('INVENTREE_DEFAULT_CURRENCY', trx);
}

/** Edits a line; refused when its order (or the order it moves to) is complete and locked. */
export async function updatePoLine(database: Database, settings: SettingsService, id: number, body: PoLineInput): Promise<void> {
  await inTransaction(database, async (trx) => {
    const { line, order: current } = await lockLineAndOrder(database, trx, PURCHASE_ORDER, id);
    const orderId = body.order ?? line.order_id;
    const { status } = await validateLine(
      trx,
      {
        orderId,
        partId: body.part !== undefined ? body.part : line.part_id,
        buildOrderId: body.build_order !== undefined ? body.build_order : line.build_order_id,
      },
      id,
    );
    if (current !== undefined) await checkNotLocked(trx, settings, PURCHASE_ORDER, Number(current.status), 'line');
    if (orderId !== line.order_id) await checkNotLocked(trx, settings, PURCHASE_ORDER, status, 'line');
    const set = lineColumns(body);
    if (body.purchase_price_currency === '') set.purchase_price_currency = await defaultLineCurrency(trx, settings, orderId);
    if (Object.keys(set).length > 0) await trx.updateTable('purchase_order_line').set(set).where('id', '=', id).execute();
    await touchOrder(trx, PURCHASE_ORDER, orderId);
  });
}

/** Deletes a line; refused when its order is complete and locked. */
export async function deletePoLine(database: Database, settings: SettingsService, id: number): Promise<void> {
  await deleteOrderLine(database, settings, PURCHASE_ORDER, id);
}
