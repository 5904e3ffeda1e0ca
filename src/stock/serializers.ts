/**
 * Response schemas and row → API object builders for stock locations (core-api.md §7.4),
 * stock items (§7.5) and stock tracking entries. Related objects are loaded in batches for a
 * whole page of rows.
 */
import { Type, type Static } from '@sinclair/typebox';
import type { ExpressionBuilder, Selectable } from 'kysely';
import { barcodeHashesOfRows, primaryHashOf } from '../barcode/links.js';
import type { DB, StockItemTable, StockLocationTable, StockTrackingTable } from '../db/schema.js';
import { prepared } from '../db/prepared.js';
import { ancestorIds } from '../db/tree.js';
import type { Executor } from '../db/transaction.js';
import { Nullable } from '../http/schema.js';
import { EMBEDDED_SUPPLIER_PART, loadSupplierParts, SupplierPartSchema } from '../company/serializers.js';
import { loadNestedUsers, NestedUserSchema } from '../order/common.js';
import { isPartBriefColumn, loadPartBriefs, partBriefColumns, partBriefRowOf, partBriefsOf, PartBriefSchema, type PartBrief } from '../part/brief.js';
import { StockHistoryCode, StockStatus, statusLabel } from '../status/enums.js';
import { qty } from '../util/decimal.js';
import { addDays, apiDateTime, today } from '../util/time.js';
import { loadLocationBriefs, LocationBriefSchema } from './brief.js';
import { isInStock, isSerialized } from './queries.js';

export type LocationRow = Selectable<StockLocationTable>;
export type ItemRow = Selectable<StockItemTable>;
export type TrackingRow = Selectable<StockTrackingTable>;

// --- locations -------------------------------------------------------------------------------

export const PathEntrySchema = Type.Object({ pk: Type.Integer(), name: Type.String(), icon: Type.String() });
export type PathEntry = Static<typeof PathEntrySchema>;

export const LocationSchema = Type.Object({
  pk: Type.Integer(),
  barcode_hash: Type.String(),
  name: Type.String(),
  level: Type.Integer(),
  description: Type.String(),
  parent: Nullable(Type.Integer()),
  pathstring: Type.String(),
  path: Type.Optional(Type.Array(PathEntrySchema)),
  items: Type.Integer(),
  sublocations: Type.Integer(),
  owner: Nullable(Type.Integer()),
  icon: Type.String(),
  custom_icon: Type.String(),
  structural: Type.Boolean(),
  external: Type.Boolean(),
  location_type: Nullable(Type.Integer()),
  location_type_detail: Nullable(Type.Object({}, { additionalProperties: true })),
  tags: Type.Array(Type.String()),
});
export type LocationBody = Static<typeof LocationSchema>;

export const LocationTreeSchema = Type.Object({
  pk: Type.Integer(),
  name: Type.String(),
  parent: Nullable(Type.Integer()),
  icon: Type.String(),
  structural: Type.Boolean(),
  sublocations: Type.Integer(),
});

/** The `path` of each location: `{pk, name, icon}` from the root down to the location itself. */
export async function locationPaths(db: Executor, locations: readonly { id: number; tree_path: string }[]): Promise<Map<number, PathEntry[]>> {
  const chains = new Map(locations.map((l) => [l.id, [...ancestorIds(l.tree_path), l.id]]));
  const allIds = [...new Set([...chains.values()].flat())];
  if (allIds.length === 0) return new Map();
  const rows = await db.selectFrom('stock_location').select(['id', 'name', 'custom_icon']).where('id', 'in', allIds).execute();
  const byId = new Map(rows.map((r) => [r.id, r]));
  const out = new Map<number, PathEntry[]>();
  for (const [id, chain] of chains) {
    out.set(
      id,
      chain.flatMap((c) => {
        const r = byId.get(c);
        return r === undefined ? [] : [{ pk: r.id, name: r.name, icon: r.custom_icon }];
      }),
    );
  }
  return out;
}

