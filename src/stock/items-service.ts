/**
 * Stock item rules and writes (core-api.md §7.5): creating items (one per serial number when
 * serials are given), the model checks InvenTree runs on every save, splitting, deleting, and
 * the quantity changes behind the stock actions (count, add, remove, transfer). Every function
 * takes an Executor and is meant to run inside the caller's transaction.
 */
import { deleteBarcodeLinks } from '../barcode/links.js';
import type { Executor } from '../db/transaction.js';
import type { SettingsService } from '../settings/service.js';
import { fullName } from '../part/brief.js';
import { qty, qtyAdd, qtySub } from '../util/decimal.js';
import { nowIso, today } from '../util/time.js';
import { isInStock, isSerialized } from './queries.js';
import { findConflictingSerials, serialToInt } from './serials.js';
import type { ItemRow } from './serializers.js';
import { addTracking, TRACKING } from './tracking.js';

export const STRUCTURAL_LOCATION_MESSAGE = 'Stock items cannot be located into structural stock locations!';

/** Optional fields a stock action may change on each item (InvenTree's optional transfer fields). */
export interface ItemOverrides {
  batch?: string;
  status?: number | null;
  packaging?: string;
}

export interface NewStockItems {
  part: number;
  /** Total quantity; with `serials`, one item of quantity 1 is created per serial instead. */
  quantity: number;
  serials?: readonly string[];
  supplierPart?: number | null;
  location?: number | null;
  status?: number;
  batch?: string | null;
  expiryDate?: string | null;
  packaging?: string;
  link?: string;
  notes?: string;
  purchasePrice?: number | null;
  purchasePriceCurrency?: string;
  purchaseOrder?: number | null;
  salesOrder?: number | null;
  customer?: number | null;
  belongsTo?: number | null;
  build?: number | null;
  consumedBy?: number | null;
  isBuilding?: boolean;
  /** Default: the STOCK_DELETE_DEPLETED_DEFAULT setting; always false for serialized items. */
  deleteOnDeplete?: boolean;
  parent?: number | null;
  userId: number | null;
  /**
   * The tracking entry written for each new item. Default: code 1 (CREATED) with deltas
   * `{status, location?, quantity}`. Receiving passes code 70 and its own deltas.
   */
  tracking?: { code: number; deltas?: Record<string, unknown>; notes?: string };
}

/**
 * Inserts stock items and their tracking entries; returns the new ids in creation order. It
 * does not validate: callers check the part, location and serials first (the API create does,
 * with `checkStockItem`). Run it inside the caller's transaction.
 */
export async function createStockItems(db: Executor, settings: SettingsService, input: NewStockItems): Promise<number[]> {
  const deleteOnDeplete = input.deleteOnDeplete ?? (await settings.getGlobalBool('STOCK_DELETE_DEPLETED_DEFAULT', db));
  const now = nowIso();
  const status = input.status ?? 10;
  const base = {
    part_id: input.part,
    batch: input.batch ?? null,
    location_id: input.location ?? null,
    supplier_part_id: input.supplierPart ?? null,
    purchase_order_id: input.purchaseOrder ?? null,
    sales_order_id: input.salesOrder ?? null,
    customer_id: input.customer ?? null,
    belongs_to_id: input.belongsTo ?? null,
    parent_id: input.parent ?? null,
    build_id: input.build ?? null,
    consumed_by_id: input.consumedBy ?? null,
    is_building: input.isBuilding ?? false,
    status,
    expiry_date: input.expiryDate ?? null,
    packaging: input.packaging ?? '',
    link: input.link ?? '',
    notes: input.notes ?? '',
    purchase_price: input.purchasePrice ?? null,
    purchase_price_currency: input.purchasePriceCurrency ?? '',
    creation_date: now,
    updated: now,
  };
  const rows =
    input.serials !== undefined && input.serials.length > 0
      ? input.serials.map((s) => ({ ...base, quantity: 1, serial: s, serial_int: serialToInt(s), delete_on_deplete: false }))
      : [{ ...base, quantity: qty(input.quantity), serial: null, serial_int: 0, delete_on_deplete: deleteOnDeplete }];
  const ids: number[] = [];
  for (const row of rows) {
    const { id } = await db.insertInto('stock_item').values(row).returning('id').executeTakeFirstOrThrow();
    ids.push(id);
    if (input.tracking !== undefined) {
      await addTracking(db, id, input.tracking.code, input.userId, input.tracking.deltas ?? {}, input.tracking.notes ?? '');
    } else {
      const deltas: Record<string, unknown> = { status };
      if (row.location_id !== null) deltas.location = row.location_id;
      if (row.quantity !== 0) deltas.quantity = row.quantity;
      await addTracking(db, id, TRACKING.CREATED, input.userId, deltas);
    }
  }
  return ids;
}

