/**
 * The list queries of `/api/company/`, `/api/company/part/manufacturer/` and
 * `/api/company/part/`: filters, search and ordering as InvenTree defines them
 * (core-api.md §7.1, §7.6, §7.7).
 */
import { sql, type SelectQueryBuilder } from 'kysely';
import type { DB } from '../db/schema.js';
import type { Executor } from '../db/transaction.js';
import { queryBool, queryString, type Query } from '../http/listing.js';
import { columnMatchers, FilterErrors, iequals, ilike, orderingOf, searchCondition, searchTerms, type Ordering, type OrderSpec } from '../part/listing.js';
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
  const terms = searchTerms(query);
  if (terms.length > 0) {
    q = q.where((eb) => searchCondition(eb, terms, columnMatchers(['company.name', 'company.description', 'company.website', 'company.tax_id'])));
  }
  return q;
}

const COMPANY_ORDERING: Record<string, OrderSpec> = {
  name: { columns: ['company.name'] },
  active: { columns: ['company.active'] },
  parts_supplied: { columns: [sql`(select count(*) from supplier_part osp where osp.supplier_id = company.id)`] },
  parts_manufactured: { columns: [sql`(select count(*) from manufacturer_part omp where omp.manufacturer_id = company.id)`] },
  pk: { columns: ['company.id'] },
  id: { columns: ['company.id'] },
};

export function companyOrdering(query: Query): Ordering[] {
  return orderingOf(query, COMPANY_ORDERING, [{ columns: ['company.name'], desc: false }]);
}

// --- ManufacturerPart ------------------------------------------------------------------------

export async function filteredManufacturerParts(db: Executor, query: Query): Promise<ManufacturerPartQuery> {
  let q: ManufacturerPartQuery = db.selectFrom('manufacturer_part');
  const errors = new FilterErrors(query);
  const manufacturer = await errors.pk('manufacturer', (pk) => companyExists(db, pk));
  const part = await errors.pk('part', (pk) => partExists(db, pk));
  errors.check();
  if (manufacturer != null) q = q.where('manufacturer_part.manufacturer_id', '=', manufacturer);
  if (part != null) q = q.where('manufacturer_part.part_id', '=', part);
  const mpn = queryString(query, 'MPN');
  if (mpn !== undefined && mpn !== '') q = q.where('manufacturer_part.mpn', '=', mpn);
  const partActive = queryBool(query, 'part_active');
  if (partActive !== undefined) q = q.where('manufacturer_part.part_id', 'in', db.selectFrom('part').select('id').where('active', '=', partActive));
  const manufacturerActive = queryBool(query, 'manufacturer_active');
  if (manufacturerActive !== undefined) {
    q = q.where('manufacturer_part.manufacturer_id', 'in', db.selectFrom('company').select('id').where('active', '=', manufacturerActive));
  }
  const terms = searchTerms(query);
  if (terms.length > 0) {
    q = q.where((eb) =>
      searchCondition(eb, terms, [
        ...columnMatchers(['manufacturer_part.description', 'manufacturer_part.mpn']),
        (term) => eb.exists(db.selectFrom('company as mc').select('mc.id').where(sql<boolean>`mc.id = manufacturer_part.manufacturer_id`).where(ilike('mc.name', term))),
        (term) =>
          eb.exists(
            db
              .selectFrom('part as mpp')
              .select('mpp.id')
              .where(sql<boolean>`mpp.id = manufacturer_part.part_id`)
              .where((e) => e.or([ilike('mpp.ipn', term), ilike('mpp.name', term), ilike('mpp.description', term)])),
          ),
      ]),
    );
  }
  return q;
}

const MANUFACTURER_PART_ORDERING: Record<string, OrderSpec> = {
  part: { columns: [sql`(select op.name from part op where op.id = manufacturer_part.part_id)`] },
  IPN: { columns: [sql`(select op.ipn from part op where op.id = manufacturer_part.part_id)`] },
  MPN: { columns: ['manufacturer_part.mpn'] },
  manufacturer: { columns: [sql`(select oc.name from company oc where oc.id = manufacturer_part.manufacturer_id)`] },
  pk: { columns: ['manufacturer_part.id'] },
  id: { columns: ['manufacturer_part.id'] },
};

export function manufacturerPartOrdering(query: Query): Ordering[] {
  return orderingOf(query, MANUFACTURER_PART_ORDERING, []);
}

