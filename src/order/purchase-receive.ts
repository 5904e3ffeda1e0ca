/**
 * Receiving purchase-order lines (core-api.md §8): the one service behind
 * `POST /api/order/po/{pk}/receive/` and the barcode po-receive flow. Checks and writes run in
 * the caller's transaction (decision D16): the order row is locked first, so concurrent
 * receipts of one order run one after the other and `received` always equals what was booked.
 */
import { BarcodeInUseError, findByHash, linkBarcode } from '../barcode/links.js';
import { barcodeHash } from '../barcode/formats/hash.js';
import type { Database } from '../db/connection.js';
import type { Executor } from '../db/transaction.js';
import type { SettingsService } from '../settings/service.js';
import { createStockItems } from '../stock/items-service.js';
import { extractSerialNumbers, findConflictingSerials, latestSerialNumber, SerialNumberError } from '../stock/serials.js';
import { TRACKING } from '../stock/tracking.js';
import { PO_COMPLETE } from '../status/enums.js';
import { qty, qtyAdd } from '../util/decimal.js';
import { nowIso, today } from '../util/time.js';
import { lineDestination } from './purchase-serializers.js';

export const PLACED = 20;
export const NOT_PLACED_MESSAGE = "Lines can only be received against an order marked as 'PLACED'";

export interface ReceiveItem {
  lineId: number;
  /** Supplier packs, as the line counts them. */
  quantity: number;
  location?: number | null;
  status?: number;
  batchCode?: string;
  expiryDate?: string | null;
  serialNumbers?: string;
  packaging?: string;
  note?: string;
  /** A barcode to link to the received stock item (the scanned label). */
  barcode?: string;
}

export interface ReceiveRequest {
  orderId: number;
  items: ReceiveItem[];
  /** The request-level location, used for items without their own. */
  location?: number | null;
  userId: number | null;
}

/**
 * A refused receipt: `body` is the DRF error body (`{"non_field_errors": [...]}`,
 * `{"items": [{}, {"barcode": [...]}]}`, ...); `message` a single text when there is one.
 */
export class ReceiveError extends Error {
  constructor(
    readonly body: Record<string, unknown>,
    readonly single: string | undefined,
  ) {
    super(single ?? 'receive refused');
  }
}

function nonField(message: string): ReceiveError {
  return new ReceiveError({ non_field_errors: [message] }, message);
}

interface LineRow {
  id: number;
  order_id: number;
  part_id: number | null;
  quantity: number;
  received: number;
  purchase_price: number | null;
  purchase_price_currency: string;
  build_order_id: number | null;
}

interface SupplierPartRow {
  id: number;
  part_id: number;
  packaging: string;
  pack_quantity_native: number;
  virtual: unknown;
  trackable: unknown;
}

/** Locks the order (PostgreSQL) and returns it, or undefined. */
async function lockOrder(database: Database, db: Executor, orderId: number) {
  let q = db.selectFrom('purchase_order').select(['id', 'status', 'destination_id', 'supplier_id']).where('id', '=', orderId);
  if (database.dialect === 'postgres') q = q.forUpdate();
  return q.executeTakeFirst();
}

/**
 * Receives the items; returns the ids of the stock items created. Throws ReceiveError when
 * any item is refused — nothing is written then (the caller's transaction rolls back).
 */
