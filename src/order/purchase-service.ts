/**
 * Purchase order rules and writes (core-api.md §7.8–7.10): create and edit orders and lines,
 * the completed-order lock, the status actions of the §7.9 table, line merging and deletion.
 * Every multi-row write runs in one transaction (D16); on PostgreSQL the order row is locked
 * before its status or lines are checked.
 */
import type { Transaction } from 'kysely';
import { deleteBarcodeLinks } from '../barcode/links.js';
import type { Database } from '../db/connection.js';
import type { DB } from '../db/schema.js';
import { inTransaction, isUniqueViolation, type Executor } from '../db/transaction.js';
import { ApiError, notFound, ValidationError } from '../http/errors.js';
import type { SettingsService } from '../settings/service.js';
import { PO_COMPLETE, PO_OPEN } from '../status/enums.js';
import { qtyAdd } from '../util/decimal.js';
import { nowIso, today } from '../util/time.js';
import { checkNotLocked, resolveReference } from './common.js';
import { dateErrors } from './purchase-fields.js';

export const PO_STATUS = { PENDING: 10, PLACED: 20, ON_HOLD: 25, COMPLETE: 30, CANCELLED: 40 } as const;

/** The order row, locked for the rest of the transaction on PostgreSQL. */
export async function lockPurchaseOrder(database: Database, trx: Transaction<DB>, id: number) {
  let q = trx.selectFrom('purchase_order').selectAll().where('id', '=', id);
  if (database.dialect === 'postgres') q = q.forUpdate();
  return q.executeTakeFirst();
}

/**
 * The settings these rules read, fetched before a transaction opens: on SQLite the settings
 * service would otherwise query outside the transaction and wait for the one connection the
 * transaction holds.
 */
export interface PoSettings {
  editCompleted: boolean;
  referencePattern: string;
  defaultCurrency: string;
}

export async function loadPoSettings(settings: SettingsService): Promise<PoSettings> {
  return {
    editCompleted: await settings.getGlobalBool('PURCHASEORDER_EDIT_COMPLETED_ORDERS'),
    referencePattern: await settings.getGlobal('PURCHASEORDER_REFERENCE_PATTERN'),
    defaultCurrency: await settings.getGlobal('INVENTREE_DEFAULT_CURRENCY'),
  };
}

/** A settings view answering from values read before the transaction. */
export function preloadedSettings(values: Record<string, string | boolean>): SettingsService {
  return {
    getGlobal: async (key: string) => String(values[key]),
    getGlobalBool: async (key: string) => values[key] === true,
  } as unknown as SettingsService;
}

async function checkPoLocked(s: PoSettings, status: number, scope: 'order' | 'line'): Promise<void> {
  await checkNotLocked(preloadedSettings({ PURCHASEORDER_EDIT_COMPLETED_ORDERS: s.editCompleted }), 'PURCHASEORDER_EDIT_COMPLETED_ORDERS', status, PO_COMPLETE, scope);
}

function referenceSettings(s: PoSettings): SettingsService {
  return preloadedSettings({ PURCHASEORDER_REFERENCE_PATTERN: s.referencePattern });
}

/** Maps a reference unique-index violation (two concurrent writes) to DRF's message. */
async function uniqueReference<T>(work: Promise<T>): Promise<T> {
  try {
    return await work;
  } catch (e) {
    if (isUniqueViolation(e)) throw new ValidationError({ reference: ['Purchase Order with this Reference already exists.'] });
    throw e;
  }
}

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
  const s = await loadPoSettings(settings);
  return inTransaction(database, async (trx) => {
    const errors: Record<string, string[]> = { ...dateErrors(body.start_date ?? null, body.target_date ?? null) };
    let reference: { reference: string; reference_int: number } | undefined;
    try {
      reference = await resolveReference(trx, referenceSettings(s), 'purchase_order', body.reference);
    } catch (e) {
      if (!(e instanceof ValidationError)) throw e;
      Object.assign(errors, e.fields);
    }
    if (Object.keys(errors).length > 0 || reference === undefined) throw new ValidationError(errors);
    const now = nowIso();
    const row = await uniqueReference(
      trx
        .insertInto('purchase_order')
        .values({
          ...orderColumns(body),
          supplier_id: body.supplier as number,
          reference: reference.reference,
          reference_int: reference.reference_int,
          status: PO_STATUS.PENDING,
          creation_date: body.creation_date ?? today(),
          created_by_id: userId,
          updated_at: now,
        })
        .returning('id')
        .executeTakeFirstOrThrow(),
    );
    if (body.duplicate !== undefined) await duplicateLines(trx, row.id, body.duplicate);
    return row.id;
  });
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
  const s = await loadPoSettings(settings);
  await inTransaction(database, async (trx) => {
    const current = await lockPurchaseOrder(database, trx, id);
    if (current === undefined) throw notFound('PurchaseOrder');
    const errors: Record<string, string[]> = {
      ...dateErrors(body.start_date !== undefined ? body.start_date : current.start_date, body.target_date !== undefined ? body.target_date : current.target_date),
    };
    const set: Record<string, unknown> = orderColumns(body);
    if (body.reference !== undefined && body.reference !== current.reference) {
      try {
        const ref = await resolveReference(trx, referenceSettings(s), 'purchase_order', body.reference, id);
        set.reference = ref.reference;
        set.reference_int = ref.reference_int;
      } catch (e) {
        if (!(e instanceof ValidationError)) throw e;
        Object.assign(errors, e.fields);
      }
    }
    if (body.creation_date !== undefined) set.creation_date = body.creation_date ?? today();
    if (Object.keys(errors).length > 0) throw new ValidationError(errors);
    await checkPoLocked(s, Number(current.status), 'order');
    await uniqueReference(
      trx
        .updateTable('purchase_order')
        .set({ ...set, updated_at: nowIso() })
        .where('id', '=', id)
        .execute(),
    );
  });
}