// --- SupplierPart ----------------------------------------------------------------------------

export async function filteredSupplierParts(db: Executor, query: Query): Promise<SupplierPartQuery> {
  let q: SupplierPartQuery = db.selectFrom('supplier_part');
  const errors = new FilterErrors(query);
  const supplier = await errors.pk('supplier', (pk) => companyExists(db, pk));
  const part = await errors.pk('part', (pk) => partExists(db, pk));
  const manufacturerPart = await errors.pk('manufacturer_part', (pk) => manufacturerPartExists(db, pk));
  const manufacturer = await errors.pk('manufacturer', (pk) => companyExists(db, pk));
  const company = await errors.pk('company', (pk) => companyExists(db, pk));
  errors.check();
  const mpWhere = () => db.selectFrom('manufacturer_part').select('id');
  if (supplier != null) q = q.where('supplier_part.supplier_id', '=', supplier);
  if (part != null) q = q.where('supplier_part.part_id', '=', part);
  if (manufacturerPart != null) q = q.where('supplier_part.manufacturer_part_id', '=', manufacturerPart);
  if (manufacturer != null) q = q.where('supplier_part.manufacturer_part_id', 'in', mpWhere().where('manufacturer_id', '=', manufacturer));
  if (company != null) {
    q = q.where((eb) =>
      eb.or([eb('supplier_part.supplier_id', '=', company), eb('supplier_part.manufacturer_part_id', 'in', mpWhere().where('manufacturer_id', '=', company))]),
    );
  }
  const sku = queryString(query, 'SKU');
  if (sku !== undefined && sku !== '') q = q.where(iequals('supplier_part.sku', sku));
  const mpn = queryString(query, 'MPN');
  if (mpn !== undefined && mpn !== '') q = q.where('supplier_part.manufacturer_part_id', 'in', mpWhere().where(iequals('mpn', mpn)));
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

  const terms = searchTerms(query);
  if (terms.length > 0) {
    q = q.where((eb) =>
      searchCondition(eb, terms, [
        ...columnMatchers(['supplier_part.sku', 'supplier_part.description']),
        (term) => eb.exists(db.selectFrom('company as sc').select('sc.id').where(sql<boolean>`sc.id = supplier_part.supplier_id`).where(ilike('sc.name', term))),
        (term) =>
          eb.exists(
            db
              .selectFrom('manufacturer_part as smp')
              .leftJoin('company as smc', 'smc.id', 'smp.manufacturer_id')
              .select('smp.id')
              .where(sql<boolean>`smp.id = supplier_part.manufacturer_part_id`)
              .where((e) => e.or([ilike('smp.mpn', term), ilike('smc.name', term)])),
          ),
        (term) =>
          eb.exists(
            db
              .selectFrom('part as spp')
              .select('spp.id')
              .where(sql<boolean>`spp.id = supplier_part.part_id`)
              .where((e) => e.or([ilike('spp.ipn', term), ilike('spp.name', term), ilike('spp.description', term), ilike('spp.keywords', term)])),
          ),
      ]),
    );
  }
  return q;
}

const SUPPLIER_PART_ORDERING: Record<string, OrderSpec> = {
  SKU: { columns: ['supplier_part.sku'] },
  part: { columns: [sql`(select op.name from part op where op.id = supplier_part.part_id)`] },
  supplier: { columns: [sql`(select oc.name from company oc where oc.id = supplier_part.supplier_id)`] },
  manufacturer: {
    columns: [sql`(select oc.name from manufacturer_part om inner join company oc on oc.id = om.manufacturer_id where om.id = supplier_part.manufacturer_part_id)`],
  },
  MPN: { columns: [sql`(select om.mpn from manufacturer_part om where om.id = supplier_part.manufacturer_part_id)`] },
  packaging: { columns: ['supplier_part.packaging'] },
  pack_quantity: { columns: ['supplier_part.pack_quantity_native'] },
  in_stock: { columns: [inStockOfSupplierPartSql('supplier_part.id')] },
  primary: { columns: ['supplier_part.is_primary'] },
  pk: { columns: ['supplier_part.id'] },
  id: { columns: ['supplier_part.id'] },
};

export function supplierPartOrdering(query: Query): Ordering[] {
  return orderingOf(query, SUPPLIER_PART_ORDERING, []);
}
