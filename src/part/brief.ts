/**
 * PartBrief, the `part_detail` object other serialisers embed (core-api.md §7.3), and the
 * helpers it needs: `full_name` and the default location inherited from the category tree.
 */
import { Type, type Static } from '@sinclair/typebox';
import type { ExpressionBuilder } from 'kysely';
import { primaryHashOf } from '../barcode/links.js';
import { prepared } from '../db/prepared.js';
import { ancestorIds } from '../db/tree.js';
import type { DB } from '../db/schema.js';
import type { Executor } from '../db/transaction.js';
import { Nullable } from '../http/schema.js';

export const PartBriefSchema = Type.Object({
  pk: Type.Integer(),
  IPN: Nullable(Type.String()),
  barcode_hash: Type.String(),
  category_default_location: Nullable(Type.Integer()),
  default_location: Nullable(Type.Integer()),
  default_expiry: Type.Integer(),
  name: Type.String(),
  revision: Nullable(Type.String()),
  full_name: Type.String(),
  description: Type.String(),
  image: Nullable(Type.String()),
  thumbnail: Nullable(Type.String()),
  active: Type.Boolean(),
  locked: Type.Boolean(),
  assembly: Type.Boolean(),
  component: Type.Boolean(),
  minimum_stock: Type.Number(),
  is_template: Type.Boolean(),
  purchaseable: Type.Boolean(),
  salable: Type.Boolean(),
  testable: Type.Boolean(),
  trackable: Type.Boolean(),
  virtual: Type.Boolean(),
  units: Type.String(),
  pricing_min: Nullable(Type.Number()),
  pricing_max: Nullable(Type.Number()),
});
export type PartBrief = Static<typeof PartBriefSchema>;

/** InvenTree's default full name: `IPN | name | revision`, empty parts skipped. */
export function fullName(part: { name: string; ipn: string | null; revision: string | null }): string {
  return [part.ipn, part.name, part.revision].filter((p): p is string => p !== null && p !== '').join(' | ');
}

/**
 * The default location each category passes on to its parts: its own, else the nearest
 * ancestor's. Keyed by category id.
 */
export async function categoryDefaultLocations(db: Executor, categoryIds: readonly number[]): Promise<Map<number, number | null>> {
  const wanted = [...new Set(categoryIds)];
  if (wanted.length === 0) return new Map();
  const cats = await db.selectFrom('part_category').select(['id', 'tree_path', 'default_location_id']).where('id', 'in', wanted).execute();
  return inheritedDefaultLocations(db, cats);
}

/** `categoryDefaultLocations` for category rows already loaded; ancestors are read only when needed. */
async function inheritedDefaultLocations(
  db: Executor,
  cats: readonly { id: number; tree_path: string; default_location_id: number | null }[],
): Promise<Map<number, number | null>> {
  const allIds = new Set<number>();
  // A category with its own default location needs none of its ancestors.
  for (const c of cats) if (c.default_location_id === null) for (const a of ancestorIds(c.tree_path)) allIds.add(a);
  const ancestors = allIds.size === 0 ? [] : await db.selectFrom('part_category').select(['id', 'default_location_id']).where('id', 'in', [...allIds]).execute();
  const own = new Map<number, number | null>([...cats, ...ancestors].map((c) => [c.id, c.default_location_id]));
  const out = new Map<number, number | null>();
  for (const c of cats) {
    const chain = [c.id, ...ancestorIds(c.tree_path).reverse()];
    out.set(c.id, chain.map((id) => own.get(id) ?? null).find((l) => l !== null) ?? null);
  }
  return out;
}

const PART_BRIEF_COLUMNS = [
  'id',
  'name',
  'ipn',
  'revision',
  'description',
  'category_id',
  'default_location_id',
  'default_expiry',
  'active',
  'locked',
  'assembly',
  'component',
  'minimum_stock',
  'is_template',
  'purchaseable',
  'salable',
  'testable',
  'trackable',
  'virtual',
  'units',
] as const;

/** The part, its primary barcode hash and its category in one query. */
const partBriefQuery = prepared((db, a: { ids: number[] }) =>
  db
    .selectFrom('part')
    .leftJoin('part_category as category', 'category.id', 'part.category_id')
    .select(PART_BRIEF_COLUMNS.map((c) => `part.${c}` as const))
    .select((eb) => [
      'category.tree_path as category_tree_path',
      'category.default_location_id as category_location_id',
      primaryHashOf('part', eb.ref('part.id')).as('hash'),
    ])
    .where('part.id', 'in', a.ids),
);

/** What a part brief is made from: the part's columns, its category's and its barcode hash. */
export type PartBriefRow = Awaited<ReturnType<typeof partBriefQuery.execute>>[number];