/** Per location: stock items in it and below it, and the number of locations below it. */
async function locationCounts(db: Executor, locations: readonly LocationRow[]): Promise<Map<number, { items: number; sublocations: number }>> {
  const out = new Map<number, { items: number; sublocations: number }>();
  if (locations.length === 0) return out;
  // One pass over the subtrees of the page: every descendant location, and item counts per location.
  const prefixes = locations.map((l) => l.tree_path);
  const subtree = await db
    .selectFrom('stock_location')
    .select(['id', 'tree_path'])
    .where((eb) => eb.or(prefixes.map((p) => eb('tree_path', 'like', `${p}%`))))
    .execute();
  const subtreeIds = subtree.map((s) => s.id);
  const itemRows =
    subtreeIds.length === 0
      ? []
      : await db
          .selectFrom('stock_item')
          .select((eb) => ['location_id', eb.fn.countAll<number>().as('n')])
          .where('location_id', 'in', subtreeIds)
          .groupBy('location_id')
          .execute();
  const itemsAt = new Map(itemRows.map((r) => [r.location_id as number, Number(r.n)]));
  for (const l of locations) {
    let items = 0;
    let sublocations = 0;
    for (const s of subtree) {
      if (!s.tree_path.startsWith(l.tree_path)) continue;
      if (s.id !== l.id) sublocations += 1;
      items += itemsAt.get(s.id) ?? 0;
    }
    out.set(l.id, { items, sublocations });
  }
  return out;
}

export async function serializeLocations(db: Executor, rows: readonly LocationRow[], opts: { pathDetail: boolean }): Promise<LocationBody[]> {
  const [counts, hashes, paths] = await Promise.all([
    locationCounts(db, rows),
    barcodeHashesOfRows(db, 'stocklocation', rows),
    opts.pathDetail ? locationPaths(db, rows) : Promise.resolve(new Map<number, PathEntry[]>()),
  ]);
  return rows.map((r) => ({
    pk: r.id,
    barcode_hash: hashes.get(r.id) ?? '',
    name: r.name,
    level: Number(r.level),
    description: r.description,
    parent: r.parent_id,
    pathstring: r.pathstring,
    ...(opts.pathDetail ? { path: paths.get(r.id) ?? [] } : {}),
    items: counts.get(r.id)?.items ?? 0,
    sublocations: counts.get(r.id)?.sublocations ?? 0,
    owner: null,
    icon: r.custom_icon,
    custom_icon: r.custom_icon,
    structural: Boolean(r.structural),
    external: Boolean(r.external),
    location_type: null,
    location_type_detail: null,
    tags: [],
  }));
}

// --- stock items ------------------------------------------------------------------------------

export const StockItemSchema = Type.Object({
  pk: Type.Integer(),
  part: Type.Integer(),
  quantity: Type.Number(),
  serial: Nullable(Type.String()),
  batch: Nullable(Type.String()),
  location: Nullable(Type.Integer()),
  belongs_to: Nullable(Type.Integer()),
  build: Nullable(Type.Integer()),
  consumed_by: Nullable(Type.Integer()),
  customer: Nullable(Type.Integer()),
  delete_on_deplete: Type.Boolean(),
  expiry_date: Nullable(Type.String()),
  in_stock: Type.Boolean(),
  is_building: Type.Boolean(),
  link: Type.String(),
  notes: Type.Optional(Type.String()),
  owner: Nullable(Type.Integer()),
  packaging: Type.String(),
  parent: Nullable(Type.Integer()),
  purchase_order: Nullable(Type.Integer()),
  purchase_order_reference: Nullable(Type.String()),
  sales_order: Nullable(Type.Integer()),
  sales_order_reference: Nullable(Type.String()),
  status: Type.Integer(),
  status_text: Type.String(),
  status_custom_key: Type.Integer(),
  supplier_part: Nullable(Type.Integer()),
  SKU: Nullable(Type.String()),
  MPN: Nullable(Type.String()),
  barcode_hash: Type.String(),
  creation_date: Nullable(Type.String()),
  stocktake_date: Nullable(Type.String()),
  updated: Nullable(Type.String()),
  purchase_price: Nullable(Type.Number()),
  purchase_price_currency: Type.String(),
  serialized: Type.Boolean(),
  allocated: Type.Number(),
  expired: Type.Boolean(),
  installed_items: Type.Integer(),
  child_items: Type.Integer(),
  stale: Type.Boolean(),
  tracking_items: Type.Integer(),
  tags: Type.Array(Type.String()),
  part_detail: Type.Optional(Nullable(PartBriefSchema)),
  location_detail: Type.Optional(Nullable(LocationBriefSchema)),
  location_path: Type.Optional(Nullable(Type.Array(PathEntrySchema))),
  supplier_part_detail: Type.Optional(Nullable(SupplierPartSchema)),
  tests: Type.Optional(Type.Array(Type.Object({}, { additionalProperties: true }))),
});
export type StockItemBody = Static<typeof StockItemSchema>;

