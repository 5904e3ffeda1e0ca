/**
 * Part as the API shows it (core-api.md §7.3): the identity and flag fields, the category and
 * location details on request, and the stock and order totals Stockscan can compute from its
 * own rows (pricing, bills of materials and build allocations are not kept: null or 0).
 */
import { Type, type Static } from '@sinclair/typebox';
import { barcodeHashesOfRows } from '../barcode/links.js';
import type { Executor } from '../db/transaction.js';
import { Nullable } from '../http/schema.js';
import { loadLocationBriefs, LocationBriefSchema } from '../stock/brief.js';
import { categoryDefaultLocations, fullName } from './brief.js';
import { CategorySchema, categoryPaths, loadCategories, PathEntrySchema, type PathEntry } from './category-serializers.js';
import { emptyTotals, partStockTotals } from './stock.js';

const Num = () => Type.Number();

export const PartSchema = Type.Object({
  pk: Type.Integer(),
  name: Type.String(),
  IPN: Nullable(Type.String()),
  revision: Nullable(Type.String()),
  description: Type.String(),
  keywords: Type.String(),
  full_name: Type.String(),
  category: Nullable(Type.Integer()),
  category_name: Nullable(Type.String()),
  category_detail: Type.Optional(Nullable(CategorySchema)),
  category_path: Type.Optional(Nullable(Type.Array(PathEntrySchema))),
  active: Type.Boolean(),
  assembly: Type.Boolean(),
  component: Type.Boolean(),
  is_template: Type.Boolean(),
  locked: Type.Boolean(),
  purchaseable: Type.Boolean(),
  salable: Type.Boolean(),
  testable: Type.Boolean(),
  trackable: Type.Boolean(),
  virtual: Type.Boolean(),
  variant_of: Nullable(Type.Integer()),
  revision_of: Nullable(Type.Integer()),
  revision_count: Type.Integer(),
  default_location: Nullable(Type.Integer()),
  default_location_detail: Type.Optional(Nullable(LocationBriefSchema)),
  default_expiry: Type.Integer(),
  minimum_stock: Num(),
  units: Type.String(),
  link: Type.String(),
  image: Nullable(Type.String()),
  thumbnail: Nullable(Type.String()),
  notes: Type.Optional(Type.String()),
  barcode_hash: Type.String(),
  creation_date: Nullable(Type.String()),
  creation_user: Nullable(Type.Integer()),
  responsible: Nullable(Type.Integer()),
  starred: Type.Boolean(),
  tags: Type.Array(Type.String()),
  parameters: Type.Optional(Type.Array(Type.Unknown())),
  pricing_min: Nullable(Num()),
  pricing_max: Nullable(Num()),
  pricing_updated: Nullable(Type.String()),
  price_breaks: Type.Optional(Type.Array(Type.Unknown())),
  in_stock: Num(),
  total_in_stock: Num(),
  unallocated_stock: Num(),
  external_stock: Num(),
  variant_stock: Num(),
  stock_item_count: Type.Integer(),
  allocated_to_build_orders: Num(),
  allocated_to_sales_orders: Num(),
  building: Num(),
  scheduled_to_build: Num(),
  ordering: Num(),
  required_for_build_orders: Num(),
  required_for_sales_orders: Num(),
  category_default_location: Nullable(Type.Integer()),
});
export type PartBody = Static<typeof PartSchema>;

export const PART_COLUMNS = [
  'id',
  'name',
  'ipn',
  'revision',
  'description',
  'keywords',
  'category_id',
  'active',
  'assembly',
  'component',
  'trackable',
  'testable',
  'purchaseable',
  'salable',
  'virtual',
  'is_template',
  'locked',
  'variant_of_id',
  'revision_of_id',
  'tree_path',
  'default_location_id',
  'default_expiry',
  'minimum_stock',
  'units',
  'link',
  'notes',
  'creation_date',
  'creation_user_id',
] as const;

export interface PartRow {
  id: number;
  name: string;
  ipn: string | null;
  revision: string | null;
  description: string;
  keywords: string;
  category_id: number | null;
  active: unknown;
  assembly: unknown;
  component: unknown;
  trackable: unknown;
  testable: unknown;
  purchaseable: unknown;
  salable: unknown;
  virtual: unknown;
  is_template: unknown;
  locked: unknown;
  variant_of_id: number | null;
  revision_of_id: number | null;
  tree_path: string;
  default_location_id: number | null;
  default_expiry: number;
  minimum_stock: number;
  units: string;
  link: string;
  notes: string;
  creation_date: string | null;
  creation_user_id: number | null;
}

