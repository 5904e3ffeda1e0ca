/**
 * Response schemas and row → API builders for purchase orders and their lines (core-api.md
 * §7.8–7.10). Every builder takes a whole page of rows and loads related objects in batches.
 */
import { Type, type TSchema } from '@sinclair/typebox';
import type { Selectable } from 'kysely';
import { CompanyBriefSchema, loadCompanyBriefs } from '../company/brief.js';
import { EMBEDDED_SUPPLIER_PART, loadSupplierParts, SupplierPartSchema, type SupplierPartBody } from '../company/serializers.js';
import { prepared } from '../db/prepared.js';
import type { PurchaseOrderLineTable, PurchaseOrderTable } from '../db/schema.js';
import type { Executor } from '../db/transaction.js';
import { Nullable } from '../http/schema.js';
import { loadPartBriefs, PartBriefSchema } from '../part/brief.js';
import type { SettingsService } from '../settings/service.js';
import { PO_OPEN, PurchaseOrderStatus, BuildStatus, statusLabel } from '../status/enums.js';
import { LocationBriefSchema, loadLocationBriefs } from '../stock/brief.js';
import { today } from '../util/time.js';
import { commonOrderBodies, commonOrderProperties, orderCurrencies } from './order-shape.js';

export type PurchaseOrderRow = Selectable<PurchaseOrderTable>;
export type PoLineRow = Selectable<PurchaseOrderLineTable>;

// --- purchase orders -------------------------------------------------------------------------

export const PurchaseOrderSchema = Type.Object({
  ...commonOrderProperties(),
  complete_date: Nullable(Type.String({ format: 'date' })),
  supplier: Nullable(Type.Integer()),
  supplier_detail: Type.Optional(Nullable(CompanyBriefSchema)),
  supplier_reference: Type.String(),
  supplier_name: Nullable(Type.String()),
  destination: Nullable(Type.Integer()),
});

export interface OrderSerializeOptions {
  supplierDetail?: boolean;
  /** Include `notes` (detail views; lists leave it out). */
  notes?: boolean;
}

/** The currency of each purchase order (see `orderCurrencies`). */
export async function purchaseOrderCurrencies(db: Executor, settings: SettingsService, rows: readonly PurchaseOrderRow[]): Promise<Map<number, string>> {
  return orderCurrencies(
    db,
    settings,
    rows.map((r) => ({ id: r.id, order_currency: r.order_currency, company_id: r.supplier_id })),
  );
}

/** What an order's counts and total price need of its lines (a scan's answer reads them). */
const orderLineFiguresQuery = prepared((db, a: { ids: number[] }) =>
  db.selectFrom('purchase_order_line').select(['order_id', 'quantity', 'received', 'purchase_price', 'purchase_price_currency']).where('order_id', 'in', a.ids),
);

export async function serializePurchaseOrders(
  db: Executor,
  settings: SettingsService,
  rows: readonly PurchaseOrderRow[],
  opts: OrderSerializeOptions = {},
): Promise<Record<string, unknown>[]> {
  if (rows.length === 0) return [];
  const ids = rows.map((r) => r.id);
  const [lines, suppliers] = await Promise.all([
    orderLineFiguresQuery.execute(db, { ids }),
    loadCompanyBriefs(
      db,
      rows.map((r) => r.supplier_id),
    ),
  ]);
  const common = await commonOrderBodies(
    db,
    settings,
    { barcodeModel: 'purchaseorder', statuses: PurchaseOrderStatus, open: PO_OPEN },
    rows.map((r) => ({ ...r, company_id: r.supplier_id })),
    lines.map((l) => ({ order_id: l.order_id, quantity: l.quantity, price: l.purchase_price, currency: l.purchase_price_currency, complete: Number(l.received) >= Number(l.quantity) })),
    opts.notes === true,
    suppliers,
  );
  return rows.map((r) => {
    const supplier = r.supplier_id === null ? undefined : suppliers.get(r.supplier_id);
    return {
      ...common.get(r.id),
      complete_date: r.complete_date,
      supplier: r.supplier_id,
      ...(opts.supplierDetail ? { supplier_detail: supplier ?? null } : {}),
      supplier_reference: r.supplier_reference,
      supplier_name: supplier?.name ?? null,
      destination: r.destination_id,
    };
  });
}

// --- the supplier part of each line ---------------------------------------------------------

interface LinePart {
  partId: number;
  partName: string;
  ipn: string | null;
  mpn: string | null;
  sku: string;
}

