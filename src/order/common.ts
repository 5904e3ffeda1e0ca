/**
 * What purchase, sales and return orders (and build orders, for references and list filters)
 * share: reference checks and numbering, the nested `created_by` user, `overdue`, the
 * "completed orders are locked" rule (core-api.md §7.8) and InvenTree's OrderFilter.
 */
import { Type } from '@sinclair/typebox';
import { sql, type RawBuilder, type Selectable, type SqlBool } from 'kysely';
import { rowExists } from '../db/exists.js';
import type { Executor } from '../db/transaction.js';
import { ValidationError } from '../http/errors.js';
import { boolCondition, dateRangeConditions, iexact, inList, integerEquals, filterText, queryBool, sqlFalse, type ListFilters, type Query } from '../http/listing.js';
import { Nullable } from '../http/schema.js';
import { deleteBarcodeLinks } from '../barcode/links.js';
import type { Database } from '../db/connection.js';
import type { DB } from '../db/schema.js';
import { inTransaction, isUniqueViolation } from '../db/transaction.js';
import { notFound } from '../http/errors.js';
import type { SettingsService } from '../settings/service.js';
import { PO_COMPLETE, RO_COMPLETE, SO_COMPLETE } from '../status/enums.js';
import { nowIso, today } from '../util/time.js';
import { nextReference, parseReference, REFERENCE_SETTINGS, type ReferencedTable } from './reference.js';

/**
 * What the shared write steps need to know about one kind of order (purchase, sales, return):
 * its tables, names, barcode model, lock setting and complete statuses.
 */
export interface OrderKind {
  table: 'purchase_order' | 'sales_order' | 'return_order';
  lineTable: 'purchase_order_line' | 'sales_order_line' | 'return_order_line';
  /** The model names of 404 bodies. */
  model: 'PurchaseOrder' | 'SalesOrder' | 'ReturnOrder';
  lineModel: 'PurchaseOrderLineItem' | 'SalesOrderLineItem' | 'ReturnOrderLineItem';
  barcodeModel: 'purchaseorder' | 'salesorder' | 'returnorder';
  editSetting: 'PURCHASEORDER_EDIT_COMPLETED_ORDERS' | 'SALESORDER_EDIT_COMPLETED_ORDERS' | 'RETURNORDER_EDIT_COMPLETED_ORDERS';
  /** The statuses in which the order is locked for edits. */
  complete: readonly number[];
}

export const PURCHASE_ORDER = {
  table: 'purchase_order',
  lineTable: 'purchase_order_line',
  model: 'PurchaseOrder',
  lineModel: 'PurchaseOrderLineItem',
  barcodeModel: 'purchaseorder',
  editSetting: 'PURCHASEORDER_EDIT_COMPLETED_ORDERS',
  complete: PO_COMPLETE,
} as const satisfies OrderKind;

export const SALES_ORDER = {
  table: 'sales_order',
  lineTable: 'sales_order_line',
  model: 'SalesOrder',
  lineModel: 'SalesOrderLineItem',
  barcodeModel: 'salesorder',
  editSetting: 'SALESORDER_EDIT_COMPLETED_ORDERS',
  complete: SO_COMPLETE,
} as const satisfies OrderKind;

export const RETURN_ORDER = {
  table: 'return_order',
  lineTable: 'return_order_line',
  model: 'ReturnOrder',
  lineModel: 'ReturnOrderLineItem',
  barcodeModel: 'returnorder',
  editSetting: 'RETURNORDER_EDIT_COMPLETED_ORDERS',
  complete: RO_COMPLETE,
} as const satisfies OrderKind;

const MODEL_LABELS: Record<ReferencedTable, string> = {
  purchase_order: 'Purchase Order',
  sales_order: 'Sales Order',
  return_order: 'Return Order',
  build: 'Build Order',
};

/**
 * The reference for a new or renamed order: the given one checked against the pattern and
 * for uniqueness, or the next free one. Returns the text and its number.
 */
export async function resolveReference(
  db: Executor,
  settings: SettingsService,
  table: ReferencedTable,
  given: string | undefined,
  exceptId?: number,
): Promise<{ reference: string; reference_int: number }> {
  const pattern = await settings.getGlobal(REFERENCE_SETTINGS[table], db);
  if (given === undefined) {
    const next = await nextReference(db, table, pattern);
    return { reference: next.reference, reference_int: next.number };
  }
  const reference_int = parseReference(pattern, given);
  let q = db.selectFrom(table).select('id').where('reference', '=', given);
  if (exceptId !== undefined) q = q.where('id', '!=', exceptId);
  if ((await q.executeTakeFirst()) !== undefined) {
    throw new ValidationError({ reference: [`${MODEL_LABELS[table]} with this Reference already exists.`] });
  }
  return { reference: given, reference_int };
}