/** The values a stock item is checked with (the model's clean and uniqueness rules). */
export interface ItemCheck {
  id?: number;
  part: number;
  quantity: number;
  serial: string | null;
  location: number | null;
  supplierPart: number | null;
  belongsTo: number | null;
  isBuilding: boolean;
  build: number | null;
}

/**
 * InvenTree's model checks, in its order, as field → messages (empty when valid): the first
 * failing `clean()` rule, then serial uniqueness in the part tree. Quantity must be 1 for a
 * serialized item (0 is taken as 1 by the caller).
 */
export async function checkStockItem(db: Executor, settings: SettingsService, v: ItemCheck): Promise<Record<string, string[]>> {
  const clean = async (): Promise<Record<string, string[]> | undefined> => {
    if (v.location !== null) {
      const loc = await db.selectFrom('stock_location').select('structural').where('id', '=', v.location).executeTakeFirst();
      if (loc !== undefined && Boolean(loc.structural)) return { location: [STRUCTURAL_LOCATION_MESSAGE] };
    }
    const part = await db.selectFrom('part').select(['id', 'name', 'ipn', 'revision', 'description', 'trackable', 'virtual']).where('id', '=', v.part).executeTakeFirst();
    if (part !== undefined) {
      if (Boolean(part.trackable) && !Number.isInteger(v.quantity)) return { quantity: ['Quantity must be integer value for trackable parts'] };
      if (Boolean(part.virtual)) return { part: ['Stock item cannot be created for virtual parts'] };
    }
    if (v.quantity < 0) return { quantity: ['Quantity must be greater than zero'] };
    if (v.supplierPart !== null && part !== undefined) {
      const sp = await db
        .selectFrom('supplier_part')
        .innerJoin('part', 'part.id', 'supplier_part.part_id')
        .select(['part.id', 'part.name', 'part.ipn', 'part.revision', 'part.description'])
        .where('supplier_part.id', '=', v.supplierPart)
        .executeTakeFirst();
      if (sp !== undefined && sp.id !== part.id) {
        return { supplier_part: [`Part type ('${partString(sp)}') must be ${partString(part)}`] };
      }
    }
    if (v.serial !== null && v.serial !== '' && v.quantity > 1) {
      return { quantity: ['Quantity must be 1 for item with a serial number'], serial: ['Serial number cannot be set if quantity greater than 1'] };
    }
    if (v.belongsTo !== null && v.id !== undefined && v.belongsTo === v.id) return { belongs_to: ['Item cannot belong to itself'] };
    if (v.isBuilding && v.build === null) return { build: ['Item must have a build reference if is_building=True'] };
    return undefined;
  };
  const errors: Record<string, string[]> = { ...((await clean()) ?? {}) };
  if (errors.serial === undefined && v.serial !== null && v.serial !== '') {
    const conflicts = await findConflictingSerials(db, settings, v.part, [v.serial], v.id);
    if (conflicts.length > 0) errors.serial = [`Stock item with this serial number already exists: ${v.serial}`];
  }
  return errors;
}

function partString(p: { name: string; ipn: string | null; revision: string | null; description: string }): string {
  const name = fullName(p);
  return p.description === '' ? name : `${name} - ${p.description}`;
}

/**
 * Deletes stock items with their barcode links; children split from them point to their
 * parent instead, and return-order lines naming them go too. Run inside a transaction.
 */
