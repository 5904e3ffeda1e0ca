/**
 * Return order rules and writes (core-api.md §7.8, §7.16): orders with the shared reference,
 * date and lock rules; the status actions issue / hold / cancel / complete; lines with
 * InvenTree's quantity checks and the (order, item) uniqueness. One transaction per write.
 */
import type { Transaction } from 'kysely';
import { deleteBarcodeLinks } from '../barcode/links.js';
import type { Database } from '../db/connection.js';
import type { DB } from '../db/schema.js';
import { inTransaction, isUniqueViolation, type Executor } from '../db/transaction.js';
import { notFound, ValidationError } from '../http/errors.js';
import type { SettingsService } from '../settings/service.js';
import { RO_COMPLETE, RO_OPEN } from '../status/enums.js';
import { nowIso, today } from '../util/time.js';
import { checkNotLocked, resolveReference } from './common.js';
import { dateErrors } from './purchase-fields.js';
import { preloadedSettings } from './purchase-service.js';

export const RO_STATUS = { PENDING: 10, IN_PROGRESS: 20, ON_HOLD: 25, COMPLETE: 30, CANCELLED: 40 } as const;

interface RoSettings {
  editCompleted: boolean;
  referencePattern: string;
}

/** Settings read before the transaction opens (see purchase-service.ts `loadPoSettings`). */
async function loadRoSettings(settings: SettingsService): Promise<RoSettings> {
  return {
    editCompleted: await settings.getGlobalBool('RETURNORDER_EDIT_COMPLETED_ORDERS'),
    referencePattern: await settings.getGlobal('RETURNORDER_REFERENCE_PATTERN'),
  };
}

async function checkRoLocked(s: RoSettings, status: number, scope: 'order' | 'line'): Promise<void> {
  await checkNotLocked(preloadedSettings({ RETURNORDER_EDIT_COMPLETED_ORDERS: s.editCompleted }), 'RETURNORDER_EDIT_COMPLETED_ORDERS', status, RO_COMPLETE, scope);
}

function referenceSettings(s: RoSettings): SettingsService {
  return preloadedSettings({ RETURNORDER_REFERENCE_PATTERN: s.referencePattern });
}

async function lockReturnOrder(database: Database, trx: Transaction<DB>, id: number) {
  let q = trx.selectFrom('return_order').selectAll().where('id', '=', id);
  if (database.dialect === 'postgres') q = q.forUpdate();
  return q.executeTakeFirst();
}

/** Maps a reference unique-index violation (two concurrent writes) to DRF's message. */
async function uniqueReference<T>(work: Promise<T>): Promise<T> {
  try {
    return await work;
  } catch (e) {
    if (isUniqueViolation(e)) throw new ValidationError({ reference: ['Return Order with this Reference already exists.'] });
    throw e;
  }
}

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
  const s = await loadRoSettings(settings);
  return inTransaction(database, async (trx) => {
    const errors: Record<string, string[]> = { ...dateErrors(body.start_date ?? null, body.target_date ?? null) };
    let reference: { reference: string; reference_int: number } | undefined;
    try {
      reference = await resolveReference(trx, referenceSettings(s), 'return_order', body.reference);
    } catch (e) {
      if (!(e instanceof ValidationError)) throw e;
      Object.assign(errors, e.fields);
    }
    if (Object.keys(errors).length > 0 || reference === undefined) throw new ValidationError(errors);
    const row = await uniqueReference(
      trx
        .insertInto('return_order')
        .values({
          ...orderColumns(body),
          reference: reference.reference,
          reference_int: reference.reference_int,
          status: RO_STATUS.PENDING,
          creation_date: body.creation_date ?? today(),
          created_by_id: userId,
          updated_at: nowIso(),
        })
        .returning('id')
        .executeTakeFirstOrThrow(),
    );
    return row.id;
  });
}

export async function updateReturnOrder(database: Database, settings: SettingsService, id: number, body: ReturnOrderInput): Promise<void> {
  const s = await loadRoSettings(settings);
  await inTransaction(database, async (trx) => {
    const current = await lockReturnOrder(database, trx, id);
    if (current === undefined) throw notFound('ReturnOrder');
    const errors: Record<string, string[]> = {
      ...dateErrors(body.start_date !== undefined ? body.start_date : current.start_date, body.target_date !== undefined ? body.target_date : current.target_date),
    };
    const set = orderColumns(body);
    if (body.reference !== undefined && body.reference !== current.reference) {
      try {
        const ref = await resolveReference(trx, referenceSettings(s), 'return_order', body.reference, id);
        set.reference = ref.reference;
        set.reference_int = ref.reference_int;
      } catch (e) {
        if (!(e instanceof ValidationError)) throw e;
        Object.assign(errors, e.fields);
      }
    }
    if (body.creation_date !== undefined) set.creation_date = body.creation_date ?? today();
    if (Object.keys(errors).length > 0) throw new ValidationError(errors);
    await checkRoLocked(s, Number(current.status), 'order');
    await uniqueReference(
      trx
        .updateTable('return_order')
        .set({ ...set, updated_at: nowIso() })
        .where('id', '=', id)
        .execute(),
    );
  });
}

