/**
 * The list queries of `/api/part/` and `/api/part/category/`: filters, search and ordering as
 * InvenTree's filter sets define them (core-api.md §1.2, §7.2, §7.3).
 */
import { sql, type SelectQueryBuilder, type SqlBool } from 'kysely';
import type { DB } from '../db/schema.js';
import type { Executor } from '../db/transaction.js';
import { icontains, iexact, ListFilters, orderingOf, queryBool, queryString, searchCondition, type Ordering, type OrderingFields, type Query } from '../http/listing.js';
import { categoryExists, locationExists } from './category-service.js';
import { partExists } from './service.js';
import { inStockOfPartSql, totalInStockOfPartSql } from './stock.js';

type PartQuery = SelectQueryBuilder<DB, 'part', {}>;
type CategoryQuery = SelectQueryBuilder<DB, 'part_category', {}>;

const PART_BOOL_FILTERS = ['active', 'purchaseable', 'salable', 'assembly', 'component', 'trackable', 'testable', 'virtual', 'is_template', 'locked'] as const;

async function treePathOf(db: Executor, table: 'part' | 'part_category', id: number): Promise<string> {
  const row = await db.selectFrom(table).select('tree_path').where('id', '=', id).executeTakeFirst();
  return row?.tree_path ?? '';
}

/** The filtered part query (no columns selected yet). */
export async function filteredParts(db: Executor, query: Query): Promise<PartQuery> {
  let q: PartQuery = db.selectFrom('part');
  const filters = new ListFilters(db, query);
  const category = await filters.pkOrNull('category', categoryExists);
  const variantOf = await filters.pk('variant_of', partExists);
  const ancestor = await filters.pk('ancestor', partExists);
  const excludeTree = await filters.pk('exclude_tree', partExists);
  const revisionOf = await filters.pk('revision_of', partExists);
  const defaultLocation = await filters.pk('default_location', locationExists);
  filters.check();

  if (category === null) q = q.where('part.category_id', 'is', null);
  else if (category !== undefined) {
    const cascade = queryBool(query, 'cascade') ?? true;
    if (cascade) {
      const path = await treePathOf(db, 'part_category', category);
      q = q.where('part.category_id', 'in', db.selectFrom('part_category').select('id').where('tree_path', 'like', `${path}%`));
    } else q = q.where('part.category_id', '=', category);
  }
  for (const flag of PART_BOOL_FILTERS) {
    const value = queryBool(query, flag);
    if (value !== undefined) q = q.where(`part.${flag}`, '=', value);
  }
  const ipn = queryString(query, 'IPN');
  if (ipn !== undefined && ipn !== '') q = q.where(iexact('part.ipn', ipn));
  const hasIpn = queryBool(query, 'has_ipn');
  if (hasIpn !== undefined) {
    q = hasIpn
      ? q.where('part.ipn', 'is not', null).where('part.ipn', '<>', '')
      : q.where((eb) => eb.or([eb('part.ipn', 'is', null), eb('part.ipn', '=', '')]));
  }
  const isVariant = queryBool(query, 'is_variant');
  if (isVariant !== undefined) q = q.where('part.variant_of_id', isVariant ? 'is not' : 'is', null);
  if (variantOf !== undefined) q = q.where('part.variant_of_id', '=', variantOf);
  if (revisionOf !== undefined) q = q.where('part.revision_of_id', '=', revisionOf);
  if (defaultLocation !== undefined) q = q.where('part.default_location_id', '=', defaultLocation);
  if (ancestor !== undefined) {
    const path = await treePathOf(db, 'part', ancestor);
    q = q.where('part.tree_path', 'like', `${path}%`).where('part.id', '<>', ancestor);
    if (path === '') q = q.where(sql<boolean>`1 = 0`);
  }
  if (excludeTree !== undefined) {
    const path = await treePathOf(db, 'part', excludeTree);
    q = q.where('part.id', '<>', excludeTree);
    if (path !== '') q = q.where('part.tree_path', 'not like', `${path}%`);
  }
  const hasStock = queryBool(query, 'has_stock');
  if (hasStock !== undefined) q = q.where(inStockOfPartSql('part.id'), hasStock ? '>' : '<=', 0);
  const lowStock = queryBool(query, 'low_stock');
  if (lowStock === true) q = q.where('part.minimum_stock', '>', 0).where((eb) => eb(totalInStockOfPartSql('part.tree_path'), '<', eb.ref('part.minimum_stock')));
  if (lowStock === false) q = q.where((eb) => eb(totalInStockOfPartSql('part.tree_path'), '>=', eb.ref('part.minimum_stock')));

  const search = searchCondition(query, [
    'part.name',
    'part.description',
    'part.ipn',
    'part.revision',
    'part.keywords',
    (term) => sql<SqlBool>`exists (select 1 from part_category sc where sc.id = part.category_id and ${icontains('sc.name', term)})`,
    (term) => sql<SqlBool>`exists (select 1 from manufacturer_part smp where smp.part_id = part.id and ${icontains('smp.mpn', term)})`,
    (term) => sql<SqlBool>`exists (select 1 from supplier_part ssp where ssp.part_id = part.id and ${icontains('ssp.sku', term)})`,
  ]);
  if (search !== undefined) q = q.where(search);
  return q;
}