export async function deleteStockItems(db: Executor, ids: readonly number[]): Promise<void> {
  if (ids.length === 0) return;
  const rows = await db.selectFrom('stock_item').select(['id', 'parent_id']).where('id', 'in', [...ids]).execute();
  const doomed = new Set(rows.map((r) => r.id));
  const parentOf = new Map(rows.map((r) => [r.id, r.parent_id]));
  // The nearest surviving ancestor of a deleted item.
  const survivor = (id: number | null): number | null => {
    let current = id;
    const seen = new Set<number>();
    while (current !== null && doomed.has(current) && !seen.has(current)) {
      seen.add(current);
      current = parentOf.get(current) ?? null;
    }
    return current !== null && doomed.has(current) ? null : current;
  };
  for (const r of rows) {
    await db
      .updateTable('stock_item')
      .set({ parent_id: survivor(r.parent_id) })
      .where('parent_id', '=', r.id)
      .where('id', 'not in', [...doomed])
      .execute();
  }
  const list = [...doomed];
  await db.updateTable('stock_item').set({ parent_id: null }).where('id', 'in', list).execute();
  await db.deleteFrom('return_order_line').where('item_id', 'in', list).execute();
  await deleteBarcodeLinks(db, 'stockitem', list);
  await db.deleteFrom('stock_item').where('id', 'in', list).execute();
}

async function loadItem(db: Executor, id: number): Promise<ItemRow> {
  return db.selectFrom('stock_item').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
}

/** An item may be deleted when it has nothing installed in it and is not shipped. */
async function canDelete(db: Executor, item: ItemRow): Promise<boolean> {
  if (item.sales_order_id !== null) return false;
  const installed = await db.selectFrom('stock_item').select('id').where('belongs_to_id', '=', item.id).executeTakeFirst();
  return installed === undefined;
}

function overrideValues(o: ItemOverrides): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  if (o.batch) out.batch = o.batch;
  if (o.status !== undefined && o.status !== null) out.status = o.status;
  if (o.packaging) out.packaging = o.packaging;
  return out;
}

/**
 * Sets a new quantity; at zero the item is deleted when `delete_on_deplete` allows it.
 * Returns false when the item was deleted. Serialized items are left alone (undefined).
 */
async function updateQuantity(db: Executor, item: ItemRow, quantity: number, extra: Record<string, unknown> = {}): Promise<boolean | undefined> {
  if (isSerialized(item)) return undefined;
  const q = Math.max(qty(quantity), 0);
  if (q === 0 && Boolean(item.delete_on_deplete) && (await canDelete(db, item))) {
    await deleteStockItems(db, [item.id]);
    return false;
  }
  await db
    .updateTable('stock_item')
    .set({ quantity: q, updated: nowIso(), ...extra })
    .where('id', '=', item.id)
    .execute();
  item.quantity = q;
  return true;
}

export interface ActionContext {
  userId: number | null;
  notes: string;
}

/** Counts an item (stocktake): sets its quantity, STOCK_COUNT tracking. */
export async function countStock(db: Executor, itemId: number, count: number, ctx: ActionContext, overrides: ItemOverrides = {}): Promise<void> {
  const item = await loadItem(db, itemId);
  const extra = overrideValues(overrides);
  if (await updateQuantity(db, item, count, { stocktake_date: today(), ...extra })) {
    await addTracking(db, item.id, TRACKING.STOCK_COUNT, ctx.userId, { quantity: qty(count), ...extra }, ctx.notes);
  }
}

/** Adds to an item's quantity, STOCK_ADD tracking. Serialized items and quantities ≤ 0 are ignored. */
export async function addStock(db: Executor, itemId: number, quantity: number, ctx: ActionContext, overrides: ItemOverrides = {}): Promise<void> {
  if (quantity <= 0) return;
  const item = await loadItem(db, itemId);
  const extra = overrideValues(overrides);
  const total = qtyAdd(Number(item.quantity), quantity);
  if (await updateQuantity(db, item, total, extra)) {
    await addTracking(db, item.id, TRACKING.STOCK_ADD, ctx.userId, { added: qty(quantity), quantity: total, ...extra }, ctx.notes);
  }
}

/**
 * Takes stock from an item (STOCK_REMOVE tracking by default); at zero a depletable,
 * non-serialized item is deleted. Serialized items and quantities ≤ 0 are ignored.
 */