export const NestedUserSchema = Nullable(
  Type.Object({ pk: Type.Integer(), username: Type.String(), first_name: Type.String(), last_name: Type.String(), email: Type.String() }),
);

export interface NestedUser {
  pk: number;
  username: string;
  first_name: string;
  last_name: string;
  email: string;
}

/** Users by id, as the nested `{pk, username, first_name, last_name, email}` objects. */
export async function loadNestedUsers(db: Executor, ids: readonly (number | null)[]): Promise<Map<number, NestedUser>> {
  const wanted = [...new Set(ids.filter((i): i is number => i !== null))];
  if (wanted.length === 0) return new Map();
  const rows = await db.selectFrom('auth_user').select(['id', 'username', 'first_name', 'last_name', 'email']).where('id', 'in', wanted).execute();
  return new Map(rows.map((r) => [r.id, { pk: r.id, username: r.username, first_name: r.first_name, last_name: r.last_name, email: r.email }]));
}

/** An order is overdue when it is open and its target date has passed. */
export function isOverdue(targetDate: string | null, status: number, openStatuses: readonly number[]): boolean {
  return targetDate !== null && targetDate < today() && openStatuses.includes(status);
}

/**
 * Refuses edits of a completed order unless the kind's `<KIND>_EDIT_COMPLETED_ORDERS` setting
 * allows them (read through `db`). `scope` picks the message: the order itself, or a line.
 */
export async function checkNotLocked(
  db: Executor,
  settings: SettingsService,
  kind: OrderKind,
  status: number,
  scope: 'order' | 'line',
): Promise<void> {
  if (!kind.complete.includes(status)) return;
  if (await settings.getGlobalBool(kind.editSetting, db)) return;
  if (scope === 'order') throw new ValidationError({ reference: ['This order is locked and cannot be modified'] });
  throw new ValidationError({ non_field_errors: ['The order is locked and cannot be modified'] });
}

export interface OrderFilterOptions {
  /** Status codes of open orders (`outstanding`, `overdue`). */
  open: readonly number[];
  /** The column `completed_before` / `completed_after` filter on. */
  completedColumn: string;
  /** Whether the model records `created_by` (build orders do not). */
  createdBy: boolean;
}

/**
 * InvenTree's OrderFilter on the order table aliased `alias`: `status`, `reference`
 * (case-insensitive exact), `outstanding`, `overdue`, `assigned_to_me` and `has_project_code`
 * (Stockscan keeps no owners or project codes, so nothing is assigned or coded), `created_by`,
 * `has_start_date`, `has_target_date` and the `created`, `start_date`, `target_date` and
 * `completed` date ranges. Bad values are recorded in `filters`.
 */
export async function orderFilterConditions(filters: ListFilters, query: Query, alias: string, opts: OrderFilterOptions): Promise<RawBuilder<SqlBool>[]> {
  const col = (c: string) => `${alias}.${c}`;
  const out: RawBuilder<SqlBool>[] = [];
  const status = filters.number('status');
  if (status !== undefined) out.push(integerEquals(col('status'), status));
  const reference = filterText(query, 'reference');
  if (reference !== undefined) out.push(iexact(col('reference'), reference));
  const open = inList(col('status'), opts.open);
  out.push(...boolCondition(queryBool(query, 'outstanding'), open));
  const overdue = sql<SqlBool>`(${open} and ${sql.ref(col('target_date'))} is not null and ${sql.ref(col('target_date'))} < ${today()})`;
  out.push(...boolCondition(queryBool(query, 'overdue'), overdue));
  out.push(...boolCondition(queryBool(query, 'assigned_to_me'), sqlFalse));
  out.push(...boolCondition(queryBool(query, 'has_project_code'), sqlFalse));
  if (opts.createdBy) {
    const createdBy = await filters.pk('created_by', rowExists('auth_user'));
    if (createdBy !== undefined) out.push(sql<SqlBool>`${sql.ref(col('created_by_id'))} = ${createdBy}`);
  }
  out.push(...boolCondition(queryBool(query, 'has_start_date'), sql<SqlBool>`${sql.ref(col('start_date'))} is not null`));
  out.push(...boolCondition(queryBool(query, 'has_target_date'), sql<SqlBool>`${sql.ref(col('target_date'))} is not null`));
  out.push(...dateRangeConditions(filters, col('creation_date'), 'created'));
  out.push(...dateRangeConditions(filters, col('start_date'), 'start_date'));
  out.push(...dateRangeConditions(filters, col('target_date'), 'target_date'));
  out.push(...dateRangeConditions(filters, col(opts.completedColumn), 'completed'));
  return out;
}

// --- write steps -----------------------------------------------------------------------------

