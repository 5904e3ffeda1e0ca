/**
 * Companies, manufacturer parts and supplier parts: `/api/company/...`
 * (core-api.md §7.1, §7.6, §7.7).
 */
import type { FastifyInstance } from 'fastify';
import { notFound } from '../http/errors.js';
import * as f from '../http/fields.js';
import { listResponse, paginate } from '../http/pagination.js';
import { PK_PARAM, pkParam } from '../http/params.js';
import { applyOrdering, detailFlag, queryOf, type Query } from '../http/listing.js';
import {
  companyOrdering,
  filteredCompanies,
  filteredManufacturerParts,
  filteredSupplierParts,
  manufacturerPartOrdering,
  supplierPartOrdering,
} from './queries.js';
import {
  COMPANY_COLUMNS,
  CompanySchema,
  MANUFACTURER_PART_COLUMNS,
  ManufacturerPartSchema,
  serializeCompanies,
  serializeManufacturerParts,
  serializeSupplierParts,
  SUPPLIER_PART_COLUMNS,
  SUPPLIER_PART_DEFAULTS,
  SupplierPartSchema,
  type ManufacturerPartOptions,
  type SupplierPartOptions,
} from './serializers.js';
import {
  CompanyCreateForm,
  CompanyUpdateForm,
  createCompany,
  createManufacturerPart,
  createSupplierPart,
  deleteCompany,
  deleteManufacturerPart,
  deleteSupplierPart,
  loadCompanyRow,
  loadManufacturerPartRow,
  loadSupplierPartRow,
  ManufacturerPartCreateForm,
  ManufacturerPartUpdateForm,
  SupplierPartCreateForm,
  SupplierPartUpdateForm,
  updateCompany,
  updateManufacturerPart,
  updateSupplierPart,
} from './service.js';

const TAGS = ['company'];
const COMPANY_PERMISSION = { permission: { model: 'company_company' } };
const MANUFACTURER_PART_PERMISSION = { permission: { model: 'company_manufacturerpart' } };
const SUPPLIER_PART_PERMISSION = { permission: { model: 'company_supplierpart' } };

function countOf(row: { n: unknown } | undefined): number {
  return Number(row?.n ?? 0);
}

function manufacturerPartOptions(query: Query, detail: boolean): ManufacturerPartOptions {
  return {
    partDetail: detailFlag(query, 'part_detail', true),
    manufacturerDetail: detailFlag(query, 'manufacturer_detail', true),
    pretty: detailFlag(query, 'pretty', false),
    notes: detail,
    parameters: detailFlag(query, 'parameters', false),
  };
}

function supplierPartOptions(query: Query, detail: boolean): SupplierPartOptions {
  return {
    partDetail: detailFlag(query, 'part_detail', SUPPLIER_PART_DEFAULTS.partDetail),
    supplierDetail: detailFlag(query, 'supplier_detail', SUPPLIER_PART_DEFAULTS.supplierDetail),
    manufacturerDetail: detailFlag(query, 'manufacturer_detail', SUPPLIER_PART_DEFAULTS.manufacturerDetail),
    manufacturerPartDetail: detailFlag(query, 'manufacturer_part_detail', SUPPLIER_PART_DEFAULTS.manufacturerPartDetail),
    pretty: detailFlag(query, 'pretty', SUPPLIER_PART_DEFAULTS.pretty),
    notes: detail,
  };
}

