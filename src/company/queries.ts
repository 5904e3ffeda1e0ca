/**
 * The list queries of `/api/company/`, `/api/company/part/manufacturer/` and
 * `/api/company/part/`: filters, search and ordering as InvenTree defines them
 * (core-api.md §7.1, §7.6, §7.7).
 */
import { sql, type SelectQueryBuilder, type SqlBool } from 'kysely';
import type { DB } from '../db/schema.js';
import type { Executor } from '../db/transaction.js';
import { icontains, iexact, ListFilters, orderingOf, queryBool, queryString, searchCondition, type Ordering, type OrderingFields, type Query } from '../http/listing.js';
import { partExists } from '../part/service.js';
import { inStockOfSupplierPartSql } from '../part/stock.js';
import { companyExists, manufacturerPartExists } from './service.js';

type CompanyQuery = SelectQueryBuilder<DB, 'company', {}>;
type ManufacturerPartQuery = SelectQueryBuilder<DB, 'manufacturer_part', {}>;
type SupplierPartQuery = SelectQueryBuilder<DB, 'supplier_part', {}>;

// --- Company -------------------------------------------------------------------------------

export function filteredCompanies(db: Executor, query: Query): CompanyQuery {
  let q: CompanyQuery = db.selectFrom('company');
  for (const flag of ['is_customer', 'is_manufacturer', 'is_supplier', 'active'] as const) {
    const value = queryBool(query, flag);
    if (value !== undefined) q = q.where(`company.${flag}`, '=', value);
  }
  const name = queryString(query, 'name');
  if (name !== undefined && name !== '') q = q.where('company.name', '=', name);
  const search = searchCondition(query, ['company.name', 'company.description', 'company.website', 'company.tax_id']);
  if (search !== undefined) q = q.where(search);
  return q;
}

const COMPANY_ORDERING: OrderingFields = {
  name: ['company.name'],
  active: ['company.active'],
  parts_supplied: [sql`(select count(*) from supplier_part osp where osp.supplier_id = company.id)`],
  parts_manufactured: [sql`(select count(*) from manufacturer_part omp where omp.manufacturer_id = company.id)`],
  pk: ['company.id'],
  id: ['company.id'],
};

export function companyOrdering(query: Query): Ordering[] {
  return orderingOf(query, COMPANY_ORDERING, 'name');
}

// --- ManufacturerPart ------------------------------------------------------------------------

export async function filteredManufacturerParts(db: Executor, query: Query): Promise<ManufacturerPartQuery> {
  let q: ManufacturerPartQuery = db.selectFrom('manufacturer_part');
  const filters = new ListFilters(db, query);
  const manufacturer = await filters.pk('manufacturer', companyExists);
  const part = await filters.pk('part', partExists);
  filters.check();
  if (manufacturer !== undefined) q = q.where('manufacturer_part.manufacturer_id', '=', manufacturer);
  if (part !== undefined) q = q.where('manufacturer_part.part_id', '=', part);
  const mpn = queryString(query, 'MPN');
  if (mpn !== undefined && mpn !== '') q = q.where('manufacturer_part.mpn', '=', mpn);
  const partActive = queryBool(query, 'part_active');
  if (partActive !== undefined) q = q.where('manufacturer_part.part_id', 'in', db.selectFrom('part').select('id').where('active', '=', partActive));
  const manufacturerActive = queryBool(query, 'manufacturer_active');
  if (manufacturerActive !== undefined) {
    q = q.where('manufacturer_part.manufacturer_id', 'in', db.selectFrom('company').select('id').where('active', '=', manufacturerActive));
  }
  const search = searchCondition(query, [
    'manufacturer_part.description',
    'manufacturer_part.mpn',
    (term) => sql<SqlBool>`exists (select 1 from company mc where mc.id = manufacturer_part.manufacturer_id and ${icontains('mc.name', term)})`,
    (term) =>
      sql<SqlBool>`exists (select 1 from part mpp where mpp.id = manufacturer_part.part_id
        and (${icontains('mpp.ipn', term)} or ${icontains('mpp.name', term)} or ${icontains('mpp.description', term)}))`,
  ]);
  if (search !== undefined) q = q.where(search);
  return q;
}

const MANUFACTURER_PART_ORDERING: OrderingFields = {
  part: [sql`(select op.name from part op where op.id = manufacturer_part.part_id)`],
  IPN: [sql`(select op.ipn from part op where op.id = manufacturer_part.part_id)`],
  MPN: ['manufacturer_part.mpn'],
  manufacturer: [sql`(select oc.name from company oc where oc.id = manufacturer_part.manufacturer_id)`],
  pk: ['manufacturer_part.id'],
  id: ['manufacturer_part.id'],
};