export interface ItemFlags {
  partDetail: boolean;
  locationDetail: boolean;
  supplierPartDetail: boolean;
  pathDetail: boolean;
  tests: boolean;
  /** The markdown notes appear on detail responses only (core-api.md §1). */
  notes: boolean;
}

export const DETAIL_FLAGS: ItemFlags = { partDetail: true, locationDetail: false, supplierPartDetail: false, pathDetail: false, tests: false, notes: true };

interface ItemFacts {
  hash: string;
  allocated: number;
  children: number;
  installed: number;
  tracking: number;
}

/**
 * The computed values of an item as columns beside its own — its primary barcode hash,
 * allocated quantity and the counts of child items, installed items and tracking entries —
 * one indexed look-up each, rather than one query per value.
 */
function factColumns(eb: ExpressionBuilder<DB & { item: StockItemTable }, 'item'>) {
  return [
    primaryHashOf('stockitem', eb.ref('item.id')).as('fact_hash'),
    eb
      .selectFrom('sales_order_allocation')
      .select((s) => s.fn.sum<number>('sales_order_allocation.quantity').as('total'))
      .whereRef('sales_order_allocation.item_id', '=', 'item.id')
      .as('fact_allocated'),
    eb
      .selectFrom('stock_item as child')
      .select((s) => s.fn.countAll<number>().as('n'))
      .whereRef('child.parent_id', '=', 'item.id')
      .as('fact_children'),
    eb
      .selectFrom('stock_item as installed')
      .select((s) => s.fn.countAll<number>().as('n'))
      .whereRef('installed.belongs_to_id', '=', 'item.id')
      .as('fact_installed'),
    eb
      .selectFrom('stock_tracking')
      .select((s) => s.fn.countAll<number>().as('n'))
      .whereRef('stock_tracking.item_id', '=', 'item.id')
      .as('fact_tracking'),
  ] as const;
}

interface FactColumns {
  id: number;
  fact_hash: string | null;
  fact_allocated: number | string | null;
  fact_children: number | string | null;
  fact_installed: number | string | null;
  fact_tracking: number | string | null;
}

const itemFactsQuery = prepared((db, a: { ids: number[] }) =>
  db
    .selectFrom('stock_item as item')
    .where('item.id', 'in', a.ids)
    .select((eb) => ['item.id', ...factColumns(eb)]),
);

/** Stock items by id with their computed values, in one query (a scanned item's instance). */
const itemsWithFactsQuery = prepared((db, a: { ids: number[] }) =>
  db
    .selectFrom('stock_item as item')
    .where('item.id', 'in', a.ids)
    .selectAll('item')
    .select((eb) => factColumns(eb)),
);