export async function companyRoutes(app: FastifyInstance): Promise<void> {
  const { db, database, settings } = app.ctx;
  const ctx = { db };

  // Manufacturer parts (registered before `/api/company/<pk>/` for clarity; paths differ) --------
  async function manufacturerPartBody(id: number, options: ManufacturerPartOptions) {
    const [body] = await serializeManufacturerParts(db, [await loadManufacturerPartRow(db, id)], options);
    if (body === undefined) throw notFound('ManufacturerPart');
    return body;
  }

  app.get(
    '/api/company/part/manufacturer/',
    { config: MANUFACTURER_PART_PERMISSION, schema: { tags: TAGS, summary: 'List manufacturer parts', response: { 200: listResponse(ManufacturerPartSchema) } } },
    async (request) => {
      const query = queryOf(request);
      const q = await filteredManufacturerParts(db, query);
      const options = manufacturerPartOptions(query, false);
      return paginate(
        request,
        async () => countOf(await q.select((eb) => eb.fn.countAll().as('n')).executeTakeFirst()),
        async (page) => {
          let rows = applyOrdering(q.select(MANUFACTURER_PART_COLUMNS.map((c) => `manufacturer_part.${c}` as const)), manufacturerPartOrdering(query), 'manufacturer_part.id');
          if (page !== undefined) rows = rows.limit(page.limit).offset(page.offset);
          return serializeManufacturerParts(db, await rows.execute(), options);
        },
      );
    },
  );

  app.post(
    '/api/company/part/manufacturer/',
    {
      config: MANUFACTURER_PART_PERMISSION,
      schema: { tags: TAGS, summary: 'Create a manufacturer part', body: ManufacturerPartCreateForm.schema, response: { 201: ManufacturerPartSchema } },
    },
    async (request, reply) => {
      const body = await f.parseBody(ManufacturerPartCreateForm, request.body, ctx);
      const id = await createManufacturerPart(database, body);
      reply.code(201);
      return manufacturerPartBody(id, manufacturerPartOptions(queryOf(request), true));
    },
  );

  app.get(
    `/api/company/part/manufacturer/${PK_PARAM}/`,
    { config: MANUFACTURER_PART_PERMISSION, schema: { tags: TAGS, summary: 'One manufacturer part', response: { 200: ManufacturerPartSchema } } },
    async (request) => manufacturerPartBody(pkParam(request, 'ManufacturerPart'), manufacturerPartOptions(queryOf(request), true)),
  );

  for (const method of ['PUT', 'PATCH'] as const) {
    const form = method === 'PUT' ? ManufacturerPartCreateForm : ManufacturerPartUpdateForm;
    app.route({
      method,
      url: `/api/company/part/manufacturer/${PK_PARAM}/`,
      config: MANUFACTURER_PART_PERMISSION,
      schema: { tags: TAGS, summary: 'Change a manufacturer part', body: form.schema, response: { 200: ManufacturerPartSchema } },
      handler: async (request) => {
        const id = pkParam(request, 'ManufacturerPart');
        await loadManufacturerPartRow(db, id);
        const body = await f.parseBody(form, request.body, ctx);
        await updateManufacturerPart(database, id, body);
        return manufacturerPartBody(id, manufacturerPartOptions(queryOf(request), true));
      },
    });
  }

  app.delete(
    `/api/company/part/manufacturer/${PK_PARAM}/`,
    { config: MANUFACTURER_PART_PERMISSION, schema: { tags: TAGS, summary: 'Delete a manufacturer part' } },
    async (request, reply) => {
      await deleteManufacturerPart(database, pkParam(request, 'ManufacturerPart'));
      return reply.code(204).send();
    },
  );

  // Supplier parts ---------------------------------------------------------------------------
  async function supplierPartBody(id: number, options: SupplierPartOptions) {
    const [body] = await serializeSupplierParts(db, [await loadSupplierPartRow(db, id)], options);
    if (body === undefined) throw notFound('SupplierPart');
    return body;
  }

  app.get(
    '/api/company/part/',
    { config: SUPPLIER_PART_PERMISSION, schema: { tags: TAGS, summary: 'List supplier parts', response: { 200: listResponse(SupplierPartSchema) } } },
    async (request) => {
      const query = queryOf(request);
      const q = await filteredSupplierParts(db, query);
      const options = supplierPartOptions(query, false);
      return paginate(
        request,
        async () => countOf(await q.select((eb) => eb.fn.countAll().as('n')).executeTakeFirst()),
        async (page) => {
          let rows = applyOrdering(q.select(SUPPLIER_PART_COLUMNS.map((c) => `supplier_part.${c}` as const)), supplierPartOrdering(query), 'supplier_part.id');
          if (page !== undefined) rows = rows.limit(page.limit).offset(page.offset);
          return serializeSupplierParts(db, await rows.execute(), options);
        },
      );
    },
  );

  app.post(
    '/api/company/part/',
    { config: SUPPLIER_PART_PERMISSION, schema: { tags: TAGS, summary: 'Create a supplier part', body: SupplierPartCreateForm.schema, response: { 201: SupplierPartSchema } } },
    async (request, reply) => {
      const body = await f.parseBody(SupplierPartCreateForm, request.body, ctx);
      const id = await createSupplierPart(database, body);
      reply.code(201);
      return supplierPartBody(id, supplierPartOptions(queryOf(request), true));
    },
  );

  app.get(
    `/api/company/part/${PK_PARAM}/`,
    { config: SUPPLIER_PART_PERMISSION, schema: { tags: TAGS, summary: 'One supplier part', response: { 200: SupplierPartSchema } } },
    async (request) => supplierPartBody(pkParam(request, 'SupplierPart'), supplierPartOptions(queryOf(request), true)),
  );

  for (const method of ['PUT', 'PATCH'] as const) {
    const form = method === 'PUT' ? SupplierPartCreateForm : SupplierPartUpdateForm;
    app.route({
      method,
      url: `/api/company/part/${PK_PARAM}/`,
      config: SUPPLIER_PART_PERMISSION,
      schema: { tags: TAGS, summary: 'Change a supplier part', body: form.schema, response: { 200: SupplierPartSchema } },
      handler: async (request) => {
        const id = pkParam(request, 'SupplierPart');
        await loadSupplierPartRow(db, id);
        const body = await f.parseBody(form, request.body, ctx);
        await updateSupplierPart(database, id, body);
        return supplierPartBody(id, supplierPartOptions(queryOf(request), true));
      },
    });
  }

  app.delete(`/api/company/part/${PK_PARAM}/`, { config: SUPPLIER_PART_PERMISSION, schema: { tags: TAGS, summary: 'Delete a supplier part' } }, async (request, reply) => {
    await deleteSupplierPart(database, pkParam(request, 'SupplierPart'));
    return reply.code(204).send();
  });

  // Companies --------------------------------------------------------------------------------
  async function companyBody(id: number, detail: boolean, parameters: boolean) {
    const [body] = await serializeCompanies(db, [await loadCompanyRow(db, id)], { notes: detail, parameters });
    if (body === undefined) throw notFound('Company');
    return body;
  }

  app.get(
    '/api/company/',
    { config: COMPANY_PERMISSION, schema: { tags: TAGS, summary: 'List companies', response: { 200: listResponse(CompanySchema) } } },
    async (request) => {
      const query = queryOf(request);
      const q = filteredCompanies(db, query);
      const parameters = detailFlag(query, 'parameters', false);
      return paginate(
        request,
        async () => countOf(await q.select((eb) => eb.fn.countAll().as('n')).executeTakeFirst()),
        async (page) => {
          let rows = applyOrdering(q.select(COMPANY_COLUMNS.map((c) => `company.${c}` as const)), companyOrdering(query), 'company.id');
          if (page !== undefined) rows = rows.limit(page.limit).offset(page.offset);
          return serializeCompanies(db, await rows.execute(), { notes: false, parameters });
        },
      );
    },
  );

  app.post(
    '/api/company/',
    { config: COMPANY_PERMISSION, schema: { tags: TAGS, summary: 'Create a company', body: CompanyCreateForm.schema, response: { 201: CompanySchema } } },
    async (request, reply) => {
      const body = await f.parseBody(CompanyCreateForm, request.body, ctx);
      const id = await createCompany(database, settings, body);
      reply.code(201);
      return companyBody(id, true, detailFlag(queryOf(request), 'parameters', false));
    },
  );

  app.get(`/api/company/${PK_PARAM}/`, { config: COMPANY_PERMISSION, schema: { tags: TAGS, summary: 'One company', response: { 200: CompanySchema } } }, async (request) =>
    companyBody(pkParam(request, 'Company'), true, detailFlag(queryOf(request), 'parameters', false)),
  );

  for (const method of ['PUT', 'PATCH'] as const) {
    const form = method === 'PUT' ? CompanyCreateForm : CompanyUpdateForm;
    app.route({
      method,
      url: `/api/company/${PK_PARAM}/`,
      config: COMPANY_PERMISSION,
      schema: { tags: TAGS, summary: 'Change a company', body: form.schema, response: { 200: CompanySchema } },
      handler: async (request) => {
        const id = pkParam(request, 'Company');
        await loadCompanyRow(db, id);
        const body = await f.parseBody(form, request.body, ctx);
        await updateCompany(database, id, body);
        return companyBody(id, true, detailFlag(queryOf(request), 'parameters', false));
      },
    });
  }

  app.delete(`/api/company/${PK_PARAM}/`, { config: COMPANY_PERMISSION, schema: { tags: TAGS, summary: 'Delete a company' } }, async (request, reply) => {
    await deleteCompany(database, pkParam(request, 'Company'));
    return reply.code(204).send();
  });
}