export interface PartSerializeOptions {
  /** `category_detail` (the full category object). */
  categoryDetail: boolean;
  /** `category_path` (with `?path_detail=true`). */
  pathDetail: boolean;
  /** `default_location_detail` (with `?location_detail=true`). */
  locationDetail: boolean;
  /** `parameters` (with `?parameters=true`): Stockscan keeps none, so `[]`. */
  parameters: boolean;
  /** `price_breaks` (with `?price_breaks=true`): Stockscan keeps none, so `[]`. */
  priceBreaks: boolean;
  /** `notes` appears on detail responses only. */
  notes: boolean;
}

async function revisionCounts(db: Executor, ids: readonly number[]): Promise<Map<number, number>> {
  if (ids.length === 0) return new Map();
  const rows = await db
    .selectFrom('part')
    .select((eb) => ['revision_of_id as id', eb.fn.countAll<number>().as('n')])
    .where('revision_of_id', 'in', [...ids])
    .groupBy('revision_of_id')
    .execute();
  return new Map(rows.filter((r) => r.id !== null).map((r) => [r.id as number, Number(r.n)]));
}

/** Serialises a page of part rows with a fixed number of queries. */
export async function serializeParts(db: Executor, rows: readonly PartRow[], options: PartSerializeOptions): Promise<PartBody[]> {
  const ids = rows.map((r) => r.id);
  const categoryIds = [...new Set(rows.map((r) => r.category_id).filter((c): c is number => c !== null))];
  const [hashes, totals, revisions, categories, defaultLocations, locations] = await Promise.all([
    barcodeHashesOfRows(db, 'part', rows),
    partStockTotals(db, rows),
    revisionCounts(db, ids),
    options.categoryDetail ? loadCategories(db, categoryIds) : db.selectFrom('part_category').select(CATEGORY_LIGHT).where('id', 'in', categoryIds.length > 0 ? categoryIds : [0]).execute().then(lightMap),
    categoryDefaultLocations(db, categoryIds),
    options.locationDetail ? loadLocationBriefs(db, rows.map((r) => r.default_location_id)) : Promise.resolve(new Map()),
  ]);
  let paths = new Map<number, PathEntry[]>();
  if (options.pathDetail && categoryIds.length > 0) {
    const catRows = await db.selectFrom('part_category').select(['id', 'tree_path']).where('id', 'in', categoryIds).execute();
    paths = await categoryPaths(db, catRows);
  }
  return rows.map((r) => {
    const t = totals.get(r.id);
    const category = r.category_id === null ? undefined : categories.get(r.category_id);
    return {
      pk: r.id,
      name: r.name,
      IPN: r.ipn,
      revision: r.revision,
      description: r.description,
      keywords: r.keywords,
      full_name: fullName(r),
      category: r.category_id,
      category_name: category?.name ?? null,
      ...(options.categoryDetail ? { category_detail: (category as Static<typeof CategorySchema> | undefined) ?? null } : {}),
      ...(options.pathDetail ? { category_path: r.category_id === null ? null : (paths.get(r.category_id) ?? []) } : {}),
      active: Boolean(r.active),
      assembly: Boolean(r.assembly),
      component: Boolean(r.component),
      is_template: Boolean(r.is_template),
      locked: Boolean(r.locked),
      purchaseable: Boolean(r.purchaseable),
      salable: Boolean(r.salable),
      testable: Boolean(r.testable),
      trackable: Boolean(r.trackable),
      virtual: Boolean(r.virtual),
      variant_of: r.variant_of_id,
      revision_of: r.revision_of_id,
      revision_count: revisions.get(r.id) ?? 0,
      default_location: r.default_location_id,
      ...(options.locationDetail ? { default_location_detail: r.default_location_id === null ? null : (locations.get(r.default_location_id) ?? null) } : {}),
      default_expiry: Number(r.default_expiry),
      minimum_stock: Number(r.minimum_stock),
      units: r.units,
      link: r.link,
      image: null,
      thumbnail: null,
      ...(options.notes ? { notes: r.notes } : {}),
      barcode_hash: hashes.get(r.id) ?? '',
      creation_date: r.creation_date,
      creation_user: r.creation_user_id,
      responsible: null,
      starred: false,
      tags: [],
      ...(options.parameters ? { parameters: [] } : {}),
      pricing_min: null,
      pricing_max: null,
      pricing_updated: null,
      ...(options.priceBreaks ? { price_breaks: [] } : {}),
      ...(t ?? emptyTotals()),
      category_default_location: r.category_id === null ? null : (defaultLocations.get(r.category_id) ?? null),
    };
  });
}

const CATEGORY_LIGHT = ['id', 'name'] as const;

function lightMap(rows: readonly { id: number; name: string }[]): Map<number, { name: string }> {
  return new Map(rows.map((r) => [r.id, { name: r.name }]));
}