function factsByItem(rows: readonly FactColumns[]): Map<number, ItemFacts> {
  return new Map(
    rows.map((r) => [
      r.id,
      {
        hash: r.fact_hash ?? '',
        allocated: qty(Number(r.fact_allocated ?? 0)),
        children: Number(r.fact_children ?? 0),
        installed: Number(r.fact_installed ?? 0),
        tracking: Number(r.fact_tracking ?? 0),
      },
    ]),
  );
}

async function itemFacts(db: Executor, ids: readonly number[]): Promise<Map<number, ItemFacts>> {
  const wanted = [...new Set(ids)];
  if (wanted.length === 0) return new Map();
  return factsByItem(await itemFactsQuery.execute(db, { ids: wanted }));
}

/** The same with each item's part brief (`part_detail`) beside it. */
const itemsWithFactsAndPartQuery = prepared((db, a: { ids: number[] }) =>
  db
    .selectFrom('stock_item as item')
    .innerJoin('part', 'part.id', 'item.part_id')
    .leftJoin('part_category as category', 'category.id', 'part.category_id')
    .where('item.id', 'in', a.ids)
    .selectAll('item')
    .select((eb) => factColumns(eb as unknown as ExpressionBuilder<DB & { item: StockItemTable }, 'item'>))
    .select((eb) => partBriefColumns(eb)),
);

const isFactColumn = (key: string): boolean => key.startsWith('fact_');

/** The stock item's own columns of rows that carry computed or joined ones too. */
function itemRowsOf(rows: readonly Record<string, unknown>[]): ItemRow[] {
  const first = rows[0];
  if (first === undefined) return [];
  // Every row of one query has the same columns: sort them out once.
  const keys = Object.keys(first).filter((key) => !isFactColumn(key) && !isPartBriefColumn(key));
  return rows.map((row) => {
    const out: Record<string, unknown> = {};
    for (const key of keys) out[key] = row[key];
    return out as ItemRow;
  });
}

/**
 * Loads and serialises stock items by id (absent ids are left out): the rows, their computed
 * values and their part briefs come from one query.
 */
export async function serializeItemsById(db: Executor, ids: readonly number[], flags: ItemFlags): Promise<StockItemBody[]> {
  const wanted = [...new Set(ids)];
  if (wanted.length === 0) return [];
  if (!flags.partDetail) {
    const loaded = await itemsWithFactsQuery.execute(db, { ids: wanted });
    return serializeItems(db, itemRowsOf(loaded), flags, { facts: factsByItem(loaded) });
  }
  const loaded = (await itemsWithFactsAndPartQuery.execute(db, { ids: wanted })) as unknown as (FactColumns & Record<string, unknown>)[];
  const parts = await partBriefsOf(db, loaded.map(partBriefRowOf));
  return serializeItems(db, itemRowsOf(loaded), flags, { facts: factsByItem(loaded), parts });
}

/** What a caller has already loaded for `serializeItems`. */
interface KnownValues {
  facts?: Map<number, ItemFacts>;
  parts?: Map<number, PartBrief>;
}

/** The SKU and MPN of each supplier part (the item's own `SKU` / `MPN` keys). */
const supplierPartCodesQuery = prepared((db, a: { ids: number[] }) =>
  db
    .selectFrom('supplier_part')
    .leftJoin('manufacturer_part', 'manufacturer_part.id', 'supplier_part.manufacturer_part_id')
    .select(['supplier_part.id', 'supplier_part.sku', 'manufacturer_part.mpn'])
    .where('supplier_part.id', 'in', a.ids),
);

async function supplierPartCodes(db: Executor, ids: readonly (number | null)[]): Promise<Map<number, { sku: string; mpn: string | null }>> {
  const wanted = [...new Set(ids.filter((i): i is number => i !== null))];
  if (wanted.length === 0) return new Map();
  const rows = await supplierPartCodesQuery.execute(db, { ids: wanted });
  return new Map(rows.map((r) => [r.id, { sku: r.sku, mpn: r.mpn ?? null }]));
}