export async function receiveItems(database: Database, db: Executor, settings: SettingsService, request: ReceiveRequest): Promise<number[]> {
  const order = await lockOrder(database, db, request.orderId);
  if (order === undefined) throw nonField('Purchase order does not exist');
  if (request.items.length === 0) throw nonField('Line items must be provided');

  const lineIds = [...new Set(request.items.map((i) => i.lineId))];
  let linesQuery = db
    .selectFrom('purchase_order_line')
    .select(['id', 'order_id', 'part_id', 'quantity', 'received', 'purchase_price', 'purchase_price_currency', 'build_order_id'])
    .where('id', 'in', lineIds);
  if (database.dialect === 'postgres') linesQuery = linesQuery.forUpdate();
  const lines = new Map<number, LineRow>((await linesQuery.execute()).map((l) => [l.id, l]));
  const supplierPartIds = [...new Set([...lines.values()].map((l) => l.part_id).filter((p): p is number => p !== null))];
  const supplierParts = new Map<number, SupplierPartRow>(
    supplierPartIds.length === 0
      ? []
      : (
          await db
            .selectFrom('supplier_part')
            .innerJoin('part', 'part.id', 'supplier_part.part_id')
            .select(['supplier_part.id', 'supplier_part.part_id', 'supplier_part.packaging', 'supplier_part.pack_quantity_native', 'part.virtual', 'part.trackable'])
            .where('supplier_part.id', 'in', supplierPartIds)
            .execute()
        ).map((s) => [s.id, s]),
  );

  // Per-item checks, reported positionally as DRF does for nested lists.
  const itemErrors: Record<string, string[]>[] = [];
  const serialsByItem: (string[] | undefined)[] = [];
  let failed = false;
  for (const item of request.items) {
    const errors: Record<string, string[]> = {};
    const line = lines.get(item.lineId);
    const sp = line?.part_id === null || line === undefined ? undefined : supplierParts.get(line.part_id);
    if (line === undefined || line.order_id !== order.id) errors.line_item = ['Line item does not match purchase order'];
    else if (sp === undefined) errors.line_item = ['Line item is missing a linked part'];
    if (!(item.quantity > 0)) errors.quantity = ['Quantity must be greater than zero'];
    if (item.barcode !== undefined && item.barcode !== '' && (await findByHash(db, barcodeHash(item.barcode))) !== undefined) {
      errors.barcode = ['Barcode is already in use'];
    }
    let serials: string[] | undefined;
    const serialText = (item.serialNumbers ?? '').trim();
    if (serialText !== '' && sp !== undefined && errors.quantity === undefined) {
      if (sp.virtual) errors.serial_numbers = ['Serial numbers cannot be assigned to virtual parts'];
      else {
        try {
          serials = extractSerialNumbers(serialText, qty(item.quantity * Number(sp.pack_quantity_native)), await latestSerialNumber(db, sp.part_id));
          const taken = await findConflictingSerials(db, settings, sp.part_id, serials);
          if (taken.length > 0) errors.serial_numbers = [`The following serial numbers already exist or are invalid : ${taken.join(',')}`];
        } catch (e) {
          if (!(e instanceof SerialNumberError)) throw e;
          errors.serial_numbers = e.messages;
        }
      }
    }
    if (Object.keys(errors).length > 0) failed = true;
    itemErrors.push(errors);
    serialsByItem.push(serials);
  }
  if (failed) {
    const single = itemErrors.flatMap((e) => Object.values(e).flat());
    throw new ReceiveError({ items: itemErrors }, single.length === 1 ? single[0] : undefined);
  }
  const barcodes = request.items.map((i) => i.barcode ?? '').filter((b) => b !== '');
  if (new Set(barcodes.map(barcodeHash)).size !== barcodes.length) throw nonField('Supplied barcode values must be unique');
  const seenSerials = new Set<string>();
  for (const serials of serialsByItem) {
    for (const s of serials ?? []) {
      if (seenSerials.has(s)) throw nonField(`Supplied serial numbers must be unique: ${s}`);
      seenSerials.add(s);
    }
  }

  // Where each item goes: its own location, the request's, the order's, the line's.
  const locations: (number | null)[] = [];
  for (const item of request.items) {
    let location = item.location ?? request.location ?? order.destination_id ?? null;
    if (location === null) location = (await lineDestination(db, item.lineId)) ?? null;
    locations.push(location);
  }
  const needsLocation = request.items.some((item, i) => {
    const line = lines.get(item.lineId) as LineRow;
    return locations[i] === null && !supplierParts.get(line.part_id as number)?.virtual;
  });
  if (needsLocation) throw new ReceiveError({ location: ['Destination location must be specified'] }, 'Destination location must be specified');
  if (order.status !== PLACED) throw nonField(NOT_PLACED_MESSAGE);

  const created: number[] = [];
  for (const [index, item] of request.items.entries()) {
    const line = lines.get(item.lineId) as LineRow;
    const sp = supplierParts.get(line.part_id as number) as SupplierPartRow;
    const pack = Number(sp.pack_quantity_native) > 0 ? Number(sp.pack_quantity_native) : 1;
    const baseQuantity = qty(item.quantity * pack);
    const location = locations[index] ?? null;
    if (!sp.virtual) {
      const build = line.build_order_id === null ? undefined : await db.selectFrom('build').select(['id', 'status', 'completed']).where('id', '=', line.build_order_id).executeTakeFirst();
      const linkBuild = build !== undefined && build.status !== 30;
      const ids = await createStockItems(db, settings, {
        part: sp.part_id,
        quantity: baseQuantity,
        ...(serialsByItem[index] !== undefined ? { serials: serialsByItem[index] } : {}),
        supplierPart: sp.id,
        purchaseOrder: order.id,
        location,
        status: item.status ?? 10,
        batch: item.batchCode === undefined || item.batchCode === '' ? null : item.batchCode,
        expiryDate: item.expiryDate ?? null,
        packaging: item.packaging !== undefined && item.packaging !== '' ? item.packaging : sp.packaging,
        notes: item.note ?? '',
        purchasePrice: line.purchase_price === null ? null : qty(Number(line.purchase_price) / pack),
        purchasePriceCurrency: line.purchase_price_currency,
        ...(linkBuild ? { build: build.id, isBuilding: build.status !== 40 } : {}),
        userId: request.userId,
        tracking: { code: TRACKING.RECEIVED_AGAINST_PURCHASE_ORDER, deltas: { ...(location !== null ? { location } : {}), purchaseorder: order.id, quantity: baseQuantity } },
      });
      if (build !== undefined && build.status === 40) {
        await db.updateTable('build').set({ completed: qtyAdd(Number(build.completed), baseQuantity) }).where('id', '=', build.id).execute();
      }
      if (item.barcode !== undefined && item.barcode !== '' && ids[0] !== undefined) {
        try {
          await linkBarcode(db, 'stockitem', ids[0], item.barcode, { userId: request.userId, kind: 'supplier' });
        } catch (e) {
          // Linked by a concurrent request since the check above (D13, D16).
          if (!(e instanceof BarcodeInUseError)) throw e;
          const errors = request.items.map((_, i) => (i === index ? { barcode: ['Barcode is already in use'] } : {}));
          throw new ReceiveError({ items: errors }, 'Barcode is already in use');
        }
      }
      created.push(...ids);
    }
    line.received = qtyAdd(Number(line.received), item.quantity);
    await db.updateTable('purchase_order_line').set({ received: line.received }).where('id', '=', line.id).execute();
  }

  if (await settings.getGlobalBool('PURCHASEORDER_AUTO_COMPLETE', db)) {
    const pending = await db
      .selectFrom('purchase_order_line')
      .select('id')
      .where('order_id', '=', order.id)
      .whereRef('received', '<', 'quantity')
      .limit(1)
      .executeTakeFirst();
    if (pending === undefined) {
      await db
        .updateTable('purchase_order')
        .set({ status: PO_COMPLETE[0] as number, complete_date: today(), received_by_id: request.userId, updated_at: nowIso() })
        .where('id', '=', order.id)
        .execute();
    }
  }
  return created;
}