/** Django's clean() rule shared by every order: the start date may not follow the target date. */
export function dateErrors(startDate: string | null, targetDate: string | null): Record<string, string[]> {
  if (startDate !== null && targetDate !== null && startDate > targetDate) {
    return { target_date: ['Target date must be after start date'], start_date: ['Start date must be before target date'] };
  }
  return {};
}

/** The order row, locked for the rest of the transaction on PostgreSQL; undefined when missing. */
export async function lockOrder<K extends OrderKind>(database: Database, trx: Executor, kind: K, id: number): Promise<Selectable<DB[K['table']]> | undefined> {
  let q = trx.selectFrom(kind.table as 'purchase_order').selectAll().where('id', '=', id);
  if (database.dialect === 'postgres') q = q.forUpdate();
  return (await q.executeTakeFirst()) as Selectable<DB[K['table']]> | undefined;
}

/**
 * The checks of an order's own fields on create (no `existing`) or update: the start and
 * target dates, and the reference (resolved when new or changed). Every error is reported in
 * one 400. Returns the reference to store, if any.
 */
export async function checkOrderFields(
  trx: Executor,
  settings: SettingsService,
  kind: OrderKind,
  values: { reference: string | undefined; startDate: string | null; targetDate: string | null },
  existing?: { id: number; reference: string },
): Promise<{ reference: string; reference_int: number } | undefined> {
  const errors: Record<string, string[]> = { ...dateErrors(values.startDate, values.targetDate) };
  let reference: { reference: string; reference_int: number } | undefined;
  if (existing === undefined || (values.reference !== undefined && values.reference !== existing.reference)) {
    try {
      reference = await resolveReference(trx, settings, kind.table, values.reference, existing?.id);
    } catch (e) {
      if (!(e instanceof ValidationError)) throw e;
      Object.assign(errors, e.fields);
    }
  }
  if (Object.keys(errors).length > 0) throw new ValidationError(errors);
  return reference;
}

/** The order fields the shared create and update steps handle themselves. */
export interface CommonOrderInput {
  reference?: string;
  start_date?: string | null;
  target_date?: string | null;
  creation_date?: string | null;
}

/** Every kind of order starts PENDING. */
const PENDING = 10;

/**
 * Creates an order of `kind` in one transaction: the field checks, then the row (PENDING,
 * created by `userId`, today unless a creation date is given) with the kind's own `columns`;
 * `after` adds what else belongs to the new order. Returns its id.
 */
export async function createOrder(
  database: Database,
  settings: SettingsService,
  kind: OrderKind,
  input: CommonOrderInput,
  columns: Record<string, unknown>,
  userId: number | null,
  after?: (trx: Executor, id: number) => Promise<void>,
): Promise<number> {
  return inTransaction(database, async (trx) => {
    const reference = await checkOrderFields(trx, settings, kind, { reference: input.reference, startDate: input.start_date ?? null, targetDate: input.target_date ?? null });
    const row = await uniqueReference(
      kind.table,
      trx
        .insertInto(kind.table as 'purchase_order')
        .values({
          ...columns,
          ...reference,
          status: PENDING,
          creation_date: input.creation_date ?? today(),
          created_by_id: userId,
          updated_at: nowIso(),
        } as never)
        .returning('id')
        .executeTakeFirstOrThrow(),
    );
    if (after !== undefined) await after(trx, row.id);
    return row.id;
  });
}

/**
 * Edits an order of `kind` in one transaction: locks it (404 when missing), checks the fields
 * on the values it will have, refuses a locked (complete) order, then stores `columns`.
 */
export async function updateOrder(
  database: Database,
  settings: SettingsService,
  kind: OrderKind,
  id: number,
  input: CommonOrderInput,
  columns: Record<string, unknown>,
): Promise<void> {
  await inTransaction(database, async (trx) => {
    const current = (await lockOrder(database, trx, kind, id)) as (CommonOrderDates & { id: number; reference: string; status: number }) | undefined;
    if (current === undefined) throw notFound(kind.model);
    const reference = await checkOrderFields(
      trx,
      settings,
      kind,
      {
        reference: input.reference,
        startDate: input.start_date !== undefined ? input.start_date : current.start_date,
        targetDate: input.target_date !== undefined ? input.target_date : current.target_date,
      },
      current,
    );
    const set: Record<string, unknown> = { ...columns, ...reference };
    if (input.creation_date !== undefined) set.creation_date = input.creation_date ?? today();
    await checkNotLocked(trx, settings, kind, Number(current.status), 'order');
    await uniqueReference(
      kind.table,
      trx
        .updateTable(kind.table as 'purchase_order')
        .set({ ...set, updated_at: nowIso() })
        .where('id', '=', id)
        .execute(),
    );
  });
}

interface CommonOrderDates {
  start_date: string | null;
  target_date: string | null;
}

function duplicateReference(table: ReferencedTable): ValidationError {
  return new ValidationError({ reference: [`${MODEL_LABELS[table]} with this Reference already exists.`] });
}