const orderReferenceQueries = {
  purchase_order: prepared((db, a: { ids: number[] }) => db.selectFrom('purchase_order').select(['id', 'reference']).where('id', 'in', a.ids)),
  sales_order: prepared((db, a: { ids: number[] }) => db.selectFrom('sales_order').select(['id', 'reference']).where('id', 'in', a.ids)),
};

async function orderReferences(db: Executor, table: 'purchase_order' | 'sales_order', ids: readonly (number | null)[]): Promise<Map<number, string>> {
  const wanted = [...new Set(ids.filter((i): i is number => i !== null))];
  if (wanted.length === 0) return new Map();
  const rows = await orderReferenceQueries[table].execute(db, { ids: wanted });
  return new Map(rows.map((r) => [r.id, r.reference]));
}

/** Serialises stock item rows with every computed value, loading related rows in batches. */
export async function serializeItems(db: Executor, rows: readonly ItemRow[], flags: ItemFlags, known: KnownValues = {}): Promise<StockItemBody[]> {
  const ids = rows.map((r) => r.id);
  const locationIds = rows.map((r) => r.location_id);
  const needLocations = flags.locationDetail || flags.pathDetail;
  const [facts, supplierParts, supplierPartDetails, poRefs, soRefs, parts, locations] = await Promise.all([
    known.facts ?? itemFacts(db, ids),
    supplierPartCodes(db, rows.map((r) => r.supplier_part_id)),
    flags.supplierPartDetail ? loadSupplierParts(db, rows.map((r) => r.supplier_part_id), EMBEDDED_SUPPLIER_PART) : Promise.resolve(undefined),
    orderReferences(db, 'purchase_order', rows.map((r) => r.purchase_order_id)),
    orderReferences(db, 'sales_order', rows.map((r) => r.sales_order_id)),
    flags.partDetail ? (known.parts ?? loadPartBriefs(db, rows.map((r) => r.part_id))) : Promise.resolve(undefined),
    needLocations ? loadLocationBriefs(db, locationIds) : Promise.resolve(undefined),
  ]);
  let paths = new Map<number, PathEntry[]>();
  if (flags.pathDetail) {
    const wanted = [...new Set(locationIds.filter((i): i is number => i !== null))];
    const locRows = wanted.length === 0 ? [] : await db.selectFrom('stock_location').select(['id', 'tree_path']).where('id', 'in', wanted).execute();
    paths = await locationPaths(db, locRows);
  }
  const now = today();
  return rows.map((r) => {
    const quantity = qty(Number(r.quantity));
    const inStock = isInStock(r);
    const sp = r.supplier_part_id === null ? undefined : supplierParts.get(r.supplier_part_id);
    const expired = inStock && r.expiry_date !== null && r.expiry_date < now;
    const fact = facts.get(r.id);
    const body: StockItemBody = {
      pk: r.id,
      part: r.part_id,
      quantity,
      serial: r.serial,
      batch: r.batch,
      location: r.location_id,
      belongs_to: r.belongs_to_id,
      build: r.build_id,
      consumed_by: r.consumed_by_id,
      customer: r.customer_id,
      delete_on_deplete: Boolean(r.delete_on_deplete),
      expiry_date: r.expiry_date,
      in_stock: inStock,
      is_building: Boolean(r.is_building),
      link: r.link,
      ...(flags.notes ? { notes: r.notes } : {}),
      owner: null,
      packaging: r.packaging,
      parent: r.parent_id,
      purchase_order: r.purchase_order_id,
      purchase_order_reference: r.purchase_order_id === null ? null : (poRefs.get(r.purchase_order_id) ?? null),
      sales_order: r.sales_order_id,
      sales_order_reference: r.sales_order_id === null ? null : (soRefs.get(r.sales_order_id) ?? null),
      status: Number(r.status),
      status_text: statusLabel(StockStatus, Number(r.status)),
      status_custom_key: Number(r.status),
      supplier_part: r.supplier_part_id,
      SKU: sp?.sku ?? null,
      MPN: sp?.mpn ?? null,
      barcode_hash: fact?.hash ?? '',
      creation_date: apiDateTime(r.creation_date),
      stocktake_date: r.stocktake_date,
      updated: apiDateTime(r.updated),
      purchase_price: r.purchase_price === null ? null : Number(r.purchase_price),
      purchase_price_currency: r.purchase_price_currency,
      serialized: isSerialized(r),
      allocated: fact?.allocated ?? 0,
      expired,
      installed_items: fact?.installed ?? 0,
      child_items: fact?.children ?? 0,
      // STOCK_STALE_DAYS is 0 here: stale means "expires before today + 0 days".
      stale: inStock && r.expiry_date !== null && r.expiry_date < addDays(now, 0),
      tracking_items: fact?.tracking ?? 0,
      tags: [],
    };
    if (parts !== undefined) body.part_detail = parts.get(r.part_id) ?? null;
    if (flags.locationDetail) body.location_detail = r.location_id === null ? null : (locations?.get(r.location_id) ?? null);
    if (flags.pathDetail) body.location_path = r.location_id === null ? null : (paths.get(r.location_id) ?? []);
    if (supplierPartDetails !== undefined) body.supplier_part_detail = r.supplier_part_id === null ? null : (supplierPartDetails.get(r.supplier_part_id) ?? null);
    if (flags.tests) body.tests = [];
    return body;
  });
}