export async function removeStock(
  db: Executor,
  itemId: number,
  quantity: number,
  ctx: ActionContext,
  overrides: ItemOverrides = {},
  tracking: { code: number; deltas?: Record<string, unknown> } = { code: TRACKING.STOCK_REMOVE },
): Promise<void> {
  if (quantity <= 0) return;
  const item = await loadItem(db, itemId);
  const extra = overrideValues(overrides);
  const remaining = Math.max(qtySub(Number(item.quantity), quantity), 0);
  if (await updateQuantity(db, item, remaining, extra)) {
    await addTracking(db, item.id, tracking.code, ctx.userId, { removed: qty(quantity), quantity: remaining, ...extra, ...tracking.deltas }, ctx.notes);
  }
}

/**
 * Splits `quantity` off an item into a new item (its child), optionally in another location.
 * Returns the new item's id, or the item's own id when nothing is split (serialized item,
 * quantity ≤ 0 or not less than the item's quantity). Tracking: SPLIT_FROM_PARENT on the new
 * item, SPLIT_CHILD_ITEM on the source. Used by transfers and by shipping.
 */
export async function splitStockItem(
  db: Executor,
  itemId: number,
  quantity: number,
  opts: { location?: number | null; userId: number | null; notes?: string; overrides?: ItemOverrides },
): Promise<number> {
  const item = await loadItem(db, itemId);
  const q = qty(quantity);
  if (isSerialized(item) || q <= 0 || q >= Number(item.quantity)) return item.id;
  const extra = overrideValues(opts.overrides ?? {});
  const location = opts.location ?? null;
  const now = nowIso();
  const { id: _omit, ...copy } = item;
  const { id: newId } = await db
    .insertInto('stock_item')
    .values({
      ...copy,
      is_building: Boolean(copy.is_building),
      delete_on_deplete: Boolean(copy.delete_on_deplete),
      quantity: q,
      parent_id: item.id,
      location_id: location ?? item.location_id,
      creation_date: now,
      updated: now,
      ...extra,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  const deltas: Record<string, unknown> = { stockitem: item.id, ...extra };
  if (location !== null) deltas.location = location;
  deltas.quantity = q;
  await addTracking(db, newId, TRACKING.SPLIT_FROM_PARENT, opts.userId, deltas, opts.notes ?? '');
  const childDeltas: Record<string, unknown> = { stockitem: newId };
  if (location !== null) childDeltas.location = location;
  await removeStock(db, item.id, q, { userId: opts.userId, notes: opts.notes ?? '' }, {}, { code: TRACKING.SPLIT_CHILD_ITEM, deltas: childDeltas });
  return newId;
}

export class NotInStockError extends Error {
  constructor() {
    super('StockItem cannot be moved as it is not in stock');
  }
}

/**
 * Moves an item (or `quantity` of it, split off) to a location: STOCK_MOVE tracking with the
 * new location, or STOCK_UPDATE when it stays where it is. Throws NotInStockError for an item
 * that is not in stock. Returns the id of the item that moved.
 */
export async function moveStock(db: Executor, itemId: number, location: number, quantity: number, ctx: ActionContext, overrides: ItemOverrides = {}): Promise<number> {
  const item = await loadItem(db, itemId);
  if (!isInStock(item)) throw new NotInStockError();
  const q = qty(quantity);
  if (q <= 0) return item.id;
  if (q < Number(item.quantity)) {
    return splitStockItem(db, item.id, q, { location, userId: ctx.userId, notes: ctx.notes, overrides });
  }
  const extra = overrideValues(overrides);
  const same = item.location_id === location;
  await db
    .updateTable('stock_item')
    .set({ location_id: location, updated: nowIso(), ...extra })
    .where('id', '=', item.id)
    .execute();
  const deltas: Record<string, unknown> = same ? {} : { location };
  Object.assign(deltas, extra);
  if (!(same && Object.keys(deltas).length === 0 && ctx.notes === '')) {
    await addTracking(db, item.id, same ? TRACKING.STOCK_UPDATE : TRACKING.STOCK_MOVE, ctx.userId, deltas, ctx.notes);
  }
  return item.id;
}