/** What a line shows of its supplier part: SKU, MPN and the base part's id, name and IPN. */
async function linePartsOf(db: Executor, supplierPartIds: readonly (number | null)[]): Promise<Map<number, LinePart>> {
  const wanted = [...new Set(supplierPartIds.filter((i): i is number => i !== null))];
  if (wanted.length === 0) return new Map();
  const rows = await db
    .selectFrom('supplier_part as sp')
    .innerJoin('part as p', 'p.id', 'sp.part_id')
    .leftJoin('manufacturer_part as mp', 'mp.id', 'sp.manufacturer_part_id')
    .select(['sp.id', 'sp.sku', 'p.id as part_id', 'p.name as part_name', 'p.ipn as part_ipn', 'mp.mpn as mpn'])
    .where('sp.id', 'in', wanted)
    .execute();
  return new Map(rows.map((r) => [r.id, { partId: r.part_id, partName: r.part_name, ipn: r.part_ipn, mpn: r.mpn ?? null, sku: r.sku }]));
}

// --- destinations (PurchaseOrderLineItem.get_destination) ------------------------------------

/**
 * Where each line's items go (core-api.md §7.10 `get_destination()`), first match: the
 * location of stock already received for the line's supplier part on its order; the line's
 * destination; the base part's default location. Keyed by line id; null when none applies.
 */
export async function lineDestinations(
  db: Executor,
  lines: readonly { id: number; order_id: number; part_id: number | null; destination_id: number | null }[],
): Promise<Map<number, number | null>> {
  const out = new Map<number, number | null>();
  if (lines.length === 0) return out;
  const orderIds = [...new Set(lines.map((l) => l.order_id))];
  const partIds = [...new Set(lines.map((l) => l.part_id).filter((p): p is number => p !== null))];
  const [received, parts] = await Promise.all([
    partIds.length === 0
      ? Promise.resolve([])
      : db
          .selectFrom('stock_item')
          .select(['purchase_order_id', 'supplier_part_id', 'location_id'])
          .where('purchase_order_id', 'in', orderIds)
          .where('supplier_part_id', 'in', partIds)
          .where('location_id', 'is not', null)
          .orderBy('id')
          .execute(),
    partIds.length === 0
      ? Promise.resolve([])
      : db
          .selectFrom('supplier_part as sp')
          .innerJoin('part as p', 'p.id', 'sp.part_id')
          .select(['sp.id', 'p.default_location_id'])
          .where('sp.id', 'in', partIds)
          .execute(),
  ]);
  const stockLocation = new Map<string, number>();
  for (const s of received) {
    const key = `${s.purchase_order_id}:${s.supplier_part_id}`;
    if (!stockLocation.has(key) && s.location_id !== null) stockLocation.set(key, s.location_id);
  }
  const partDefault = new Map(parts.map((p) => [p.id, p.default_location_id]));
  for (const l of lines) {
    const fromStock = l.part_id === null ? undefined : stockLocation.get(`${l.order_id}:${l.part_id}`);
    out.set(l.id, fromStock ?? l.destination_id ?? (l.part_id === null ? null : (partDefault.get(l.part_id) ?? null)));
  }
  return out;
}

/**
 * The destination of one purchase order line (InvenTree's `get_destination()`), or null;
 * undefined when the line does not exist. Used by receiving.
 */
export async function lineDestination(db: Executor, lineId: number): Promise<number | null | undefined> {
  const line = await db.selectFrom('purchase_order_line').select(['id', 'order_id', 'part_id', 'destination_id']).where('id', '=', lineId).executeTakeFirst();
  if (line === undefined) return undefined;
  return (await lineDestinations(db, [line])).get(lineId) ?? null;
}

// --- purchase order lines --------------------------------------------------------------------

const BuildBriefSchema = Type.Object({
  pk: Type.Integer(),
  reference: Type.String(),
  title: Type.String(),
  part: Type.Integer(),
  quantity: Type.Number(),
  completed: Type.Number(),
  status: Type.Integer(),
  status_text: Type.String(),
  external: Type.Boolean(),
  target_date: Nullable(Type.String()),
});

export const PoLineSchema: TSchema = Type.Object({
  pk: Type.Integer(),
  part: Nullable(Type.Integer()),
  quantity: Type.Number(),
  reference: Type.String(),
  notes: Type.String(),
  order: Type.Integer(),
  order_detail: Type.Optional(PurchaseOrderSchema),
  project_code: Nullable(Type.Integer()),
  project_code_label: Nullable(Type.String()),
  project_code_detail: Nullable(Type.Object({}, { additionalProperties: true })),
  build_order: Nullable(Type.Integer()),
  build_order_detail: Nullable(BuildBriefSchema),
  overdue: Type.Boolean(),
  part_detail: Type.Optional(Nullable(PartBriefSchema)),
  supplier_part_detail: Type.Optional(Nullable(SupplierPartSchema)),
  received: Type.Number(),
  purchase_price: Nullable(Type.Number()),
  purchase_price_currency: Type.String(),
  auto_pricing: Type.Boolean(),
  destination: Nullable(Type.Integer()),
  destination_detail: Type.Optional(Nullable(LocationBriefSchema)),
  target_date: Nullable(Type.String({ format: 'date' })),
  total_price: Nullable(Type.Number()),
  link: Type.String(),
  sku: Nullable(Type.String()),
  mpn: Nullable(Type.String()),
  ipn: Nullable(Type.String()),
  internal_part: Nullable(Type.Integer()),
  internal_part_name: Nullable(Type.String()),
});