const PART_ORDERING: OrderingFields = {
  name: ['part.name'],
  creation_date: ['part.creation_date'],
  IPN: ['part.ipn'],
  in_stock: [inStockOfPartSql('part.id')],
  total_in_stock: [totalInStockOfPartSql('part.tree_path')],
  category: ['part.category_id'],
  default_location: ['part.default_location_id'],
  units: ['part.units'],
  revision: ['part.revision'],
  revision_count: [sql`(select count(*) from part rc where rc.revision_of_id = part.id)`],
  pk: ['part.id'],
  id: ['part.id'],
};

export function partOrdering(query: Query): Ordering[] {
  return orderingOf(query, PART_ORDERING, 'name');
}

/** The filtered category query (no columns selected yet). */
export async function filteredCategories(db: Executor, query: Query): Promise<CategoryQuery> {
  let q: CategoryQuery = db.selectFrom('part_category');
  const filters = new ListFilters(db, query);
  const parent = await filters.pkOrNull('parent', categoryExists);
  const excludeTree = await filters.pk('exclude_tree', categoryExists);
  filters.check();
  const cascadeParam = queryBool(query, 'cascade');
  const cascade = cascadeParam ?? false;
  const topLevel = queryBool(query, 'top_level');

  if (parent === null) {
    if (!cascade) q = q.where('part_category.parent_id', 'is', null);
  } else if (parent !== undefined) {
    if (cascade) {
      const path = await treePathOf(db, 'part_category', parent);
      q = q.where('part_category.tree_path', 'like', `${path}%`).where('part_category.id', '<>', parent);
    } else q = q.where('part_category.parent_id', '=', parent);
  } else if (cascadeParam === false) {
    // InvenTree: `cascade=false` without a parent lists the top level only.
    q = q.where('part_category.parent_id', 'is', null);
  }
  if (topLevel === true && !cascade) q = q.where('part_category.parent_id', 'is', null);
  if (topLevel === false) q = q.where('part_category.parent_id', 'is not', null);
  const structural = queryBool(query, 'structural');
  if (structural !== undefined) q = q.where('part_category.structural', '=', structural);
  const name = queryString(query, 'name');
  if (name !== undefined && name !== '') q = q.where('part_category.name', '=', name);
  if (excludeTree !== undefined) {
    const path = await treePathOf(db, 'part_category', excludeTree);
    q = q.where('part_category.id', '<>', excludeTree);
    if (path !== '') q = q.where('part_category.tree_path', 'not like', `${path}%`);
  }
  const search = searchCondition(query, ['part_category.name', 'part_category.description', 'part_category.pathstring']);
  if (search !== undefined) q = q.where(search);
  return q;
}

const CATEGORY_PART_COUNT = sql`(select count(*) from part pc inner join part_category dc on dc.id = pc.category_id where dc.tree_path like part_category.tree_path || '%')`;

const CATEGORY_ORDERING: OrderingFields = {
  name: ['part_category.name'],
  level: ['part_category.level'],
  part_count: [CATEGORY_PART_COUNT],
  pk: ['part_category.id'],
  id: ['part_category.id'],
};

/**
 * Tree order: each node followed by its subtree, siblings by name. The pathstring with its
 * separator mapped below every printable character, compared byte-wise, gives exactly that on
 * both databases whatever PostgreSQL's collation.
 */
export function treeOrderKey(dialect: 'sqlite' | 'postgres') {
  return dialect === 'postgres' ? sql`replace(part_category.pathstring, '/', chr(1)) collate "C"` : sql`replace(part_category.pathstring, '/', char(1))`;
}

/** Default: tree order. */
export function categoryOrdering(query: Query, dialect: 'sqlite' | 'postgres'): Ordering[] {
  const tree = treeOrderKey(dialect);
  return orderingOf(query, { ...CATEGORY_ORDERING, pathstring: [tree], tree_id: [tree], lft: [tree] }, 'pathstring');
}

const TREE_ORDERING: OrderingFields = {
  level: ['part_category.level', 'part_category.name'],
  name: ['part_category.name', 'part_category.level'],
  subcategories: [sql`(select count(*) from part_category ds where ds.tree_path like part_category.tree_path || '%' and ds.id <> part_category.id)`],
};

export function categoryTreeOrdering(query: Query): Ordering[] {
  return orderingOf(query, TREE_ORDERING, 'level');
}