/** The prefix of a part brief's columns selected beside another table's (`partBriefColumns`). */
const JOINED = 'part__';

/**
 * A part brief's columns for a query that joins `part` and `part_category as category` to
 * another table, each named `part__<name>`; `partBriefRowOf` reads them back.
 */
export function partBriefColumns(eb: ExpressionBuilder<DB & { category: DB['part_category'] }, 'part' | 'category'>) {
  return [
    ...PART_BRIEF_COLUMNS.map((c) => eb.ref(`part.${c}`).as(`${JOINED}${c}`)),
    eb.ref('category.tree_path').as(`${JOINED}category_tree_path`),
    eb.ref('category.default_location_id').as(`${JOINED}category_location_id`),
    primaryHashOf('part', eb.ref('part.id')).as(`${JOINED}hash`),
  ];
}

const BRIEF_ROW_KEYS = [...PART_BRIEF_COLUMNS, 'category_tree_path', 'category_location_id', 'hash'] as const;
const JOINED_KEYS = BRIEF_ROW_KEYS.map((k) => `${JOINED}${k}`);

/** The part brief columns of a row selected with `partBriefColumns`. */
export function partBriefRowOf(row: Record<string, unknown>): PartBriefRow {
  const out: Record<string, unknown> = {};
  for (let i = 0; i < BRIEF_ROW_KEYS.length; i++) out[BRIEF_ROW_KEYS[i] as string] = row[JOINED_KEYS[i] as string];
  return out as PartBriefRow;
}

/** True for the columns `partBriefColumns` adds to a row. */
export const isPartBriefColumn = (key: string): boolean => key.startsWith(JOINED);

/** Loads PartBriefs by id (missing ids are absent from the map). */
export async function loadPartBriefs(db: Executor, ids: readonly number[]): Promise<Map<number, PartBrief>> {
  const wanted = [...new Set(ids)];
  if (wanted.length === 0) return new Map();
  return partBriefsOf(db, await partBriefQuery.execute(db, { ids: wanted }));
}

/** PartBriefs from their rows (the category tree is read only when a default location is inherited). */
export async function partBriefsOf(db: Executor, rows: readonly PartBriefRow[]): Promise<Map<number, PartBrief>> {
  const categories = new Map<number, { id: number; tree_path: string; default_location_id: number | null }>();
  for (const r of rows) {
    if (r.category_id !== null && r.category_tree_path !== null) {
      categories.set(r.category_id, { id: r.category_id, tree_path: r.category_tree_path, default_location_id: r.category_location_id });
    }
  }
  const catLocations = await inheritedDefaultLocations(db, [...categories.values()]);
  const hashes = new Map(rows.map((r) => [r.id, r.hash ?? '']));
  return new Map(
    rows.map((r) => [
      r.id,
      {
        pk: r.id,
        IPN: r.ipn,
        barcode_hash: hashes.get(r.id) ?? '',
        category_default_location: r.category_id === null ? null : (catLocations.get(r.category_id) ?? null),
        default_location: r.default_location_id,
        default_expiry: Number(r.default_expiry),
        name: r.name,
        revision: r.revision,
        full_name: fullName(r),
        description: r.description,
        image: null,
        thumbnail: null,
        active: Boolean(r.active),
        locked: Boolean(r.locked),
        assembly: Boolean(r.assembly),
        component: Boolean(r.component),
        minimum_stock: Number(r.minimum_stock),
        is_template: Boolean(r.is_template),
        purchaseable: Boolean(r.purchaseable),
        salable: Boolean(r.salable),
        testable: Boolean(r.testable),
        trackable: Boolean(r.trackable),
        virtual: Boolean(r.virtual),
        units: r.units,
        pricing_min: null,
        pricing_max: null,
      },
    ]),
  );
}

/**
 * Where stock of each part goes by default: the part's own `default_location`, else the nearest
 * category up the tree that has one (InvenTree's `get_default_location`). Keyed by part id;
 * missing parts are absent.
 */
export async function partDefaultLocations(db: Executor, partIds: readonly number[]): Promise<Map<number, number | null>> {
  const wanted = [...new Set(partIds)];
  if (wanted.length === 0) return new Map();
  const parts = await db.selectFrom('part').select(['id', 'default_location_id', 'category_id']).where('id', 'in', wanted).execute();
  const fromCategories = await categoryDefaultLocations(
    db,
    parts.map((p) => p.category_id).filter((c): c is number => c !== null),
  );
  return new Map(parts.map((p) => [p.id, p.default_location_id ?? (p.category_id === null ? null : (fromCategories.get(p.category_id) ?? null))]));
}