export interface LineSerializeOptions {
  /** `part_detail` (base part) and `supplier_part_detail`: off by default. */
  partDetail?: boolean;
  /** `order_detail`: on by default (core-api.md §7.10). */
  orderDetail?: boolean;
  /** `destination_detail`: on by default. */
  destinationDetail?: boolean;
}

/** A line's overdue flag: not fully received and its target date has passed. */
export function lineOverdue(line: { received: number; quantity: number; target_date: string | null }): boolean {
  return Number(line.received) < Number(line.quantity) && line.target_date !== null && line.target_date < today();
}

export async function serializePoLines(
  db: Executor,
  settings: SettingsService,
  rows: readonly PoLineRow[],
  opts: LineSerializeOptions = {},
): Promise<Record<string, unknown>[]> {
  if (rows.length === 0) return [];
  const orderDetail = opts.orderDetail ?? true;
  const destinationDetail = opts.destinationDetail ?? true;
  const orderIds = [...new Set(rows.map((r) => r.order_id))];
  const buildIds = [...new Set(rows.map((r) => r.build_order_id).filter((b): b is number => b !== null))];
  const [supplierParts, supplierPartDetails, destinations, orderRows, builds] = await Promise.all([
    linePartsOf(
      db,
      rows.map((r) => r.part_id),
    ),
    opts.partDetail ? loadSupplierParts(db, rows.map((r) => r.part_id), EMBEDDED_SUPPLIER_PART) : Promise.resolve(new Map<number, SupplierPartBody>()),
    destinationDetail ? lineDestinations(db, rows) : Promise.resolve(new Map<number, number | null>()),
    db.selectFrom('purchase_order').selectAll().where('id', 'in', orderIds).execute(),
    buildIds.length === 0
      ? Promise.resolve([])
      : db.selectFrom('build').select(['id', 'reference', 'title', 'part_id', 'quantity', 'completed', 'status', 'external', 'target_date']).where('id', 'in', buildIds).execute(),
  ]);
  const [locations, parts, orders, currencies] = await Promise.all([
    loadLocationBriefs(db, [...destinations.values()]),
    opts.partDetail ? loadPartBriefs(db, [...supplierParts.values()].map((s) => s.partId)) : Promise.resolve(new Map()),
    orderDetail ? serializePurchaseOrders(db, settings, orderRows) : Promise.resolve([]),
    purchaseOrderCurrencies(db, settings, orderRows),
  ]);
  const orderById = new Map(orders.map((o) => [o.pk as number, o]));
  const buildById = new Map(builds.map((b) => [b.id, b]));
  return rows.map((r) => {
    const sp = r.part_id === null ? undefined : supplierParts.get(r.part_id);
    const build = r.build_order_id === null ? undefined : buildById.get(r.build_order_id);
    const destination = destinations.get(r.id) ?? null;
    const price = r.purchase_price === null ? null : Number(r.purchase_price);
    return {
      pk: r.id,
      part: r.part_id,
      quantity: Number(r.quantity),
      reference: r.reference,
      notes: r.notes,
      order: r.order_id,
      ...(orderDetail ? { order_detail: orderById.get(r.order_id) } : {}),
      project_code: null,
      project_code_label: null,
      project_code_detail: null,
      build_order: r.build_order_id,
      build_order_detail:
        build === undefined
          ? null
          : {
              pk: build.id,
              reference: build.reference,
              title: build.title,
              part: build.part_id,
              quantity: Number(build.quantity),
              completed: Number(build.completed),
              status: Number(build.status),
              status_text: statusLabel(BuildStatus, Number(build.status)),
              external: Boolean(build.external),
              target_date: build.target_date,
            },
      overdue: lineOverdue(r),
      ...(opts.partDetail
        ? { part_detail: sp === undefined ? null : (parts.get(sp.partId) ?? null), supplier_part_detail: r.part_id === null ? null : (supplierPartDetails.get(r.part_id) ?? null) }
        : {}),
      received: Number(r.received),
      purchase_price: price,
      purchase_price_currency: r.purchase_price_currency !== '' ? r.purchase_price_currency : (currencies.get(r.order_id) ?? ''),
      auto_pricing: true,
      destination: r.destination_id,
      ...(destinationDetail ? { destination_detail: destination === null ? null : (locations.get(destination) ?? null) } : {}),
      target_date: r.target_date,
      total_price: price === null ? null : Math.round(price * Number(r.quantity) * 1e6) / 1e6,
      link: r.link,
      sku: sp?.sku ?? null,
      mpn: sp?.mpn ?? null,
      ipn: sp?.ipn ?? null,
      internal_part: sp?.partId ?? null,
      internal_part_name: sp?.partName ?? null,
    };
  });
}