/** Stock items by id, serialised with `flags` (for `item_detail` in other serialisers). */
export async function loadStockItems(db: Executor, ids: readonly number[], flags: ItemFlags): Promise<Map<number, StockItemBody>> {
  const wanted = [...new Set(ids)];
  if (wanted.length === 0) return new Map();
  const bodies = await serializeItemsById(db, wanted, flags);
  return new Map(bodies.map((b) => [b.pk, b]));
}

/** The flags of a stock item embedded in another object: no details, no notes. */
export const EMBEDDED_FLAGS: ItemFlags = { partDetail: false, locationDetail: false, supplierPartDetail: false, pathDetail: false, tests: false, notes: false };

// --- tracking ---------------------------------------------------------------------------------

export const TrackingSchema = Type.Object({
  pk: Type.Integer(),
  item: Type.Integer(),
  date: Nullable(Type.String()),
  deltas: Type.Object({}, { additionalProperties: true }),
  label: Type.String(),
  notes: Type.String(),
  tracking_type: Type.Integer(),
  user: Nullable(Type.Integer()),
  user_detail: Type.Optional(NestedUserSchema),
  item_detail: Type.Optional(Nullable(StockItemSchema)),
});
export type TrackingBody = Static<typeof TrackingSchema>;

function parseDeltas(text: string): Record<string, unknown> {
  try {
    const v: unknown = JSON.parse(text);
    return v !== null && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : {};
  } catch {
    return {};
  }
}

export async function serializeTracking(db: Executor, rows: readonly TrackingRow[], opts: { userDetail: boolean; itemDetail: boolean }): Promise<TrackingBody[]> {
  const users = opts.userDetail ? await loadNestedUsers(db, rows.map((r) => r.user_id)) : undefined;
  const items = opts.itemDetail ? await loadStockItems(db, rows.map((r) => r.item_id), { ...DETAIL_FLAGS, notes: false }) : undefined;
  return rows.map((r) => ({
    pk: r.id,
    item: r.item_id,
    date: apiDateTime(r.date),
    deltas: parseDeltas(r.deltas),
    label: statusLabel(StockHistoryCode, Number(r.tracking_type)),
    notes: r.notes,
    tracking_type: Number(r.tracking_type),
    user: r.user_id,
    ...(users !== undefined ? { user_detail: r.user_id === null ? null : (users.get(r.user_id) ?? null) } : {}),
    ...(items !== undefined ? { item_detail: items.get(r.item_id) ?? null } : {}),
  }));
}
