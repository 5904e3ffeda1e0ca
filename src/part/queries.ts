/**
 * The list queries of `/api/part/` and `/api/part/category/`: filters, search and ordering as
 * InvenTree's filter sets define them (core-api.md §1.2, §7.2, §7.3).
 */
import { sql, type SelectQueryBuilder } from 'kysely';
import type { DB } from '../db/schema.js';
import type { Executor } from '../db/transaction.js';
import { queryBool, queryString, type Query } from '../http/listing.js';
import { categoryExists, locationExists } from './category-service.js';
import { columnMatchers, FilterErrors, iequals, ilike, orderingOf, searchCondition, searchTerms, type Ordering, type OrderSpec } from './listing.js';
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
  const errors = new FilterErrors(query);
  const category = await errors.pk('category', (pk) => categoryExists(db, pk), { allowNull: true });
  const variantOf = await errors.pk('variant_of', (pk) => partExists(db, pk));
  const ancestor = await errors.pk('ancestor', (pk) => partExists(db, pk));
  const excludeTree = await errors.pk('exclude_tree', (pk) => partExists(db, pk));
  const revisionOf = await errors.pk('revision_of', (pk) => partExists(db, pk));
  const defaultLocation = await errors.pk('default_location', (pk) => locationExists(db, pk));
  errors.check();

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
  if (ipn !== undefined && ipn !== '') q = q.where(iequals('part.ipn', ipn));
  const hasIpn = queryBool(query, 'has_ipn');
  if (hasIpn !== undefined) {
    q = hasIpn
      ? q.where('part.ipn', 'is not', null).where('part.ipn', '<>', '')
      : q.where((eb) => eb.or([eb('part.ipn', 'is', null), eb('part.ipn', '=', '')]));
  }
  const isVariant = queryBool(query, 'is_variant');
  if (isVariant !== undefined) q = q.where('part.variant_of_id', isVariant ? 'is not' : 'is', null);
  if (variantOf !== undefined && variantOf !== null) q = q.where('part.variant_of_id', '=', variantOf);
  if (revisionOf !== undefined && revisionOf !== null) q = q.where('part.revision_of_id', '=', revisionOf);
  if (defaultLocation !== undefined && defaultLocation !== null) q = q.where('part.default_location_id', '=', defaultLocation);
  if (ancestor !== undefined && ancestor !== null) {
    const path = await treePathOf(db, 'part', ancestor);
    q = q.where('part.tree_path', 'like', `${path}%`).where('part.id', '<>', ancestor);
    if (path === '') q = q.where(sql<boolean>`1 = 0`);
  }
  if (excludeTree !== undefined && excludeTree !== null) {
    const path = await treePathOf(db, 'part', excludeTree);
    q = q.where('part.id', '<>', excludeTree);
    if (path !== '') q = q.where('part.tree_path', 'not like', `${path}%`);
  }
  const hasStock = queryBool(query, 'has_stock');
  if (hasStock !== undefined) q = q.where(inStockOfPartSql('part.id'), hasStock ? '>' : '<=', 0);
  const lowStock = queryBool(query, 'low_stock');
  if (lowStock === true) q = q.where('part.minimum_stock', '>', 0).where((eb) => eb(totalInStockOfPartSql('part.tree_path'), '<', eb.ref('part.minimum_stock')));
  if (lowStock === false) q = q.where((eb) => eb(totalInStockOfPartSql('part.tree_path'), '>=', eb.ref('part.minimum_stock')));

  const terms = searchTerms(query);
  if (terms.length > 0) {
    q = q.where((eb) =>
      searchCondition(eb, terms, [
        ...columnMatchers(['part.name', 'part.description', 'part.ipn', 'part.revision', 'part.keywords']),
        (term) => eb.exists(db.selectFrom('part_category as sc').select('sc.id').where(sql<boolean>`sc.id = part.category_id`).where(ilike('sc.name', term))),
        (term) => eb.exists(db.selectFrom('manufacturer_part as smp').select('smp.id').where(sql<boolean>`smp.part_id = part.id`).where(ilike('smp.mpn', term))),
        (term) => eb.exists(db.selectFrom('supplier_part as ssp').select('ssp.id').where(sql<boolean>`ssp.part_id = part.id`).where(ilike('ssp.sku', term))),
      ]),
    );
  }
  return q;
}

const PART_ORDERING: Record<string, OrderSpec> = {
  name: { columns: ['part.name'] },
  creation_date: { columns: ['part.creation_date'] },
  IPN: { columns: ['part.ipn'] },
  in_stock: { columns: [inStockOfPartSql('part.id')] },
  total_in_stock: { columns: [totalInStockOfPartSql('part.tree_path')] },
  category: { columns: ['part.category_id'] },
  default_location: { columns: ['part.default_location_id'] },
  units: { columns: ['part.units'] },
  revision: { columns: ['part.revision'] },
  revision_count: { columns: [sql`(select count(*) from part rc where rc.revision_of_id = part.id)`] },
  pk: { columns: ['part.id'] },
  id: { columns: ['part.id'] },
};

export function partOrdering(query: Query): Ordering[] {
  return orderingOf(query, PART_ORDERING, [{ columns: ['part.name'], desc: false }]);
}

/** The filtered category query (no columns selected yet). */
export async function filteredCategories(db: Executor, query: Query): Promise<CategoryQuery> {
  let q: CategoryQuery = db.selectFrom('part_category');
  const errors = new FilterErrors(query);
  const parent = await errors.pk('parent', (pk) => categoryExists(db, pk), { allowNull: true });
  const excludeTree = await errors.pk('exclude_tree', (pk) => categoryExists(db, pk));
  errors.check();
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
  if (excludeTree !== undefined && excludeTree !== null) {
    const path = await treePathOf(db, 'part_category', excludeTree);
    q = q.where('part_category.id', '<>', excludeTree);
    if (path !== '') q = q.where('part_category.tree_path', 'not like', `${path}%`);
  }
  const terms = searchTerms(query);
  if (terms.length > 0) {
    q = q.where((eb) => searchCondition(eb, terms, columnMatchers(['part_category.name', 'part_category.description', 'part_category.pathstring'])));
  }
  return q;
}

const CATEGORY_PART_COUNT = sql`(select count(*) from part pc inner join part_category dc on dc.id = pc.category_id where dc.tree_path like part_category.tree_path || '%')`;

const CATEGORY_ORDERING: Record<string, OrderSpec> = {
  name: { columns: ['part_category.name'] },
  level: { columns: ['part_category.level'] },
  part_count: { columns: [CATEGORY_PART_COUNT] },
  pk: { columns: ['part_category.id'] },
  id: { columns: ['part_category.id'] },
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
  return orderingOf(query, { ...CATEGORY_ORDERING, pathstring: { columns: [tree] }, tree_id: { columns: [tree] }, lft: { columns: [tree] } }, [{ columns: [tree], desc: false }]);
}

const TREE_ORDERING: Record<string, OrderSpec> = {
  level: { columns: ['part_category.level', 'part_category.name'] },
  name: { columns: ['part_category.name', 'part_category.level'] },
  subcategories: { columns: [sql`(select count(*) from part_category ds where ds.tree_path like part_category.tree_path || '%' and ds.id <> part_category.id)`] },
};

export function categoryTreeOrdering(query: Query): Ordering[] {
  return orderingOf(query, TREE_ORDERING, [{ columns: ['part_category.level', 'part_category.name'], desc: false }]);
}