/** Deletes a return order with its lines and barcode links (any status, as InvenTree). */
export async function deleteReturnOrder(database: Database, id: number): Promise<void> {
  await inTransaction(database, async (trx) => {
    const current = await lockReturnOrder(database, trx, id);
    if (current === undefined) throw notFound('ReturnOrder');
    await deleteBarcodeLinks(trx, 'returnorder', [id]);
    await trx.deleteFrom('return_order_line').where('order_id', '=', id).execute();
    await trx.deleteFrom('return_order').where('id', '=', id).execute();
  });
}

export type ReturnOrderAction = 'issue' | 'hold' | 'cancel' | 'complete';

/**
 * issue: PENDING / ON_HOLD → IN_PROGRESS (sets issue_date); hold: PENDING / IN_PROGRESS →
 * ON_HOLD; cancel: any open status → CANCELLED; complete: IN_PROGRESS → COMPLETE (sets
 * complete_date). Any other move is silently ignored.
 */
export async function returnOrderAction(database: Database, id: number, action: ReturnOrderAction): Promise<void> {
  await inTransaction(database, async (trx) => {
    const order = await lockReturnOrder(database, trx, id);
    if (order === undefined) throw notFound('ReturnOrder');
    const status = Number(order.status);
    let set: { status: number; issue_date?: string; complete_date?: string } | undefined;
    if (action === 'issue' && (status === RO_STATUS.PENDING || status === RO_STATUS.ON_HOLD)) set = { status: RO_STATUS.IN_PROGRESS, issue_date: today() };
    if (action === 'hold' && (status === RO_STATUS.PENDING || status === RO_STATUS.IN_PROGRESS)) set = { status: RO_STATUS.ON_HOLD };
    if (action === 'cancel' && RO_OPEN.includes(status)) set = { status: RO_STATUS.CANCELLED };
    if (action === 'complete' && status === RO_STATUS.IN_PROGRESS) set = { status: RO_STATUS.COMPLETE, complete_date: today() };
    if (set !== undefined) {
      await trx
        .updateTable('return_order')
        .set({ ...set, updated_at: nowIso() })
        .where('id', '=', id)
        .execute();
    }
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
  const serialized = item.serial !== null && item.serial.trim() !== '' && Number(item.quantity) === 1;
  if (serialized && values.quantity !== 1) throw new ValidationError({ quantity: ['Invalid quantity for serialized stock item'] });
  const order = await trx.selectFrom('return_order').select('status').where('id', '=', values.orderId).executeTakeFirstOrThrow();
  return Number(order.status);
}

export async function createRoLine(database: Database, settings: SettingsService, body: RoLineInput): Promise<number> {
  const s = await loadRoSettings(settings);
  return inTransaction(database, async (trx) => {
    const orderId = body.order as number;
    await lockReturnOrder(database, trx, orderId);
    const status = await validateRoLine(trx, { orderId, itemId: body.item as number, quantity: body.quantity ?? 1 });
    await checkRoLocked(s, status, 'line');
    const row = await trx
      .insertInto('return_order_line')
      .values({ ...lineColumns(body), order_id: orderId, item_id: body.item as number, quantity: body.quantity ?? 1 })
      .returning('id')
      .executeTakeFirstOrThrow();
    await trx.updateTable('return_order').set({ updated_at: nowIso() }).where('id', '=', orderId).execute();
    return row.id;
  });
}

export async function updateRoLine(database: Database, settings: SettingsService, id: number, body: RoLineInput): Promise<void> {
  const s = await loadRoSettings(settings);
  await inTransaction(database, async (trx) => {
    const line = await trx.selectFrom('return_order_line').selectAll().where('id', '=', id).executeTakeFirst();
    if (line === undefined) throw notFound('ReturnOrderLineItem');
    const current = await lockReturnOrder(database, trx, line.order_id);
    const orderId = body.order ?? line.order_id;
    const status = await validateRoLine(trx, { orderId, itemId: body.item ?? line.item_id, quantity: body.quantity ?? Number(line.quantity) }, id);
    if (current !== undefined) await checkRoLocked(s, Number(current.status), 'line');
    if (orderId !== line.order_id) await checkRoLocked(s, status, 'line');
    const set = lineColumns(body);
    if (Object.keys(set).length > 0) await trx.updateTable('return_order_line').set(set).where('id', '=', id).execute();
    await trx.updateTable('return_order').set({ updated_at: nowIso() }).where('id', '=', orderId).execute();
  });
}

export async function deleteRoLine(database: Database, settings: SettingsService, id: number): Promise<void> {
  const s = await loadRoSettings(settings);
  await inTransaction(database, async (trx) => {
    const line = await trx.selectFrom('return_order_line').select(['id', 'order_id']).where('id', '=', id).executeTakeFirst();
    if (line === undefined) throw notFound('ReturnOrderLineItem');
    const order = await lockReturnOrder(database, trx, line.order_id);
    if (order !== undefined) await checkRoLocked(s, Number(order.status), 'line');
    await trx.deleteFrom('return_order_line').where('id', '=', id).execute();
    await trx.updateTable('return_order').set({ updated_at: nowIso() }).where('id', '=', line.order_id).execute();
  });
}