export function manufacturerPartOrdering(query: Query): Ordering[] {
  return orderingOf(query, MANUFACTURER_PART_ORDERING);
}

// --- SupplierPart ----------------------------------------------------------------------------

export async function filteredSupplierParts(db: Executor, query: Query): Promise<SupplierPartQuery> {
  let q: SupplierPartQuery = db.selectFrom('supplier_part');
  const filters = new ListFilters(db, query);
  const supplier = await filters.pk('supplier', companyExists);
  const part = await filters.pk('part', partExists);
  const manufacturerPart = await filters.pk('manufacturer_part', manufacturerPartExists);
  const manufacturer = await filters.pk('manufacturer', companyExists);
  const company = await filters.pk('company', companyExists);
  filters.check();
  const mpWhere = () => db.selectFrom('manufacturer_part').select('id');
  if (supplier !== undefined) q = q.where('supplier_part.supplier_id', '=', supplier);
  if (part !== undefined) q = q.where('supplier_part.part_id', '=', part);
  if (manufacturerPart !== undefined) q = q.where('supplier_part.manufacturer_part_id', '=', manufacturerPart);
  if (manufacturer !== undefined) q = q.where('supplier_part.manufacturer_part_id', 'in', mpWhere().where('manufacturer_id', '=', manufacturer));
  if (company !== undefined) {
    q = q.where((eb) =>
      eb.or([eb('supplier_part.supplier_id', '=', company), eb('supplier_part.manufacturer_part_id', 'in', mpWhere().where('manufacturer_id', '=', company))]),
    );
  }
  const sku = queryString(query, 'SKU');
  if (sku !== undefined && sku !== '') q = q.where(iexact('supplier_part.sku', sku));
  const mpn = queryString(query, 'MPN');
  if (mpn !== undefined && mpn !== '') q = q.where('supplier_part.manufacturer_part_id', 'in', mpWhere().where(iexact('mpn', mpn)));
  const active = queryBool(query, 'active');
  if (active !== undefined) q = q.where('supplier_part.active', '=', active);
  const primary = queryBool(query, 'primary');
  if (primary !== undefined) q = q.where('supplier_part.is_primary', '=', primary);
  const partActive = queryBool(query, 'part_active');
  if (partActive !== undefined) q = q.where('supplier_part.part_id', 'in', db.selectFrom('part').select('id').where('active', '=', partActive));
  const supplierActive = queryBool(query, 'supplier_active');
  if (supplierActive !== undefined) q = q.where('supplier_part.supplier_id', 'in', db.selectFrom('company').select('id').where('active', '=', supplierActive));
  const hasStock = queryBool(query, 'has_stock');
  if (hasStock !== undefined) q = q.where(inStockOfSupplierPartSql('supplier_part.id'), hasStock ? '>' : '<=', 0);

  const search = searchCondition(query, [
    'supplier_part.sku',
    'supplier_part.description',
    (term) => sql<SqlBool>`exists (select 1 from company sc where sc.id = supplier_part.supplier_id and ${icontains('sc.name', term)})`,
    (term) =>
      sql<SqlBool>`exists (select 1 from manufacturer_part smp left join company smc on smc.id = smp.manufacturer_id
        where smp.id = supplier_part.manufacturer_part_id and (${icontains('smp.mpn', term)} or ${icontains('smc.name', term)}))`,
    (term) =>
      sql<SqlBool>`exists (select 1 from part spp where spp.id = supplier_part.part_id
        and (${icontains('spp.ipn', term)} or ${icontains('spp.name', term)} or ${icontains('spp.description', term)} or ${icontains('spp.keywords', term)}))`,
  ]);
  if (search !== undefined) q = q.where(search);
  return q;
}

const SUPPLIER_PART_ORDERING: OrderingFields = {
  SKU: ['supplier_part.sku'],
  part: [sql`(select op.name from part op where op.id = supplier_part.part_id)`],
  supplier: [sql`(select oc.name from company oc where oc.id = supplier_part.supplier_id)`],
  manufacturer: [sql`(select oc.name from manufacturer_part om inner join company oc on oc.id = om.manufacturer_id where om.id = supplier_part.manufacturer_part_id)`],
  MPN: [sql`(select om.mpn from manufacturer_part om where om.id = supplier_part.manufacturer_part_id)`],
  packaging: ['supplier_part.packaging'],
  pack_quantity: ['supplier_part.pack_quantity_native'],
  in_stock: [inStockOfSupplierPartSql('supplier_part.id')],
  primary: ['supplier_part.is_primary'],
  pk: ['supplier_part.id'],
  id: ['supplier_part.id'],
};

export function supplierPartOrdering(query: Query): Ordering[] {
  return orderingOf(query, SUPPLIER_PART_ORDERING);
}
