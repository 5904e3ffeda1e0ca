/**
 * PartCategory as the API shows it (core-api.md §7.2): the full object, the tree endpoint's
 * short form, and the `path` list. Everything for a page is loaded in a few grouped queries.
 */
import { Type, type Static } from '@sinclair/typebox';
import { sql } from 'kysely';
import { ancestorIds } from '../db/tree.js';
import type { Executor } from '../db/transaction.js';
import { Nullable } from '../http/schema.js';
import { categoryDefaultLocations } from './brief.js';

export const PathEntrySchema = Type.Object({ pk: Type.Integer(), name: Type.String(), icon: Type.String() });
export type PathEntry = Static<typeof PathEntrySchema>;

export const CategorySchema = Type.Object({
  pk: Type.Integer(),
  name: Type.String(),
  description: Type.String(),
  default_location: Nullable(Type.Integer()),
  default_keywords: Type.String(),
  level: Type.Integer(),
  parent: Nullable(Type.Integer()),
  part_count: Type.Integer(),
  subcategories: Type.Integer(),
  pathstring: Type.String(),
  path: Type.Optional(Type.Array(PathEntrySchema)),
  starred: Type.Boolean(),
  structural: Type.Boolean(),
  icon: Type.String(),
  parent_default_location: Nullable(Type.Integer()),
});
export type CategoryBody = Static<typeof CategorySchema>;

export const CategoryTreeSchema = Type.Object({
  pk: Type.Integer(),
  name: Type.String(),
  parent: Nullable(Type.Integer()),
  icon: Type.String(),
  structural: Type.Boolean(),
  subcategories: Type.Integer(),
});
export type CategoryTreeBody = Static<typeof CategoryTreeSchema>;

export const CATEGORY_COLUMNS = [
  'id',
  'name',
  'description',
  'parent_id',
  'pathstring',
  'level',
  'tree_path',
  'default_location_id',
  'default_keywords',
  'structural',
  'icon',
] as const;

export interface CategoryRow {
  id: number;
  name: string;
  description: string;
  parent_id: number | null;
  pathstring: string;
  level: number;
  tree_path: string;
  default_location_id: number | null;
  default_keywords: string;
  structural: unknown;
  icon: string;
}

function counts(rows: readonly { id: number; n: unknown }[]): Map<number, number> {
  return new Map(rows.map((r) => [r.id, Number(r.n ?? 0)]));
}

/** Number of descendant categories (all depths) of each category. */
export async function subcategoryCounts(db: Executor, ids: readonly number[]): Promise<Map<number, number>> {
  if (ids.length === 0) return new Map();
  const rows = await db
    .selectFrom('part_category as anc')
    .innerJoin('part_category as d', (join) =>
      join.on((eb) => eb.and([eb('d.tree_path', 'like', sql<string>`anc.tree_path || '%'`), eb('d.id', '<>', eb.ref('anc.id'))])),
    )
    .select((eb) => ['anc.id as id', eb.fn.count<number>('d.id').as('n')])
    .where('anc.id', 'in', [...ids])
    .where('anc.tree_path', '<>', '')
    .groupBy('anc.id')
    .execute();
  return counts(rows);
}

/** Number of parts in each category and its subcategories. */
export async function partCounts(db: Executor, ids: readonly number[]): Promise<Map<number, number>> {
  if (ids.length === 0) return new Map();
  const rows = await db
    .selectFrom('part_category as anc')
    .innerJoin('part_category as d', (join) => join.on((eb) => eb('d.tree_path', 'like', sql<string>`anc.tree_path || '%'`)))
    .innerJoin('part as p', 'p.category_id', 'd.id')
    .select((eb) => ['anc.id as id', eb.fn.count<number>('p.id').as('n')])
    .where('anc.id', 'in', [...ids])
    .where('anc.tree_path', '<>', '')
    .groupBy('anc.id')
    .execute();
  return counts(rows);
}

/** `path` lists for categories: `{pk, name, icon}` from the root down to the category itself. */
export async function categoryPaths(db: Executor, rows: readonly { id: number; tree_path: string }[]): Promise<Map<number, PathEntry[]>> {
  const wanted = new Set<number>();
  for (const r of rows) {
    wanted.add(r.id);
    for (const a of ancestorIds(r.tree_path)) wanted.add(a);
  }
  if (wanted.size === 0) return new Map();
  const nodes = await db.selectFrom('part_category').select(['id', 'name', 'icon']).where('id', 'in', [...wanted]).execute();
  const byId = new Map(nodes.map((n) => [n.id, { pk: n.id, name: n.name, icon: n.icon }]));
  return new Map(
    rows.map((r) => [
      r.id,
      [...ancestorIds(r.tree_path), r.id].map((id) => byId.get(id)).filter((e): e is PathEntry => e !== undefined),
    ]),
  );
}

/** Serialises a page of category rows. */
export async function serializeCategories(db: Executor, rows: readonly CategoryRow[], options: { path: boolean }): Promise<CategoryBody[]> {
  const ids = rows.map((r) => r.id);
  const parentIds = rows.map((r) => r.parent_id).filter((p): p is number => p !== null);
  const [parts, subs, parentLocations, paths] = await Promise.all([
    partCounts(db, ids),
    subcategoryCounts(db, ids),
    categoryDefaultLocations(db, parentIds),
    options.path ? categoryPaths(db, rows) : Promise.resolve(new Map<number, PathEntry[]>()),
  ]);
  return rows.map((r) => ({
    pk: r.id,
    name: r.name,
    description: r.description,
    default_location: r.default_location_id,
    default_keywords: r.default_keywords,
    level: Number(r.level),
    parent: r.parent_id,
    part_count: parts.get(r.id) ?? 0,
    subcategories: subs.get(r.id) ?? 0,
    pathstring: r.pathstring,
    ...(options.path ? { path: paths.get(r.id) ?? [] } : {}),
    starred: false,
    structural: Boolean(r.structural),
    icon: r.icon,
    parent_default_location: r.parent_id === null ? null : (parentLocations.get(r.parent_id) ?? null),
  }));
}

/** Loads and serialises categories by id (missing ids are absent). */
export async function loadCategories(db: Executor, ids: readonly (number | null)[], options: { path: boolean } = { path: false }): Promise<Map<number, CategoryBody>> {
  const wanted = [...new Set(ids.filter((i): i is number => i !== null))];
  if (wanted.length === 0) return new Map();
  const rows = await db.selectFrom('part_category').select(CATEGORY_COLUMNS).where('id', 'in', wanted).execute();
  const bodies = await serializeCategories(db, rows, options);
  return new Map(bodies.map((b) => [b.pk, b]));
}

/** Serialises rows for the tree endpoint. */
export async function serializeCategoryTree(db: Executor, rows: readonly CategoryRow[]): Promise<CategoryTreeBody[]> {
  const subs = await subcategoryCounts(
    db,
    rows.map((r) => r.id),
  );
  return rows.map((r) => ({
    pk: r.id,
    name: r.name,
    parent: r.parent_id,
    icon: r.icon,
    structural: Boolean(r.structural),
    subcategories: subs.get(r.id) ?? 0,
  }));
}