/** Maps a reference unique-index violation (two concurrent writes) to DRF's message. */
export async function uniqueReference<T>(table: ReferencedTable, work: Promise<T>): Promise<T> {
  try {
    return await work;
  } catch (e) {
    if (isUniqueViolation(e)) throw duplicateReference(table);
    throw e;
  }
}

/**
 * Resolves the reference of a new row of `table` (checked when given, else the next free
 * one) and inserts the row with it. When a concurrent insert takes the same reference, an
 * omitted one is numbered again (up to five tries); a given one answers DRF's unique message.
 */
export async function insertWithReference(
  database: Database,
  settings: SettingsService,
  table: ReferencedTable,
  given: string | undefined,
  insert: (reference: { reference: string; reference_int: number }) => Promise<number>,
): Promise<number> {
  for (let attempt = 1; ; attempt++) {
    const reference = await resolveReference(database.kysely, settings, table, given);
    try {
      return await insert(reference);
    } catch (e) {
      if (!isUniqueViolation(e)) throw e;
      if (given === undefined && attempt < 5) continue;
      throw duplicateReference(table);
    }
  }
}

/** Records a change of the order (or of one of its lines) in `updated_at`. */
export async function touchOrder(trx: Executor, kind: OrderKind, orderId: number): Promise<void> {
  await trx
    .updateTable(kind.table as 'purchase_order')
    .set({ updated_at: nowIso() })
    .where('id', '=', orderId)
    .execute();
}

/** A status change of an order: the new status and the dates it sets. */
export interface StatusChange {
  status: number;
  issue_date?: string;
  complete_date?: string;
  /** Sales orders: when and by whom they shipped. */
  shipment_date?: string;
  shipped_by_id?: number | null;
}

/**
 * Runs a status action in one transaction: locks the order (404 when missing), lets `decide`
 * apply the kind's own rules (it may refuse with an error, or answer undefined to leave the
 * order as it is), then stores the change.
 */
export async function changeOrderStatus<K extends OrderKind>(
  database: Database,
  kind: K,
  id: number,
  decide: (order: Selectable<DB[K['table']]>, trx: Executor) => Promise<StatusChange | undefined>,
): Promise<void> {
  await inTransaction(database, async (trx) => {
    const order = await lockOrder(database, trx, kind, id);
    if (order === undefined) throw notFound(kind.model);
    const change = await decide(order, trx);
    if (change === undefined) return;
    await trx
      .updateTable(kind.table as 'sales_order')
      .set({ ...change, updated_at: nowIso() })
      .where('id', '=', id)
      .execute();
  });
}

/**
 * Deletes an order with its lines and barcode links in one transaction (any status, as
 * InvenTree); `before` runs first for what else the kind must undo.
 */
export async function deleteOrderWithLines(database: Database, kind: OrderKind, id: number, before?: (trx: Executor) => Promise<void>): Promise<void> {
  await inTransaction(database, async (trx) => {
    if ((await lockOrder(database, trx, kind, id)) === undefined) throw notFound(kind.model);
    await deleteBarcodeLinks(trx, kind.barcodeModel, [id]);
    if (before !== undefined) await before(trx);
    await trx.deleteFrom(kind.lineTable as 'purchase_order_line').where('order_id', '=', id).execute();
    await trx.deleteFrom(kind.table as 'purchase_order').where('id', '=', id).execute();
  });
}

/** A line (404 when missing) and its order, locked, inside the caller's transaction. */
export async function lockLineAndOrder<K extends OrderKind>(
  database: Database,
  trx: Executor,
  kind: K,
  lineId: number,
): Promise<{ line: Selectable<DB[K['lineTable']]>; order: Selectable<DB[K['table']]> | undefined }> {
  const line = (await trx
    .selectFrom(kind.lineTable as 'purchase_order_line')
    .selectAll()
    .where('id', '=', lineId)
    .executeTakeFirst()) as Selectable<DB[K['lineTable']]> | undefined;
  if (line === undefined) throw notFound(kind.lineModel);
  const order = await lockOrder(database, trx, kind, (line as { order_id: number }).order_id);
  return { line, order };
}

/** Deletes a line in one transaction (404 when missing); refused when its order is locked. */
export async function deleteOrderLine(database: Database, settings: SettingsService, kind: OrderKind, lineId: number): Promise<void> {
  await inTransaction(database, async (trx) => {
    const { line, order } = await lockLineAndOrder(database, trx, kind, lineId);
    if (order !== undefined) await checkNotLocked(trx, settings, kind, Number(order.status), 'line');
    await trx.deleteFrom(kind.lineTable as 'purchase_order_line').where('id', '=', lineId).execute();
    await touchOrder(trx, kind, (line as { order_id: number }).order_id);
  });
}