/**
 * Deletes a purchase order with its lines and barcode links. InvenTree refuses no status
 * here (its API deletes orders in any state); received stock keeps existing, unlinked.
 */
export async function deletePurchaseOrder(database: Database, id: number): Promise<void> {
  await inTransaction(database, async (trx) => {
    const current = await lockPurchaseOrder(database, trx, id);
    if (current === undefined) throw notFound('PurchaseOrder');
    await deleteBarcodeLinks(trx, 'purchaseorder', [id]);
    await trx.updateTable('stock_item').set({ purchase_order_id: null }).where('purchase_order_id', '=', id).execute();
    await trx.deleteFrom('purchase_order_line').where('order_id', '=', id).execute();
    await trx.deleteFrom('purchase_order').where('id', '=', id).execute();
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
  await inTransaction(database, async (trx) => {
    const order = await lockPurchaseOrder(database, trx, id);
    if (order === undefined) throw notFound('PurchaseOrder');
    const status = Number(order.status);
    let set: { status: number; issue_date?: string; complete_date?: string } | undefined;
    switch (action) {
      case 'issue':
        if (status === PO_STATUS.PENDING || status === PO_STATUS.ON_HOLD) set = { status: PO_STATUS.PLACED, issue_date: today() };
        break;
      case 'hold':
        if (status === PO_STATUS.PENDING || status === PO_STATUS.PLACED) set = { status: PO_STATUS.ON_HOLD };
        break;
      case 'cancel':
        if (!PO_OPEN.includes(status)) throw new ApiError(400, ['Order cannot be cancelled']);
        set = { status: PO_STATUS.CANCELLED };
        break;
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
        if (status === PO_STATUS.PLACED) set = { status: PO_STATUS.COMPLETE, complete_date: today() };
        break;
      }
    }
    if (set !== undefined) {
      await trx
        .updateTable('purchase_order')
        .set({ ...set, updated_at: nowIso() })
        .where('id', '=', id)
        .execute();
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
  const s = await loadPoSettings(settings);
  return inTransaction(database, async (trx) => {
    const orderId = body.order as number;
    await lockPurchaseOrder(database, trx, orderId);
    const { status } = await validateLine(trx, { orderId, partId: body.part ?? null, buildOrderId: body.build_order ?? null });
    await checkPoLocked(s, status, 'line');
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
        await touchOrder(trx, orderId);
        return existing.id;
      }
    }
    let currency = body.purchase_price_currency ?? '';
    if (currency === '') currency = await defaultLineCurrency(trx, s, orderId);
    const row = await trx
      .insertInto('purchase_order_line')
      .values({ ...lineColumns(body), order_id: orderId, quantity: body.quantity as number, purchase_price_currency: currency })
      .returning('id')
      .executeTakeFirstOrThrow();
    await touchOrder(trx, orderId);
    return row.id;
  });
}

/** A new line's price currency: the order's, else its supplier's, else the default currency. */
async function defaultLineCurrency(trx: Executor, s: PoSettings, orderId: number): Promise<string> {
  const row = await trx
    .selectFrom('purchase_order as po')
    .innerJoin('company as c', 'c.id', 'po.supplier_id')
    .select(['po.order_currency', 'c.currency'])
    .where('po.id', '=', orderId)
    .executeTakeFirst();
  if (row?.order_currency) return row.order_currency;
  if (row?.currency) return row.currency;
  return s.defaultCurrency;
}

async function touchOrder(trx: Executor, orderId: number): Promise<void> {
  await trx.updateTable('purchase_order').set({ updated_at: nowIso() }).where('id', '=', orderId).execute();
}

/** Edits a line; refused when its order (or the order it moves to) is complete and locked. */
export async function updatePoLine(database: Database, settings: SettingsService, id: number, body: PoLineInput): Promise<void> {
  const s = await loadPoSettings(settings);
  await inTransaction(database, async (trx) => {
    const line = await trx.selectFrom('purchase_order_line').selectAll().where('id', '=', id).executeTakeFirst();
    if (line === undefined) throw notFound('PurchaseOrderLineItem');
    const current = await lockPurchaseOrder(database, trx, line.order_id);
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
    if (current !== undefined) await checkPoLocked(s, Number(current.status), 'line');
    if (orderId !== line.order_id) await checkPoLocked(s, status, 'line');
    const set = lineColumns(body);
    if (body.purchase_price_currency === '') set.purchase_price_currency = await defaultLineCurrency(trx, s, orderId);
    if (Object.keys(set).length > 0) await trx.updateTable('purchase_order_line').set(set).where('id', '=', id).execute();
    await touchOrder(trx, orderId);
  });
}

/** Deletes a line; refused when its order is complete and locked. */
export async function deletePoLine(database: Database, settings: SettingsService, id: number): Promise<void> {
  const s = await loadPoSettings(settings);
  await inTransaction(database, async (trx) => {
    const line = await trx.selectFrom('purchase_order_line').select(['id', 'order_id']).where('id', '=', id).executeTakeFirst();
    if (line === undefined) throw notFound('PurchaseOrderLineItem');
    const order = await lockPurchaseOrder(database, trx, line.order_id);
    if (order !== undefined) await checkPoLocked(s, Number(order.status), 'line');
    await trx.deleteFrom('purchase_order_line').where('id', '=', id).execute();
    await touchOrder(trx, line.order_id);
  });
}
